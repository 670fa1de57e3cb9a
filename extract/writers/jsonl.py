"""documents.jsonl: one nested record per input document, streamed and atomic.

Each line is :func:`extract.serialize.nested_record`: ``document`` (the
documents.csv fields), ``duplicate_of`` (the source_path of the first file with
the same content, else null), ``sections``, ``items`` (each with its
``measures``), ``checks`` and the normalized ``text`` the char offsets point
into. UTF-8 without BOM (JSON Lines), ``\\n`` line ends, non-ASCII kept as is.

Like the CSV writers, the file is written under a hidden temporary name and
renamed over ``documents.jsonl`` only when complete.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

from extract.records import ParsedDocument
from extract.serialize import nested_record
from extract.writers.csv import TEMP_PREFIX

FILE_NAME = "documents.jsonl"


class JsonlWriter:
    """Append nested document records; :meth:`commit` renames into place."""

    def __init__(self, out_dir: Path, name: str = FILE_NAME) -> None:
        self.path = Path(out_dir) / name
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{name}.", dir=self.path.parent)
        self.temp_path = Path(tmp)
        self._file = os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="\n")
        self._closed = False
        self.records = 0

    def write_record(self, record: dict[str, Any]) -> None:
        self._file.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        self._file.write("\n")
        self.records += 1

    def write_document(self, parsed: ParsedDocument, duplicate_of: str | None = None) -> None:
        self.write_record(nested_record(parsed, duplicate_of))

    def commit(self) -> Path:
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        self._closed = True
        os.chmod(self.temp_path, 0o644)
        os.replace(self.temp_path, self.path)
        return self.path

    def discard(self) -> None:
        if not self._closed:
            self._file.close()
            self._closed = True
        try:
            self.temp_path.unlink()
        except FileNotFoundError:
            pass

    def __enter__(self) -> JsonlWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()
