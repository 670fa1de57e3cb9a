"""The compact rows kept for the analysis: the analysis on them equals the analysis on full
records, and the cache's brief/full split (a missing full parse is a miss for JSONL)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from extract.analysis import build_tables
from extract.cache import ResultCache, full_entry_path
from extract.pipeline import parse_file
from extract.records import DocumentFields
from extract.serialize import (
    ANALYSIS_ITEM_FIELDS,
    AnalysisRows,
    KeptItem,
    brief_of,
    record_from_dict,
)

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
AS_OF = date(2026, 11, 27)


def test_analysis_on_kept_rows_equals_analysis_on_full_records() -> None:
    files = sorted(SAMPLES.glob("*.txt"))
    assert len(files) > 20
    documents, items, checks = [], [], []
    kept = AnalysisRows()
    for path in files:
        parsed = parse_file(path, source_path=path.name, as_of=AS_OF)
        documents.append(parsed.document)
        items.extend(parsed.items)
        checks.extend(parsed.checks)
        brief = brief_of(parsed)
        doc = record_from_dict(DocumentFields, brief["document"])
        kept.add(doc, brief["items"], brief["checks"])
    assert len(kept.items) == len(items) and len(kept.checks) == len(checks)
    assert all(isinstance(it, KeptItem) for it in kept.items)
    full = build_tables(documents, items, checks, AS_OF)
    compact = build_tables(kept.documents, kept.items, kept.checks, AS_OF)
    assert compact == full
    assert any(rows for _, rows in full.values())


def test_kept_item_keeps_every_analysis_field() -> None:
    parsed = parse_file(sorted(SAMPLES.glob("*.txt"))[1], source_path="x.txt", as_of=AS_OF)
    kept = AnalysisRows()
    brief = brief_of(parsed)
    kept.add(record_from_dict(DocumentFields, brief["document"]), brief["items"], [])

    for full, small in zip(parsed.items, kept.items, strict=True):
        for name in ANALYSIS_ITEM_FIELDS:
            assert getattr(small, name) == getattr(full, name), name


def test_full_parse_is_a_second_file_and_its_loss_is_a_miss_only_for_jsonl(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path, "1.0")
    entry: dict[str, Any] = {"brief": {"document": {}}, "rendered": {}}
    cache.put("0123456789abcdef", entry, {"document": {}, "text": "全文"})
    assert cache.get("0123456789abcdef") == entry
    hit = cache.get("0123456789abcdef", full=True)
    assert hit is not None and hit["parsed"]["text"] == "全文"
    full = full_entry_path(cache.entry_path("0123456789abcdef"))
    full.write_text("{torn", encoding="utf-8")
    assert cache.get("0123456789abcdef", full=True) is None
    full.unlink()
    assert cache.get("0123456789abcdef", full=True) is None
    assert cache.get("0123456789abcdef") == entry
