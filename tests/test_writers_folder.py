"""The output folder (extract/writers/folder.py): one run at a time, whole sets only.

A run killed at each step of the swap (``os._exit`` in a child process at that
point, as ``kill -9`` would) leaves the previous set readable, and the next run
finishes or drops the dead run's staging folder: the tables equal an
uninterrupted run's, the user's own files in the folder survive, and nothing
temporary remains.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from test_batch_run import SAMPLES

from extract import parse_folder
from extract.writers import OUTPUT_FILES
from extract.writers.folder import (
    LOCK_NAME,
    STAGING_PREFIX,
    FolderBusy,
    OutputFolder,
    folder_lock,
)

REPO = Path(__file__).resolve().parent.parent
AS_OF = date(2024, 12, 31)
CSV_NAMES = [n for n in OUTPUT_FILES if n.endswith(".csv")]


def corpus(root: Path, n: int, start: int = 0) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for p in sorted(SAMPLES.glob("*.txt"))[start:start + n]:
        shutil.copy(p, root / p.name)
    return root


def tables(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in CSV_NAMES if (out / name).exists()}


def leftovers(out: Path) -> list[str]:
    """Temporary and staging entries in ``out`` and beside it, the lock file."""
    found = [p.name for p in out.parent.iterdir() if p.name.startswith(STAGING_PREFIX)]
    for _folder, dirs, files in os.walk(out):
        found += [n for n in dirs + files
                  if n.startswith((".tmp-", STAGING_PREFIX, ".zhenggai-")) or n == LOCK_NAME]
    return found


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two input sets and their uninterrupted outputs."""
    base = tmp_path_factory.mktemp("sets")
    old, new = corpus(base / "old", 3), corpus(base / "new", 5, start=3)
    for name, inputs in (("old", old), ("new", new)):
        parse_folder(inputs, out=base / f"ref-{name}", as_of=AS_OF, workers=1, cache=False,
                     formats=("csv", "xlsx"))
    return {"old": old, "new": new, "ref-old": base / "ref-old", "ref-new": base / "ref-new"}


def test_a_second_run_into_the_folder_refuses_with_a_clear_message(tmp_path: Path,
                                                                    runs: dict[str, Path]) -> None:
    out = tmp_path / "out"
    with folder_lock(out):
        with pytest.raises(FolderBusy, match=r"正由另一次运行使用（进程 \d+）"):
            OutputFolder(out, lambda staging: [], OUTPUT_FILES)
        proc = subprocess.run([sys.executable, "-m", "extract", "extract", str(runs["old"]),
                               "--out", str(out), "-q"], capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
    assert proc.returncode == 1
    assert "正由另一次运行使用" in proc.stderr and "--out" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (out / "documents.csv").exists()
    assert leftovers(out) == []  # the lock goes with its holder


def test_a_run_replaces_the_whole_set_and_keeps_other_files(tmp_path: Path,
                                                            runs: dict[str, Path]) -> None:
    out = tmp_path / "out"
    parse_folder(runs["old"], out=out, as_of=AS_OF, workers=1, formats=("csv", "xlsx", "html"))
    (out / "我的笔记.txt").write_text("keep me", encoding="utf-8")
    assert (out / ".cache").is_dir() and (out / "results.xlsx").exists()
    run = parse_folder(runs["new"], out=out, as_of=AS_OF, workers=1)
    assert tables(out) == tables(runs["ref-new"])
    # The earlier run's workbook and report would mix two runs: they go with its set.
    assert not (out / "results.xlsx").exists() and not (out / "report.html").exists()
    assert (out / "我的笔记.txt").read_text(encoding="utf-8") == "keep me"
    assert (out / ".cache").is_dir()
    assert sorted(p.name for p in run.written) == sorted(CSV_NAMES)
    assert all(p.parent == out.resolve() for p in run.written)
    assert leftovers(out) == []


def test_a_symlinked_output_folder_is_replaced_at_its_target(tmp_path: Path,
                                                            runs: dict[str, Path]) -> None:
    target = tmp_path / "real"
    target.mkdir()
    link = tmp_path / "out"
    link.symlink_to(target)
    parse_folder(runs["old"], out=link, as_of=AS_OF, workers=1, cache=False)
    assert link.is_symlink() and tables(target) == tables(runs["ref-old"])


#: The child run: ``CRASH_POINT`` names where it dies (``os._exit``, as kill -9 would).
CHILD = textwrap.dedent("""
    import os, sys
    from datetime import date
    from pathlib import Path
    import extract.writers.folder as folder
    from extract import parse_folder

    point, inputs, out = sys.argv[1:4]
    final = Path(out).resolve()
    def die(*args, **kwargs):
        os._exit(9)
    calls = []
    def nth(original, n, into_out=False):
        # original, dying at its n-th call (with into_out: its n-th move into OUT)
        def wrapped(*args, **kwargs):
            if not into_out or Path(args[1]).parent == final or Path(args[1]) == final:
                calls.append(1)
                if len(calls) == n:
                    die()
            return original(*args, **kwargs)
        return wrapped

    if point == "writing":
        from extract.writers.csv import CsvSink
        CsvSink.document = nth(CsvSink.document, 3)
    elif point == "finished":          # every output whole, nothing moved yet
        folder._swap = die
    elif point == "moving":            # the user's files moved into staging, no swap yet
        folder._exchange = die
    elif point == "swapped":           # swapped, the old set not yet deleted
        folder._fsync_dir = die
    elif point == "two-renames":       # no RENAME_EXCHANGE: between the two renames
        folder._renameat2 = lambda: None
        rename = os.rename
        def staging_to_out(src, dst):
            if Path(dst) == final:
                die()
            return rename(src, dst)
        folder.os.rename = staging_to_out
    elif point == "inside":            # staging inside OUT (a mount point): halfway through
        make = folder._make_staging
        def inside(out):
            staging, _ = make(out)
            shutil.rmtree(staging)
            staging = Path(tempfile.mkdtemp(prefix=folder.STAGING_PREFIX, dir=out))
            folder._write_json(staging / folder.MARKER_NAME, {"out": str(out)})
            return staging, True
        import shutil, tempfile
        folder._make_staging = inside
        folder.os.replace = nth(os.replace, 2, into_out=True)
    parse_folder(inputs, out=out, as_of=date(2024, 12, 31), workers=1, cache=True)
    os._exit(0)
""")

#: Crash point -> whether the folder, read right after the crash, holds the old set.
CRASH_POINTS = {"writing": True, "finished": True, "moving": True, "swapped": False,
                "two-renames": None, "inside": None}


@pytest.mark.parametrize("point", list(CRASH_POINTS))
def test_a_run_killed_at_each_step_leaves_a_whole_set(tmp_path: Path, runs: dict[str, Path],
                                                      point: str) -> None:
    out = tmp_path / "out"
    parse_folder(runs["old"], out=out, as_of=AS_OF, workers=1)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", CHILD, point, str(runs["new"]), str(out)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 9, proc.stderr
    holds_old = CRASH_POINTS[point]
    if holds_old is True:
        assert tables(out) == tables(runs["ref-old"])
    elif holds_old is False:
        assert tables(out) == tables(runs["ref-new"])
    # The next run into the folder cleans up first (finishing a swap that had begun).
    OutputFolder(out, lambda staging: [], OUTPUT_FILES).discard()
    if point in ("finished", "moving", "swapped", "two-renames", "inside"):
        assert tables(out) == tables(runs["ref-new"])  # the dead run's set was whole: installed
    elif point == "writing":
        assert tables(out) == tables(runs["ref-old"])
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert leftovers(out) == []
    parse_folder(runs["new"], out=out, as_of=AS_OF, workers=1)
    assert tables(out) == tables(runs["ref-new"])
    assert (out / "notes.txt").exists() and leftovers(out) == []


def test_recovery_leaves_other_folders_staging_alone(tmp_path: Path) -> None:
    out, other = tmp_path / "out", tmp_path / "out-2"
    busy = OutputFolder(other, lambda staging: [], OUTPUT_FILES)
    try:
        OutputFolder(out, lambda staging: [], OUTPUT_FILES).discard()
        assert busy.staging is not None and busy.staging.is_dir()
    finally:
        busy.discard()
    assert leftovers(other) == []
