"""Output writers, one module per format, each a sink of a run (:mod:`extract.results`).

* ``csv``    – the contract tables, streamed, UTF-8 with BOM (always written);
* ``jsonl``  – documents.jsonl, one nested record per document, streamed;
* ``xlsx``   – results.xlsx, every table a sheet, streamed (write-only workbook);
* ``sqlite`` – results.sqlite, typed tables, indexes, FTS5 trigram search, a view;
* ``html``   – report.html, self-contained, drawn when the run finishes.

The sinks of an output folder write into a staging folder that replaces the
folder's previous outputs as a whole when the run finishes
(:class:`extract.writers.folder.OutputFolder`, from :func:`open_output`); none
reads back what another wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from extract.results import Sink

if TYPE_CHECKING:
    from extract.writers.folder import OutputFolder

#: Output formats accepted by ``--format``; csv is always written.
FORMATS = ("csv", "xlsx", "sqlite", "jsonl", "html")
#: Every file a sink may write into an output folder. A run replaces all of them (one
#: it does not write is removed with the previous set); anything else there is kept.
OUTPUT_FILES = ("documents.csv", "sections.csv", "items.csv", "measures.csv", "checks.csv",
                "errors.csv", "summary.csv", "incomplete.csv", "themes.csv", "history.csv",
                "documents.jsonl", "results.xlsx", "results.sqlite", "report.html")


def open_output(out_dir: Path, formats: Iterable[str] = ("csv",), headers: str = "en",
                source_roots: Sequence[Path] = ()) -> OutputFolder:
    """One sink for the output folder ``out_dir``: the sinks of ``formats`` (csv always),
    writing into a staging folder swapped in whole when the run finishes. Holds the
    folder's lock until then (:class:`~extract.writers.folder.FolderBusy` if another run
    has it)."""
    check_formats(formats)
    from extract.writers.folder import OutputFolder

    final = Path(out_dir)
    return OutputFolder(final, lambda staging: open_sinks(staging, formats, headers, source_roots,
                                                           link_dir=final),
                        OUTPUT_FILES)


def check_formats(formats: Iterable[str]) -> set[str]:
    """The formats wanted (csv always); ValueError naming an unknown one."""
    wanted = {"csv", *formats}
    unknown = wanted - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown formats: {sorted(unknown)} (known: {', '.join(FORMATS)})")
    return wanted


def open_sinks(out_dir: Path, formats: Iterable[str] = ("csv",), headers: str = "en",
               source_roots: Sequence[Path] = (), link_dir: Path | None = None) -> list[Sink]:
    """The sinks writing ``formats`` into ``out_dir`` (csv always), in a fixed order, each
    renaming its own files into place (no lock, no swap: see :func:`open_output`).
    ``link_dir``: where the report will finally be, for its links to the sources."""
    wanted = check_formats(formats)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sinks: list[Sink] = []
    from extract.writers.csv import CsvSink

    sinks.append(CsvSink(out_dir))
    if "jsonl" in wanted:
        from extract.writers.jsonl import JsonlSink

        sinks.append(JsonlSink(out_dir))
    if "xlsx" in wanted:
        from extract.writers.xlsx import XlsxSink

        sinks.append(XlsxSink(out_dir, headers))
    if "sqlite" in wanted:
        from extract.writers.sqlite import SqliteSink

        sinks.append(SqliteSink(out_dir))
    if "html" in wanted:
        from extract.writers.html import HtmlSink

        sinks.append(HtmlSink(out_dir, source_roots, link_dir=link_dir))
    return sinks
