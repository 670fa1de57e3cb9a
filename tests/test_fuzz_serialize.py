"""Property tests: ParsedDocument survives dict/JSON/cache round trips; any text survives CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import given, settings
from hypothesis import strategies as st

from extract.cache import ResultCache
from extract.records import Check, DocumentFields, Item, Measure, ParsedDocument, Section
from extract.serialize import nested_record, parsed_from_dict, parsed_to_dict
from extract.writers.csv import FORMULA_STARTS, unescape_formula, write_table

FUZZ = settings(max_examples=150, deadline=None)

text = st.text(max_size=30)
opt_text = st.none() | text
opt_int = st.none() | st.integers(min_value=0, max_value=10**6)
rate = st.none() | st.floats(min_value=0, max_value=100, allow_nan=False)

documents = st.builds(DocumentFields, doc_id=text, source_path=text, source_format=text,
                      title=opt_text, unit=opt_text, items_declared=opt_int,
                      completion_rate=rate, task_completion_rate=rate)
sections = st.builds(Section, doc_id=text, unit=opt_text, section_no=text, title=text,
                     char_start=opt_int, char_end=opt_int)
items = st.builds(Item, doc_id=text, unit=opt_text, item_index=st.integers(1, 50),
                  section_no=opt_text, section_title=opt_text, item_no=text, parent_no=opt_text,
                  title=text, long_term=st.booleans(), overdue=st.booleans(), page=opt_int)
measures = st.builds(Measure, doc_id=text, unit=opt_text, item_index=st.integers(1, 50),
                     item_no=text, measure_no=st.integers(1, 9), label=opt_text, text=text)
checks = st.builds(Check, doc_id=text, check=text, severity=st.sampled_from(["error", "warning"]),
                   expected=opt_text, found=opt_text, message=text)
parsed_docs = st.builds(ParsedDocument, document=documents, sections=st.lists(sections, max_size=3),
                        items=st.lists(items, max_size=4), measures=st.lists(measures, max_size=4),
                        checks=st.lists(checks, max_size=3), text=st.text(max_size=200))


@FUZZ
@given(parsed_docs)
def test_dict_and_json_round_trip(parsed: ParsedDocument) -> None:
    as_dict = parsed_to_dict(parsed)
    assert parsed_from_dict(as_dict) == parsed
    as_json = json.dumps(as_dict, ensure_ascii=False).encode("utf-8", "surrogatepass")
    assert parsed_from_dict(json.loads(as_json.decode("utf-8", "surrogatepass"))) == parsed
    record = nested_record(parsed)
    assert sum(len(i["measures"]) for i in record["items"]) + len(
        record.get("orphan_measures", [])) == len(parsed.measures)


@settings(max_examples=60, deadline=None)
@given(parsed_docs)
def test_cache_round_trip(parsed: ParsedDocument) -> None:
    with TemporaryDirectory() as tmp:
        cache = ResultCache(Path(tmp), "1.0+fuzz/版本")
        cache.put("abcdef0123456789", {"parsed": parsed_to_dict(parsed)})
        hit = cache.get("abcdef0123456789")
        assert hit is not None and parsed_from_dict(hit["parsed"]) == parsed
        assert cache.get("0000000000000000") is None


def test_unknown_keys_are_ignored_and_missing_fields_default() -> None:
    data = parsed_to_dict(ParsedDocument(DocumentFields("d", "p", "txt")))
    data["document"]["added_in_a_future_version"] = 1
    del data["document"]["title"]  # as if written before the field existed
    back = parsed_from_dict(data)
    assert back.document.title is None and back.document.doc_id == "d"


cell = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40)


@FUZZ
@given(st.lists(st.tuples(cell, cell), max_size=5))
def test_any_text_survives_csv(rows: list[tuple[str, str]]) -> None:
    with TemporaryDirectory() as tmp:
        path = write_table(Path(tmp) / "t.csv", ["a", "b"], rows)
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbfa,b\r\n")
        got = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        assert got[0] == ["a", "b"]
        # No cell a spreadsheet would run, and every text comes back exactly.
        assert all(c[:1] not in FORMULA_STARTS for r in got[1:] for c in r)
        assert [tuple(unescape_formula(c) for c in r) for r in got[1:]] == rows
