"""The result cache: hits, misses, torn entries, pruning that never touches foreign folders."""

from __future__ import annotations

from pathlib import Path

from extract.cache import ResultCache

DOC = "0123456789abcdef"


def test_put_get_and_corrupt_entry_is_a_miss(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path, "1.2.3")
    assert cache.get(DOC) is None
    cache.put(DOC, {"error": ["encrypted", "加密"]})
    assert cache.get(DOC) == {"error": ["encrypted", "加密"]}
    next(cache.dir.rglob(f"{DOC}.json")).write_text("{torn", encoding="utf-8")
    assert cache.get(DOC) is None
    assert (cache.hits, cache.misses) == (1, 2)


def test_prune_drops_other_versions_and_never_foreign_folders(tmp_path: Path) -> None:
    foreign = tmp_path / "someone-elses-folder"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("x", encoding="utf-8")
    old_version = ResultCache(tmp_path, "0.9")
    old_version.put(DOC, {"error": ["empty", "空"]})
    old_layout = tmp_path / "zhenggai-1.0-layout4" / "2024-12-31"  # dated folders of old
    old_layout.mkdir(parents=True)
    current = ResultCache(tmp_path, "1.0")
    current.put(DOC, {"error": ["empty", "空"]})
    removed = current.prune()
    assert sorted(p.name for p in removed) == ["zhenggai-0.9-layout5", "zhenggai-1.0-layout4"]
    assert foreign.exists() and (foreign / "keep.txt").exists()
    assert not old_version.dir.exists() and not old_layout.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["someone-elses-folder",
                                                          "zhenggai-1.0-layout5"]
    assert current.get(DOC) is not None
