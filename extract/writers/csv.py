"""Streaming, atomic CSV writers for the contract tables.

Format (CONTRACT.md, "Files written to DIR"):

* UTF-8 **with BOM** (Excel on Chinese Windows detects the encoding from it);
* comma-separated, RFC 4180 quoting by the :mod:`csv` module (``QUOTE_MINIMAL``:
  a field is quoted when it holds a comma, a double quote or a line break;
  quotes are doubled);
* records end with ``\\r\\n`` (:data:`LINE_TERMINATOR`, as RFC 4180 says and
  Excel writes); a line break *inside* a field is kept as written (``\\n``),
  within the quotes;
* one header row, in record field order (:func:`extract.records.column_names`);
* ``true``/``false`` for booleans, ISO 8601 for dates, an empty cell for None;
* **no formula cells**: a text cell that begins with ``=``, ``+``, ``-``, ``@``,
  a tab or a carriage return (what Excel and LibreOffice read as the start of a
  formula: ``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``) is written with a leading
  ``'`` (OWASP's advice for CSV); so is one that already begins with ``'``
  followed by those, so that :func:`unescape_formula` gives back every text
  exactly. Numbers, booleans and dates are written as they are.

Atomicity: a table is written to a hidden temporary file in the output folder
(same file system) and renamed over the final name with :func:`os.replace`
only when complete. An interrupted run removes its temporary file and leaves
the previous complete CSV in place.
"""

from __future__ import annotations

import csv
import io
import logging
import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, get_args, get_type_hints

from extract.records import Check, DocumentFields, ErrorRow, Item, Measure, Section, column_names
from extract.results import DocumentRow, RunTables
from extract.writers.atomic import AtomicTextFile, commit_all

log = logging.getLogger(__name__)

#: Byte-order mark written first: makes Excel read the file as UTF-8.
BOM = "\ufeff"
#: Record separator (RFC 4180).
LINE_TERMINATOR = "\r\n"

#: The per-document tables, file name -> record type (the column order).
DOCUMENT_TABLES: dict[str, type] = {
    "documents.csv": DocumentFields,
    "sections.csv": Section,
    "items.csv": Item,
    "measures.csv": Measure,
    "checks.csv": Check,
    "errors.csv": ErrorRow,
}


#: First characters of a text cell a spreadsheet may take as a formula (OWASP, CSV injection).
FORMULA_STARTS = frozenset("=+-@\t\r")
#: A text that needs the leading ``'``: a formula start, or ``'``s before one (kept reversible).
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
#: First characters worth the regex (the cheap test on every text cell).
_SUSPECT_STARTS = FORMULA_STARTS | {"'"}


def escape_formula(text: str) -> str:
    """``text`` as a cell no spreadsheet runs: a leading ``'`` when it begins like a formula."""
    if text[:1] in _SUSPECT_STARTS and _NEEDS_QUOTE.match(text):
        return "'" + text
    return text


def unescape_formula(text: str) -> str:
    """The text :func:`escape_formula` was given (reading a CSV this module wrote)."""
    if text[:1] == "'" and _NEEDS_QUOTE.match(text, 1):
        return text[1:]
    return text


def format_value(value: Any) -> str:
    """One cell: None -> '', bool -> true/false, date -> ISO, float -> shortest repr, text
    that begins like a formula -> with a leading ``'``."""
    if type(value) is str:  # the common case first: this runs once per cell
        return escape_formula(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float):
        if value != value:  # NaN (pandas' missing value) is "not stated"
            return ""
        return repr(value)
    return str(value)


def _row_values(record: Any, columns: Sequence[str]) -> list[str]:
    if isinstance(record, Mapping):
        return _cells(list(map(record.get, columns)))
    if is_dataclass(record):
        return [format_value(getattr(record, c, None)) for c in columns]
    return [format_value(v) for v in record]


def _cells(values: Sequence[Any]) -> list[str]:
    # The str test inline: this runs for every cell of every row.
    return [(v if v[:1] not in _SUSPECT_STARTS else escape_formula(v)) if type(v) is str
            else "" if v is None else format_value(v) for v in values]


class AtomicCsvWriter(AtomicTextFile):
    """One CSV table written row by row to a temporary file, renamed on :meth:`commit`.

    Use as a context manager: leaving the block normally commits, leaving it
    with an exception discards the temporary file and keeps any previous file.
    """

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        super().__init__(path, newline="")
        self.columns = list(columns)
        self.rows = 0
        self._file.write(BOM)
        self._writer = csv.writer(self._file, lineterminator=LINE_TERMINATOR)
        self._writer.writerow(self.columns)
        self._record_type: type | None = None
        self._getter: Callable[[Any], Sequence[Any]] = operator.attrgetter(*self.columns)
        self._special: tuple[int, ...] = ()  # columns formatted by format_value (see _bind)
        self._text: tuple[int, ...] = ()  # text columns (escape_formula)

    def write(self, record: Any) -> None:
        """Append one row: a dataclass record, a mapping by column name, or a sequence."""
        if type(record) is self._record_type:  # fast path: the table's own record type
            self._writer.writerow(_formatted(self._getter(record), self._special, self._text))
        else:
            if is_dataclass(record) and not isinstance(record, type) and self._record_type is None:
                self._bind(type(record))
            if type(record) is self._record_type:
                self._writer.writerow(_formatted(self._getter(record), self._special, self._text))
            else:
                self._writer.writerow(_row_values(record, self.columns))
        self.rows += 1

    def _bind(self, record_type: type) -> None:
        """Remember a record type whose fields include every column: rows via attrgetter."""
        names = {f.name for f in fields(record_type)}
        if set(self.columns) <= names and len(self.columns) > 1:
            special = formatted_columns(record_type, tuple(self.columns))
            self._record_type = record_type
            self._getter = operator.attrgetter(*self.columns)
            if special is None:
                self._special, self._text = tuple(range(len(self.columns))), ()
            else:
                self._special, self._text = special, text_columns(record_type, tuple(self.columns))

    def write_many(self, records: Iterable[Any]) -> None:
        for record in records:
            self.write(record)

    def write_rendered(self, text: str, rows: int) -> None:
        """Append rows already rendered by :func:`render_rows` for this table's record type."""
        self._file.write(text)
        self.rows += rows



class DocumentTables:
    """The six per-document tables, streamed together and committed together.

    Each file is renamed into place on its own (atomic per file); if anything
    fails before :meth:`commit`, every temporary file is removed.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self.writers: dict[str, AtomicCsvWriter] = {}
        try:
            for name, record_type in DOCUMENT_TABLES.items():
                self.writers[name] = AtomicCsvWriter(self.out_dir / name, column_names(record_type))
        except BaseException:
            self.discard()
            raise

    def write_document(self, document: DocumentFields | None, sections: Iterable[Section] = (),
                       items: Iterable[Item] = (), measures: Iterable[Measure] = (),
                       checks: Iterable[Check] = ()) -> None:
        """A document's rows (``document`` None: its documents.csv row is written later, by
        :meth:`write_documents`)."""
        if document is not None:
            self.writers["documents.csv"].write(document)
        self.writers["sections.csv"].write_many(sections)
        self.writers["items.csv"].write_many(items)
        self.writers["measures.csv"].write_many(measures)
        self.writers["checks.csv"].write_many(checks)

    def write_rendered(self, document: DocumentFields | None, rendered: Mapping[str, str],
                       counts: Mapping[str, int]) -> None:
        """The document row (unless None), plus the other tables' rows rendered elsewhere (a
        worker, the cache)."""
        if document is not None:
            self.writers["documents.csv"].write(document)
        for name, text in rendered.items():
            self.writers[name].write_rendered(text, counts.get(name, 0))

    def write_documents(self, documents: Iterable[DocumentFields]) -> None:
        self.writers["documents.csv"].write_many(documents)

    def write_checks(self, checks: Iterable[Check]) -> None:
        self.writers["checks.csv"].write_many(checks)

    def write_error(self, error: ErrorRow) -> None:
        self.writers["errors.csv"].write(error)

    def commit(self) -> list[Path]:
        return commit_all(list(self.writers.values()))

    def discard(self) -> None:
        for w in self.writers.values():
            w.discard()


#: Tables whose rows do not depend on where the file was found (no source_path): a worker
#: can render them, and the cache can keep them as text.
RENDERABLE_TABLES: dict[str, str] = {
    "sections.csv": "sections",
    "items.csv": "items",
    "measures.csv": "measures",
    "checks.csv": "checks",
}


def render_rows(record_type: type, records: Iterable[Any]) -> str:
    """CSV text of some rows (no BOM, no header), exactly as AtomicCsvWriter writes them."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=LINE_TERMINATOR)
    columns = tuple(column_names(record_type))
    getter = operator.attrgetter(*columns)
    special = formatted_columns(record_type, columns)
    if special is None:
        for record in records:
            writer.writerow(_cells(getter(record)))
    else:
        text = text_columns(record_type, columns)
        for record in records:
            writer.writerow(_formatted(getter(record), special, text))
    return buffer.getvalue()


@cache
def formatted_columns(record_type: type, columns: tuple[str, ...]) -> tuple[int, ...] | None:
    """Indexes of the ``columns`` of ``record_type`` whose values need :func:`format_value`
    (bool, float, date…): the csv module itself writes str and int as format_value
    does, and None as an empty cell. None when a column is not a field of the type."""
    hints = get_type_hints(record_type)
    special = []
    for i, name in enumerate(columns):
        if name not in hints:
            return None
        kinds = set(get_args(hints[name])) or {hints[name]}
        if kinds - {str, int, type(None)} or bool in kinds:
            special.append(i)
    return tuple(special)


@cache
def text_columns(record_type: type, columns: tuple[str, ...]) -> tuple[int, ...]:
    """Indexes of the ``columns`` of ``record_type`` that may hold text and are not
    formatted by :func:`format_value` (which escapes text itself): escape_formula."""
    hints = get_type_hints(record_type)
    special = formatted_columns(record_type, columns) or ()
    return tuple(i for i, name in enumerate(columns)
                 if i not in special and str in (set(get_args(hints[name])) or {hints[name]}))


def _formatted(values: Sequence[Any], special: tuple[int, ...], text: tuple[int, ...]) -> list[Any]:
    row = list(values)
    for i in text:
        v = row[i]
        if type(v) is str and v[:1] in _SUSPECT_STARTS:
            row[i] = escape_formula(v)
    for i in special:
        row[i] = format_value(row[i])
    return row


def write_table(path: Path, columns: Sequence[str], rows: Iterable[Any]) -> Path:
    """Write one whole table atomically (header always, even without rows)."""
    with AtomicCsvWriter(path, columns) as writer:
        writer.write_many(rows)
    return Path(path)


class CsvSink:
    """The contract's CSV tables in ``out_dir``: sections, items, measures, checks and errors
    streamed as the run goes (rows rendered in the workers when given); documents.csv when
    the run finishes (whether a file is a copy of another is known only then: its
    ``duplicate_of``), with the findings of the run's end appended to checks.csv; then
    summary/incomplete/themes/history (``analysis=False``: the per-document tables only);
    every file renamed into place only when the run finishes."""

    needs_records = False
    needs_checks = False

    def __init__(self, out_dir: Path, analysis: bool = True) -> None:
        self.out_dir = Path(out_dir)
        self.analysis = self.needs_analysis = analysis
        self.tables = DocumentTables(self.out_dir)

    def document(self, row: DocumentRow) -> None:
        if row.rendered is not None:
            self.tables.write_rendered(None, row.rendered, row.counts)
        else:
            parsed = row.records()
            self.tables.write_document(None, parsed.sections, parsed.items, parsed.measures,
                                       parsed.checks)
        if row.extra_checks:
            self.tables.write_checks(row.extra_checks)

    def error(self, row: ErrorRow) -> None:
        self.tables.write_error(row)

    def finish(self, tables: RunTables) -> list[Path]:
        self.tables.write_documents(tables.documents)
        self.tables.write_checks(tables.late_checks)
        written = self.tables.commit()
        for name, (columns, rows) in (tables.analysis() if self.analysis else {}).items():
            written.append(write_table(self.out_dir / f"{name}.csv", columns, rows))
        return written

    def discard(self) -> None:
        self.tables.discard()
