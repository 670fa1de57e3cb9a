"""The batch run: accounting, duplicates, order, cache, timeouts, crashes, interruption.

The worker functions below are swapped in through ``BatchOptions.process``; they
live at module level so the worker processes can import them.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest

from extract import batch, discovery, work
from extract.batch import BatchOptions, run_batch
from extract.executors import Outcome, Task
from extract.work import process_task

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
AS_OF = date(2024, 12, 31)
#: Seconds a "hanging" file sleeps: far beyond the test's --timeout.
HANG_S = 60


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def accounted(out: Path) -> list[str]:
    """source_path of every documents.csv and errors.csv row."""
    return ([r["source_path"] for r in read_csv(out / "documents.csv")]
            + [r["source_path"] for r in read_csv(out / "errors.csv")])


def make_corpus(root: Path, n_samples: int = 4) -> list[str]:
    """A few real samples, a duplicate, an empty file, junk; returns expected source paths."""
    root.mkdir(parents=True, exist_ok=True)
    samples = sorted(SAMPLES.glob("*.txt"))[:n_samples]
    for p in samples:
        shutil.copy(p, root / p.name)
    (root / "dup").mkdir()
    shutil.copy(samples[0], root / "dup" / "copy of first.txt")
    (root / "empty.txt").write_bytes(b"")
    (root / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    return sorted([p.name for p in samples] + ["dup/copy of first.txt", "empty.txt", ".DS_Store"])


def options(out: Path, **kw: object) -> BatchOptions:
    base: dict[str, object] = {"out_dir": out, "as_of": AS_OF, "workers": 2, "timeout_s": 30.0}
    base.update(kw)
    return BatchOptions(**base)  # type: ignore[arg-type]


# --- worker functions swapped in by tests ------------------------------------------------


def hang_or_parse(task: Task) -> Outcome:
    """Files named *hang* hang (and start a grandchild that would outlive a plain kill)."""
    if "hang" in task.source_path:
        child = subprocess.Popen(["sleep", str(HANG_S)])
        (Path(task.path).parent.parent / "hang.pids").write_text(f"{os.getpid()} {child.pid}")
        time.sleep(HANG_S)
    return process_task(task)


def crash_or_parse(task: Task) -> Outcome:
    if "crash" in task.source_path:
        os._exit(3)  # a segfault in a C library looks like this to the parent
    return process_task(task)


def slow_first(task: Task) -> Outcome:
    if task.index == 0:
        time.sleep(1.0)
    return process_task(task)


def record_pid(task: Task) -> Outcome:
    outcome = process_task(task)
    outcome.traceback = str(os.getpid())  # smuggle the worker pid out for the test
    return outcome


# --- tests ---------------------------------------------------------------------------------


def test_every_file_accounted_once_with_duplicates_and_junk(tmp_path: Path) -> None:
    expected = make_corpus(tmp_path / "in")
    out = tmp_path / "out"
    result = run_batch([tmp_path / "in"], options(out))
    assert sorted(accounted(out)) == expected
    errors = {r["source_path"]: r["error"] for r in read_csv(out / "errors.csv")}
    assert errors == {".DS_Store": "skipped", "empty.txt": "empty"}
    assert result.failed == 1 and result.skipped == 1 and result.duplicates == 1
    docs = read_csv(out / "documents.csv")
    first = next(d for d in docs if d["source_path"] == "001_county_health_bureau.txt"
                 or d["source_path"] == sorted(SAMPLES.glob("*.txt"))[0].name)
    dup = next(d for d in docs if d["source_path"] == "dup/copy of first.txt")
    assert dup["doc_id"] == first["doc_id"]
    run_fields = ("source_path", "duplicate_of", "duplicate_score")
    assert {k: v for k, v in dup.items() if k not in run_fields} == \
           {k: v for k, v in first.items() if k not in run_fields}
    # the same bytes: a copy of the first file, which is the one kept
    assert (first["duplicate_of"], first["duplicate_score"]) == ("", "")
    assert (dup["duplicate_of"], dup["duplicate_score"]) == (first["doc_id"], "1.0")
    dup_checks = [c for c in read_csv(out / "checks.csv") if c["check"] == "duplicate_file"]
    assert [(c["expected"], c["found"], c["severity"]) for c in dup_checks] == \
           [(first["source_path"], "dup/copy of first.txt", "info")]
    # items are not repeated for the duplicate
    items = read_csv(out / "items.csv")
    assert sum(1 for i in items if i["doc_id"] == first["doc_id"]) == int(first["items_extracted"])
    assert result.documents == len(docs) and result.items == len(items)
    assert len(result.kept_documents) == len(docs) - 1  # analysis sees the content once
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp-")]


def test_rows_follow_input_order_whatever_finishes_first(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in")
    out = tmp_path / "out"
    run_batch([tmp_path / "in"], options(out, process=slow_first, use_cache=False))
    order = [e.source_path for e in discovery.discover([tmp_path / "in"])]
    docs = [r["source_path"] for r in read_csv(out / "documents.csv")]
    assert docs == [p for p in order if p in docs]


def test_unchanged_rerun_comes_from_cache_without_workers(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    make_corpus(tmp_path / "in")
    out = tmp_path / "out"
    first = run_batch([tmp_path / "in"], options(out))
    before = {n: (out / n).read_bytes() for n in ("documents.csv", "items.csv", "errors.csv",
                                                    "checks.csv", "measures.csv")}
    assert first.cached == 0

    def no_workers(_: BatchOptions) -> None:
        raise AssertionError("a cached re-run must not start workers")

    monkeypatch.setattr(batch, "_make_executor", no_workers)
    second = run_batch([tmp_path / "in"], options(out))
    # every parsed or read-error file is a hit (not duplicates or junk, which are not looked up)
    assert second.cached == first.files - first.duplicates - first.skipped
    assert {n: (out / n).read_bytes() for n in before} == before


def test_cache_misses_on_changed_file_and_parser_version(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    make_corpus(tmp_path / "in")
    out = tmp_path / "out"
    run_batch([tmp_path / "in"], options(out))
    target = sorted((tmp_path / "in").glob("0*.txt"))[1]
    target.write_text(target.read_text(encoding="utf-8") + "\n补充。", encoding="utf-8")
    changed = run_batch([tmp_path / "in"], options(out))
    assert changed.files - changed.cached - changed.duplicates - changed.skipped == 1

    monkeypatch.setattr(batch, "PARSER_VERSION", "test-next-version")
    bumped = run_batch([tmp_path / "in"], options(out))
    assert bumped.cached == 0
    no_cache = run_batch([tmp_path / "in"], options(out, use_cache=False))
    assert no_cache.cached == 0


TABLES = ("documents.csv", "sections.csv", "items.csv", "measures.csv", "checks.csv", "errors.csv")


@pytest.mark.parametrize("jsonl", [False, True])
def test_another_day_is_a_cache_hit_and_dated_as_if_parsed_that_day(tmp_path: Path,
                                                                     jsonl: bool) -> None:
    """The cache keeps undated parses: a run on another --as-of hits every file and writes
    what a run without the cache writes on that day (overdue items and findings included)."""
    make_corpus(tmp_path / "in", n_samples=6)
    out = tmp_path / "out"
    first = run_batch([tmp_path / "in"], options(out, as_of=date(2020, 1, 1), jsonl=jsonl))
    assert first.overdue == 0
    later = date(2026, 6, 30)
    cached = run_batch([tmp_path / "in"], options(out, as_of=later, jsonl=jsonl))
    fresh = run_batch([tmp_path / "in"], options(tmp_path / "fresh", as_of=later, use_cache=False,
                                                 jsonl=jsonl))
    assert cached.cached == first.files - first.duplicates - first.skipped
    assert cached.overdue == fresh.overdue > 0
    names = TABLES + (("documents.jsonl",) if jsonl else ())
    for name in names:
        assert (out / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes(), name
    items = read_csv(out / "items.csv")
    assert sum(r["overdue"] == "true" for r in items) == cached.overdue
    assert {r["overdue"] for r in items} == {"true", "false"}
    assert sum(r["check"] == "overdue_items" for r in read_csv(out / "checks.csv")) > 0


def test_moved_file_is_a_cache_hit_with_its_new_source_path(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", n_samples=2)
    out, cache = tmp_path / "out", tmp_path / "cache"
    run_batch([tmp_path / "in"], options(out, cache_dir=cache))
    (tmp_path / "in" / "moved").mkdir()
    name = sorted((tmp_path / "in").glob("0*.txt"))[0].name
    (tmp_path / "in" / name).rename(tmp_path / "in" / "moved" / name)
    again = run_batch([tmp_path / "in"], options(out, cache_dir=cache))
    assert again.cached >= 1
    assert f"moved/{name}" in accounted(out)


def test_timeout_kills_the_worker_and_its_children(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", n_samples=2)
    hang = tmp_path / "in" / "hang.txt"
    shutil.copy(sorted(SAMPLES.glob("*.txt"))[3], hang)
    out = tmp_path / "out"
    started = time.monotonic()
    result = run_batch([tmp_path / "in"], options(out, process=hang_or_parse, timeout_s=1.5,
                                                  use_cache=False))
    assert time.monotonic() - started < HANG_S / 2
    errors = {r["source_path"]: r for r in read_csv(out / "errors.csv")}
    assert errors["hang.txt"]["error"] == "timeout" and "--timeout" in errors["hang.txt"]["message"]
    assert result.errors["timeout"] == 1
    worker_pid, child_pid = map(int, (tmp_path / "hang.pids").read_text().split())
    time.sleep(0.2)
    for pid in (worker_pid, child_pid):
        assert not _running(pid), f"process {pid} survived the timeout"
    assert sorted(accounted(out)) == sorted(
        e.source_path for e in discovery.discover([tmp_path / "in"]))


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def test_a_crashing_worker_fails_only_its_file(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", n_samples=3)
    shutil.copy(sorted(SAMPLES.glob("*.txt"))[4], tmp_path / "in" / "crash.txt")
    out = tmp_path / "out"
    result = run_batch([tmp_path / "in"], options(out, process=crash_or_parse, use_cache=False))
    errors = {r["source_path"]: r for r in read_csv(out / "errors.csv")}
    assert errors["crash.txt"]["error"] == "unreadable"
    assert "进程" in errors["crash.txt"]["message"]
    assert result.documents == 4  # 3 samples + the duplicate


@pytest.mark.parametrize(("bad", "process", "error"), [
    ("crash.txt", crash_or_parse, "unreadable"), ("hang.txt", hang_or_parse, "timeout")])
def test_files_queued_behind_a_failing_file_are_parsed(tmp_path: Path, bad: str, process: object,
                                                       error: str) -> None:
    """One worker holds the next file in its pipe (PREFETCH): when the file it works on
    kills it or times out, the queued files go to a new worker, none is lost or failed."""
    samples = sorted(SAMPLES.glob("*.txt"))
    (tmp_path / "in").mkdir()
    for i, name in enumerate(["a.txt", bad, "c.txt", "d.txt", "e.txt"]):
        shutil.copy(samples[i], tmp_path / "in" / name)
    out = tmp_path / "out"
    result = run_batch([tmp_path / "in"], options(out, process=process, workers=1, timeout_s=1.5,
                                                  use_cache=False))
    errors = {r["source_path"]: r["error"] for r in read_csv(out / "errors.csv")}
    assert errors == {bad: error}
    assert sorted(r["source_path"] for r in read_csv(out / "documents.csv")) == [
        "a.txt", "c.txt", "d.txt", "e.txt"]
    assert result.documents == 4


def test_workers_are_recycled(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", n_samples=6)
    out = tmp_path / "out"
    pids: set[str] = set()

    class Recorder:
        def start(self, total: int) -> None: ...
        def advance(self, source_path: str, error: str | None) -> None: ...

    opts = options(out, process=record_pid, use_cache=False, workers=1, max_tasks_per_child=2)
    original = batch._Emitter.emit

    def spy(self: batch._Emitter, outcome: Outcome) -> None:
        if outcome.traceback and outcome.traceback.isdigit():
            pids.add(outcome.traceback)
            outcome.traceback = None
        original(self, outcome)

    batch._Emitter.emit = spy  # type: ignore[method-assign]
    try:
        run_batch([tmp_path / "in"], opts, Recorder())
    finally:
        batch._Emitter.emit = original  # type: ignore[method-assign]
    assert len(pids) >= 3  # 7 parsed files, 2 per worker


def test_interrupted_run_keeps_previous_outputs(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in")
    out = tmp_path / "out"
    run_batch([tmp_path / "in"], options(out))
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    class Interrupt:
        def start(self, total: int) -> None: ...

        def advance(self, source_path: str, error: str | None) -> None:
            raise KeyboardInterrupt

    (tmp_path / "in" / "new.txt").write_text("新文件", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        run_batch([tmp_path / "in"], options(out, use_cache=False), Interrupt())
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before


def test_too_large_is_decided_without_reading(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "big.txt").write_bytes("通报".encode() * 2000)
    (tmp_path / "in" / "small.txt").write_text("小", encoding="utf-8")
    out = tmp_path / "out"
    run_batch([tmp_path / "in"], options(out, max_size=1000))
    errors = {r["source_path"]: r["error"] for r in read_csv(out / "errors.csv")}
    assert errors == {"big.txt": "too_large"}


def test_unreadable_file_is_an_error_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """chmod 000 does not stop root (CI), so simulate the refusal in the parent."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "locked.txt").write_text("x", encoding="utf-8")
    real_open = open

    def guarded_open(file: object, *args: object, **kw: object):  # type: ignore[no-untyped-def]
        if str(file).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kw)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", guarded_open)
    out = tmp_path / "out"
    run_batch([tmp_path / "in"], options(out, use_cache=False))
    (row,) = read_csv(out / "errors.csv")
    assert row["error"] == "unreadable" and "权限" in row["message"]


def test_empty_input_folder_writes_headers_only(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    out = tmp_path / "out"
    result = run_batch([tmp_path / "in"], options(out))
    assert result.files == 0
    assert (out / "errors.csv").read_bytes() == b"\xef\xbb\xbfsource_path,error,message,doc_id\r\n"


def explode_in_parser(task: Task) -> Outcome:
    """A bug in the pipeline: parse_file raises something that is not a ReadError."""
    def boom(*args: object, **kw: object) -> None:
        raise ValueError("解析器内部错误")

    work.parse_file = boom  # type: ignore[assignment]  # in this worker process only
    return process_task(task)


def test_unexpected_exception_is_one_row_with_traceback_only_in_debug_log(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    make_corpus(tmp_path / "in", n_samples=1)
    out = tmp_path / "out"
    with caplog.at_level("DEBUG", logger="extract.batch"):
        result = run_batch([tmp_path / "in"], options(out, process=explode_in_parser,
                                                      use_cache=False))
    errors = {r["source_path"]: r for r in read_csv(out / "errors.csv")}
    parsed_name = sorted(SAMPLES.glob("*.txt"))[0].name
    assert errors[parsed_name]["error"] == "unreadable"
    assert "内部错误 ValueError" in errors[parsed_name]["message"]
    assert "Traceback" not in errors[parsed_name]["message"]
    assert result.failed == 3  # the sample, its duplicate, the empty file
    debug = "\n".join(r.getMessage() for r in caplog.records if r.levelname == "DEBUG")
    assert "Traceback" in debug and "解析器内部错误" in debug
