"""Generate the spreadsheet ledger samples in samples/formats/ from their prose twins.

Each ledger (整改台账) carries the problem list of a text bulletin
``samples/12N_*.txt`` (the canonical prose the table linearizer writes:
``（一）category`` / ``1. problem`` / ``整改情况：…`` …), laid out the way units
fill ledgers in, one shape per file, so tests/test_readers_sheet.py can check
that each gives the same item rows as its twin:

- ledger_single_sheet.xlsx (121): one sheet, title row merged across, a
  ``填报单位``/``填报日期`` row, a one-row header in a column order of its own,
  the category written on every row, 完成时限 as real date cells, notes rows
  (``注：``, ``填表人``) at the bottom;
- ledger_per_category.xlsx (122): one sheet per category named after it, no
  category column, a hidden drop-down list sheet; ledger_per_category.et is
  the same workbook saved by LibreOffice as WPS .et (an Excel 97 file);
- ledger_merged_cells.xlsx (123): category cells merged down, a problem
  whose measures take two rows (序号 and problem cells merged), a parent row
  ``4`` with sub-rows ``(4)``/``(5)``;
- ledger_two_line_header.xlsx (124): title, unit and 截至 rows and an empty row
  before a header over two rows (``责任主体`` over ``责任领导 | 责任单位``,
  ``整改情况`` over ``完成情况 | 完成时限``), categories as rows across the table;
- ledger_township.xls (125): an .xlsx made here, converted by LibreOffice to
  Excel 97 .xls (merged category cells, month-formatted dates, the 填报单位
  in a notes row);
- ledger_hospital_gbk.csv (126): GBK, comma-separated, CRLF, a title line,
  a quoted cell holding a comma, a notes line.

Needs openpyxl and LibreOffice (``soffice``, Debian ``libreoffice-calc-nogui``).
The .xlsx files are byte-identical on re-runs (fixed document times and zip
timestamps); LibreOffice's .xls/.et are not.

    .venv/bin/python scripts/make_sheet_samples.py
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
OUT = SAMPLES / "formats"
#: Time written into the workbook properties and every zip member (reproducible bytes).
FIXED_TIME = datetime(2025, 1, 1, 0, 0, 0)
ZIP_DATE = (2025, 1, 1, 0, 0, 0)
#: Excel number formats for date cells written to the month and to the day.
MONTH_FORMAT = 'yyyy"年"m"月"'
DAY_FORMAT = 'yyyy"年"m"月"d"日"'

HEADING2 = re.compile(r"^（([一二三四五六七八九十]+)）(.*)$")
ITEM = re.compile(r"^(\d+)\.\s*(.*)$")
SUB_ITEM = re.compile(r"^(\(\d+\))\s*(.*)$")
FIELD = re.compile(r"^(整改情况|整改措施|完成时限|责任领导|责任单位)：(.*)$")


@dataclass
class Row:
    category: str
    no: str
    problem: str
    fields: dict[str, str] = field(default_factory=dict)

    def get(self, key: str) -> str:
        return self.fields.get(key, "")


def twin_rows(path: Path) -> list[Row]:
    """The problem list of a twin: its category, number, problem and field lines."""
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    start = next(i for i, ln in enumerate(lines) if HEADING2.match(ln))
    rows: list[Row] = []
    category = ""
    for ln in lines[start:]:
        if (m := HEADING2.match(ln)):
            category = m.group(2)
        elif (m := ITEM.match(ln)) or (m := SUB_ITEM.match(ln)):
            rows.append(Row(category, m.group(1), m.group(2)))
        elif (m := FIELD.match(ln)) and rows:
            rows[-1].fields[m.group(1)] = m.group(2)
        else:
            break
    return rows


def twin(number: int) -> Path:
    return next(SAMPLES.glob(f"{number}_*.txt"))


def date_cell(text: str) -> tuple[object, str | None]:
    """2024年9月 → (datetime, month format); 2025年6月30日 → (datetime, day format); else text."""
    m = re.fullmatch(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?", text)
    if not m:
        return text, None
    day = int(m.group(3) or 1)
    return datetime(int(m.group(1)), int(m.group(2)), day), DAY_FORMAT if m.group(3) else MONTH_FORMAT


# --- workbooks ---------------------------------------------------------------------------

def new_workbook():  # type: ignore[no-untyped-def]
    import openpyxl

    wb = openpyxl.Workbook()
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.creator = "zhenggai"
    return wb


def save_workbook(wb, out: Path) -> None:  # type: ignore[no-untyped-def]
    """Save with fixed zip timestamps, so re-running the script gives identical files."""
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with now()
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-01-01T00:00:00Z", data)
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, data)


def put(ws, r: int, c: int, value: object, number_format: str | None = None) -> None:  # type: ignore[no-untyped-def]
    cell = ws.cell(row=r, column=c, value=value)
    if number_format:
        cell.number_format = number_format


def put_row(ws, r: int, values: list[object]) -> None:  # type: ignore[no-untyped-def]
    for c, value in enumerate(values, start=1):
        if isinstance(value, tuple):
            put(ws, r, c, *value)
        elif value != "":
            put(ws, r, c, value)


def put_title(ws, title: str, width: int) -> None:  # type: ignore[no-untyped-def]
    """The ledger's title in A1, merged over the first ``width`` columns."""
    put(ws, 1, 1, title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)


def make_single_sheet(rows: list[Row], out: Path) -> None:
    """121: one sheet, one-row header in its own column order, category on every row."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "整改台账"
    header = ["序号", "问题类别", "反馈问题", "整改措施", "责任领导", "责任单位", "完成时限",
              "完成情况（已完成/持续整改）", "备注"]
    put_title(ws, "中共青川县财政局党组县委巡察反馈问题整改台账", len(header))
    put(ws, 2, 1, "填报单位：中共青川县财政局党组（盖章）")
    ws.merge_cells("A2:D2")
    put(ws, 2, 7, "填报日期：2024年12月31日")
    put_row(ws, 3, header)
    r = 4
    for row in rows:
        deadline = date_cell(row.get("完成时限"))
        put_row(ws, r, [int(row.no), row.category, row.problem, row.get("整改措施"), row.get("责任领导"),
                        row.get("责任单位"), deadline, row.get("整改情况"), ""])
        r += 1
    r += 1  # an empty row before the notes
    put(ws, r, 1, "注：1.完成情况填写“已完成”或“持续整改”；2.完成时限以月为单位。")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(header))
    put(ws, r + 1, 1, "填表人：赵敏")
    put(ws, r + 1, 5, "审核人：王建国")
    save_workbook(wb, out)


def make_per_category(rows: list[Row], out: Path) -> None:
    """122: one sheet per category, named after it; no category column; a hidden list sheet."""
    wb = new_workbook()
    first = True
    for category in dict.fromkeys(row.category for row in rows):
        ws = wb.active if first else wb.create_sheet()
        ws.title = category
        r = 1
        if first:
            put_title(ws, "中共临河区住房和城乡建设局党组巡察反馈问题整改清单", 6)
            r = 2
        put_row(ws, r, ["序号", "反馈问题", "整改措施", "完成时限", "责任单位", "整改进展"])
        for row in (x for x in rows if x.category == category):
            r += 1
            put_row(ws, r, [int(row.no), row.problem, row.get("整改措施"), row.get("完成时限"),
                            row.get("责任单位"), row.get("整改情况")])
        first = False
    lists = wb.create_sheet("下拉选项")
    put_row(lists, 1, ["序号", "反馈问题", "整改措施", "完成情况"])  # looks like a header: still skipped
    put_row(lists, 2, ["1", "已完成", "持续整改", "已完成"])
    lists.sheet_state = "hidden"
    save_workbook(wb, out)


def make_merged_cells(rows: list[Row], out: Path) -> None:
    """123: category merged down, one problem over two rows, sub-rows (4)/(5) under 4."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "Sheet1"
    put_title(ws, "中共云岭市生态环境局党组市委巡察反馈问题整改台账", 8)
    put_row(ws, 2, ["序号", "问题类别", "反馈问题", "整改措施", "责任领导", "责任单位", "完成时限", "完成情况"])
    r = 3
    category_start: dict[str, int] = {}
    for row in rows:
        first_of_category = row.category not in category_start
        category_start.setdefault(row.category, r)
        no: object = int(row.no) if row.no.isdigit() else row.no
        measures = row.get("整改措施")
        values = [no, row.category if first_of_category else "", row.problem, measures,
                  row.get("责任领导"), row.get("责任单位"), row.get("完成时限"), row.get("整改情况")]
        if "三是" in measures:
            # This problem's third measure goes on a second row: 序号, problem and the other
            # one-value cells are merged over both rows.
            cut = measures.index("三是")
            values[3] = measures[:cut]
            put_row(ws, r, values)
            put(ws, r + 1, 4, measures[cut:])
            for col in (1, 3, 5, 6, 7, 8):
                ws.merge_cells(start_row=r, start_column=col, end_row=r + 1, end_column=col)
            r += 2
            continue
        put_row(ws, r, values)
        r += 1
    ends = list(category_start.values())[1:] + [r]
    for start, end in zip(category_start.values(), ends, strict=True):
        if end - 1 > start:
            ws.merge_cells(start_row=start, start_column=2, end_row=end - 1, end_column=2)
    save_workbook(wb, out)


def make_two_line_header(rows: list[Row], out: Path) -> None:
    """124: title, unit and 截至 rows, an empty row, a two-row header, category rows."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "问题清单"
    put_title(ws, "中共松溪县教育体育局党组巡察反馈问题整改清单", 7)
    put(ws, 2, 1, "单位：中共松溪县教育体育局党组")
    ws.merge_cells("A2:C2")
    put(ws, 2, 5, "截至2025年2月28日")
    put_row(ws, 4, ["序号", "反馈问题", "整改措施", "责任主体", "", "整改情况", ""])
    put_row(ws, 5, ["", "", "", "责任领导", "责任单位", "完成情况", "完成时限"])
    for col in (1, 2, 3):
        ws.merge_cells(start_row=4, start_column=col, end_row=5, end_column=col)
    ws.merge_cells("D4:E4")
    ws.merge_cells("F4:G4")
    r = 6
    numerals = "一二三四五六七八九十"
    seen: list[str] = []
    for row in rows:
        if row.category not in seen:
            seen.append(row.category)
            put(ws, r, 1, f"{numerals[len(seen) - 1]}、{row.category}")
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=7)
            r += 1
        put_row(ws, r, [int(row.no), row.problem, row.get("整改措施"), row.get("责任领导"),
                        row.get("责任单位"), row.get("整改情况"), row.get("完成时限")])
        r += 1
    save_workbook(wb, out)


def make_township_xlsx(rows: list[Row], out: Path) -> None:
    """125 (before conversion to .xls): merged category cells, dates, 填报单位 in the notes."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "巡察整改台账"
    put_title(ws, "中共白水镇委员会关于县委巡察反馈问题整改台账", 8)
    put_row(ws, 2, ["序号", "类别", "存在问题", "整改措施", "完成时限", "责任领导", "责任单位", "整改情况"])
    r = 3
    start = {}
    for row in rows:
        first = row.category not in start
        start.setdefault(row.category, r)
        put_row(ws, r, [int(row.no), row.category if first else "", row.problem, row.get("整改措施"),
                        date_cell(row.get("完成时限")), row.get("责任领导"), row.get("责任单位"),
                        row.get("整改情况")])
        r += 1
    bounds = list(start.values()) + [r]
    for a, b in zip(bounds, bounds[1:], strict=False):
        if b - 1 > a:
            ws.merge_cells(start_row=a, start_column=2, end_row=b - 1, end_column=2)
    put(ws, r, 1, "合计")
    put(ws, r, 3, f"共{len(rows)}个问题")
    put(ws, r + 2, 1, "填报单位：中共白水镇委员会")
    put(ws, r + 2, 5, "填报时间：2025年4月30日")
    save_workbook(wb, out)


def make_csv(rows: list[Row], out: Path) -> None:
    """126: GBK, comma-separated, CRLF, title line, quoted cells, a notes line."""
    import csv

    header = ["序号", "问题类别", "反馈问题", "整改措施", "完成时限", "责任领导", "责任单位", "完成情况"]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["中共清河县人民医院委员会巡察反馈问题整改台账"] + [""] * (len(header) - 1))
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.no, row.category, row.problem, row.get("整改措施"), row.get("完成时限"),
                         row.get("责任领导"), row.get("责任单位"), row.get("整改情况")])
    writer.writerow(["注：本表由党委办公室汇总，数据截至2025年6月30日。"] + [""] * (len(header) - 1))
    out.write_bytes(buf.getvalue().encode("gbk"))


# --- LibreOffice --------------------------------------------------------------------------

def soffice_convert(src: Path, target: str, out: Path) -> None:
    """``src`` converted by LibreOffice to ``target`` (xls, et: both the Excel 97 filter)."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        sys.exit("需要 LibreOffice（apt-get install libreoffice-calc-nogui）")
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as tmp:
        subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", f"{target}:MS Excel 97", "--outdir", tmp, str(src)],
                       check=True, capture_output=True, timeout=180)
        produced = next(Path(tmp).iterdir())
        shutil.move(str(produced), out)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    make_single_sheet(twin_rows(twin(121)), OUT / "ledger_single_sheet.xlsx")
    make_per_category(twin_rows(twin(122)), OUT / "ledger_per_category.xlsx")
    soffice_convert(OUT / "ledger_per_category.xlsx", "et", OUT / "ledger_per_category.et")
    make_merged_cells(twin_rows(twin(123)), OUT / "ledger_merged_cells.xlsx")
    make_two_line_header(twin_rows(twin(124)), OUT / "ledger_two_line_header.xlsx")
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = Path(tmp) / "ledger_township.xlsx"
        make_township_xlsx(twin_rows(twin(125)), xlsx)
        soffice_convert(xlsx, "xls", OUT / "ledger_township.xls")
    make_csv(twin_rows(twin(126)), OUT / "ledger_hospital_gbk.csv")
    made = sorted(OUT.glob("ledger_*"))
    print(", ".join(f"{p.name} {p.stat().st_size // 1024 or 1} KB" for p in made), file=sys.stderr)


if __name__ == "__main__":
    main()
