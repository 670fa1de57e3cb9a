"""The output folder: one run at a time, and the whole set of outputs replaced at once.

A reader of the folder (a person opening documents.csv, a script reading the
tables) sees either the previous run's complete set or the new one's, never a
mix, and an interrupted, killed or out-of-disk run leaves the previous set as
it was. How:

* **Lock.** A run holds an exclusive ``flock`` on ``OUT/.zhenggai.lock`` from
  start to end; a second run into the same folder refuses at once with
  :class:`FolderBusy` (a clear message, no crash halfway). The lock file moves
  with the folder's other entries at the swap (a rename keeps the inode, so
  the lock holds); a locker checks after locking that the name still points
  at the inode it locked.
* **Staging.** The sinks write into a sibling folder
  ``.zhenggai-staging-<name>-…`` (same file system), marked by a small JSON
  file naming the output folder it belongs to.
* **Swap.** When every sink has finished, the entries of ``OUT`` that are not
  outputs (the cache, the lock, a user's own notes) move into the staging
  folder, and one ``renameat2(RENAME_EXCHANGE)`` swaps the two folders
  atomically; the old set, now in the staging folder's place, is deleted.
  Outputs a run does not produce (an xlsx from an earlier run with
  ``--format xlsx``) go with the old set: they would mix two runs. Without
  ``RENAME_EXCHANGE`` (other kernels, some network file systems) two renames
  do it (the folder is briefly absent, never mixed). When ``OUT`` is a mount
  point (a Docker volume) the staging folder is inside it and the files are
  renamed one by one (a mix is visible for microseconds; a crash then is
  rolled forward by the next run, see below).
* **Recovery.** At the start, holding the lock, staging folders of earlier
  runs into this folder are cleaned: one marked complete (its run died during
  the swap) is installed, any other is dropped after its moved entries go
  back; stale ``.tmp-*`` files in ``OUT`` are removed.
* **Full disk.** A write failing for lack of space raises :class:`DiskFull`;
  the staging folder is removed whole (deleting needs no space), the previous
  set stays.

Signals (SIGINT, SIGTERM) are held back during the few renames of the swap,
so a Ctrl-C lands before it (previous set kept) or after it (new set whole).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import logging
import os
import shutil
import signal
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from extract.discovery import WORKING_FOLDER_PREFIX
from extract.records import ErrorRow
from extract.results import DocumentRow, RunTables, Sink
from extract.writers.atomic import TEMP_PREFIX

log = logging.getLogger(__name__)

#: The lock file in the output folder (held by a run; removed when it ends).
LOCK_NAME = ".zhenggai.lock"
#: Prefix of staging folders (siblings of the output folder, or inside it on a mount point);
#: discovery never reads folders named so.
STAGING_PREFIX = WORKING_FOLDER_PREFIX
#: Marker in a staging folder (and in the old folder during a swap): JSON {"out": path}.
MARKER_NAME = ".zhenggai-staging"
#: Written into a staging folder when every output in it is whole: JSON list of the files.
COMPLETE_NAME = ".zhenggai-complete"
#: Characters of the output folder's name kept in a staging folder's name (names ≤ 255 bytes).
STAGING_NAME_CHARS = 40
#: renameat2 arguments (linux/fs.h, fcntl.h).
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
#: errno values meaning "this file system or kernel cannot exchange": use two renames.
_NO_EXCHANGE = frozenset({errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP})
#: errno values of a full disk or quota.
_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})
#: Free space under which a write error of SQLite ("disk I/O error") is taken as a full disk.
FULL_DISK_FREE_BYTES = 4 * 1024 * 1024

DISK_FULL_ADVICE = ("已删除本次运行的临时文件，输出文件夹中原有的结果保持不变。"
                    "请清理磁盘空间，或用 --out 指向空间更大的磁盘后重新运行。")


class OutputError(Exception):
    """The output folder cannot be used (the run stops; the previous outputs stay)."""


class FolderBusy(OutputError):
    """Another run holds the output folder."""


class DiskFull(OutputError):
    """A write failed for lack of disk space (or quota)."""


# --------------------------------------------------------------------------- the lock


@contextmanager
def folder_lock(out: Path) -> Iterator[Path]:
    """Hold the output folder's lock (created if missing) for the block: :class:`FolderBusy`
    at once when another run holds it. Yields the resolved folder path."""
    out = _resolve(out)
    fd = _acquire(out)
    try:
        yield out
    finally:
        _release(out, fd)


def _resolve(out: Path) -> Path:
    """The folder itself (a symlinked output folder is swapped at its target), created."""
    out = Path(os.path.realpath(out))
    out.mkdir(parents=True, exist_ok=True)
    return out


def _acquire(out: Path) -> int:
    import fcntl

    path = out / LOCK_NAME
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            who = f"（进程 {holder}）" if holder.isdigit() else ""
            raise FolderBusy(f"输出文件夹 {out} 正由另一次运行使用{who}；请等它结束后再运行，"
                             f"或用 --out 指定另一个文件夹。") from None
        # Locked — but the name may have moved on (a run swapping the folder, or removing
        # the lock as it ended) between our open and our lock: then lock the current one.
        try:
            current = os.stat(path)
        except FileNotFoundError:
            current = None
        st = os.fstat(fd)
        if current is not None and (current.st_dev, current.st_ino) == (st.st_dev, st.st_ino):
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            return fd
        os.close(fd)


def _release(out: Path, fd: int) -> None:
    # Unlink before unlocking: a waiter that opened this inode re-checks the name and retries.
    try:
        st, current = os.fstat(fd), os.stat(out / LOCK_NAME)
        if (st.st_dev, st.st_ino) == (current.st_dev, current.st_ino):
            os.unlink(out / LOCK_NAME)
    except OSError:
        pass
    os.close(fd)


# --------------------------------------------------------------------------- the folder


class OutputFolder:
    """A :class:`~extract.results.Sink` over the sinks of one output folder: they write into
    a staging folder, :meth:`finish` swaps it in whole, :meth:`discard` drops it.

    ``make_sinks(staging_dir)`` opens the sinks; ``outputs`` names every file any
    sink may write (those are replaced; anything else in the folder is kept).
    """

    def __init__(self, out: Path, make_sinks: Callable[[Path], list[Sink]],
                 outputs: Sequence[str]) -> None:
        self.outputs = frozenset(outputs)
        self.out = _resolve(Path(out))
        self.committed = False
        self.sinks: list[Sink] = []
        self.staging: Path | None = None
        self.inside = False
        self._lock_fd: int | None = None
        try:
            # Signals wait: a Ctrl-C inside would orphan the lock or a half-made staging
            # folder; one that arrived meanwhile is raised on leaving, and cleaned up below.
            with _signals_held():
                self._lock_fd = _acquire(self.out)
                recover(self.out, self.outputs)
                self.staging, self.inside = _make_staging(self.out)
                self.sinks = make_sinks(self.staging)
        except (OSError, sqlite3.Error) as exc:
            self.discard()
            self._raise_if_full(exc)
            raise
        except BaseException:
            self.discard()
            raise
        self.needs_records = any(s.needs_records for s in self.sinks)
        self.needs_checks = any(getattr(s, "needs_checks", True) for s in self.sinks)
        self.needs_analysis = any(getattr(s, "needs_analysis", False) for s in self.sinks)

    def document(self, row: DocumentRow) -> None:
        with self._writing():
            for sink in self.sinks:
                sink.document(row)

    def error(self, row: ErrorRow) -> None:
        with self._writing():
            for sink in self.sinks:
                sink.error(row)

    def finish(self, tables: RunTables) -> list[Path]:
        """Finish every sink into the staging folder, then swap it in. Returns the final paths."""
        staging = self.staging
        assert staging is not None
        written: list[Path] = []
        with self._writing():
            for sink in self.sinks:
                written += sink.finish(tables)
            produced = sorted({p.name for p in written})
            unknown = set(produced) - self.outputs
            if unknown:
                raise RuntimeError(f"sinks wrote files not listed as outputs: {sorted(unknown)}")
            _write_json(staging / COMPLETE_NAME, produced)
        with _signals_held():
            if self.inside:
                _install_files(staging, self.out, self.outputs)
            else:
                _swap(staging, self.out, self.outputs)
            self.committed = True
        self._cleanup()
        return [self.out / name for name in produced]

    def discard(self) -> None:
        """Drop everything this run wrote; the folder keeps its previous set. (A second
        Ctrl-C waits until this is done.)"""
        with _signals_held():
            for sink in self.sinks:
                try:
                    sink.discard()
                except Exception as exc:  # noqa: BLE001 - the staging folder goes anyway
                    log.debug("discard %s: %s", type(sink).__name__, exc)
            if not self.committed and self.staging is not None:
                _put_back(self.staging, self.out, self.outputs)
            self._cleanup()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Writes in the block that fail for lack of space raise :class:`DiskFull`."""
        try:
            yield
        except (OSError, sqlite3.Error) as exc:
            self._raise_if_full(exc)
            raise

    def _raise_if_full(self, exc: BaseException) -> None:
        """A write that failed for lack of space: :class:`DiskFull`, with what to do."""
        if is_disk_full(exc, self.out):
            raise DiskFull(f"磁盘空间不足，无法写入输出文件夹 {self.out}。{DISK_FULL_ADVICE}") from exc

    def _cleanup(self) -> None:
        if self.staging is not None and not self.committed:
            shutil.rmtree(self.staging, ignore_errors=True)
        if self._lock_fd is not None:
            _release(self.out, self._lock_fd)
            self._lock_fd = None


# --------------------------------------------------------------------------- staging


def _make_staging(out: Path) -> tuple[Path, bool]:
    """A fresh staging folder for ``out``: (path, inside) — beside it when a rename between
    the two works (same mount), else inside it."""
    try:
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{out.name[:STAGING_NAME_CHARS]}-",
                                        dir=out.parent))
    except OSError:  # the parent is read-only or not ours: stage inside
        staging = None
    if staging is not None:
        try:
            _write_json(staging / MARKER_NAME, {"out": str(out)})
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        probe = out / f"{MARKER_NAME}-probe-{os.getpid()}"
        try:
            os.rename(staging / MARKER_NAME, probe)
            os.rename(probe, staging / MARKER_NAME)
            return staging, False
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EBUSY):
                shutil.rmtree(staging, ignore_errors=True)
                raise
            log.debug("%s is a mount point: staging inside it", out)
            try:
                os.rename(probe, staging / MARKER_NAME)
            except OSError:
                pass
            shutil.rmtree(staging, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    try:
        _write_json(staging / MARKER_NAME, {"out": str(out)})
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging, True


def _kept_entries(out: Path, outputs: frozenset[str]) -> list[str]:
    """Entries of ``out`` that are not this run's business to replace (cache, lock, notes)."""
    return [name for name in os.listdir(out)
            if name not in outputs and not name.startswith((TEMP_PREFIX, STAGING_PREFIX))
            and name not in (MARKER_NAME, COMPLETE_NAME)]


def _swap(staging: Path, out: Path, outputs: frozenset[str]) -> None:
    """Exchange the staging folder and ``out``; the old set ends in staging's place, deleted."""
    os.chmod(staging, os.stat(out).st_mode & 0o7777)
    _write_json(out / MARKER_NAME, {"out": str(out)})  # the old set, once swapped, is ours
    (staging / LOCK_NAME).unlink(missing_ok=True)  # a dead run's, moved there as it died: ours goes in
    for name in _kept_entries(out, outputs):
        if not os.path.lexists(staging / name):
            os.rename(out / name, staging / name)
    if not _exchange(staging, out):
        aside = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{out.name[:STAGING_NAME_CHARS]}-",
                                      dir=out.parent))
        os.rmdir(aside)
        os.rename(out, aside)
        os.rename(staging, out)
        os.rename(aside, staging)
    for name in (COMPLETE_NAME, MARKER_NAME):
        (out / name).unlink(missing_ok=True)
    _fsync_dir(out.parent)
    shutil.rmtree(staging, ignore_errors=True)


def _install_files(staging: Path, out: Path, outputs: frozenset[str]) -> None:
    """Move the outputs of a complete staging folder inside ``out`` into place one by one
    (idempotent: a run killed halfway is finished by the next one)."""
    produced = set(_read_json(staging / COMPLETE_NAME) or ())
    for name in sorted(outputs):
        if name in produced:
            if os.path.lexists(staging / name):
                os.replace(staging / name, out / name)
        else:
            (out / name).unlink(missing_ok=True)
    _fsync_dir(out)
    shutil.rmtree(staging, ignore_errors=True)


def _put_back(staging: Path, out: Path, outputs: frozenset[str]) -> None:
    """Entries moved out of ``out`` into an uncommitted staging folder go back."""
    try:
        names = _kept_entries(staging, outputs)
    except OSError:
        return
    for name in names:
        if not os.path.lexists(out / name):
            try:
                os.rename(staging / name, out / name)
            except OSError as exc:
                log.warning("无法把 %s 移回 %s：%s", name, out, exc)


def recover(out: Path, outputs: frozenset[str]) -> None:
    """Clean up after earlier runs into ``out`` that died (call holding the lock)."""
    for name in (MARKER_NAME, COMPLETE_NAME):  # left by a run killed right after its swap
        (out / name).unlink(missing_ok=True)
    candidates = [out.parent / n for n in _listdir(out.parent) if n.startswith(STAGING_PREFIX)]
    candidates += [out / n for n in _listdir(out) if n.startswith(STAGING_PREFIX)]
    for folder in candidates:
        marker = _read_json(folder / MARKER_NAME)
        if not isinstance(marker, dict) or marker.get("out") != str(out):
            continue  # another folder's (its own run cleans it), or not ours at all
        inside = folder.parent == out
        if os.path.exists(folder / COMPLETE_NAME):
            log.info("完成上次被中断的输出：%s", folder)
            if inside:
                _install_files(folder, out, outputs)
            else:
                _swap(folder, out, outputs)
        else:
            _put_back(folder, out, outputs)
            shutil.rmtree(folder, ignore_errors=True)
    for name in _listdir(out):
        if name.startswith(TEMP_PREFIX):
            (out / name).unlink(missing_ok=True)


# --------------------------------------------------------------------------- helpers


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False when not supported here."""
    func = _renameat2()
    if func is None:
        return False
    if func(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in _NO_EXCHANGE:
        return False
    raise OSError(err, os.strerror(err), str(b))


_RENAMEAT2: list[Any] = []


def _renameat2() -> Any:
    if not _RENAMEAT2:
        func = None
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            func = getattr(libc, "renameat2", None)
            if func is not None:
                func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                                 ctypes.c_uint]
                func.restype = ctypes.c_int
        except OSError:
            func = None
        _RENAMEAT2.append(func)
    return _RENAMEAT2[0]


@contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done (main thread only; elsewhere a no-op)."""
    held = {signal.SIGINT, signal.SIGTERM}
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)



def is_disk_full(exc: BaseException, folder: Path) -> bool:
    """Whether ``exc`` (or what caused it) is a full disk or quota at ``folder``."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in _FULL:
            return True
        if isinstance(seen, sqlite3.Error) and "full" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    if isinstance(exc, (sqlite3.Error, OSError)):  # e.g. SQLite's "disk I/O error"
        try:
            st = os.statvfs(folder)
            return st.f_bavail * st.f_frsize < FULL_DISK_FREE_BYTES
        except OSError:
            return False
    return False


def _write_json(path: Path, value: Any) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _listdir(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []



def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
