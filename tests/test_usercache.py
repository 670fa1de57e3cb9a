"""Files kept per user: the t2s file of extract.normalize, and the shared helpers (atomic
writes, pruning old versions). jieba's snapshot has its own tests (test_themes_snapshot)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from extract import normalize, usercache


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    normalize._traditional_table.cache_clear()
    yield tmp_path
    normalize._traditional_table.cache_clear()  # the next test's table from its own home


def built_table() -> np.ndarray:
    """The table as OpenCC gives it, without any file."""
    table = np.zeros(0x110000, dtype=bool)
    table[normalize._t2s_changed_codes()] = True
    return table


def t2s_files(home: Path) -> list[Path]:
    return sorted((home / "zhenggai").glob("t2s-*.u32"))


def test_the_first_table_is_kept_and_the_next_process_reads_it(
        cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = built_table()
    assert 4000 < int(expected.sum()) < 6000  # t2s changes ~4,600 characters on their own
    assert np.array_equal(normalize._traditional_table(), expected)
    (path,) = t2s_files(cache_home)
    assert path == normalize._t2s_path()

    def no_opencc() -> None:
        raise AssertionError("the table should come from the file")

    normalize._traditional_table.cache_clear()
    monkeypatch.setattr(normalize, "_t2s_changed_codes", no_opencc)
    assert np.array_equal(normalize._traditional_table(), expected)
    assert normalize.to_simplified("關於巡視整改進展情況的通報") == ("关于巡视整改进展情况的通报", True)


@pytest.mark.parametrize("damage", ["flipped byte", "cut short", "empty", "code past Unicode"])
def test_a_damaged_t2s_file_is_made_again(cache_home: Path, damage: str) -> None:
    normalize._traditional_table()
    (path,) = t2s_files(cache_home)
    data = bytearray(path.read_bytes())
    if damage == "flipped byte":
        data[100] ^= 0xFF
    elif damage == "cut short":
        data = data[:-3]
    elif damage == "empty":
        data = bytearray()
    else:  # a well-formed file whose code point cannot be indexed
        import zlib

        body = np.array([0x4E00, 0x110000], dtype="<u4").tobytes()
        data = bytearray(zlib.crc32(body).to_bytes(4, "little") + body)
    path.write_bytes(bytes(data))
    assert normalize._read_t2s(path) is None
    normalize._traditional_table.cache_clear()
    assert np.array_equal(normalize._traditional_table(), built_table())
    assert normalize._read_t2s(path) is not None  # written again, whole


def test_an_unwritable_cache_still_gives_the_table(cache_home: Path) -> None:
    (cache_home / "zhenggai").write_text("a file where the folder would go", encoding="utf-8")
    assert np.array_equal(normalize._traditional_table(), built_table())
    assert normalize.to_simplified("財務管理制度執行不到位")[1] is True


def test_the_file_is_named_by_opencc_s_configuration_and_dictionaries(cache_home: Path) -> None:
    path = normalize._t2s_path()
    assert path is not None and path.parent == cache_home / "zhenggai"
    assert path.name.startswith("t2s-") and path.name.endswith(f"-{normalize.T2S_LAYOUT}.u32")
    assert normalize.OPENCC_FILE.findall('{"dict": {"type": "ocd2", "file": "TSCharacters.ocd2"},'
                                         ' "dicts": [{"file" : "TSPhrases.ocd2"}]}') \
        == ["TSCharacters.ocd2", "TSPhrases.ocd2"]
    assert normalize.OPENCC_FILE.findall('{"file": "../../etc/passwd"}') == []


def test_prune_removes_old_files_of_one_kind_but_the_one_in_use(tmp_path: Path) -> None:
    keep, stale, recent, other = (tmp_path / "t2s-new-1.u32", tmp_path / "t2s-old-1.u32",
                                  tmp_path / "t2s-other-1.u32", tmp_path / "jieba-old.marshal")
    for path in (keep, stale, recent, other):
        path.write_bytes(b"x")
    month_ago = time.time() - (usercache.KEEP_DAYS + 1) * 86_400
    for path in (keep, stale, other):
        os.utime(path, (month_ago, month_ago))
    usercache.prune(keep, "t2s-*.u32")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([keep.name, recent.name, other.name])


def test_write_atomic_replaces_whole_files_and_reports_failure(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "file.bin"
    assert usercache.write_atomic(path, [b"ab", b"cd"])
    assert usercache.write_atomic(path, [b"ef"])
    assert path.read_bytes() == b"ef"
    assert sorted(p.name for p in path.parent.iterdir()) == ["file.bin"]
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder would go", encoding="utf-8")
    assert not usercache.write_atomic(blocked / "file.bin", [b"x"])


def test_user_cache_dir_follows_xdg_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert usercache.user_cache_dir() == tmp_path / "zhenggai"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert usercache.user_cache_dir() == tmp_path / "home" / ".cache" / "zhenggai"
