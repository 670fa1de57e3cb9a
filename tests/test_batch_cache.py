"""The result cache: hits, misses, torn entries, pruning that never touches foreign folders."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

from extract.cache import KEEP_AS_OF_FOLDERS, ResultCache

DOC = "0123456789abcdef"


def test_put_get_and_corrupt_entry_is_a_miss(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path, "1.2.3", date(2024, 12, 31))
    assert cache.get(DOC) is None
    cache.put(DOC, {"error": ["encrypted", "加密"]})
    assert cache.get(DOC) == {"error": ["encrypted", "加密"]}
    next(cache.dir.rglob(f"{DOC}.json")).write_text("{torn", encoding="utf-8")
    assert cache.get(DOC) is None
    assert (cache.hits, cache.misses) == (1, 2)


def test_prune_keeps_recent_as_of_folders_and_never_foreign_ones(tmp_path: Path) -> None:
    foreign = tmp_path / "someone-elses-folder"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("x", encoding="utf-8")
    old_version = ResultCache(tmp_path, "0.9", date(2024, 1, 1))
    old_version.put(DOC, {"error": ["empty", "空"]})
    days = [date(2024, 12, d) for d in range(1, 6)]
    for i, day in enumerate(days):
        c = ResultCache(tmp_path, "1.0", day)
        c.put(DOC, {"error": ["empty", "空"]})
        stamp = time.time() - 1000 + i
        os.utime(c.dir, (stamp, stamp))
    current = ResultCache(tmp_path, "1.0", date(2024, 12, 31))
    current.put(DOC, {"error": ["empty", "空"]})
    (current.dir.parent / "notes").mkdir()  # not an as-of folder: left alone
    current.prune()
    assert foreign.exists() and (foreign / "keep.txt").exists()
    assert not old_version.dir.exists()
    left = sorted(d.name for d in current.dir.parent.iterdir())
    kept_days = [d.isoformat() for d in days[-KEEP_AS_OF_FOLDERS:]]
    assert left == sorted([*kept_days, "2024-12-31", "notes"])
    assert current.get(DOC) is not None
