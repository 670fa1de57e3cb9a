"""ParsedDocument <-> plain dict (JSON-ready), for the cache, worker results and JSONL.

The dict mirrors the records: ``{"document": {...}, "sections": [...],
"items": [...], "measures": [...], "checks": [...], "text": "..."}``. Keys
unknown to the current record types are ignored on load (a cache written by
a newer version with extra fields still loads), and fields missing from the
dict take their defaults (a cache written before a field was added loads too;
the cache is keyed on PARSER_VERSION anyway).
"""

from __future__ import annotations

import codecs
import operator
import sys
from dataclasses import fields
from typing import Any, TypeVar

from extract.records import (
    IN_PROGRESS,
    Check,
    DocumentFields,
    Item,
    Measure,
    ParsedDocument,
    Section,
)

T = TypeVar("T")

#: ParsedDocument list attributes and their record types.
LIST_FIELDS: dict[str, type] = {
    "sections": Section,
    "items": Item,
    "measures": Measure,
    "checks": Check,
}


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(record_type: type) -> tuple[str, ...]:
    """Field names of a record type (memoised: this runs once per row)."""
    names = _NAMES.get(record_type)
    if names is None:
        names = _NAMES[record_type] = tuple(f.name for f in fields(record_type))
    return names


def asdict(record: Any) -> dict[str, Any]:
    """A flat record as a dict: records hold only scalars, so no deep copy is needed
    (dataclasses.asdict deep-copies and is several times slower)."""
    return {name: getattr(record, name) for name in _names(type(record))}


def parsed_to_dict(parsed: ParsedDocument) -> dict[str, Any]:
    """A ParsedDocument as nested plain dicts/lists (JSON-serialisable)."""
    return {
        "document": asdict(parsed.document),
        **{name: [asdict(r) for r in getattr(parsed, name)] for name in LIST_FIELDS},
        "text": parsed.text,
    }


def record_from_dict(record_type: type[T], data: dict[str, Any]) -> T:
    """Build a record from a dict, ignoring unknown keys."""
    try:
        return record_type(**data)  # the common case: written by this version
    except TypeError:
        names = set(_names(record_type))
        return record_type(**{k: v for k, v in data.items() if k in names})


def parsed_from_dict(data: dict[str, Any]) -> ParsedDocument:
    """Inverse of :func:`parsed_to_dict`."""
    return ParsedDocument(
        document=record_from_dict(DocumentFields, data["document"]),
        sections=[record_from_dict(Section, r) for r in data.get("sections", [])],
        items=[record_from_dict(Item, r) for r in data.get("items", [])],
        measures=[record_from_dict(Measure, r) for r in data.get("measures", [])],
        checks=[record_from_dict(Check, r) for r in data.get("checks", [])],
        text=data.get("text", ""),
    )


def nested_record(parsed: ParsedDocument, duplicate_of: str | None = None) -> dict[str, Any]:
    """The documents.jsonl record: fields, sections, items each with its measures, checks, text.

    Measures are nested under their item (joined on ``item_index``); a measure
    whose item is missing (should not happen) is kept in ``orphan_measures``.
    """
    by_item: dict[int, list[dict[str, Any]]] = {}
    for m in parsed.measures:
        by_item.setdefault(m.item_index, []).append(asdict(m))
    items = []
    for it in parsed.items:
        row = asdict(it)
        row["measures"] = by_item.pop(it.item_index, [])
        items.append(row)
    record: dict[str, Any] = {
        "document": asdict(parsed.document),
        "duplicate_of": duplicate_of,
        "sections": [asdict(s) for s in parsed.sections],
        "items": items,
        "checks": [asdict(c) for c in parsed.checks],
        "text": parsed.text,
    }
    if by_item:
        record["orphan_measures"] = [m for ms in by_item.values() for m in ms]
    return record


# ------------------------------------------------------------ the rows kept for the analysis

#: The Item fields :mod:`extract.analysis` reads (the others: offsets, measures_count,
#: long_term, overdue, responsible_* are in items.csv but never needed again).
ANALYSIS_ITEM_FIELDS = ("doc_id", "unit", "item_index", "section_no", "section_title", "item_no",
                        "parent_no", "title", "status", "status_text", "deadline_text",
                        "deadline", "page", "leaf")


def brief_of(parsed: ParsedDocument) -> dict[str, Any]:
    """What the writing process needs of a document besides its rendered CSV rows: the
    document fields, the analysis fields of each item (a list each, in
    :data:`ANALYSIS_ITEM_FIELDS` order), the checks (a list each, in field order; the
    report lists them) and the row counts."""
    return {
        "document": asdict(parsed.document),
        "items": [[getattr(it, name) for name in ANALYSIS_ITEM_FIELDS] for it in parsed.items],
        "checks": [list(check_values(c)) for c in parsed.checks],
        "counts": {name: len(getattr(parsed, name)) for name in LIST_FIELDS},
        "in_progress": sum(1 for it in parsed.items if it.status == IN_PROGRESS),
    }


class KeptItem:
    """An :class:`Item` reduced to :data:`ANALYSIS_ITEM_FIELDS`, the attributes the analysis
    reads, in about half the memory: no offsets, the repeated (status, status_text,
    deadline_text, deadline) combinations share one tuple, and the title is kept as
    UTF-16 bytes (40 bytes less overhead than a str; decoded on access)."""

    __slots__ = ("doc_id", "unit", "item_index", "section_no", "section_title", "item_no",
                 "parent_no", "_title", "page", "leaf", "_state")

    doc_id: str
    unit: str | None
    item_index: int
    section_no: str | None
    section_title: str | None
    item_no: str
    parent_no: str | None
    _title: bytes
    page: int | None
    leaf: bool
    _state: tuple[str, str | None, str | None, str | None]

    @property
    def title(self) -> str:
        return _utf16_decode(self._title, "surrogatepass")[0]

    @property
    def status(self) -> str:
        return self._state[0]

    @property
    def status_text(self) -> str | None:
        return self._state[1]

    @property
    def deadline_text(self) -> str | None:
        return self._state[2]

    @property
    def deadline(self) -> str | None:
        return self._state[3]

    def __repr__(self) -> str:
        return "KeptItem(" + ", ".join(f"{n}={getattr(self, n)!r}"
                                       for n in ANALYSIS_ITEM_FIELDS) + ")"


def _shared(value: Any) -> Any:
    return sys.intern(value) if type(value) is str else value


#: DocumentFields strings that repeat across documents (units, dates, kinds): interned.
SHARED_DOCUMENT_FIELDS = ("source_format", "doc_type", "unit", "inspection_kind",
                          "inspection_type", "inspector", "round", "inspection_start",
                          "inspection_end", "feedback_date", "as_of_date", "publish_date",
                          "parse_status")


_shared_fields_of = operator.attrgetter(*SHARED_DOCUMENT_FIELDS)
#: The codec functions themselves: str.encode("utf-16-le") looks the codec up on every
#: call (~0.9 µs a title against ~0.3 µs).
_utf16_encode = codecs.utf_16_le_encode
_utf16_decode = codecs.utf_16_le_decode


check_values = operator.attrgetter(*(f.name for f in fields(Check)))
#: Where the severity stands in a check's values.
CHECK_SEVERITY = [f.name for f in fields(Check)].index("severity")


class KeptCheck:
    """A check reduced to what the analysis reads (it counts severities per document), for
    runs whose sinks do not list the checks themselves (the report does)."""

    __slots__ = ("doc_id", "severity")

    def __init__(self, doc_id: str, severity: str) -> None:
        self.doc_id = doc_id
        self.severity = severity


class AnalysisRows:
    """The rows the cross-unit analysis and the report need, kept in memory until the end of
    a run: every document, each item's :class:`KeptItem`, every check — whole when a sink
    lists them (``full_checks``), else a :class:`KeptCheck` (their messages are most of a
    check's memory)."""

    def __init__(self, full_checks: bool = True) -> None:
        self.full_checks = full_checks
        self.documents: list[DocumentFields] = []
        self.items: list[Any] = []
        self.checks: list[Any] = []
        self._states: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def add(self, document: DocumentFields, items: list[list[Any]],
            checks: list[list[Any]]) -> None:
        """Keep one document, its items and checks as :func:`brief_of` rows."""
        for name, value in zip(SHARED_DOCUMENT_FIELDS, _shared_fields_of(document), strict=True):
            if type(value) is str:
                setattr(document, name, sys.intern(value))
        self.documents.append(document)
        doc_id = document.doc_id
        states = self._states
        intern = sys.intern
        append = self.items.append
        encode = _utf16_encode
        for (item_doc_id, unit, index, section_no, section_title, item_no, parent_no, title,
             status, status_text, deadline_text, deadline, page, leaf) in items:
            kept = KeptItem()
            kept.doc_id = doc_id if item_doc_id == doc_id else item_doc_id
            kept.unit = intern(unit) if unit is not None else None
            kept.item_index = index
            kept.section_no = intern(section_no) if section_no is not None else None
            kept.section_title = intern(section_title) if section_title is not None else None
            kept.item_no = intern(item_no)
            kept.parent_no = intern(parent_no) if parent_no is not None else None
            kept._title = encode(title, "surrogatepass")[0]
            kept.page = page
            kept.leaf = leaf
            state = (status, status_text, deadline_text, deadline)
            shared = states.get(state)
            if shared is None:
                shared = states[state] = tuple(map(_shared, state))
            kept._state = shared
            append(kept)
        if not self.full_checks:
            by_severity: dict[str, KeptCheck] = {}
            for values in checks:
                severity = values[CHECK_SEVERITY]
                kept_check = by_severity.get(severity)
                if kept_check is None:
                    kept_check = by_severity[severity] = KeptCheck(doc_id, intern(severity))
                self.checks.append(kept_check)
            return
        for values in checks:
            check = Check(*values)
            check.check, check.severity = intern(check.check), intern(check.severity)
            self.checks.append(check)
