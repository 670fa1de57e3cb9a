"""The tokenizer's snapshot (extract/themes.py): jieba's prefix dictionary with the
inspection vocabulary, saved by the first run in this user's cache; the next runs read
it and decode only the entries that start with a character of the titles they cut
(a run over one bulletin needs a few percent of the 500,000 entries)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import jieba
import pytest

from extract import themes, usercache

TITLES = ["违反中央八项规定精神公务接待不规范", "“三会一课”制度落实不到位",
          "党委理论学习中心组学习制度落实不严格", "选人用人工作不规范，干部档案管理存在漏洞"]


@pytest.fixture()
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(themes, "_TOKENIZER", [])
    monkeypatch.setattr(themes, "_EXPECTED", set())
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
    assert first.complete and path.exists()
    loaded = themes._load_snapshot(path, jieba.Tokenizer())
    assert loaded is not None and not loaded.complete
    plain = plain_tokenizer()
    assert loaded.tokenizer.total == plain.total
    assert loaded.tokenizer.user_word_tag_tab == plain.user_word_tag_tab
    for title in TITLES:
        assert loaded.lcut(title) == plain.lcut(title) == first.lcut(title)
    assert "理论学习中心组" in loaded.lcut(TITLES[2])  # the inspection vocabulary is in it
    # only the entries of the titles' characters were decoded
    chars = set("".join(TITLES))
    assert {word[0] for word in loaded.tokenizer.FREQ} == chars & {w[0] for w in plain.FREQ}
    assert len(loaded.tokenizer.FREQ) < len(plain.FREQ) // 10
    loaded.load("".join({word[0] for word in plain.FREQ}))  # every first character
    assert loaded.tokenizer.FREQ == plain.FREQ


def test_titles_announced_ahead_are_loaded_before_they_are_cut(
        cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run hands each document's titles over as it arrives (themes.expect): before the
    tokenizer is ready they wait for it, after it their entries are loaded at once."""
    themes._tokenizer()  # the snapshot
    monkeypatch.setattr(themes, "_TOKENIZER", [])
    themes.expect(TITLES[:2])
    assert not themes._TOKENIZER and themes._EXPECTED == set(TITLES[0] + TITLES[1])
    vocabulary = themes._tokenizer()
    first_chars = {word[0] for word in vocabulary.tokenizer.FREQ}
    assert first_chars and first_chars <= set(TITLES[0] + TITLES[1]) and not themes._EXPECTED
    themes.expect(TITLES[2:])
    first_chars = {word[0] for word in vocabulary.tokenizer.FREQ}
    assert set(TITLES[3]) & first_chars == set(TITLES[3]) - set("，")
    before = len(vocabulary.tokenizer.FREQ)
    assert themes.tokenize(TITLES[3]) and len(vocabulary.tokenizer.FREQ) == before


def test_cutting_block_by_block_gives_jiebas_tokens(cache_home: Path) -> None:
    """Vocabulary.cut (blocks remembered, the text between them split as jieba does) gives
    jieba's lcut of every line of the samples: Han runs, Latin, digits, spaces, line
    breaks, punctuation."""
    vocabulary = themes._tokenizer()
    plain = plain_tokenizer()
    samples = Path(__file__).resolve().parent.parent / "samples"
    lines = {line for path in sorted(samples.glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines(keepends=True)}
    lines |= {"a  b\r\nc\t，d", "  ", "", "２０２４年ＡＢＣ整改", "C++与C#、.NET和100%"}
    for line in sorted(lines):
        assert vocabulary.cut(line) == plain.lcut(line), repr(line)
    assert vocabulary.cut(TITLES[0]) == vocabulary.cut(TITLES[0])  # remembered, the same


def test_a_title_is_cut_as_with_the_whole_dictionary(cache_home: Path) -> None:
    """Cut one at a time from a fresh snapshot, titles with words jieba does not know
    (handed to its HMM), Latin letters, digits and punctuation come out as from jieba
    with every entry loaded."""
    themes._tokenizer()
    path = themes._snapshot_path(jieba)
    assert path is not None
    plain = plain_tokenizer()
    titles = TITLES + ["“一岗双责”落实不到位，2023年度述责述廉报告质量不高",
                       "App平台数据更新不及时（涉及3个县区）", "醨鼷龘靐齉爩未登录字词",
                       "基层减负“指尖上的形式主义”仍然存在"]
    for title in titles:
        fresh = themes._load_snapshot(path, jieba.Tokenizer())
        assert fresh is not None
        assert fresh.lcut(title) == plain.lcut(title), title


def test_the_snapshot_name_follows_the_vocabulary(cache_home: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    before = themes._snapshot_path(jieba)
    userdict = tmp_path / "userdict.txt"
    userdict.write_text(themes.USERDICT_PATH.read_text(encoding="utf-8") + "新的词语 10\n",
                        encoding="utf-8")
    monkeypatch.setattr(themes, "USERDICT_PATH", userdict)
    assert themes._snapshot_path(jieba) != before


@pytest.mark.parametrize("damage", ["empty", "garbage", "cut short", "a byte flipped"])
def test_a_damaged_snapshot_is_made_again(cache_home: Path, damage: str) -> None:
    path = themes._snapshot_path(jieba)
    assert path is not None
    path.parent.mkdir(parents=True)
    good = plain_tokenizer()
    themes._save_snapshot(path, good)
    data = path.read_bytes()
    path.write_bytes({"empty": b"", "garbage": b"not marshal at all",
                      "cut short": data[: len(data) // 2],
                      "a byte flipped": data[:-100] + bytes([data[-100] ^ 1]) + data[-99:]}[damage])
    assert themes._load_snapshot(path, jieba.Tokenizer()) is None
    tokenizer = themes._tokenizer()
    assert tokenizer.complete and tokenizer.tokenizer.FREQ == good.FREQ
    again = themes._load_snapshot(path, jieba.Tokenizer())  # saved whole again
    assert again is not None
    again.load("".join({word[0] for word in good.FREQ}))
    assert again.tokenizer.FREQ == good.FREQ


def test_an_unwritable_cache_still_tokenizes(cache_home: Path) -> None:
    (cache_home / "zhenggai").write_text("a file where the folder would go", encoding="utf-8")
    assert themes.tokenize(TITLES[0])[:2] == ["违反", "中央八项规定精神"]


def test_a_snapshot_cut_short_by_a_full_disk_leaves_no_temporary_file(
        cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = themes._snapshot_path(jieba)
    assert path is not None
    real_fdopen = usercache.os.fdopen

    class FullDisk:
        def __init__(self, handle: object) -> None:
            self.handle = handle
            self.written = 0

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()  # type: ignore[attr-defined]

        def write(self, part: bytes) -> int:
            if self.written:
                raise OSError(28, "No space left on device")
            self.written += 1
            return self.handle.write(part)  # type: ignore[attr-defined,no-any-return]

    monkeypatch.setattr(usercache.os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))
    themes._save_snapshot(path, plain_tokenizer())
    assert list(path.parent.iterdir()) == []


def test_jieba_is_imported_without_pkg_resources_and_reads_its_own_files(tmp_path: Path) -> None:
    """No snapshot, no jieba cache: jieba builds its dictionary from its own dict.txt,
    opened by path (its fallback without pkg_resources), and its HMM cuts unknown words."""
    code = ("import sys\nfrom extract import themes\n"
            "print('|'.join(themes.tokenize('选人用人工作不规范，醨鼷龘未登录')))\n"
            "print('pkg_resources' in sys.modules)\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "TMPDIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[1]).stdout.split("\n")
    plain = plain_tokenizer()
    assert out[0].split("|") == [t for t in plain.lcut("选人用人工作不规范，醨鼷龘未登录") if t.strip()]
    assert out[1] == "False"
    assert list((tmp_path / "cache" / "zhenggai").glob("jieba-*.marshal"))  # the snapshot made


@pytest.mark.parametrize("snapshot", ["made now", "already there"])
def test_a_run_removes_the_stale_snapshots_only(cache_home: Path, snapshot: str) -> None:
    folder = cache_home / "zhenggai"
    folder.mkdir()
    stale, recent, other = (folder / "jieba-old-1.marshal", folder / "jieba-other-2.marshal",
                            folder / "notes.txt")
    for path in (stale, recent, other):
        path.write_bytes(b"x")
    month_ago = time.time() - (themes.SNAPSHOT_KEEP_DAYS + 1) * 86_400
    os.utime(stale, (month_ago, month_ago))
    os.utime(other, (month_ago, month_ago))
    path = themes._snapshot_path(jieba)
    assert path is not None
    if snapshot == "already there":
        themes._save_snapshot(path, plain_tokenizer())
        os.utime(path, (month_ago, month_ago))  # old, but the one in use
    themes._tokenizer()
    assert sorted(p.name for p in folder.iterdir()) == sorted([path.name, recent.name, other.name])
