"""Incremental cache: a file's parse result keyed by its content, the parser and --as-of.

Layout: ``<cache>/<PARSER_VERSION>/<as-of>/<doc_id[:2]>/<doc_id>.json``. The key
is the content hash (``doc_id``), so renaming or moving a file is still a hit,
and a changed file is a miss. ``PARSER_VERSION`` is a directory: a new parser
never reads an old entry (old version folders can be deleted at will).
``--as-of`` is part of the key because ``overdue`` and the ``overdue_items``
check depend on it.

An entry holds either the serialized ParsedDocument (``{"parsed": {...}}``) or
the named read error it raised (``{"error": [name, message]}``). Results that
depend on the run rather than the content (timeouts, crashes, the --max-size
limit) are never stored. Writes are atomic (temporary file + rename), so a
killed run leaves no torn entry; an unreadable entry is treated as a miss.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: Characters kept in a directory name made from PARSER_VERSION.
_UNSAFE = re.compile(r"[^0-9A-Za-z._-]+")


class ResultCache:
    """Parse results on disk, one JSON file per (doc_id, PARSER_VERSION, as_of)."""

    def __init__(self, root: Path, parser_version: str, as_of: date) -> None:
        self.root = Path(root)
        self.dir = self.root / (_UNSAFE.sub("_", parser_version) or "_") / as_of.isoformat()
        self.hits = 0
        self.misses = 0

    def _path(self, doc_id: str) -> Path:
        return self.dir / doc_id[:2] / f"{doc_id}.json"

    def get(self, doc_id: str) -> dict[str, Any] | None:
        """The stored entry, or None on a miss (absent or unreadable)."""
        path = self._path(doc_id)
        try:
            with open(path, encoding="utf-8", errors="surrogatepass") as f:
                entry = json.load(f)
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, ValueError) as exc:
            log.warning("缓存条目损坏，将重新解析：%s（%s）", path, exc)
            self.misses += 1
            return None
        if not isinstance(entry, dict) or not ({"parsed", "error"} & entry.keys()):
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def put(self, doc_id: str, entry: dict[str, Any]) -> None:
        """Store an entry atomically; a failure to write only logs (the cache is optional)."""
        path = self._path(doc_id)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8", errors="surrogatepass") as f:
                    json.dump(entry, f, ensure_ascii=False, separators=(",", ":"))
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except (OSError, ValueError, TypeError) as exc:
            log.warning("无法写入缓存 %s：%s", path, exc)
