"""Files zhenggai keeps for this user (``$XDG_CACHE_HOME/zhenggai``, else ``~/.cache/zhenggai``):
what a run would otherwise build again from installed packages every time — jieba's
dictionary with our vocabulary (:mod:`extract.themes`), the characters OpenCC's t2s
changes (:mod:`extract.normalize`).

Each file is named by what it was made from, so a new package version makes a new file;
:func:`prune` removes old ones. Writes are atomic (a temporary file renamed into place),
and a home that cannot be written only costs the next run the time of building again.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

#: A run removes the files of one kind made longer ago than this (days), but the one it uses.
KEEP_DAYS = 30


def user_cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "zhenggai"


def write_atomic(path: Path, parts: Iterable[bytes]) -> bool:
    """Write ``parts`` to ``path`` through a temporary file in the same folder (readers
    never see half a file). False, with nothing left behind, when it cannot be written
    (a read-only home, a full disk)."""
    temp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
        with os.fdopen(fd, "wb") as handle:
            for part in parts:
                handle.write(part)
        os.replace(temp, path)
        return True
    except OSError as exc:
        log.debug("无法保存 %s：%s", path, exc)
        if temp is not None:
            Path(temp).unlink(missing_ok=True)
        return False


def prune(keep: Path, pattern: str, days: float = KEEP_DAYS) -> None:
    """Remove the files next to ``keep`` matching ``pattern`` (a glob), other than ``keep``,
    made more than ``days`` ago: those of an earlier version of a package; one still in use
    by another environment is made again by its next run."""
    cutoff = time.time() - days * 86_400
    try:
        stale = [old for old in keep.parent.glob(pattern)
                 if old != keep and old.stat().st_mtime < cutoff]
        for old in stale:
            old.unlink()
    except OSError as exc:
        log.debug("无法清理旧的缓存文件：%s", exc)
