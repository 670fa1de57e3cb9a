"""Output writers, one module per format, each a sink of a run (:mod:`extract.results`).

* ``csv``    – the contract tables, streamed, UTF-8 with BOM (always written);
* ``jsonl``  – documents.jsonl, one nested record per document, streamed;
* ``xlsx``   – results.xlsx, every table a sheet, streamed (write-only workbook);
* ``sqlite`` – results.sqlite, typed tables, indexes, FTS5 trigram search, a view;
* ``html``   – report.html, self-contained, drawn when the run finishes.

Each writes under a hidden temporary name and renames into place when the run
finishes; none reads back what another wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from extract.results import Sink

#: Output formats accepted by ``--format``; csv is always written.
FORMATS = ("csv", "xlsx", "sqlite", "jsonl", "html")


def open_sinks(out_dir: Path, formats: Iterable[str] = ("csv",), headers: str = "en",
               source_roots: Sequence[Path] = ()) -> list[Sink]:
    """The sinks writing ``formats`` into ``out_dir`` (csv always), in a fixed order."""
    wanted = {"csv", *formats}
    unknown = wanted - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown formats: {sorted(unknown)} (known: {', '.join(FORMATS)})")
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

        sinks.append(HtmlSink(out_dir, source_roots))
    return sinks
