"""One result at the centre: what a run found, and the sinks its rows stream to.

A run (:mod:`extract.batch`) hands every document, as soon as it is parsed and in
input order, to each of its :class:`Sink` objects — the CSV tables, the JSONL
file, the workbook, the SQLite database, or :class:`MemorySink` for a notebook
— and keeps the small rows the analysis across units needs in a
:class:`RunTables`. At the end every sink is finished with that RunTables:
the analysis tables (summary, incomplete, themes, history) are computed once, there,
and every writer is a function of the same result. No writer reads back what
another wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from extract.records import Check, DocumentFields, ErrorRow, ParsedDocument
from extract.serialize import asdict

Row = dict[str, Any]
#: (column names, rows) of one analysis table.
Table = tuple[list[str], list[Row]]


@dataclass
class DocumentRow:
    """One documents.csv row and what comes with it, as a sink receives it.

    ``parsed``: the whole parse (records) when a sink asked for it
    (:attr:`Sink.needs_records`); ``rendered``: the CSV text of its sections,
    items, measures and checks made in the worker (the CSV sink's fast path);
    ``extra_checks``: findings about the file itself (``duplicate_file``);
    ``duplicate_of``: the source_path of the file with the same bytes.
    """

    document: DocumentFields
    parsed: ParsedDocument | None = None
    rendered: dict[str, str] | None = None
    counts: dict[str, int] = field(default_factory=dict)
    extra_checks: list[Check] = field(default_factory=list)
    duplicate_of: str | None = None

    def records(self) -> ParsedDocument:
        """The document's records (a duplicate's are empty: they are listed under its first file)."""
        if self.parsed is not None:
            return self.parsed
        if self.duplicate_of is not None:
            return ParsedDocument(document=self.document)
        raise ValueError(f"{self.document.source_path}: the parse was not kept (a sink needing "
                         "records must say so with needs_records)")


@dataclass
class RunTables:
    """What a run found, in the rows the writers and the analysis need.

    ``documents``: every documents.csv row, in input order — copies of a bulletin too
    (``duplicate_of`` set when the run finishes: :mod:`extract.copies`); ``items``: the
    items' analysis fields (``Item`` or the compact ``KeptItem``); ``checks`` and
    ``errors``: every row; ``late_checks``: the findings known only at the end of the run
    (``near_duplicate``), which the sinks write when they finish.
    Sections and measures are not kept here (a :class:`MemorySink` keeps them).
    """

    as_of: date
    documents: list[DocumentFields] = field(default_factory=list)
    items: list[Any] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    errors: list[ErrorRow] = field(default_factory=list)
    late_checks: list[Check] = field(default_factory=list)
    source_roots: list[Path] = field(default_factory=list)  # where source_path is relative to
    _analysis: dict[str, Table] | None = field(default=None, repr=False)

    def analysis(self) -> dict[str, Table]:
        """summary, incomplete, themes and history (computed once, on first use)."""
        if self._analysis is None:
            from extract.analysis import build_tables

            self._analysis = build_tables(self.documents, self.items, self.checks, self.as_of)
        return self._analysis

    def rows(self, name: str) -> list[Row]:
        """A table as dict rows: documents, items, checks, errors or an analysis table."""
        from extract.analysis import TABLE_COLUMNS

        if name in TABLE_COLUMNS:
            return self.analysis()[name][1]
        tables: dict[str, Sequence[Any]] = {"documents": self.documents, "checks": self.checks,
                                            "errors": self.errors}
        records = tables.get(name, ())
        if name == "items":
            from extract.serialize import ANALYSIS_ITEM_FIELDS

            return [{f: getattr(it, f) for f in ANALYSIS_ITEM_FIELDS} for it in self.items]
        return [asdict(r) for r in records]


class Sink(Protocol):
    """Where a run's rows go. ``document``/``error`` are called in input order while the run
    goes on; ``finish`` once at the end (it writes what needs the whole run and makes the
    output visible); ``discard`` instead of ``finish`` when the run is interrupted."""

    #: Whether :meth:`document` needs ``DocumentRow.parsed`` (workers then send the whole parse).
    needs_records: bool
    #: Whether :meth:`finish` reads ``RunTables.checks`` whole (the report lists them); the
    #: others count severities only, and the run keeps no messages for them.
    needs_checks: bool
    #: Whether :meth:`finish` writes the analysis (summary, incomplete, themes, history): the
    #: run then loads the themes' dictionary while the files are parsed. Absent means no.
    needs_analysis: bool

    def document(self, row: DocumentRow) -> None: ...
    def error(self, row: ErrorRow) -> None: ...
    def finish(self, tables: RunTables) -> list[Path]: ...
    def discard(self) -> None: ...


class MemorySink:
    """Keeps every row in memory, in order: for a notebook's frames, and to write the run
    later into any format (:meth:`replay`)."""

    needs_records = True
    needs_checks = True  # a later write() may draw the report
    needs_analysis = False  # computed if and when asked for

    def __init__(self) -> None:
        self.rows: list[DocumentRow | ErrorRow] = []
        self.late_checks: list[Check] = []

    def document(self, row: DocumentRow) -> None:
        self.rows.append(DocumentRow(row.document, row.records(), None, row.counts,
                                     list(row.extra_checks), row.duplicate_of))

    def error(self, row: ErrorRow) -> None:
        self.rows.append(row)

    def finish(self, tables: RunTables) -> list[Path]:
        self.late_checks = list(tables.late_checks)
        return []

    def discard(self) -> None:
        self.rows.clear()

    def replay(self, sinks: Sequence[Sink]) -> None:
        """Feed every kept row, in order, to other sinks."""
        for row in self.rows:
            for sink in sinks:
                if isinstance(row, DocumentRow):
                    sink.document(row)
                else:
                    sink.error(row)

    def table(self, name: str) -> list[Any]:
        """The records of one per-document table: documents, sections, items, measures,
        checks (with the files' own findings and those of the run's end) or errors."""
        out: list[Any] = []
        for row in self.rows:
            if isinstance(row, ErrorRow):
                if name == "errors":
                    out.append(row)
                continue
            parsed = row.records()
            if name == "documents":
                out.append(row.document)
            elif name == "checks":
                out.extend(parsed.checks)
                out.extend(row.extra_checks)
            elif name in ("sections", "items", "measures"):
                if row.duplicate_of is None:
                    out.extend(getattr(parsed, name))
        if name == "checks":
            out.extend(self.late_checks)
        return out
