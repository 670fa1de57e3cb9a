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
from pathlib import Path
from typing import Any

from extract.records import ErrorRow, ParsedDocument
from extract.results import DocumentRow, RunTables
from extract.serialize import nested_record
from extract.writers.atomic import AtomicTextFile

FILE_NAME = "documents.jsonl"


class JsonlWriter(AtomicTextFile):
    """Append nested document records; :meth:`commit` renames into place."""

    def __init__(self, out_dir: Path, name: str = FILE_NAME) -> None:
        super().__init__(Path(out_dir) / name, newline="\n")
        self.records = 0

    def write_record(self, record: dict[str, Any]) -> None:
        self._file.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        self._file.write("\n")
        self.records += 1

    def write_document(self, parsed: ParsedDocument, duplicate_of: str | None = None) -> None:
        self.write_record(nested_record(parsed, duplicate_of))


class JsonlSink:
    """documents.jsonl in ``out_dir``, one nested record per document, streamed."""

    needs_records = True
    needs_checks = False
    needs_analysis = False

    def __init__(self, out_dir: Path) -> None:
        self.writer = JsonlWriter(out_dir)

    def document(self, row: DocumentRow) -> None:
        self.writer.write_document(row.records(), duplicate_of=row.duplicate_of)

    def error(self, row: ErrorRow) -> None:
        pass  # an unreadable file has no record (it is in errors.csv)

    def finish(self, tables: RunTables) -> list[Path]:
        return [self.writer.commit()]

    def discard(self) -> None:
        self.writer.discard()
