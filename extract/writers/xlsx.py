"""results.xlsx: every table of a run as a sheet, streamed as the run goes.

The documents sheet is written when the run finishes (a file's ``duplicate_of`` is
decided then), the others as the rows come.

Sheet names are the table names (documents, items, summary …), in the order of
:data:`extract.writers.tables.TABLE_ORDER`. Each sheet has a frozen header
row, an autofilter over the data, column widths that fit Chinese text (a CJK
character counts as two; sized on the first WIDTH_SAMPLE_ROWS rows), booleans as
Excel booleans and numbers as numbers. ``headers="zh"`` writes Chinese column
headers (``extract.writers.tables.HEADERS_ZH``). Text that looks like a
formula is stored as text. openpyxl's write-only mode keeps memory flat: each
sheet streams to a temporary file, and the workbook is written under a hidden
name and renamed into place when the run finishes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import ALL_TEMP_FILES, WorksheetWriter

from extract.records import ErrorRow
from extract.results import DocumentRow, RunTables
from extract.width import display_width
from extract.writers.atomic import TEMP_PREFIX
from extract.writers.tables import (
    TABLE_ORDER,
    closing_rows,
    document_rows,
    header_zh,
    known_columns,
    record_values,
)

log = logging.getLogger(__name__)

FILE_NAME = "results.xlsx"
HEADER_LANGUAGES = ("en", "zh")
#: Column width limits, in Excel character units.
MIN_WIDTH = 6
MAX_WIDTH = 60
#: Extra room beside the longest cell (filter button, padding).
WIDTH_PADDING = 3
#: Rows looked at (and held back) when sizing a sheet's columns (wide tables stay fast).
WIDTH_SAMPLE_ROWS = 2000
#: Excel's limit on sheet names.
SHEET_NAME_MAX = 31
#: Excel's limits: characters in a cell, rows in a sheet (header included).
CELL_TEXT_MAX = 32767
SHEET_ROWS_MAX = 1_048_576
TRUNCATION_MARK = "…（已截断，全文见 CSV）"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_FONT = Font(bold=True)


def _cell_value(value: Any) -> Any:
    if isinstance(value, str):
        # Control characters are not allowed in xlsx; drop them.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(value) > CELL_TEXT_MAX:
            value = value[: CELL_TEXT_MAX - len(TRUNCATION_MARK)] + TRUNCATION_MARK
    return value


class _Sheet:
    """One streamed sheet: the first rows held back until the column widths are known."""

    def __init__(self, workbook: Workbook, name: str, columns: Sequence[str], headers: str,
                 temp_dir: Path) -> None:
        self.name = name
        self.sheet = workbook.create_sheet(title=name[:SHEET_NAME_MAX])
        self.temp_path = temp_dir / f"{TEMP_PREFIX}{FILE_NAME}.{name}.xml"
        self.titles = [header_zh(c, name) if headers == "zh" else c for c in columns]
        self.held: list[tuple[Any, ...]] | None = []
        self.rows = 0

    def add(self, values: Sequence[Any]) -> None:
        if self.rows >= SHEET_ROWS_MAX - 1:
            if self.rows == SHEET_ROWS_MAX - 1:
                log.warning("%s: more rows than an Excel sheet holds; the first %d are written "
                            "(all are in %s.csv)", self.name, SHEET_ROWS_MAX - 1, self.name)
                self.rows += 1
            return
        self.rows += 1
        row = tuple(_cell_value(v) for v in values)
        if self.held is not None:
            self.held.append(row)
            if len(self.held) >= WIDTH_SAMPLE_ROWS:
                self._start()
            return
        self._append(row)

    def _start(self) -> None:
        """Size the columns on the rows held back, write the header and those rows."""
        held, self.held = self.held or [], None
        widths = [display_width(t) for t in self.titles]
        for values in held:
            for i, value in enumerate(values):
                if value is not None:
                    widths[i] = max(widths[i], display_width(str(value)))
        for i, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(i)].width = min(
                MAX_WIDTH, max(MIN_WIDTH, width + WIDTH_PADDING))
        self.sheet.freeze_panes = "A2"
        # The sheet's rows stream to a file beside the outputs, not in the system's temporary
        # folder: an interrupted run leaves nothing there, a full output disk fails here.
        # (What WriteOnlyWorksheet._get_writer does, with our file.)
        self.temp_path.touch()
        ALL_TEMP_FILES.append(str(self.temp_path))  # openpyxl removes it after saving
        self.sheet._writer = WorksheetWriter(self.sheet, out=str(self.temp_path))
        self.sheet._writer.write_top()
        header = []
        for title in self.titles:
            cell = WriteOnlyCell(self.sheet, value=title)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(vertical="center")
            header.append(cell)
        self.sheet.append(header)
        for row in held:
            self._append(row)

    def _append(self, row: tuple[Any, ...]) -> None:
        if any(isinstance(v, str) and v.startswith("=") for v in row):
            cells: list[Any] = []
            for value in row:  # text that looks like a formula stays text
                if isinstance(value, str) and value.startswith("="):
                    cell = WriteOnlyCell(self.sheet, value=value)
                    cell.data_type = "s"
                    value = cell
                cells.append(value)
            self.sheet.append(cells)
        else:
            self.sheet.append(row)

    def close(self) -> None:
        if self.held is not None:
            self._start()
        last_column = get_column_letter(max(1, len(self.titles)))
        written = min(self.rows, SHEET_ROWS_MAX - 1)
        self.sheet.auto_filter.ref = f"A1:{last_column}{written + 1}"


class XlsxSink:
    """Streams every table into ``out_dir/results.xlsx`` (renamed into place on finish)."""

    needs_records = True
    needs_checks = False
    needs_analysis = True

    def __init__(self, out_dir: Path, headers: str = "en") -> None:
        if headers not in HEADER_LANGUAGES:
            raise ValueError(f"headers must be one of {HEADER_LANGUAGES}, not {headers!r}")
        self.path = Path(out_dir) / FILE_NAME
        self.workbook = Workbook(write_only=True)
        self.sheets = {name: _Sheet(self.workbook, name, known_columns(name), headers,
                                    Path(out_dir))
                       for name in TABLE_ORDER}

    def document(self, row: DocumentRow) -> None:
        for name, values in document_rows(row):
            self.sheets[name].add(values)

    def error(self, row: ErrorRow) -> None:
        self.sheets["errors"].add(record_values(row))

    def finish(self, tables: RunTables) -> list[Path]:
        for name, values in closing_rows(tables):
            self.sheets[name].add(values)
        for sheet in self.sheets.values():
            sheet.close()
        tmp = self.path.with_name(f"{TEMP_PREFIX}{FILE_NAME}")
        self.workbook.save(tmp)
        tmp.replace(self.path)
        return [self.path]

    def discard(self) -> None:
        """Drop the sheets' temporary files; a previous results.xlsx stays. The sheets' open
        XML streams are closed here, quietly (left to the garbage collector they print
        "Exception ignored" tracebacks: an element left open cannot be ended)."""
        for sheet in self.sheets.values():
            ws = sheet.sheet
            writer = getattr(ws, "_writer", None)
            streams = [getattr(ws, "_rows", None), getattr(writer, "xf", None)]
            for stream in streams:  # the rows inside the sheet's stream: inner first
                if stream is not None:
                    try:
                        stream.close()
                    except Exception:  # noqa: BLE001, S110 - an unfinished stream: dropped
                        pass
            if writer is not None:
                try:
                    writer.cleanup()
                except (OSError, ValueError):
                    pass
