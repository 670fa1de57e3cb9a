"""One file end to end: read → normalize → segment → fields → items → checks."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from extract import checks, counts, dated, doctype, fields, items
from extract.document import SourceDocument, text_chars
from extract.normalize import normalize_blocks
from extract.readers import read_file
from extract.records import (
    FAILED,
    NOT_BULLETIN,
    OK,
    PARTIAL_PARSE,
    ROUND_SUMMARY,
    DocumentFields,
    ParsedDocument,
)
from extract.segment import segment

#: Bumped whenever parsing output may change: the batch cache is keyed on it.
PARSER_VERSION = "0.2.1"  # 0.2.1: bad bytes left out, deep pages, text_lost; 0.2.0: document type by voice, web chrome, field rules; ledgers; sub-numbered rows

#: Fields cleared for a document that is not a bulletin (its numbers are not declarations).
BULLETIN_ONLY_FIELDS = (
    "unit", "inspection_kind", "inspection_type", "inspector", "round", "inspection_start",
    "inspection_end", "feedback_date", "as_of_date", "items_declared", "problems_declared",
    "measures_declared", "problems_completed", "problems_in_progress", "completion_rate",
    "rules_made", "clues_received", "people_handled", "tasks_declared", "tasks_completed",
    "task_completion_rate", "categories_declared", "items_declared_level",
)


#: ``text_lost``: a reader that kept less than this share of the text its file visibly holds
#: (SourceDocument.visible_chars, an estimate made apart from the parse) lost some on the
#: way. Half, because the estimate is rough: it counts what a tag regex leaves of the
#: markup, not what a reader adds (numbering, a title) or joins (table rows). A page's
#: navigation, footers and related lists are not lost but set aside on purpose, and
#: counted as kept (set_aside_chars): the body alone of short_bulletin_gbk.html is 0.68 of
#: the page, of a short bulletin under a long site menu 0.45. With them the format samples
#: keep 1.00-1.14 of the estimate (tests/test_readers_lost.py asserts ≥ 0.9); a parser that
#: hits its depth limit keeps almost nothing.
TEXT_LOST_SHARE = 0.5
#: ... and at least this many characters are missing: a short page whose estimate counts a
#: few words more never trips (a bulletin paragraph is 100-300 characters).
TEXT_LOST_MIN_CHARS = 200


def lost_text(src: SourceDocument) -> tuple[int, int] | None:
    """(visible, kept) characters when the reader kept much less than the file visibly holds
    (see TEXT_LOST_SHARE), else None."""
    if src.visible_chars is None:
        return None
    kept = text_chars(src.text) + src.set_aside_chars
    visible = src.visible_chars
    if kept < visible * TEXT_LOST_SHARE and visible - kept >= TEXT_LOST_MIN_CHARS:
        return visible, kept
    return None


def doc_id_for(data: bytes) -> str:
    """First 16 hex digits of the SHA-256 of the file's bytes."""
    return hashlib.sha256(data).hexdigest()[:16]


def parse_source(src: SourceDocument, doc_id: str, source_path: str, as_of: date | None
                 ) -> ParsedDocument:
    """Parse a document a reader produced; dated on ``as_of`` (overdue problems), or left
    undated with None (extract/dated.py: the batch dates each document as it writes it)."""
    nt = normalize_blocks(src.blocks)
    seg = segment(nt)
    doc = DocumentFields(doc_id=doc_id, source_path=source_path, source_format=src.source_format,
                         page_count=src.page_count)
    scope = fields.narrative_scope(seg)
    doc.title = fields.find_title(seg, src.title or nt.page.title)
    doc.unit = src.unit or fields.find_unit(seg, doc.title, scope, nt.page)
    values: dict[str, object] = {
        **fields.find_inspection(seg, doc.title, scope),
        **fields.find_dates(seg, scope, src.publish_date or nt.page.publish_date),
        **counts.find_counts(seg, scope, counts.count_categories(seg), counts.count_items(seg)),
    }
    for key, value in values.items():
        setattr(doc, key, value)

    sections, item_rows, measures = items.build_records(seg, doc_id, doc.unit)
    has_figures = any(getattr(doc, k) is not None for k in (
        "problems_completed", "completion_rate", "tasks_completed", "task_completion_rate"))
    verdict = doctype.decide(doctype.evidence(nt, doc.title, item_rows, has_figures))
    doc.doc_type, doc.doc_type_reason = verdict.doc_type, verdict.reason
    if doc.doc_type == ROUND_SUMMARY:
        doc.unit = fields.reporting_unit(seg, doc.title, scope)
    if doc.doc_type == NOT_BULLETIN:
        for key in BULLETIN_ONLY_FIELDS:
            setattr(doc, key, None)
        sections, item_rows, measures = [], [], []
    doc.items_extracted = len(item_rows)
    doc.problems_extracted = len(checks.leaf_items(item_rows))
    doc.measures_extracted = len(measures)
    cut = fields.looks_cut(seg)
    doc.parse_status = PARTIAL_PARSE if cut and doc.doc_type != NOT_BULLETIN else _parse_status(doc, item_rows, nt.text)
    found = checks.audit(doc, sections, item_rows, measures, cut) if doc.doc_type != NOT_BULLETIN else []
    if verdict.uncertain:
        found.append(checks.doc_type_uncertain(doc, verdict.reason))
    lost = lost_text(src)
    if lost is not None:
        found.append(checks.text_lost(doc_id, *lost))
        if doc.parse_status == OK:
            doc.parse_status = PARTIAL_PARSE  # what was read is right, but not all of it
    if src.repaired_bytes:
        found.append(checks.encoding_repaired(doc_id, src.repaired_bytes))
    parsed = ParsedDocument(document=doc, sections=sections, items=item_rows, measures=measures,
                            checks=found, text=nt.text, traditional=nt.traditional)
    return dated.date_parsed(parsed, as_of) if as_of is not None else parsed


def _parse_status(doc: DocumentFields, item_rows: list, text: str) -> str:  # type: ignore[type-arg]
    if not text.strip():
        return FAILED
    if doc.doc_type == NOT_BULLETIN:
        return OK
    if item_rows and sum(1 for i in item_rows if i.status == "unknown" and i.parent_no is None) > len(item_rows) / 2:
        return PARTIAL_PARSE
    return OK


def parse_file(path: str | Path, source_path: str | None = None, as_of: date | None = None,
               data: bytes | None = None, fmt: str | None = None, *, dated: bool = True
               ) -> ParsedDocument:
    """Read and parse one file, its problems dated on ``as_of`` (default today); with
    ``dated=False`` left undated (extract/dated.py). Raises extract.errors.ReadError for
    unreadable input."""
    path = Path(path)
    if data is None:
        data = path.read_bytes()
    src = read_file(path, data, fmt)
    return parse_source(src, doc_id_for(data), source_path or path.name,
                        (as_of or date.today()) if dated else None)
