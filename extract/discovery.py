"""Which files a run reads: folders walked in a deterministic order, junk and loops named.

Every file found is an :class:`Entry`; a problem met on the way (a symlink loop,
an unreadable folder, a device or pipe, a system file such as ``.DS_Store``)
is an entry too, already failed, so that every input is accounted for in
documents.csv or errors.csv. Folders are searched recursively, names sorted
at each level, symlinks followed, loops detected; the output and cache
folders are never inputs.
"""

from __future__ import annotations

import errno
import os
import stat
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from extract.errors import ReadError, SkippedFile, UnreadableFile, UnsupportedFormat
from extract.remote import is_url, list_url

#: File names that are never documents (OS metadata).
JUNK_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", "ehthumbs.db", ".localized"})
#: File name prefixes that are never documents: Office lock files, macOS resource forks.
JUNK_PREFIXES = ("~$", "._")
PERMISSION_ADVICE = "没有读取权限，请检查文件权限或所有者后再试。"


@dataclass(frozen=True, slots=True)
class Entry:
    """One input file (or one discovery problem) in run order."""

    path: Path | str  # a str for an fsspec URL (extract.remote)
    source_path: str
    error: tuple[str, str] | None = None  # (name, message) when already failed


def display_path(path: str) -> str:
    """A path as text for the outputs, one text per path: undecodable bytes become \\xNN
    escapes, and a backslash in the name is doubled, so ``a\\xff.txt`` typed as a name
    (``a\\\\xff.txt``) never meets the name with the byte 0xFF in it (``a\\xff.txt``). The
    escape is unambiguous: ``\\\\`` is a backslash, ``\\xNN`` a byte that is not UTF-8."""
    return (path.replace("\\", "\\\\").encode("utf-8", "surrogateescape")
            .decode("utf-8", "backslashreplace"))


#: Folders a run of zhenggai works in (see extract.writers.folder): never inputs.
WORKING_FOLDER_PREFIX = ".zhenggai-staging-"


def is_junk(name: str) -> bool:
    return name in JUNK_NAMES or name.startswith(JUNK_PREFIXES)


def _dir_key(st: os.stat_result) -> tuple[int, int]:
    return (st.st_dev, st.st_ino)


def _failed(path: Path | str, source_path: str, exc: ReadError) -> Entry:
    return Entry(path, display_path(source_path), (exc.name, exc.message))


def _stat_error(exc: OSError, path: Path) -> ReadError:
    if exc.errno == errno.ELOOP:
        return UnreadableFile("符号链接形成循环", advice="已跳过该链接；请检查链接指向。")
    if exc.errno == errno.ENOENT and path.is_symlink():
        return UnreadableFile("符号链接指向的文件不存在", advice="已跳过该链接；请检查链接指向。")
    if isinstance(exc, PermissionError):
        return UnreadableFile("无法访问", advice=PERMISSION_ADVICE)
    return UnreadableFile(f"无法访问（{exc.strerror or exc}）")


def discover(inputs: Iterable[str | Path], exclude: Iterable[Path] = ()) -> list[Entry]:
    """All entries under ``inputs`` in a deterministic order.

    A folder is searched recursively, names sorted at each level; a file's
    ``source_path`` is relative to the input folder it was found in (POSIX
    separators), a file given directly is its name. Folders in ``exclude``
    (the output and cache folders) are skipped silently, as are the staging
    folders of runs (:data:`WORKING_FOLDER_PREFIX`).
    """
    excluded = set()
    for ex in exclude:
        try:
            excluded.add(_dir_key(os.stat(ex)))
        except OSError:
            pass
    entries: list[Entry] = []
    for given in inputs:
        if is_url(given):
            entries += _remote(str(given))
            continue
        path = Path(given)
        try:
            st = os.stat(path)
        except OSError as exc:
            entries.append(_failed(path, path.name or str(path), _stat_error(exc, path)))
            continue
        if stat.S_ISDIR(st.st_mode):
            if _dir_key(st) not in excluded:
                entries.extend(_walk(path, st, excluded))
        else:
            entries.append(_classify(path, path.name or str(path), st))
    return entries


def _remote(url: str) -> list[Entry]:
    """The files under an fsspec URL (extract.remote), junk skipped as locally."""
    try:
        found = list(list_url(url))
    except ReadError as exc:
        return [_failed(url, url, exc)]
    return [_failed(u, rel, SkippedFile()) if is_junk(rel.rsplit("/", 1)[-1]) else Entry(u, rel)
            for u, rel in found]


def _classify(path: Path, source_path: str, st: os.stat_result) -> Entry:
    if not stat.S_ISREG(st.st_mode):
        return _failed(path, source_path, UnsupportedFormat("不是普通文件（设备、管道或套接字）"))
    if is_junk(path.name):
        return _failed(path, source_path, SkippedFile())
    return Entry(path, display_path(source_path))


def _walk(root: Path, root_st: os.stat_result, excluded: set[tuple[int, int]]) -> list[Entry]:
    """Depth-first, sorted, iterative (no recursion limit), loop-safe walk."""
    entries: list[Entry] = []
    # Stack of (folder, its path relative to root + "/" ("" for root), its ancestors' keys
    # including itself, remaining child names).
    stack: list[tuple[Path, str, frozenset[tuple[int, int]], deque[str]]] = []

    def enter(folder: Path, prefix: str, ancestors: frozenset[tuple[int, int]]) -> None:
        try:
            names = sorted(os.listdir(folder))
        except OSError as exc:
            entries.append(_failed(folder, prefix or "./", _stat_error(exc, folder)))
            return
        stack.append((folder, prefix, ancestors, deque(names)))

    enter(root, "", frozenset({_dir_key(root_st)}))
    while stack:
        folder, prefix, ancestors, names = stack[-1]
        if not names:
            stack.pop()
            continue
        name = names.popleft()
        child = folder / name
        rel = prefix + name
        try:
            st = os.stat(child)
        except OSError as exc:
            entries.append(_failed(child, rel, _stat_error(exc, child)))
            continue
        if stat.S_ISDIR(st.st_mode):
            key = _dir_key(st)
            if key in excluded or name.startswith(WORKING_FOLDER_PREFIX):
                continue
            if key in ancestors:
                entries.append(_failed(child, rel, UnreadableFile(
                    "符号链接形成循环（指向上级文件夹）", advice="已跳过该链接；请检查链接指向。")))
                continue
            enter(child, rel + "/", ancestors | {key})
        else:
            entries.append(_classify(child, rel, st))
    return entries


