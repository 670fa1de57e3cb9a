"""results.xlsx, written by the run's xlsx sink, read back with openpyxl: the same rows and
values as the CSV tables of the same run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from test_analysis_fixtures import TRICKY_TITLE, fixture_run, write_output_dir

from extract.analysis import TABLE_COLUMNS
from extract.records import Check, ParsedDocument, column_names
from extract.results import DocumentRow, RunTables
from extract.width import display_width
from extract.writers import xlsx
from extract.writers.tables import (
    HEADERS_ZH,
    RECORD_TYPES,
    TABLE_ORDER,
    header_zh,
    read_tables,
)


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_output_dir(tmp_path_factory.mktemp("run"), formats=("xlsx",))


@pytest.fixture(scope="module")
def zh_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_output_dir(tmp_path_factory.mktemp("run"), formats=("xlsx",), headers="zh")


def test_every_table_is_a_sheet_with_the_csv_values(out_dir: Path) -> None:
    path = out_dir / "results.xlsx"
    book = load_workbook(path)
    assert book.sheetnames == list(TABLE_ORDER)
    tables = read_tables(out_dir)
    for name, table in tables.items():
        sheet = book[name]
        values = list(sheet.iter_rows(values_only=True))
        assert list(values[0]) == table.columns
        expected = [tuple(row[c] for c in table.columns) for row in table.rows()]
        assert values[1:] == expected, name
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions


def test_cell_types(out_dir: Path) -> None:
    book = load_workbook(out_dir / "results.xlsx")
    items = book["items"]
    header = [c.value for c in items[1]]
    row = [c for c in items[2]]
    by_name = dict(zip(header, row, strict=True))
    assert by_name["long_term"].data_type == "b" and by_name["long_term"].value is False
    assert by_name["item_index"].data_type == "n" and by_name["item_index"].value == 1
    assert by_name["item_no"].value == "1"  # numbering stays text
    assert by_name["deadline"].value is None
    summary = book["summary"]
    head = [c.value for c in summary[1]]
    rates = {r[head.index("doc_id")]: r[head.index("completion_rate_declared")]
             for r in summary.iter_rows(min_row=2, values_only=True)}
    assert rates["a2"] == 94.6 and rates["c1"] is None
    incomplete = book["incomplete"]
    head = [c.value for c in incomplete[1]]
    titles = [r[head.index("title")] for r in incomplete.iter_rows(min_row=2, values_only=True)]
    assert TRICKY_TITLE in titles
    head = [c.value for c in book["documents"][1]]
    dates = [r[head.index("as_of_date")]
             for r in book["documents"].iter_rows(min_row=2, values_only=True)]
    assert "2024-04-20" in dates and all(v is None or isinstance(v, str) for v in dates)


def test_column_widths_fit_chinese(out_dir: Path) -> None:
    book = load_workbook(out_dir / "results.xlsx")
    sheet = book["summary"]
    head = [c.value for c in sheet[1]]
    letter = chr(ord("A") + head.index("unit_forms"))
    # 洛阳市委外事办；中共洛阳市委外事工作委员会办公室: 24 CJK chars → 48, capped at 60.
    assert sheet.column_dimensions[letter].width >= 48
    assert all(dim.width <= xlsx.MAX_WIDTH for dim in sheet.column_dimensions.values())
    assert display_width("单位ab") == 6


def test_chinese_headers(zh_dir: Path, out_dir: Path) -> None:
    book = load_workbook(zh_dir / "results.xlsx")
    assert book.sheetnames == list(TABLE_ORDER)  # sheet names stay table names
    head = [c.value for c in book["items"][1]]
    assert head[:3] == ["文档编号", "单位", "条目顺序"]
    assert "问题序号" in head
    for name in TABLE_ORDER:
        assert [c.value for c in book[name][1]] == [
            header_zh(c, name) for c in read_tables(out_dir)[name].columns]


def test_every_contract_column_has_a_chinese_header() -> None:
    for name in TABLE_ORDER:
        columns = (column_names(RECORD_TYPES[name]) if name in RECORD_TYPES
                   else [c for c, _ in TABLE_COLUMNS[name]])
        missing = [c for c in columns if c not in HEADERS_ZH]
        assert not missing, (name, missing)


def test_bad_headers_option(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        xlsx.XlsxSink(tmp_path, headers="fr")


def test_unknown_columns_are_read_back_as_text(tmp_path: Path) -> None:
    """An output folder written by another version (a column this one does not know) is read
    back by ``zhenggai report`` with the known types and the rest as text."""
    from extract.writers.tables import read_table, write_csv

    write_csv(tmp_path / "items.csv", ["doc_id", "item_index", "overdue", "new_column"],
              [{"doc_id": "x", "item_index": 1, "overdue": True, "new_column": "007"},
               {"doc_id": "y", "item_index": None, "overdue": None, "new_column": None}])
    table = read_table("items", tmp_path / "items.csv")
    assert table.rows() == [
        {"doc_id": "x", "item_index": 1, "overdue": True, "new_column": "007"},
        {"doc_id": "y", "item_index": None, "overdue": None, "new_column": None},
    ]
    assert str(table.frame["item_index"].dtype) == "Int64"
    assert str(table.frame["overdue"].dtype) == "boolean"


def _one_check_book(tmp_path: Path, message: str) -> Any:
    memory, tables = fixture_run()
    doc = tables.documents[0]
    sink = xlsx.XlsxSink(tmp_path)
    check = Check(doc.doc_id, "numbering_gap", "warning", "1", "2", message)
    sink.document(DocumentRow(doc, ParsedDocument(document=doc, checks=[check])))
    sink.finish(RunTables(tables.as_of, [doc]))
    return load_workbook(tmp_path / "results.xlsx")


def test_formula_like_text_stays_text(tmp_path: Path) -> None:
    cell = _one_check_book(tmp_path, "=SUM(A1:A2)")["checks"]["F2"]
    assert cell.value == "=SUM(A1:A2)" and cell.data_type == "s"


def test_overlong_text_is_cut_to_excels_cell_limit(tmp_path: Path) -> None:
    value = _one_check_book(tmp_path, "整" * 40000)["checks"]["F2"].value
    assert len(value) == xlsx.CELL_TEXT_MAX and value.endswith(xlsx.TRUNCATION_MARK)


def test_an_interrupted_workbook_leaves_no_file(tmp_path: Path) -> None:
    memory, tables = fixture_run()
    sink = xlsx.XlsxSink(tmp_path)
    memory.replay([sink])
    sink.discard()
    assert not list(tmp_path.iterdir())
