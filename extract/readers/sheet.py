"""Rectification ledgers (整改台账 / 问题清单) in spreadsheets: .xlsx, .xls, WPS .et, .csv.

A ledger is a problem table with no narrative around it::

    中共青岚县财政局党组巡察反馈问题整改台账          ← title row (merged across)
    填报单位：中共青岚县财政局党组   填报日期：2024年12月31日
    序号 | 问题类别 | 反馈问题 | 整改措施 | 责任领导 | 责任单位 | 整改情况        ← header, maybe
         |          |          |          |          |          | 完成情况 | 完成时限  over two rows
    1    | 政治建设 | …        | …        | …        | …        | 已完成   | 2024年8月
    2    | (merged) | …
    注：1.本表由…填写。                                ← notes rows, skipped
    填表人：…  审核人：…

Each sheet is read into a grid with merged cells resolved (the top-left value
copied over the range), the header row found by its vocabulary (the roles of
:mod:`extract.readers.tables`; a header over two rows is merged into one
label per column), and the rows mapped onto one canonical table:
``序号 | 问题类别 | 反馈问题 | 整改措施 | 整改情况 | 完成时限 | 责任领导 | 责任单位``
(the columns the ledger has). The category comes from a category column (a
merged cell carried down), from a category row spanning the table
(``一、政治建设方面``), or, for a workbook with one sheet per category, from the
sheet name. Rows whose 序号 cell continues a merged 序号 cell continue the
problem above (a problem whose measures take several rows). The canonical
rows go out as TABLE_ROW blocks and :func:`extract.readers.tables.linearize_tables`
turns them into prose, exactly as for a table in a Word bulletin: one path.

Document fields come from the sheet: the rows above the header (title,
``填报单位：``, a date) become paragraphs and hints, notes rows below give a
``填报单位``/``填报日期`` too, and the file name a unit and a date when the sheet
has none. Declared counts are never made up from the rows.

.xlsx is read with openpyxl (read-only, cached values of formulas); merged
ranges are read from the sheet XML. .xls and WPS .et go through LibreOffice
(:func:`extract.readers.doc.convert`) to .xlsx first; an .et LibreOffice cannot
open is ``unsupported_format``. .csv is decoded like a text file (UTF-8, GBK,
GB18030…) and split on the delimiter :mod:`extract.readers.detect` found.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from lxml import etree

from extract import dates
from extract.document import PARAGRAPH, TABLE_ROW, Block, SourceDocument
from extract.errors import (
    EmptyFile,
    EncryptedFile,
    ReadError,
    UnreadableFile,
    UnsupportedFormat,
)
from extract.safety import check_zip

from .detect import (
    OLE2_MAGIC,
    OLE_ENCRYPTED_PACKAGE,
    SNIFF_BYTES,
    ZIP_MAGIC,
    csv_delimiter,
    detect_format,
)
from .tables import CATEGORY_PREFIX, header_roles, label_roles, linearize_tables, row_text

#: Rows read from one sheet: a ledger has tens to hundreds; a sheet claiming a cell at row
#: 1,048,576 is not read to its end.
MAX_ROWS = 20_000
#: Columns read from each row (a ledger has 5–12; Excel allows 16,384).
MAX_COLUMNS = 64
#: Rows searched from the top of a sheet for the header (title and 填报单位 rows come first).
HEADER_SCAN_ROWS = 20
#: A header over two rows: the lower row's labels are short, never content (characters).
MAX_LABEL_CHARS = 12
#: ... and its upper row names at least this many columns itself (a 填报单位 row names none).
MIN_UPPER_LABELS = 2
#: Canonical column of each role, in output order: the labels tables.py recognises.
CANONICAL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("no", "序号"),
    ("category", "问题类别"),
    ("problem", "反馈问题"),
    ("measures", "整改措施"),
    ("status", "整改情况"),
    ("deadline", "完成时限"),
    ("leader", "责任领导"),
    ("unit", "责任单位"),
)
#: A notes row below the table: 注：…, 备注：…, 填表人：…, 填报单位：… (the table ends there).
NOTES_ROW = re.compile(
    r"^\s*(?:注|备注|说明|填表说明|填表人|填报人|审核人|审批人|制表人|联系人|联系电话|"
    r"单位负责人|主要负责人|负责人|填报日期|填表日期|制表日期|报送日期|填报时间|"
    r"填报单位|填表单位|制表单位|报送单位|单位名称|单位)"
    r"\s*[0-9０-９]?\s*[:：]")
#: A totals row inside or below the table (合计 / 小计 / 总计), skipped.
TOTAL_ROW = re.compile(r"^\s*(?:合\s*计|小\s*计|总\s*计)\s*[:：]?")
#: A category written as a row across the table: 一、政治建设方面 / （二）… / …方面（3个）.
CATEGORY_ROW = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[)）]|第[一二三四五六七八九十]+(?:类|部分))"
    r"|方面(?:的)?(?:问题)?\s*(?:[（(][^）)]*[)）])?\s*$")
#: A plain 序号 value: 1 / 1. / （19） / ①, i.e. a problem row, never a category row.
NUMBER_CELL = re.compile(r"^\s*[（(]?\s*[0-9０-９]+\s*[)）]?\s*[、.．]?\s*$|^\s*[①-⑳]\s*$")
#: Sheet names that say nothing: they never become a category.
DEFAULT_SHEET_NAME = re.compile(r"^(?:sheet|工作表|表|页)\s*\d*$", re.IGNORECASE)
#: A 填报单位 cell (the unit that filled the ledger in), with an optional （盖章）.
UNIT_CELL = re.compile(r"(?:填报|报送|填表|制表)?单位(?:名称)?\s*[:：]\s*(?P<unit>[^\s:：]{2,40}?)\s*(?:[（(]\s*盖章\s*[)）])?(?:\s|$)")
#: A date cell: 填报日期：2024年12月31日, 日期：2024-12-31, or a date alone.
DATE_CELL = re.compile(r"(?:(?:填报|填表|制表|报送|统计)?(?:日期|时间)\s*[:：]\s*|^\s*)(?P<date>(?:19|20)\d{2}\s*[年./-]\s*\d{1,2}\s*(?:[月./-]\s*(?:\d{1,2}\s*日?)?)?)\s*$")
#: A date written in a file name: 2024年12月31日, 2024.12.31, 2024-12, 20241231.
NAME_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:年|[-._])\s*(?P<m>\d{1,2})\s*(?:月|[-._])?\s*(?:(?P<d>\d{1,2})\s*日?)?"
    r"|(?<!\d)(?P<cy>(?:19|20)\d{2})(?P<cm>[01]\d)(?P<cd>[0-3]\d)(?!\d)")
DATE_PARTS = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[年./-]\s*(?P<m>\d{1,2})\s*(?:[月./-]\s*(?P<d>\d{1,2})?)?")
#: Where the unit's name ends in a title or a file name: 中共XX局党组|(市委)巡察反馈问题整改台账.
UNIT_END = re.compile(r"关于|(?:中央|省委|市委|州委|县委|区委|旗委)?(?:巡视|巡察)|落实|整改|反馈")
#: The ending of an organisation's name (as patterns.py's unit_suffix).
UNIT_SUFFIX = re.compile(
    r"(?:党组|党委|党工委|委员会|党总支|党支部|局|委|办|办公室|院|校|大学|学院|医院|公司|集团|中心|厅|部|镇|乡|街道|所|站|馆|会)$")
#: A title row: short, no label, and names a ledger or a report.
TITLE_WORDS = re.compile(r"台账|清单|一览表|通报|报告|情况表|汇总表|整改")
#: Longest title row (characters).
MAX_TITLE_CHARS = 80
#: Excel number formats that show a day (else a date cell is written to the month).
DAY_FORMAT = re.compile(r"d|D")
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#: Secure XML parser for the sheet XML read here (merged ranges): no entities, no network.
XML_PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "huge_tree": False}


@dataclass
class Grid:
    """One sheet's cells as text, merged ranges resolved."""

    name: str
    rows: list[list[str]]
    #: True where a cell continues a merged range from the row above (its value is a copy).
    below: list[list[bool]] = field(default_factory=list)
    #: True where a cell continues a merged range from the cell to its left.
    right: list[list[bool]] = field(default_factory=list)

    def __post_init__(self) -> None:
        # As wide as the last column holding text (read-only openpyxl pads rows to max_col).
        width = min(max((max((c + 1 for c, v in enumerate(r) if v.strip()), default=0)
                         for r in self.rows), default=0), MAX_COLUMNS)
        self.rows = [(r + [""] * width)[:width] for r in self.rows]
        if not self.below:
            self.below = [[False] * width for _ in self.rows]
        if not self.right:
            self.right = [[False] * width for _ in self.rows]

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    def merge(self, top: int, left: int, bottom: int, right: int) -> None:
        """Copy the top-left value over a merged range (0-based, inclusive)."""
        bottom = min(bottom, len(self.rows) - 1)
        right = min(right, self.width - 1)
        if top > bottom or left > right or top < 0 or left < 0:
            return
        value = self.rows[top][left]
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                self.rows[r][c] = value
                self.below[r][c] = r > top
                self.right[r][c] = c > left

    def own_texts(self, r: int) -> list[str]:
        """The distinct texts written in row ``r`` (merged copies left out), in order."""
        out: list[str] = []
        for c, value in enumerate(self.rows[r]):
            text = value.strip()
            if text and not self.below[r][c] and not self.right[r][c] and text not in out:
                out.append(text)
        return out


@dataclass
class Ledger:
    """The problem table found in one sheet."""

    sheet: str
    roles: dict[int, str]  # column → role
    rows: list[dict[str, str]]  # role → cell text; "" for the 序号 of a continuation row
    preamble: list[str]  # rows above the header, as text
    notes: list[str]  # notes rows below the table, as text
    has_category: bool  # a category column or category rows


# --- reading workbooks into grids ---------------------------------------------------------


def cell_text(value: object, number_format: str = "General") -> str:
    """A cell value as the text the ledger shows: 1.0 → 1, a date → 2024年12月31日
    (or 2024年12月 when the cell's format shows no day)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime | date):
        if isinstance(value, datetime) and value.year < 1900:
            return ""  # a time of day stored as a date
        fmt = number_format if number_format and number_format != "General" else "yyyy-mm-dd"
        if DAY_FORMAT.search(fmt.split(";")[0].replace("[", "").replace("]", "")):
            return f"{value.year}年{value.month}月{value.day}日"
        return f"{value.year}年{value.month}月"
    if isinstance(value, time):
        return ""
    if isinstance(value, float):
        if "%" in (number_format or ""):
            return f"{value * 100:g}%"
        return str(int(value)) if value.is_integer() else f"{value:g}"
    return str(value)


def _merged_ranges(zf: zipfile.ZipFile, member: str) -> Iterator[tuple[int, int, int, int]]:
    """Merged ranges (0-based top, left, bottom, right) declared in a sheet's XML."""
    from openpyxl.utils.cell import range_boundaries

    try:
        stream = zf.open(member)
    except KeyError:
        return
    with stream:
        for _, el in etree.iterparse(stream, events=("end",), tag=f"{{{SHEET_NS}}}mergeCell",
                                     **XML_PARSER_OPTIONS):
            ref = el.get("ref", "")
            el.clear()
            try:
                left, top, right, bottom = range_boundaries(ref)
            except (ValueError, TypeError):
                continue
            if None in (left, top, right, bottom):
                continue
            yield top - 1, left - 1, bottom - 1, right - 1  # type: ignore[operator]


def read_xlsx_grids(data: bytes) -> list[Grid]:
    """Every visible sheet of an .xlsx as a grid; only ReadError escapes."""
    check_zip(data)
    try:
        return _read_xlsx_grids(data)
    except ReadError:
        raise
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(f"xlsx 压缩包损坏（{exc}）") from exc
    except etree.XMLSyntaxError as exc:
        raise UnreadableFile(f"xlsx 的 XML 内容损坏（{exc.msg}）") from exc
    except Exception as exc:  # noqa: BLE001 - openpyxl fails on malformed parts in many ways
        raise UnreadableFile(f"xlsx 内容不合规范（{type(exc).__name__}: {exc}）") from exc


def _read_xlsx_grids(data: bytes) -> list[Grid]:
    import openpyxl

    grids: list[Grid] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "no default style", unknown extensions …
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for ws in wb.worksheets:
                    if getattr(ws, "sheet_state", "visible") != "visible":
                        continue  # hidden sheets hold drop-down lists and old copies
                    rows: list[list[str]] = []
                    for row in ws.iter_rows(max_col=MAX_COLUMNS):
                        if len(rows) >= MAX_ROWS:
                            break
                        rows.append([cell_text(getattr(c, "value", None),
                                               getattr(c, "number_format", "General")) for c in row])
                    while rows and not any(v.strip() for v in rows[-1]):
                        rows.pop()
                    grid = Grid(ws.title, rows)
                    member = getattr(ws, "_worksheet_path", None)
                    if member:
                        for top, left, bottom, right in _merged_ranges(zf, member.lstrip("/")):
                            grid.merge(top, left, bottom, right)
                    grids.append(grid)
        finally:
            wb.close()
    return grids


def read_csv_grid(data: bytes, name: str) -> Grid:
    from .txt import decode_text

    text = decode_text(data).lstrip("\ufeff")
    head = text[:SNIFF_BYTES]
    delimiter = csv_delimiter(head[: head.rfind("\n")] if len(text) > SNIFF_BYTES else head) or ","
    rows: list[list[str]] = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        if len(rows) >= MAX_ROWS:
            break
        rows.append(row[:MAX_COLUMNS])
    while rows and not any(v.strip() for v in rows[-1]):
        rows.pop()
    return Grid(name, rows)


# --- finding the ledger in a grid ---------------------------------------------------------


def _combined_label(upper: str, lower: str) -> str:
    """One label from a header cell over two rows: the lower label when it names a role
    (完成情况 under 整改情况), else both joined (责任 over 领导), else the upper one."""
    for candidate in (lower, upper + lower, upper):
        if candidate and label_roles(candidate):
            return candidate
    return lower or upper


def find_header(grid: Grid) -> tuple[int, int, dict[int, str], list[str]] | None:
    """(first header row, number of header rows (1 or 2), column roles, labels) or None."""
    for r in range(min(len(grid.rows), HEADER_SCAN_ROWS)):
        upper = grid.rows[r]
        one = header_roles(upper)
        two: dict[int, str] | None = None
        labels: list[str] = []
        if r + 1 < len(grid.rows) and sum(1 for v in upper if label_roles(v)) >= MIN_UPPER_LABELS:
            lower = [v.strip() if not grid.below[r + 1][c] else "" for c, v in enumerate(grid.rows[r + 1])]
            if any(lower) and all(len(v) <= MAX_LABEL_CHARS and not NUMBER_CELL.match(v)
                                  for v in lower if v):
                labels = [_combined_label(u.strip(), lo) for u, lo in zip(upper, lower, strict=True)]
                two = header_roles(labels)
        if two is not None and (one is None or len(two) > len(one)):
            return r, 2, two, labels
        if one is not None:
            return r, 1, one, list(upper)
    return None


def _is_category_row(grid: Grid, r: int, roles: dict[int, str], texts: list[str]) -> bool:
    """A row holding one text that starts in the first column: a category spanning the
    table (一、政治建设方面), not a problem (its 序号 would be a number)."""
    if len(texts) != 1 or not grid.rows[r][0].strip() or grid.below[r][0]:
        return False
    text = texts[0]
    if NUMBER_CELL.match(text):
        return False
    return roles.get(0) in ("no", "category") or bool(CATEGORY_ROW.search(text))


def find_ledger(grid: Grid) -> Ledger | None:
    found = find_header(grid)
    if found is None:
        return None
    top, height, roles, _labels = found
    preamble = [" ".join(grid.own_texts(r)) for r in range(top) if grid.own_texts(r)]
    no_col = next((c for c, role in roles.items() if role == "no"), None)
    cat_col = next((c for c, role in roles.items() if role == "category"), None)
    rows: list[dict[str, str]] = []
    notes: list[str] = []
    category_row: str | None = None
    for r in range(top + height, len(grid.rows)):
        texts = grid.own_texts(r)
        if not texts:
            continue
        if notes or NOTES_ROW.match(texts[0]):
            notes.append(" ".join(texts))  # notes close the table: whatever follows is notes
            continue
        if TOTAL_ROW.match(texts[0]):
            continue
        if _is_category_row(grid, r, roles, texts):
            category_row = CATEGORY_PREFIX.sub("", texts[0]).strip()
            continue
        cells = grid.rows[r]
        values = {role: cells[c] for c, role in roles.items()}
        if no_col is not None and grid.below[r][no_col] and rows:
            # The 序号 cell continues a merged one: more of the problem above (its measures
            # over several rows). Copies of merged cells are left out so nothing doubles.
            values = {role: ("" if grid.below[r][c] else cells[c]) for c, role in roles.items()}
            values["no"] = ""
        elif category_row is not None and not (cat_col is not None and cells[cat_col].strip()):
            values["category"] = category_row
        rows.append(values)
    return Ledger(grid.name, roles, rows, preamble, notes,
                  has_category=cat_col is not None or category_row is not None)


# --- document fields ----------------------------------------------------------------------


def _iso(text: str) -> str | None:
    m = DATE_PARTS.search(text)
    if not m:
        return None
    return dates.make(m["y"], m["m"], m["d"]).iso()


def _unit_before(text: str) -> str | None:
    """The unit that opens a title or a file name: 中共青岚县财政局党组(巡察反馈问题整改台账)."""
    m = UNIT_END.search(text)
    if not m or m.start() < 2:
        return None
    unit = text[: m.start()].strip(" _-—、：:（(")
    return unit if UNIT_SUFFIX.search(unit) else None


@dataclass
class Hints:
    title: str | None = None
    unit: str | None = None
    date: str | None = None


def document_hints(ledgers: Sequence[Ledger], stem: str) -> Hints:
    """Title, unit and date from the rows above and below the tables, then the file name."""
    hints = Hints()
    lines = [t for ledger in ledgers for t in ledger.preamble + ledger.notes]
    for line in lines:
        flat = re.sub(r"\s+", "", line)
        if (hints.title is None and TITLE_WORDS.search(flat) and len(flat) <= MAX_TITLE_CHARS
                and "：" not in flat and ":" not in flat):
            hints.title = flat
        m = UNIT_CELL.search(line)
        if hints.unit is None and m:
            hints.unit = m["unit"]
        for piece in re.split(r"\s{2,}|\s(?=\S+[:：])", line):
            d = DATE_CELL.search(piece.strip())
            if hints.date is None and d:
                hints.date = _iso(d["date"])
    if hints.unit is None and hints.title:
        hints.unit = _unit_before(hints.title)
    if hints.unit is None:
        hints.unit = _unit_before(stem)
    if hints.date is None:
        m = NAME_DATE.search(stem)
        if m:
            if m["cy"]:
                hints.date = dates.make(m["cy"], m["cm"], m["cd"]).iso()
            else:
                hints.date = dates.make(m["y"], m["m"], m["d"]).iso()
    return hints


# --- blocks -------------------------------------------------------------------------------


def ledger_blocks(ledgers: Sequence[Ledger]) -> list[Block]:
    """The rows of every ledger as one canonical table (TABLE_ROW blocks), preceded by the
    distinct rows above the headers (PARAGRAPH blocks)."""
    blocks: list[Block] = []
    seen: set[str] = set()
    for ledger in ledgers:
        for line in ledger.preamble:
            if line not in seen:
                seen.add(line)
                blocks.append(Block(line, kind=PARAGRAPH))
    # One sheet per category: the sheet name is the category of a sheet that has none.
    by_sheet = len(ledgers) > 1 and not any(ledger.has_category for ledger in ledgers)
    roles_used = {role for ledger in ledgers for role in ledger.roles.values()}
    if by_sheet or any(ledger.has_category for ledger in ledgers):
        roles_used.add("category")
    columns = [(role, label) for role, label in CANONICAL_COLUMNS if role in roles_used]
    header = [label for _, label in columns]
    blocks.append(Block(row_text(header), kind=TABLE_ROW, cells=tuple(header)))
    position = 0
    for ledger in ledgers:
        sheet_category = ledger.sheet.strip() if by_sheet and not DEFAULT_SHEET_NAME.match(
            ledger.sheet.strip()) else ""
        numbered = "no" in ledger.roles.values()
        for values in ledger.rows:
            continuation = numbered and not values.get("no", "").strip()
            if not continuation:
                position += 1
            row = dict(values)
            if sheet_category and not row.get("category"):
                row["category"] = sheet_category
            if not numbered and "no" in roles_used:
                row["no"] = str(position)  # a sheet without 序号 among sheets with one
            cells = [row.get(role, "") for role, _ in columns]
            blocks.append(Block(row_text(cells), kind=TABLE_ROW, cells=tuple(cells)))
    return blocks


def grid_blocks(grids: Sequence[Grid]) -> list[Block]:
    """A workbook without a ledger: its rows as plain table rows (nothing to linearize)."""
    blocks: list[Block] = []
    for grid in grids:
        for r in range(len(grid.rows)):
            texts = grid.own_texts(r)
            if texts:
                blocks.append(Block(row_text(texts), kind=TABLE_ROW, cells=tuple(texts)))
    return blocks


# --- entry point --------------------------------------------------------------------------


def _convert_ole(data: bytes, kind: str) -> bytes:
    """.xls / .et bytes → .xlsx bytes via LibreOffice."""
    from .doc import convert

    suffix = ".et" if kind == "et" else ".xls"
    try:
        return convert(data, suffix, "xlsx")
    except UnreadableFile as exc:
        if kind == "et":
            raise UnsupportedFormat(
                "LibreOffice 无法打开该 WPS 表格（.et）文件",
                advice="请用 WPS 表格将文件另存为 xlsx 后再处理。") from exc
        raise


def read_grids(path: Path, data: bytes) -> tuple[list[Grid], str]:
    """The sheets of a workbook or csv file, and the kind read (xlsx, xls, et, csv)."""
    if data.startswith(OLE2_MAGIC) and OLE_ENCRYPTED_PACKAGE in data:
        raise EncryptedFile("表格文件受密码保护（加密的 xlsx 以 OLE 容器保存）")
    kind = detect_format(data, path.name)
    if kind == "xlsx" or data.startswith(ZIP_MAGIC):
        return read_xlsx_grids(data), "xlsx"
    if kind in ("xls", "et"):
        return read_xlsx_grids(_convert_ole(data, kind)), kind
    return [read_csv_grid(data, path.stem)], "csv"


def read(path: Path, data: bytes) -> SourceDocument:
    grids, kind = read_grids(path, data)
    if not any(any(v.strip() for v in row) for grid in grids for row in grid.rows):
        raise EmptyFile("表格中没有内容")
    ledgers = [ledger for grid in grids if (ledger := find_ledger(grid)) is not None]
    notes: list[str] = []
    if kind in ("xls", "et"):
        notes.append(f"由 LibreOffice 将 {kind} 转换为 xlsx 后读取")
    if not ledgers:
        notes.append("未找到整改台账的表头（序号、反馈问题、整改措施…），按普通表格读取")
        return SourceDocument(path=str(path), source_format="sheet", blocks=grid_blocks(grids),
                              notes=notes)
    hints = document_hints(ledgers, path.stem)
    blocks = linearize_tables(ledger_blocks(ledgers))
    return SourceDocument(path=str(path), source_format="sheet", blocks=blocks, title=hints.title,
                          publish_date=hints.date, unit=hints.unit, notes=notes)
