"""Spreadsheet ledgers (整改台账): .xlsx, .xls and WPS .et via LibreOffice, .csv (readers/sheet.py)."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date, datetime
from functools import cache
from pathlib import Path

import openpyxl
import pytest

from extract.document import PARAGRAPH, TABLE_ROW
from extract.errors import EmptyFile, EncryptedFile, TooLarge, UnreadableFile, UnsupportedFormat
from extract.pipeline import parse_file
from extract.readers import read_file
from extract.readers.detect import OLE2_MAGIC, _ole_entry, detect_format
from extract.readers.sheet import Grid, cell_text, find_header, find_ledger

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
FORMATS = SAMPLES / "formats"
AS_OF = date(2026, 11, 27)
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (libreoffice-calc-nogui) not installed")

#: Each ledger sample and the number of its prose twin samples/NNN_*.txt.
TWINS = [
    ("ledger_single_sheet.xlsx", 121),
    ("ledger_per_category.xlsx", 122),
    ("ledger_per_category.et", 122),
    ("ledger_merged_cells.xlsx", 123),
    ("ledger_two_line_header.xlsx", 124),
    ("ledger_township.xls", 125),
    ("ledger_hospital_gbk.csv", 126),
]


def twin(number: int) -> Path:
    return next(SAMPLES.glob(f"{number}_*.txt"))


@cache
def item_rows(path: Path) -> list[tuple[object, ...]]:
    return [(i.item_no, i.parent_no, i.section_no, i.title, i.status, i.status_text, i.long_term,
             i.deadline_text, i.deadline, i.measures_count, i.responsible_leader, i.responsible_unit)
            for i in parse_file(path, as_of=AS_OF).items]


def workbook_bytes(wb: openpyxl.Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def texts(path: str, data: bytes) -> list[str]:
    return [b.text for b in read_file(path, data).blocks]


# --- twins ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "number"), TWINS, ids=[t[0] for t in TWINS])
def test_ledger_items_equal_prose_twin(name: str, number: int) -> None:
    if name.endswith((".xls", ".et")) and shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    expected = item_rows(twin(number))
    assert len(expected) >= 5
    assert item_rows(FORMATS / name) == expected


def test_merged_cells_sample_keeps_sub_numbers_and_joins_a_two_row_problem() -> None:
    rows = item_rows(FORMATS / "ledger_merged_cells.xlsx")
    assert [(r[0], r[1]) for r in rows] == [("1", None), ("2", None), ("3", None), ("4", None),
                                            ("(4)", "4"), ("(5)", "4"), ("5", None), ("6", None)]
    assert rows[2][9] == 3  # 一是/二是 on one row, 三是 on the next: one problem, 3 measures


def test_ledger_document_fields_come_from_the_sheet_and_counts_stay_empty() -> None:
    doc = parse_file(FORMATS / "ledger_single_sheet.xlsx", as_of=AS_OF).document
    assert doc.source_format == "sheet"
    assert doc.title == "中共青川县财政局党组县委巡察反馈问题整改台账"
    assert doc.unit == "中共青川县财政局党组"  # the 填报单位 cell, （盖章） dropped
    assert doc.publish_date == "2024-12-31"  # the 填报日期 cell
    assert doc.inspection_kind == "巡察"
    assert doc.doc_type == "bulletin"
    for key in ("items_declared", "problems_declared", "problems_completed", "problems_in_progress",
                "completion_rate", "measures_declared", "categories_declared"):
        assert getattr(doc, key) is None, key
    assert doc.items_extracted == 7
    two_line = parse_file(FORMATS / "ledger_two_line_header.xlsx", as_of=AS_OF).document
    assert (two_line.unit, two_line.as_of_date) == ("中共松溪县教育体育局党组", "2025-02-28")


# --- detection -----------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "fmt"), [
    ("ledger_single_sheet.xlsx", "xlsx"), ("ledger_township.xls", "xls"),
    ("ledger_per_category.et", "xls"),  # LibreOffice and WPS write .et as an Excel 97 workbook
    ("ledger_hospital_gbk.csv", "csv"),
])
def test_ledgers_detected_by_content(name: str, fmt: str) -> None:
    assert detect_format((FORMATS / name).read_bytes(), "misleading.txt") == fmt


def test_ole2_kinds_fall_back_to_the_extension_only_when_the_streams_do_not_tell() -> None:
    bare = OLE2_MAGIC + b"\0" * 600
    assert detect_format(bare, "台账.et") == "et"
    assert detect_format(bare, "台账.bin") == "unknown:ole"
    workbook = OLE2_MAGIC + b"\0" * 600 + _ole_entry("Workbook") + b"\0" * 62
    assert detect_format(workbook, "台账.doc") == "xls"
    assert detect_format(OLE2_MAGIC + b"\0" * 600 + _ole_entry("Book"), "") == "xls"  # Excel 95
    assert detect_format(OLE2_MAGIC + b"\0" * 600 + "Book".encode("utf-16-le") + b"x", "") == "unknown:ole"
    encrypted = OLE2_MAGIC + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le")
    assert detect_format(encrypted, "台账.xlsx") == "xlsx"
    assert detect_format(encrypted, "通报.docx") == "docx"


def test_csv_needs_consistent_columns_and_a_ledger_header() -> None:
    ledger = "序号,反馈问题,整改措施,完成情况\r\n1,问题甲,措施甲,已完成\r\n2,问题乙,措施乙,持续整改\r\n"
    assert detect_format(ledger.encode("gbk")) == "csv"
    assert detect_format(ledger.replace(",", "\t").encode("utf-8")) == "csv"
    assert detect_format(("台账标题,,,\n" + ledger).encode("utf-8")) == "csv"  # title line first
    ragged = "序号,反馈问题,整改措施,完成情况\n1,问题甲,措施甲\n"
    assert detect_format(ragged.encode("utf-8")) == "txt"
    no_vocabulary = "姓名,职务,电话,邮箱\n张三,组长,123,a@b\n"
    assert detect_format(no_vocabulary.encode("utf-8")) == "txt"
    two_columns = "序号,反馈问题\n1,问题甲\n"
    assert detect_format(two_columns.encode("utf-8")) == "txt"


def test_prose_with_commas_and_tabs_stays_text() -> None:
    """No text sample changes format, nor the same texts with half-width commas and tabs."""
    for path in sorted(SAMPLES.glob("*.txt")) + sorted((FORMATS / "src").glob("*.txt")):
        data = path.read_bytes()
        assert detect_format(data, path.name) == "txt", path.name
        text = data.decode("utf-8")
        commas = text.replace("，", ",").replace("、", ",").replace("：", ",")
        assert detect_format(commas.encode("utf-8"), path.name) == "txt", path.name
        tabs = "\n".join("\t" + line.replace("，", "\t") for line in text.splitlines())
        assert detect_format(tabs.encode("gbk", errors="ignore"), path.name) == "txt", path.name


# --- header detection and column mapping ---------------------------------------------------

def test_one_row_header_below_a_title_row_and_column_roles() -> None:
    grid = Grid("整改台账", [
        ["中共某县某局党组巡察反馈问题整改台账", "", "", "", "", ""],
        ["序 号", "存在问题", "整改\n措施", "完成时限（承诺）", "牵头领导", "责任科室"],
        ["1", "问题甲", "措施甲", "2024年9月", "张三", "办公室"],
    ])
    grid.merge(0, 0, 0, 5)
    assert find_header(grid) == (1, 1, {0: "no", 1: "problem", 2: "measures", 3: "deadline",
                                        4: "leader", 5: "unit"}, grid.rows[1])


def test_two_row_header_is_merged_into_one_label_per_column() -> None:
    grid = Grid("Sheet1", [
        ["填报单位：某局", "", "", "", "", "", ""],
        ["", "", "", "", "", "", ""],
        ["序号", "反馈问题", "整改措施", "责任", "", "整改情况", ""],
        ["", "", "", "领导", "单位", "完成情况", "完成时限"],
        ["1", "问题甲", "措施甲", "张三", "办公室", "已完成", "2024年9月"],
    ])
    for col in (0, 1, 2):
        grid.merge(2, col, 3, col)
    grid.merge(2, 3, 2, 4)
    grid.merge(2, 5, 2, 6)
    top, height, roles, labels = find_header(grid)  # type: ignore[misc]
    assert (top, height) == (2, 2)
    assert labels == ["序号", "反馈问题", "整改措施", "责任领导", "责任单位", "完成情况", "完成时限"]
    assert roles == {0: "no", 1: "problem", 2: "measures", 3: "leader", 4: "unit", 5: "status",
                     6: "deadline"}


def test_no_header_no_ledger() -> None:
    assert find_header(Grid("通讯录", [["姓名", "职务", "电话"], ["张三", "组长", "123"]])) is None


# --- rows: merged cells, categories, notes -------------------------------------------------

def test_merged_category_and_number_cells() -> None:
    grid = Grid("Sheet1", [
        ["序号", "问题类别", "反馈问题", "整改措施", "完成情况"],
        ["1", "政治建设方面", "问题甲", "一是学习；", "已完成"],
        ["", "", "", "二是研讨。", ""],
        ["2", "", "问题乙", "措施乙", "持续整改"],
        ["3", "作风建设方面", "问题丙", "措施丙", "已完成"],
    ])
    grid.merge(1, 1, 3, 1)  # 政治建设方面 over problems 1 and 2
    grid.merge(1, 0, 2, 0)  # 序号 1 over two rows: its measures take two rows
    grid.merge(1, 2, 2, 2)
    grid.merge(1, 4, 2, 4)
    ledger = find_ledger(grid)
    assert ledger is not None
    assert ledger.rows == [
        {"no": "1", "category": "政治建设方面", "problem": "问题甲", "measures": "一是学习；", "status": "已完成"},
        {"no": "", "category": "", "problem": "", "measures": "二是研讨。", "status": ""},
        {"no": "2", "category": "政治建设方面", "problem": "问题乙", "measures": "措施乙", "status": "持续整改"},
        {"no": "3", "category": "作风建设方面", "problem": "问题丙", "measures": "措施丙", "status": "已完成"},
    ]


def test_category_rows_notes_totals_and_empty_rows() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["序号", "反馈问题", "整改措施", "完成情况"],
                ["一、政治建设方面（2个）"], [1, "问题甲", "措施甲", "已完成"], [2, "问题乙", "措施乙", "已完成"],
                [], ["二、作风建设方面"], [3, "问题丙", "措施丙", "持续整改"],
                ["合计", "3个问题"], [],
                ["注：本表由办公室填写。"], ["填表人：李四", None, "审核人：王五"], ["2", "不是问题", "x", "y"]):
        ws.append(row)
    ws.merge_cells("A2:D2")
    ws.merge_cells("A6:D6")
    assert texts("t.xlsx", workbook_bytes(wb)) == [
        "（一）政治建设方面（2个）", "1. 问题甲", "整改情况：已完成", "整改措施：措施甲",
        "2. 问题乙", "整改情况：已完成", "整改措施：措施乙",
        "（二）作风建设方面", "3. 问题丙", "整改情况：持续整改", "整改措施：措施丙",
    ]


def test_one_sheet_per_category_and_hidden_sheets() -> None:
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "政治建设方面"
    first.append(["序号", "反馈问题", "整改措施", "完成情况"])
    first.append([1, "问题甲", "措施甲", "已完成"])
    second = wb.create_sheet("作风建设方面")
    second.append(["序号", "反馈问题", "整改措施", "完成情况"])
    second.append([2, "问题乙", "措施乙", "持续整改"])
    hidden = wb.create_sheet("旧版")
    hidden.append(["序号", "反馈问题", "整改措施", "完成情况"])
    hidden.append([9, "旧问题", "旧措施", "已完成"])
    hidden.sheet_state = "hidden"
    out = texts("t.xlsx", workbook_bytes(wb))
    assert [t for t in out if t.startswith(("（", "1.", "2.", "9."))] == [
        "（一）政治建设方面", "1. 问题甲", "（二）作风建设方面", "2. 问题乙"]


def test_a_single_sheet_name_is_not_a_category() -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "整改台账"
    wb.active.append(["序号", "反馈问题", "整改措施", "完成情况"])
    wb.active.append([1, "问题甲", "措施甲", "已完成"])
    assert texts("t.xlsx", workbook_bytes(wb)) == ["1. 问题甲", "整改情况：已完成", "整改措施：措施甲"]


def test_sheets_without_a_number_column_are_counted() -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["反馈问题", "整改措施", "完成情况"])
    wb.active.append(["问题甲", "措施甲", "已完成"])
    wb.active.append(["问题乙", "措施乙", "持续整改"])
    out = texts("t.xlsx", workbook_bytes(wb))
    assert [t for t in out if t[0].isdigit()] == ["1. 问题甲", "2. 问题乙"]


def test_cell_values_as_the_ledger_shows_them() -> None:
    assert cell_text(None) == ""
    assert cell_text(3.0) == "3"
    assert cell_text(2.5) == "2.5"
    assert cell_text(0.75, "0%") == "75%"
    assert cell_text(datetime(2024, 9, 1), 'yyyy"年"m"月"') == "2024年9月"
    assert cell_text(datetime(2025, 6, 30), 'yyyy"年"m"月"d"日"') == "2025年6月30日"
    assert cell_text(datetime(2025, 6, 30)) == "2025年6月30日"
    assert cell_text(True) == "是"


def test_date_cells_give_deadlines() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "反馈问题", "完成时限", "完成情况"])
    ws.append([1, "问题甲", datetime(2024, 9, 1), "已完成"])
    ws["C2"].number_format = 'yyyy"年"m"月"'
    ws.append([2, "问题乙", datetime(2025, 6, 30), "持续整改"])
    ws["C3"].number_format = "yyyy/m/d"
    assert [t for t in texts("t.xlsx", workbook_bytes(wb)) if t.startswith("完成时限")] == [
        "完成时限：2024年9月", "完成时限：2025年6月30日"]


# --- csv -----------------------------------------------------------------------------------

def test_gbk_csv_with_quoted_commas_and_tabs() -> None:
    csv_text = ('中共某县卫生健康局党组巡察反馈问题整改台账,,,\r\n序号,反馈问题,整改措施,完成情况\r\n'
                '1,"问题甲,含半角逗号","一是学习；二是研讨",已完成\r\n')
    out = texts("台账.csv", csv_text.encode("gbk"))
    assert out == ["中共某县卫生健康局党组巡察反馈问题整改台账", "1. 问题甲,含半角逗号", "整改情况：已完成",
                   "整改措施：一是学习；二是研讨"]
    tabbed = "序号\t反馈问题\t整改措施\t完成情况\n1\t问题甲\t措施甲\t已完成\n"
    assert texts("台账.tsv", tabbed.encode("gb18030"))[0] == "1. 问题甲"


def test_unit_and_date_from_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "中共青岚县审计局党组巡察整改台账_20250331.csv"
    path.write_bytes("序号,反馈问题,整改措施,完成情况\n1,问题甲,措施甲,已完成\n2,问题乙,措施乙,已完成\n"
                     .encode("gbk"))
    doc = read_file(path)
    assert (doc.source_format, doc.unit, doc.publish_date, doc.title) == (
        "sheet", "中共青岚县审计局党组", "2025-03-31", None)
    parsed = parse_file(path, as_of=AS_OF).document
    assert (parsed.unit, parsed.publish_date, parsed.problems_declared) == (
        "中共青岚县审计局党组", "2025-03-31", None)


# --- LibreOffice kinds ---------------------------------------------------------------------

@needs_soffice
def test_xls_is_read_through_libreoffice() -> None:
    doc = read_file(FORMATS / "ledger_township.xls")
    assert doc.source_format == "sheet"
    assert doc.notes == ["由 LibreOffice 将 xls 转换为 xlsx 后读取"]
    assert (doc.unit, doc.publish_date) == ("中共白水镇委员会", "2025-04-30")  # from the notes row
    assert "完成时限：2025年12月" in doc.text  # a month-formatted date cell survives conversion


@needs_soffice
def test_et_is_read_or_refused_clearly(tmp_path: Path) -> None:
    doc = read_file(FORMATS / "ledger_per_category.et")
    assert doc.source_format == "sheet"
    not_a_workbook = OLE2_MAGIC + b"\x00" * 4000
    with pytest.raises(UnsupportedFormat) as info:
        read_file(tmp_path / "台账.et", not_a_workbook)
    assert "WPS" in info.value.message and "xlsx" in info.value.message


# --- hostile and empty inputs --------------------------------------------------------------

def test_empty_workbook() -> None:
    with pytest.raises(EmptyFile):
        read_file("empty.xlsx", workbook_bytes(openpyxl.Workbook()))
    two_empty_sheets = openpyxl.Workbook()
    two_empty_sheets.create_sheet("Sheet2")["B3"] = "  "
    with pytest.raises(EmptyFile):
        read_file("empty.xlsx", workbook_bytes(two_empty_sheets))


def test_password_protected_xlsx_is_encrypted() -> None:
    ole = OLE2_MAGIC + b"\0" * 500 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 100 \
        + "EncryptedPackage".encode("utf-16-le") + b"\0" * 500
    with pytest.raises(EncryptedFile):
        read_file("locked.xlsx", ole)
    with pytest.raises(EncryptedFile):
        read_file("locked.docx", ole)  # the same container from Word


def test_zip_bomb_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<" + b"\0" * (8 * 1024 * 1024))  # ~1000:1
    data = buf.getvalue()
    assert detect_format(data) == "xlsx"
    with pytest.raises(TooLarge):
        read_file("bomb.xlsx", data)


def test_entity_declarations_refused() -> None:
    wb = workbook_bytes(openpyxl.Workbook())
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(wb)) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + body.split(b"?>", 1)[-1]
            dst.writestr(info, body)
    with pytest.raises(UnreadableFile) as info:
        read_file("entities.xlsx", buf.getvalue())
    assert "ENTITY" in info.value.message


def test_damaged_xlsx_is_unreadable() -> None:
    data = (FORMATS / "ledger_single_sheet.xlsx").read_bytes()
    with pytest.raises(UnreadableFile):
        read_file("cut.xlsx", data[: len(data) // 2])


def test_a_workbook_without_a_ledger_is_read_as_plain_table_rows() -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "职务", "电话"])
    wb.active.append(["张三", "组长", "123"])
    doc = read_file("contacts.xlsx", workbook_bytes(wb))
    assert [(b.kind, b.text) for b in doc.blocks] == [(TABLE_ROW, "姓名 | 职务 | 电话"),
                                                      (TABLE_ROW, "张三 | 组长 | 123")]
    assert not parse_file("contacts.xlsx", data=workbook_bytes(wb), as_of=AS_OF).items


def test_rows_above_the_header_become_paragraphs() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["某局巡察整改问题清单"])
    ws.append(["截至2024年12月31日"])
    ws.append(["序号", "反馈问题", "整改措施", "完成情况"])
    ws.append([1, "问题甲", "措施甲", "已完成"])
    ws.append([2, "问题乙", "措施乙", "持续整改"])
    doc = read_file("t.xlsx", workbook_bytes(wb))
    assert [(b.kind, b.text) for b in doc.blocks[:2]] == [(PARAGRAPH, "某局巡察整改问题清单"),
                                                          (PARAGRAPH, "截至2024年12月31日")]
    assert doc.publish_date is None  # 截至 is the as-of date, read by fields.py from the text
    assert parse_file("t.xlsx", data=workbook_bytes(wb), as_of=AS_OF).document.as_of_date == "2024-12-31"
