"""The tokenizer's snapshot (extract/themes.py): jieba's prefix dictionary with the
inspection vocabulary, saved by the first run in this user's cache and loaded in pieces
by the next (one piece at a time, so the run's main thread is not held up ~0.4 s)."""

from __future__ import annotations

import logging
from pathlib import Path

import jieba
import pytest

from extract import themes

TITLES = ["违反中央八项规定精神公务接待不规范", "“三会一课”制度落实不到位",
          "党委理论学习中心组学习制度落实不严格", "选人用人工作不规范，干部档案管理存在漏洞"]


@pytest.fixture()
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(themes, "_TOKENIZER", [])
    return tmp_path


def plain_tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(themes.USERDICT_PATH))
    return tokenizer


def test_first_run_saves_the_snapshot_the_next_loads_the_same_dictionary(cache_home: Path) -> None:
    path = themes._snapshot_path(jieba)
    assert path is not None and path.parent == cache_home / "zhenggai"
    assert not path.exists()
    first = themes._tokenizer()  # no snapshot: jieba's own loading, then saved
    assert path.exists()
    loaded = jieba.Tokenizer()
    assert themes._load_snapshot(path, loaded)
    plain = plain_tokenizer()
    assert loaded.FREQ == plain.FREQ == first.FREQ
    assert loaded.total == plain.total
    assert loaded.user_word_tag_tab == plain.user_word_tag_tab
    assert len(plain.FREQ) > 100 * themes.SNAPSHOT_CHUNK  # it is read in many pieces
    for title in TITLES:
        assert loaded.lcut(title) == plain.lcut(title)
    assert "理论学习中心组" in loaded.lcut(TITLES[2])  # the inspection vocabulary is in it


def test_the_snapshot_name_follows_the_vocabulary(cache_home: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    before = themes._snapshot_path(jieba)
    userdict = tmp_path / "userdict.txt"
    userdict.write_text(themes.USERDICT_PATH.read_text(encoding="utf-8") + "新的词语 10\n",
                        encoding="utf-8")
    monkeypatch.setattr(themes, "USERDICT_PATH", userdict)
    assert themes._snapshot_path(jieba) != before


@pytest.mark.parametrize("damage", [b"", b"not marshal at all", None])
def test_a_damaged_snapshot_is_made_again(cache_home: Path, damage: bytes | None) -> None:
    path = themes._snapshot_path(jieba)
    assert path is not None
    path.parent.mkdir(parents=True)
    good = plain_tokenizer()
    themes._save_snapshot(path, good)
    if damage is None:  # cut short in the middle of a piece
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    else:
        path.write_bytes(damage)
    assert not themes._load_snapshot(path, jieba.Tokenizer())
    tokenizer = themes._tokenizer()
    assert tokenizer.FREQ == good.FREQ
    assert themes._load_snapshot(path, jieba.Tokenizer())  # saved whole again


def test_an_unwritable_cache_still_tokenizes(cache_home: Path) -> None:
    (cache_home / "zhenggai").write_text("a file where the folder would go", encoding="utf-8")
    assert themes.tokenize(TITLES[0])[:2] == ["违反", "中央八项规定精神"]


def test_a_snapshot_cut_short_by_a_full_disk_leaves_no_temporary_file(
        cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = themes._snapshot_path(jieba)
    assert path is not None
    written = []

    def dump(value: object, handle: object) -> None:
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        written.append(value)

    monkeypatch.setattr(themes.marshal, "dump", dump)
    themes._save_snapshot(path, plain_tokenizer())
    assert len(written) == 3
    assert list(path.parent.iterdir()) == []
