"""results.xlsx: every CSV table of the output folder as a sheet.

Sheet names are the table names (documents, items, summary …). Each sheet
has a frozen header row, an autofilter over the data, column widths that fit
Chinese text (a CJK character counts as two), booleans as Excel booleans and
numbers as numbers. ``headers="zh"`` writes Chinese column headers
(``extract.writers.tables.HEADERS_ZH``).
"""

from __future__ import annotations

import logging
import unicodedata
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from extract.writers.tables import header_zh, read_tables

log = logging.getLogger(__name__)

FILE_NAME = "results.xlsx"
HEADER_LANGUAGES = ("en", "zh")
#: Column width limits, in Excel character units.
MIN_WIDTH = 6
MAX_WIDTH = 60
#: Extra room beside the longest cell (filter button, padding).
WIDTH_PADDING = 3
#: Rows looked at when sizing columns (wide tables stay fast).
WIDTH_SAMPLE_ROWS = 2000
#: Excel's limit on sheet names.
SHEET_NAME_MAX = 31
#: Excel's limits: characters in a cell, rows in a sheet (header included).
CELL_TEXT_MAX = 32767
SHEET_ROWS_MAX = 1_048_576
TRUNCATION_MARK = "…（已截断，全文见 CSV）"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_FONT = Font(bold=True)


def display_width(text: str) -> int:
    """Width of text in Excel units: wide (CJK, full-width) characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _cell_value(value: Any) -> Any:
    if isinstance(value, str):
        # Control characters are not allowed in xlsx; drop them.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(value) > CELL_TEXT_MAX:
            value = value[: CELL_TEXT_MAX - len(TRUNCATION_MARK)] + TRUNCATION_MARK
    return value


def _sheet_row(sheet: Any, values: tuple[Any, ...]) -> list[Any]:
    """Cell values for a write-only sheet; text that looks like a formula stays text."""
    row: list[Any] = []
    for value in values:
        value = _cell_value(value)
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            value = cell
        row.append(value)
    return row


def write(out_dir: Path, headers: str = "en") -> Path:
    """Write ``out_dir/results.xlsx`` from the CSV tables in ``out_dir``.

    Streams (openpyxl write-only mode): column widths come from the header
    and the first WIDTH_SAMPLE_ROWS rows.
    """
    if headers not in HEADER_LANGUAGES:
        raise ValueError(f"headers must be one of {HEADER_LANGUAGES}, not {headers!r}")
    out_dir = Path(out_dir)
    workbook = Workbook(write_only=True)
    for name, table in read_tables(out_dir).items():
        sheet = workbook.create_sheet(title=name[:SHEET_NAME_MAX])
        titles = [header_zh(c, name) if headers == "zh" else c for c in table.columns]
        rows = table.tuples()
        if len(rows) >= SHEET_ROWS_MAX:
            log.warning("%s: %d rows exceed an Excel sheet; the first %d are written (all are in "
                        "%s.csv)", name, len(rows), SHEET_ROWS_MAX - 1, name)
            rows = rows[: SHEET_ROWS_MAX - 1]
        widths = [display_width(t) for t in titles]
        for values in rows[:WIDTH_SAMPLE_ROWS]:
            for i, value in enumerate(values):
                if value is not None:
                    widths[i] = max(widths[i], display_width(str(value)))
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = min(
                MAX_WIDTH, max(MIN_WIDTH, width + WIDTH_PADDING)
            )
        sheet.freeze_panes = "A2"
        last_column = get_column_letter(max(1, len(titles)))
        sheet.auto_filter.ref = f"A1:{last_column}{len(rows) + 1}"
        header_cells = []
        for title in titles:
            cell = WriteOnlyCell(sheet, value=title)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(vertical="center")
            header_cells.append(cell)
        sheet.append(header_cells)
        for values in rows:
            sheet.append(_sheet_row(sheet, values))
    if not workbook.sheetnames:
        workbook.create_sheet(title="empty")
    path = out_dir / FILE_NAME
    tmp = path.with_name(f".tmp-{FILE_NAME}")
    workbook.save(tmp)
    tmp.replace(path)
    return path
