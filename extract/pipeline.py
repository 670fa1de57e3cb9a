"""One file end to end: read → normalize → segment → fields → items → checks.

(Being built: the stages below are filled in by the core-pipeline work.)
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from extract.document import SourceDocument
from extract.readers import read_file
from extract.records import DocumentFields, ParsedDocument

#: Bumped whenever parsing output may change: the batch cache is keyed on it.
PARSER_VERSION = "0.1.0-dev1"


def doc_id_for(data: bytes) -> str:
    """First 16 hex digits of the SHA-256 of the file's bytes."""
    return hashlib.sha256(data).hexdigest()[:16]


def parse_source(src: SourceDocument, doc_id: str, source_path: str, as_of: date) -> ParsedDocument:
    """Parse a document a reader produced."""
    fields = DocumentFields(doc_id=doc_id, source_path=source_path, source_format=src.source_format)
    return ParsedDocument(document=fields, text=src.text)


def parse_file(path: str | Path, source_path: str | None = None, as_of: date | None = None,
               data: bytes | None = None) -> ParsedDocument:
    """Read and parse one file. Raises extract.errors.ReadError for unreadable input."""
    path = Path(path)
    if data is None:
        data = path.read_bytes()
    src = read_file(path, data)
    return parse_source(src, doc_id_for(data), source_path or path.name, as_of or date.today())
