#!/usr/bin/env python3
"""Write schemas/*.schema.json, the machine-readable form of CONTRACT.md.

One JSON Schema per table row (columns, types, vocabularies, date formats),
and one for the nested per-document record of documents.jsonl. Generated
from the record types so they cannot drift; tests/test_schemas.py checks the
committed files equal what this script writes and validates every output.

    .venv/bin/python scripts/make_schemas.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from extract.records import DOC_TYPES, LEVEL_CATEGORY, LEVEL_ITEM, STATUSES
from extract.writers.tables import TABLE_ORDER, column_types, known_columns

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"

ISO_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"  # at the precision written: YYYY, YYYY-MM, YYYY-MM-DD
DATE_COLUMNS = {"inspection_start", "inspection_end", "feedback_date", "as_of_date", "publish_date",
                "deadline", "latest_as_of", "latest_date", "doc_as_of_date", "report_date",
                "first_reported", "last_reported"}
VOCABULARIES: dict[str, list[str]] = {
    "doc_type": list(DOC_TYPES),
    "status": list(STATUSES),
    "severity": ["error", "warning", "info"],
    "parse_status": ["ok", "partial", "failed"],
    "inspection_kind": ["巡视", "巡察"],
    "items_declared_level": [LEVEL_ITEM, LEVEL_CATEGORY],
}
#: Columns holding a doc_id (first 16 hex digits of a SHA-256).
DOC_ID_COLUMNS = {"doc_id", "duplicate_of"}
#: Columns holding a share between 0 and 1.
SHARE_COLUMNS = {"duplicate_score"}
#: Columns holding a percentage-like score between 0 and 100.
SCORE_COLUMNS = {"match_score"}
JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean"}
TITLES = {
    "documents": "documents.csv: one row per input document",
    "sections": "sections.csv: one row per problem-category section",
    "items": "items.csv: one row per problem entry (numbered problem or sub-problem)",
    "measures": "measures.csv: one row per rectification measure of an item",
    "checks": "checks.csv: one row per finding of the consistency audit",
    "errors": "errors.csv: one row per input file that could not be read",
    "summary": "summary.csv: one row per unit (its latest bulletin)",
    "incomplete": "incomplete.csv: one row per item whose status is not completed",
    "themes": "themes.csv: one row per recurring problem theme across units",
    "history": "history.csv: one row per problem and bulletin of a unit's sequence",
}


def column_schema(name: str, kind: type) -> dict[str, Any]:
    base: dict[str, Any] = {"type": [JSON_TYPES.get(kind, "string"), "null"]}
    if name in VOCABULARIES:
        base["enum"] = [*VOCABULARIES[name], None]
    if name in DATE_COLUMNS and kind is str:
        base["pattern"] = ISO_DATE
    if name in DOC_ID_COLUMNS and kind is str:
        base["pattern"] = r"^[0-9a-f]{16}$"
    if name in SHARE_COLUMNS:
        base["minimum"], base["maximum"] = 0, 1
    if name in SCORE_COLUMNS:
        base["minimum"], base["maximum"] = 0, 100
    return base


def row_schema(table: str) -> dict[str, Any]:
    types = column_types(table)
    columns = known_columns(table)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://zhenggai.invalid/schemas/{table}.schema.json",
        "title": TITLES.get(table, table),
        "type": "object",
        "x-columns": columns,
        "properties": {c: column_schema(c, types.get(c, str)) for c in columns},
        "required": columns,
        "additionalProperties": False,
    }


def document_schema() -> dict[str, Any]:
    """The nested record: each part inlined (no cross-file references to resolve)."""

    def rows(table: str) -> dict[str, Any]:
        r = row_schema(table)
        return {k: v for k, v in r.items() if k in ("type", "properties", "required", "additionalProperties")}

    item = rows("items")
    item["properties"] = {**item["properties"], "measures": {"type": "array", "items": rows("measures")}}
    item["required"] = [*item["required"], "measures"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://zhenggai.invalid/schemas/document.schema.json",
        "title": "documents.jsonl: one nested record per input document",
        "type": "object",
        "properties": {
            "document": rows("documents"),
            "duplicate_of": {"type": ["string", "null"]},
            "sections": {"type": "array", "items": rows("sections")},
            "items": {"type": "array", "items": item},
            "checks": {"type": "array", "items": rows("checks")},
            "text": {"type": "string"},
        },
        "required": ["document", "sections", "items", "checks", "text"],
    }


def all_schemas() -> dict[str, dict[str, Any]]:
    out = {f"{t}.schema.json": row_schema(t) for t in TABLE_ORDER}
    out["document.schema.json"] = document_schema()
    return out


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    SCHEMAS.mkdir(exist_ok=True)
    for name, schema in all_schemas().items():
        (SCHEMAS / name).write_text(render(schema), encoding="utf-8")
        print(f"wrote schemas/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
