"""ParsedDocument <-> plain dict (JSON-ready), for the cache, worker results and JSONL.

The dict mirrors the records: ``{"document": {...}, "sections": [...],
"items": [...], "measures": [...], "checks": [...], "text": "..."}``. Keys
unknown to the current record types are ignored on load (a cache written by
a newer version with extra fields still loads), and fields missing from the
dict take their defaults (a cache written before a field was added loads too;
the cache is keyed on PARSER_VERSION anyway).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

from extract.records import Check, DocumentFields, Item, Measure, ParsedDocument, Section

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
