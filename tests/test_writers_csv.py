"""The CSV/JSONL writers: exact bytes, quoting, atomic replacement."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from extract.records import (
    Check,
    DocumentFields,
    ErrorRow,
    Item,
    Measure,
    ParsedDocument,
    column_names,
)
from extract.writers.csv import (
    DOCUMENT_TABLES,
    AtomicCsvWriter,
    DocumentTables,
    format_value,
    render_rows,
    write_table,
)
from extract.writers.jsonl import JsonlWriter


def _no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.startswith(".tmp-")]


def test_exact_bytes_bom_header_quoting_booleans_empty_cells(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    rows = [
        {"a": "逗号,在这里", "b": True, "c": None, "d": date(2024, 4, 20)},
        {"a": 'say "hi"', "b": False, "c": 94.6, "d": "2024-12"},
        {"a": "两行\n文字", "b": None, "c": 7, "d": ""},
    ]
    write_table(path, ["a", "b", "c", "d"], rows)
    expected = (
        "\ufeffa,b,c,d\r\n"
        '"逗号,在这里",true,,2024-04-20\r\n'
        '"say ""hi""",false,94.6,2024-12\r\n'
        '"两行\n文字",,7,\r\n'
    ).encode()
    assert path.read_bytes() == expected
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_header_only_when_no_rows(tmp_path: Path) -> None:
    path = write_table(tmp_path / "errors.csv", column_names(ErrorRow), [])
    assert path.read_bytes() == b"\xef\xbb\xbfsource_path,error,message,doc_id\r\n"


def test_round_trips_through_csv_reader(tmp_path: Path) -> None:
    item = Item(doc_id="abc", unit="单位,甲", item_index=1, section_no="一", section_title="政治",
                item_no="(19)", parent_no="10", title='“引号"与\r\n换行', long_term=True)
    path = write_table(tmp_path / "items.csv", column_names(Item), [item])
    text = path.read_bytes().decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text, newline="")))
    assert header == column_names(Item)
    got = dict(zip(header, row, strict=True))
    assert got["unit"] == "单位,甲"
    assert got["title"] == '“引号"与\r\n换行'
    assert got["long_term"] == "true" and got["overdue"] == "false"
    assert got["deadline"] == "" and got["char_start"] == ""


@pytest.mark.parametrize("value, text", [
    (None, ""), (True, "true"), (False, "false"), (0, "0"), (94.6, "94.6"), (100.0, "100.0"),
    (float("nan"), ""), (date(2023, 11, 3), "2023-11-03"), ("2024-12", "2024-12"),
])
def test_format_value(value: object, text: str) -> None:
    assert format_value(value) == text


def test_exception_mid_write_keeps_old_file_and_leaves_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "documents.csv"
    write_table(path, ["a"], [{"a": "old"}])
    old = path.read_bytes()
    with pytest.raises(RuntimeError), AtomicCsvWriter(path, ["a"]) as writer:
        writer.write({"a": "new"})
        raise RuntimeError("interrupted")
    assert path.read_bytes() == old
    assert _no_temp_files(tmp_path)


def test_new_file_appears_only_on_commit(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    writer = AtomicCsvWriter(path, ["a"])
    writer.write({"a": 1})
    assert not path.exists()
    writer.commit()
    assert path.read_bytes() == b"\xef\xbb\xbfa\r\n1\r\n"
    assert _no_temp_files(tmp_path)
    assert path.stat().st_mode & 0o644 == 0o644


def test_document_tables_all_or_nothing(tmp_path: Path) -> None:
    tables = DocumentTables(tmp_path)
    doc = DocumentFields(doc_id="d1", source_path="a b/c.txt", source_format="txt")
    tables.write_document(doc, checks=[Check("d1", "numbering_gap", "warning", "3", "4", "缺 3")])
    tables.write_error(ErrorRow("bad.pdf", "encrypted", "加密"))
    tables.discard()
    assert list(tmp_path.iterdir()) == []

    tables = DocumentTables(tmp_path)
    tables.write_document(doc)
    tables.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(DOCUMENT_TABLES)
    errors = (tmp_path / "errors.csv").read_bytes()
    assert errors == b"\xef\xbb\xbfsource_path,error,message,doc_id\r\n"
    docs = (tmp_path / "documents.csv").read_text(encoding="utf-8-sig").splitlines()
    assert docs[0].split(",") == column_names(DocumentFields)
    assert docs[1].startswith("d1,a b/c.txt,txt,not_bulletin,")


def test_jsonl_nested_records_and_atomicity(tmp_path: Path) -> None:
    doc = DocumentFields(doc_id="d1", source_path="x.txt", source_format="txt")
    parsed = ParsedDocument(
        document=doc,
        items=[Item("d1", None, 1, None, None, "1", None, "问题一"),
               Item("d1", None, 2, None, None, "2", None, "问题二")],
        measures=[Measure("d1", None, 1, "1", 1, "一是", "措施"),
                  Measure("d1", None, 1, "1", 2, "二是", "措施二")],
        text="全文",
    )
    with JsonlWriter(tmp_path) as writer:
        writer.write_document(parsed)
        writer.write_document(ParsedDocument(document=doc), duplicate_of="x.txt")
    lines = (tmp_path / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    first, dup = (json.loads(line) for line in lines)
    assert first["document"]["doc_id"] == "d1" and first["text"] == "全文"
    assert [len(i["measures"]) for i in first["items"]] == [2, 0]
    assert first["items"][0]["measures"][1]["label"] == "二是"
    assert first["duplicate_of"] is None and dup["duplicate_of"] == "x.txt"
    old = (tmp_path / "documents.jsonl").read_bytes()
    with pytest.raises(KeyError), JsonlWriter(tmp_path) as writer:
        writer.write_document(parsed)
        raise KeyError("boom")
    assert (tmp_path / "documents.jsonl").read_bytes() == old
    assert _no_temp_files(tmp_path)


def test_rows_rendered_elsewhere_are_byte_identical(tmp_path: Path) -> None:
    """Workers render sections/items/measures/checks of an undated parse; dated as the run
    writes (extract/dated.py), the result must equal direct writing of the dated records."""
    from extract import dated
    from extract.pipeline import parse_file
    from extract.serialize import brief_of
    from extract.work import render_document

    sample = Path(__file__).resolve().parent.parent / "samples" / "001_county_health_bureau.txt"
    as_of = date(2026, 6, 30)  # two of its problems are overdue then
    undated = parse_file(sample, dated=False)
    undated.items[0].title = '含,逗号"引号\r\n换行'
    marked = render_document(undated)
    overdue = dated.overdue_of(brief_of(undated)["items"], as_of)
    marked["items.csv"] = dated.fill(marked["items.csv"], overdue)
    marked["checks.csv"] += render_rows(Check, [dated.overdue_check(undated.document.doc_id, overdue)])
    parsed = dated.date_parsed(undated, as_of)
    assert overdue and sum(i.overdue for i in parsed.items) == len(overdue)
    direct, rendered = tmp_path / "direct", tmp_path / "rendered"
    tables = DocumentTables(direct)
    tables.write_document(parsed.document, parsed.sections, parsed.items, parsed.measures,
                          parsed.checks)
    tables.commit()
    tables = DocumentTables(rendered)
    counts = {"sections.csv": len(parsed.sections), "items.csv": len(parsed.items),
              "measures.csv": len(parsed.measures), "checks.csv": len(parsed.checks)}
    tables.write_rendered(parsed.document, marked, counts)
    tables.commit()
    for name in DOCUMENT_TABLES:
        assert (direct / name).read_bytes() == (rendered / name).read_bytes(), name
    assert len(parsed.items) > 5
