"""Incremental cache: a file's parse result keyed by its content and the parser.

Layout: ``<cache>/zhenggai-<PARSER_VERSION>-<LAYOUT>/<doc_id[:2]>/<doc_id>.json``. The key
is the content hash (``doc_id``), so renaming or moving a file is still a hit,
and a changed file is a miss. ``PARSER_VERSION`` is a directory: a new parser
never reads an old entry; :meth:`ResultCache.prune` (called after each run)
drops the folders of other versions and layouts.

``--as-of`` is not part of the key: entries are undated parses, and what depends
on the run's date (``overdue``, the ``overdue_items`` finding) is decided when
the run writes (:mod:`extract.dated`). A daily run over an unchanged archive,
with the default ``--as-of`` of today, is all cache hits.

An entry holds either what the writing process needs of a parse (``{"brief":
{...}, "rendered": {...}}``: the document fields, the analysis fields of the
items, the CSV rows already rendered) or the named read error it raised
(``{"error": [name, message]}``). The whole serialized ParsedDocument, with the
normalized text, is only needed for documents.jsonl: it lives in a second file,
``<doc_id>.full.json`` (``{"parsed": {...}}``), written (before the entry) only by runs
that write documents.jsonl and read only when asked for: a missing or unreadable one
makes the entry a miss for such a run, which parses the document again. Results that
depend on the run rather than the content (timeouts, crashes, the --max-size
limit) are never stored. Writes are atomic (temporary file + rename), so a
killed run leaves no torn entry; an unreadable entry is treated as a miss.
"""

from __future__ import annotations

import errno
import itertools
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

log = logging.getLogger(__name__)

#: Prefix of the per-version folders: only folders named like this are ever pruned
#: (``--cache`` may point into a folder holding other things).
VERSION_PREFIX = "zhenggai-"
#: Version of the entry layout, part of the folder name (another layout is never read).
#: 3: a brief carries whole checks (the report lists them), items their leaf flag;
#: 4: a brief carries the text's MinHash signature (``copy``: extract/copies.py);
#: 5: entries are undated (no as-of folder; items.csv rows hold marks extract/dated.py fills).
LAYOUT = "layout5"
#: Characters kept in a directory name made from PARSER_VERSION.
_UNSAFE = re.compile(r"[^0-9A-Za-z._-]+")


class ResultCache:
    """Parse results on disk, one JSON file per (doc_id, PARSER_VERSION)."""

    def __init__(self, root: Path, parser_version: str) -> None:
        self.root = Path(root)
        self.dir = self.root / f"{VERSION_PREFIX}{_UNSAFE.sub('_', parser_version)}-{LAYOUT}"
        self._dir = str(self.dir)  # paths as text on the hit path: pathlib costs ~40 µs a file
        self.hits = 0
        self.misses = 0

    def prune(self) -> list[Path]:
        """Remove the folders of other parser versions and layouts (never read again);
        return them. Folders not named like a version are left alone."""
        removed: list[Path] = []
        if not self.dir.is_dir():  # nothing was cached (every file failed, or none given)
            return removed
        try:
            for other in self.root.iterdir():
                if other.is_dir() and other.name.startswith(VERSION_PREFIX) and other != self.dir:
                    removed.append(other)
            for folder in removed:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError as exc:
            log.warning("无法清理缓存 %s：%s", self.root, exc)
        return removed

    def remove(self, doc_ids: Iterable[str]) -> None:
        """Forget the entries of ``doc_ids`` (a run that failed for lack of disk space
        takes back what it wrote)."""
        shards = set()
        for doc_id in doc_ids:
            path = self._path(doc_id)
            shards.add(path.parent)
            for p in (path, full_entry_path(path)):
                try:
                    os.unlink(p)
                except OSError:
                    pass
        for shard in shards:  # folders left empty go too
            try:
                shard.rmdir()
            except OSError:
                pass

    def remove_stale_temps(self) -> int:
        """Remove temporary files a killed process left in this cache (an entry written
        halfway); those of live processes stay. Returns how many were removed."""
        removed = 0
        for folder in (self.dir, *_subdirs(self.dir)):
            for name in _names(folder):
                if name.startswith(TEMP_PREFIX) and _stale_temp(folder / name):
                    try:
                        os.unlink(folder / name)
                        removed += 1
                    except OSError:
                        pass
        return removed

    def _path(self, doc_id: str) -> Path:
        return self.dir / doc_id[:2] / f"{doc_id}.json"

    def get(self, doc_id: str, full: bool = False) -> dict[str, Any] | None:
        """The stored entry, or None on a miss (absent or unreadable). With ``full``, a
        parse also carries ``parsed`` (the whole ParsedDocument as a dict)."""
        path = os.path.join(self._dir, doc_id[:2], f"{doc_id}.json")
        entry = _read(path)
        if not isinstance(entry, dict) or not ({"brief", "parsed", "error"} & entry.keys()):
            self.misses += 1
            return None
        if full and "brief" in entry and "parsed" not in entry:
            whole = _read(path.removesuffix(".json") + ".full.json")
            if not isinstance(whole, dict) or not isinstance(whole.get("parsed"), dict):
                self.misses += 1
                return None
            entry["parsed"] = whole["parsed"]
        self.hits += 1
        return entry

    def put(self, doc_id: str, entry: dict[str, Any],
            parsed: dict[str, Any] | None = None) -> None:
        """Store an entry (and the whole parse) atomically; a failure to write only logs."""
        if parsed is not None:
            write_entry(full_entry_path(self._path(doc_id)), {"parsed": parsed})
        write_entry(self._path(doc_id), entry)

    def entry_path(self, doc_id: str) -> Path:
        """Where the entry of ``doc_id`` lives (a worker may write it: :func:`write_entry`)."""
        return self._path(doc_id)


def full_entry_path(entry_path: Path) -> Path:
    """The file holding the whole parse of an entry."""
    return entry_path.with_name(entry_path.name.removesuffix(".json") + ".full.json")


def _read(path: str) -> Any:
    """A JSON file's content, or None when absent or unreadable (logged)."""
    try:
        return _loads(_read_bytes(path))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("缓存条目损坏，将重新解析：%s（%s）", path, exc)
        return None


def _read_bytes(path: str) -> bytes:
    """A file's bytes by os.open/os.read (a buffered file object costs ~8 µs more, once
    per input file on an unchanged re-run)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(fd, READ_CHUNK_BYTES):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


#: Bytes asked for per read of a cache entry (an entry is ~10 KB).
READ_CHUNK_BYTES = 1 << 16


def _loads(data: bytes) -> Any:
    """orjson (twice as fast as json on an entry: the warm path reads one per file);
    json for entries holding a lone surrogate, which orjson refuses."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data.decode("utf-8", "surrogatepass"))


def _dumps(entry: dict[str, Any]) -> bytes:
    try:
        return orjson.dumps(entry)
    except TypeError:  # a lone surrogate (from a file name or text): json writes it
        # json.dumps uses the C encoder; json.dump to a file would encode in Python.
        return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode(
            "utf-8", errors="surrogatepass")


def write_entry(path: Path, entry: dict[str, Any]) -> None:
    """Write one cache entry atomically (temporary file + rename); failures only log.

    Safe from several processes at once: each entry has its own file, and a rename
    over an existing entry replaces it whole.
    """
    try:
        data = _dumps(entry)
        fd, tmp = _temp_file(str(path.parent))
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, ValueError, TypeError) as exc:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            if not _FULL_DISK_WARNED:  # once: the run stops at its next output write anyway
                _FULL_DISK_WARNED.append(True)
                log.warning("磁盘空间不足，无法写入缓存 %s", path.parent)
            return
        log.warning("无法写入缓存 %s：%s", path, exc)


#: Set once a full disk was reported (a list: a module-level flag without ``global``).
_FULL_DISK_WARNED: list[bool] = []


#: Prefix of the temporary files entries are written under before their rename.
TEMP_PREFIX = ".tmp-"
#: Age after which a temporary file whose writer cannot be told is taken as abandoned.
STALE_TEMP_AGE_S = 24 * 3600


def _subdirs(folder: Path) -> list[Path]:
    return [folder / n for n in _names(folder) if not n.startswith(".")]


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def _stale_temp(path: Path) -> bool:
    """Whether a temporary file's writer is gone: its pid (in the name) no longer runs,
    or, for a name without one, it is older than a day."""
    pid = path.name[len(TEMP_PREFIX):].split("-", 1)[0]
    if pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except OSError:  # alive, someone else's
            return False
        return False
    try:
        return time.time() - path.stat().st_mtime > STALE_TEMP_AGE_S
    except OSError:
        return False


#: Temporary names this process used (pid + counter: no random name, no retry loop).
_TEMP_COUNTER = itertools.count()


def _temp_file(folder: str) -> tuple[int, str]:
    """A new hidden temporary file in ``folder`` (exclusive create, made private as
    mkstemp does), as (fd, path); the folder is made only when missing (one makedirs
    call per entry cost as much as the write)."""
    tmp = os.path.join(folder, f"{TEMP_PREFIX}{os.getpid()}-{next(_TEMP_COUNTER)}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        return os.open(tmp, flags, 0o600), tmp
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
        return os.open(tmp, flags, 0o600), tmp
    except FileExistsError:  # left by a killed process that had the same pid
        return tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
