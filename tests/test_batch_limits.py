"""Memory per file (issue 12, item 7): each kind of file has a size limit checked from its
first bytes before the rest is read, an explicit --max-size replaces them, and a local
worker's memory is bounded: a parse past it is ``too_large``, a worker killed anyway is one
error row, and the run goes on. The worker functions live at module level so the worker
processes can import them; the big inputs are written here."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from test_batch_run import SAMPLES, options, read_csv

from extract import work
from extract.api import parse_folder
from extract.errors import RunLimit
from extract.executors import Outcome, Task
from extract.pipeline import parse_file
from extract.safety import FORMAT_SIZE_LIMITS, check_format_size, size_kind
from extract.work import process_task

#: A one-line text a little over the text limit (the issue's 150 MB text took 4.5 GB, 139 s).
ONE_LINE_BYTES = 30 * 1024 * 1024
#: The memory limit of the tests' workers, and what the greedy parse asks for past it.
TEST_MAX_MEMORY = 1024**3
GREEDY_CHUNK = 64 * 1024 * 1024
GREEDY_TOTAL = 4 * 1024**3


def _greedy_parse(*args: object, **kw: object) -> object:
    """A parse whose memory grows past any sensible limit (like a one-line 150 MB text)."""
    held = []
    while sum(len(b) for b in held) < GREEDY_TOTAL:
        held.append(bytes(GREEDY_CHUNK))
    return parse_file(*args, **kw)  # type: ignore[arg-type]


def greedy_or_parse(task: Task) -> Outcome:
    """Files named *greedy* need more memory than the worker may use; *killed* ones are
    killed as the kernel's OOM killer would."""
    if "killed" in task.source_path:
        os.kill(os.getpid(), signal.SIGKILL)
    if "greedy" not in task.source_path:
        return process_task(task)
    real = work.parse_file
    work.parse_file = _greedy_parse  # type: ignore[assignment]
    try:
        return process_task(task)
    finally:
        work.parse_file = real


def _corpus(root: Path, bad: list[str]) -> None:
    root.mkdir(parents=True)
    samples = sorted(SAMPLES.glob("*.txt"))
    for i, name in enumerate(["a.txt", *bad, "c.txt"]):
        (root / name).write_bytes(samples[i + 1].read_bytes())


def test_one_line_text_over_the_text_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    line = "巡察整改进展情况，已完成整改。".encode()
    (tmp_path / "in" / "one_line.txt").write_bytes(line * (ONE_LINE_BYTES // len(line)))
    (tmp_path / "in" / "ok.txt").write_bytes((SAMPLES / "001_county_health_bureau.txt").read_bytes())
    start = time.monotonic()
    run = parse_folder(tmp_path / "in", workers=1, cache=False)
    assert time.monotonic() - start < 20  # parsing it took 11 s and 380 MB; refusing, nothing
    (error,) = run.tables.errors
    assert (error.source_path, error.error) == ("one_line.txt", "too_large")
    assert "文本、网页或 csv 文件 30.0 MB，超过该类文件的大小上限 20.0 MB" in error.message
    assert "--max-size" in error.message and "取代各格式的默认上限" in error.message
    assert [d.source_path for d in run.tables.documents] == ["ok.txt"]


def test_explicit_max_size_replaces_the_format_limits() -> None:
    text = b"x" * 64
    big = FORMAT_SIZE_LIMITS["text"] + 1
    with pytest.raises(RunLimit):
        check_format_size(text, big, "a.txt")
    check_format_size(text, big, "a.txt", per_format=False)  # --max-size given: its limit only
    check_format_size(b"%PDF-1.7\n", 10 * big, "a.pdf")  # PDFs: --max-size alone
    assert size_kind(b"PK\x03\x04rest") == "package"
    assert size_kind(b"<html><body>") == "text"
    assert size_kind(b"\x89PNG\r\n\x1a\n") is None


def test_parse_folder_max_size_turns_format_limits_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = {}

    def fake_run(paths: object, options: object, progress: object, sinks: object) -> object:
        seen["options"] = options
        raise RuntimeError("stop")

    import extract.api

    monkeypatch.setattr(extract.api, "run_batch", fake_run)
    for kw, expected in (({}, (True, 200 * 1024**2, 4 * 1024**3)),
                         ({"max_size": 300 * 1024**2, "max_memory": 0}, (False, 300 * 1024**2, 0))):
        with pytest.raises(RuntimeError):
            parse_folder(tmp_path, **kw)  # type: ignore[arg-type]
        o = seen["options"]
        assert (o.format_limits, o.max_size, o.max_memory) == expected  # type: ignore[attr-defined]


def test_a_parse_past_the_memory_limit_is_too_large_and_the_run_goes_on(tmp_path: Path) -> None:
    _corpus(tmp_path / "in", ["greedy.txt"])
    out = tmp_path / "out"
    start = time.monotonic()
    result = run_batch_with(tmp_path, out, greedy_or_parse)
    assert time.monotonic() - start < 60
    errors = {r["source_path"]: r for r in read_csv(out / "errors.csv")}
    assert list(errors) == ["greedy.txt"]
    assert errors["greedy.txt"]["error"] == "too_large"
    assert "处理该文件所需内存超过上限 1.0 GB" in errors["greedy.txt"]["message"]
    assert "--max-memory" in errors["greedy.txt"]["message"]
    assert sorted(r["source_path"] for r in read_csv(out / "documents.csv")) == ["a.txt", "c.txt"]
    assert result.documents == 2


def test_a_worker_killed_anyway_is_one_error_row(tmp_path: Path) -> None:
    _corpus(tmp_path / "in", ["killed.txt", "greedy.txt"])
    out = tmp_path / "out"
    result = run_batch_with(tmp_path, out, greedy_or_parse)
    errors = {r["source_path"]: r for r in read_csv(out / "errors.csv")}
    assert {k: v["error"] for k, v in errors.items()} == {"killed.txt": "unreadable",
                                                          "greedy.txt": "too_large"}
    assert "--max-memory" in errors["killed.txt"]["message"]
    assert result.documents == 2 and result.failed == 2


def run_batch_with(tmp_path: Path, out: Path, process: object) -> object:
    from extract.batch import run_batch

    return run_batch([tmp_path / "in"], options(out, process=process, workers=1, use_cache=False,
                                                max_memory=TEST_MAX_MEMORY))
