"""The library: parse a file or a folder of bulletins, get tables, write them anywhere.

In a notebook::

    from datetime import date
    from extract import parse_folder

    run = parse_folder("通报/", as_of=date(2025, 6, 30), workers=4)   # writes nothing
    run.frames()["items"]          # pandas DataFrames with the contract's dtypes
    run.analysis()["summary"]      # summary / incomplete / themes as DataFrames
    run.write("结果/", formats=("csv", "xlsx", "sqlite", "html"))

One file: :func:`parse_file` returns its :class:`~extract.records.ParsedDocument`.
The ``zhenggai`` command is this, streamed: ``parse_folder(inputs, out=…,
formats=…)`` writes each document to the output folder as it is parsed, so
memory stays flat over a large archive (``frames()`` is then not available).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from extract.batch import BatchOptions, BatchResult, Progress, available_cpus, run_batch
from extract.pipeline import parse_file
from extract.results import MemorySink, RunTables, Sink
from extract.writers.tables import TABLE_ORDER, to_frame

if TYPE_CHECKING:
    import pandas as pd

#: The per-document tables (the others are the analysis: summary, incomplete, themes, history).
DOCUMENT_TABLE_NAMES = ("documents", "sections", "items", "measures", "checks", "errors")


class Run:
    """What :func:`parse_folder` found: the counts, the tables, and ways to write them."""

    def __init__(self, result: BatchResult, memory: MemorySink | None) -> None:
        self.result = result
        self.tables: RunTables = result.tables
        self._memory = memory

    @property
    def written(self) -> list[Path]:
        """The files written so far (by a streamed run or :meth:`write`)."""
        return self.result.written

    def frames(self) -> dict[str, pd.DataFrame]:
        """documents, sections, items, measures, checks, errors as DataFrames, columns in
        contract order with its dtypes (string, Int64, Float64, boolean; missing <NA>)."""
        memory = self._kept()
        from extract.writers.tables import record_values

        return {name: to_frame(name, [record_values(r) for r in memory.table(name)])
                for name in DOCUMENT_TABLE_NAMES}

    def analysis(self) -> dict[str, pd.DataFrame]:
        """summary, incomplete, themes and history as DataFrames (the analysis across units;
        each bulletin counted once, copies left out)."""
        return {name: to_frame(name, [tuple(r.get(c) for c in columns) for r in rows], columns)
                for name, (columns, rows) in self.tables.analysis().items()}

    def write(self, out: str | Path, formats: Iterable[str] = ("csv",), headers: str = "en") -> list[Path]:
        """Write every table into ``out`` in ``formats`` (csv, xlsx, sqlite, jsonl, html; csv is
        always written). Returns the files written."""
        from extract.writers import open_output

        memory = self._kept()
        folder = open_output(Path(out), formats, headers, self.tables.source_roots)
        try:
            memory.replay([folder])
            written = folder.finish(self.tables)
        except BaseException:
            folder.discard()
            raise
        self.result.written += written
        return written

    def _kept(self) -> MemorySink:
        if self._memory is None:
            raise RuntimeError("这次运行把结果直接写入了输出文件夹，没有在内存中保留各表；"
                               "需要 frames()/write() 时请不带 out 参数调用 parse_folder。")
        return self._memory

    def __repr__(self) -> str:
        r = self.result
        return (f"<Run {r.documents} documents ({r.bulletins} bulletins), {r.items} items, "
                f"{r.failed} failed>")


def parse_folder(inputs: str | Path | Sequence[str | Path], *, as_of: date | None = None,
                 workers: int | None = None, out: str | Path | None = None,
                 formats: Iterable[str] = ("csv",), headers: str = "en",
                 cache: bool | str | Path = True, timeout_s: float | None = None,
                 max_size: int | None = None, executor: str = "local", scheduler: str | None = None,
                 progress: Progress | None = None, verbose: bool = False,
                 sinks: Sequence[Sink] | None = None, max_memory: int | None = None) -> Run:
    """Parse every file under ``inputs`` (files and folders, searched recursively).

    Without ``out`` nothing is written: every record stays in memory for
    :meth:`Run.frames` and :meth:`Run.write`. With ``out`` the tables of
    ``formats`` stream into that folder as files are parsed (the command line's
    way: memory stays flat). ``cache``: True keeps parses in ``out/.cache`` (no
    cache without ``out``), a path keeps them there, False parses everything.
    ``sinks``: other places for the rows (:class:`extract.results.Sink`). ``max_size``
    (bytes) replaces the size limits of each kind of file with one for all; ``max_memory``
    bounds each local worker's memory (bytes, 0 for none; default 4 GiB).
    """
    paths = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
    options = BatchOptions(out_dir=Path(out) if out is not None else None,
                           as_of=as_of or date.today(), workers=workers or available_cpus(),
                           use_cache=cache is not False, verbose=verbose,
                           cache_dir=Path(cache) if isinstance(cache, (str, Path)) else None,
                           executor=executor, scheduler=scheduler)
    if timeout_s is not None:
        options = replace(options, timeout_s=timeout_s)
    if max_size is not None:
        options = replace(options, max_size=max_size, format_limits=False)
    if max_memory is not None:
        options = replace(options, max_memory=max_memory)
    chosen: list[Sink] = list(sinks or [])
    memory: MemorySink | None = None
    folder = None
    try:
        if out is not None:
            from extract.batch import source_roots
            from extract.writers import open_output

            folder = open_output(Path(out), formats, headers, source_roots(paths))
            chosen = [folder, *chosen]
        elif not chosen:
            memory = MemorySink()
            chosen = [memory]
        result = run_batch(paths, options, progress, chosen)
    except KeyboardInterrupt as exc:
        where = folder.out if folder is not None else Path(out) if out is not None else None
        raise RunInterrupted(where, committed=folder is not None and folder.committed) from exc
    return Run(result, memory)


class RunInterrupted(KeyboardInterrupt):
    """:func:`parse_folder` was interrupted (Ctrl-C; SIGTERM too under the command).
    ``committed``: the new outputs were already whole in ``out`` (the interruption came
    after the swap); otherwise ``out`` holds its previous outputs, untouched."""

    def __init__(self, out: Path | None, committed: bool) -> None:
        super().__init__(out, committed)
        self.out = out
        self.committed = committed


__all__ = ["DOCUMENT_TABLE_NAMES", "Run", "RunInterrupted", "TABLE_ORDER", "parse_file",
           "parse_folder"]
