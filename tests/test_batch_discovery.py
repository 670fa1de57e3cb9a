"""Input discovery: order, source paths, junk, symlink loops, special files, excluded folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from extract.discovery import discover, display_path, is_junk


def _tree(root: Path) -> None:
    (root / "b").mkdir(parents=True)
    (root / "a 目录").mkdir()
    (root / "b" / "z.txt").write_text("z", encoding="utf-8")
    (root / "b" / "a.txt").write_text("a", encoding="utf-8")
    (root / "a 目录" / "关于 整改 的通报.txt").write_text("x", encoding="utf-8")
    (root / "top.txt").write_text("t", encoding="utf-8")


def test_sorted_recursive_relative_source_paths(tmp_path: Path) -> None:
    _tree(tmp_path / "in")
    entries = discover([tmp_path / "in"])
    assert [e.source_path for e in entries] == [
        "a 目录/关于 整改 的通报.txt", "b/a.txt", "b/z.txt", "top.txt"]
    assert all(e.error is None for e in entries)


def test_file_given_directly_is_its_name_and_inputs_keep_their_order(tmp_path: Path) -> None:
    _tree(tmp_path / "in")
    entries = discover([tmp_path / "in" / "top.txt", tmp_path / "in" / "b"])
    assert [e.source_path for e in entries] == ["top.txt", "a.txt", "z.txt"]


def test_junk_files_are_entries_marked_skipped(tmp_path: Path) -> None:
    for name in (".DS_Store", "Thumbs.db", "~$通报.docx", "._x.pdf", "ok.txt"):
        (tmp_path / name).write_bytes(b"x")
    entries = {e.source_path: e.error for e in discover([tmp_path])}
    assert entries["ok.txt"] is None
    for name in (".DS_Store", "Thumbs.db", "~$通报.docx", "._x.pdf"):
        assert entries[name] is not None and entries[name][0] == "skipped"
    assert is_junk("~$a.docx") and not is_junk("a~$.docx")


def test_symlink_loops_are_reported_not_followed_forever(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "f.txt").write_text("f", encoding="utf-8")
    os.symlink("..", root / "sub" / "up")  # a folder loop
    os.symlink("self", root / "self")  # a link to itself (ELOOP)
    os.symlink("missing.txt", root / "dangling")
    entries = {e.source_path: e.error for e in discover([root])}
    assert entries["sub/f.txt"] is None
    assert entries["sub/up"][0] == "unreadable" and "循环" in entries["sub/up"][1]
    assert entries["self"][0] == "unreadable" and "循环" in entries["self"][1]
    assert entries["dangling"][0] == "unreadable"
    assert len(entries) == 4


def test_symlink_to_a_sibling_folder_is_followed(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "real").mkdir(parents=True)
    (root / "real" / "f.txt").write_text("f", encoding="utf-8")
    os.symlink("real", root / "link")
    assert [e.source_path for e in discover([root])] == ["link/f.txt", "real/f.txt"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_reported_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (entry,) = discover([tmp_path])
    assert entry.error is not None and entry.error[0] == "unsupported_format"


def test_output_and_cache_folders_are_not_inputs(tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / "outputs").mkdir()
    (tmp_path / "outputs" / "documents.csv").write_text("x", encoding="utf-8")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "x.json").write_text("{}", encoding="utf-8")
    names = [e.source_path for e in discover([tmp_path], exclude=[tmp_path / "outputs",
                                                                  tmp_path / "cache"])]
    assert not [n for n in names if n.startswith(("outputs", "cache"))]
    assert "top.txt" in names


def test_undecodable_file_names_are_escaped(tmp_path: Path) -> None:
    raw = os.fsencode(str(tmp_path)) + b"/bad\xff\xfename.txt"
    try:
        with open(raw, "wb") as f:
            f.write(b"x")
    except OSError:
        pytest.skip("file system refuses non-UTF-8 names")
    (entry,) = discover([tmp_path])
    assert entry.source_path == "bad\\xff\\xfename.txt"
    assert display_path("正常 名字.txt") == "正常 名字.txt"
    entry.source_path.encode("utf-8")  # writable to a UTF-8 CSV


def test_names_differing_only_in_undecodable_bytes_stay_apart(tmp_path: Path) -> None:
    """b'a\\xff.txt', b'a\\xfe.txt' and names typed with backslashes (a\\xff.txt) are
    different files: each gets its own source path."""
    folder = os.fsencode(str(tmp_path))
    names = [b"a\xff.txt", b"a\xfe.txt", b"a\\xff.txt", b"a\\\\.txt"]
    try:
        for i, name in enumerate(names):
            with open(folder + b"/" + name, "wb") as f:
                f.write(str(i).encode())
    except OSError:
        pytest.skip("file system refuses non-UTF-8 names")
    entries = discover([tmp_path])
    paths = {os.fsencode(e.path.name): e.source_path for e in entries}
    assert paths == {b"a\xff.txt": "a\\xff.txt", b"a\xfe.txt": "a\\xfe.txt",
                     b"a\\xff.txt": "a\\\\xff.txt", b"a\\\\.txt": "a\\\\\\\\.txt"}
    assert len(set(paths.values())) == len(names)
    assert display_path("目录/正常.txt") == "目录/正常.txt"


def test_missing_and_unlistable_inputs(tmp_path: Path) -> None:
    entries = discover([tmp_path / "nope.txt"])
    assert entries[0].error is not None and entries[0].error[0] == "unreadable"
