"""zhenggai: turn Chinese rectification-progress bulletins into tables.

The library, for a notebook or a script::

    from extract import parse_file, parse_folder
    run = parse_folder("通报/")          # writes nothing
    run.frames()["items"]               # pandas DataFrames with the contract's dtypes
    run.analysis()["summary"]
    run.write("结果/", formats=("csv", "xlsx", "sqlite", "html"))

The pipeline, one module per stage::

    readers/  -> document.SourceDocument   (one reader per format, with provenance)
    normalize -> normalize.NormalizedText   (width, spaces, page furniture, web chrome, broken lines)
    segment   -> segment.Node tree          (一、 / （一） / 1. / (1) / 一是)
    fields    -> records.DocumentFields     (unit, dates, declared counts; doctype: the type)
    items     -> records.Item / Measure     (problems, statuses, deadlines)
    checks    -> records.Check              (consistency audit)
    batch     -> results.RunTables + sinks  (many files, workers, cache; every writer a sink)
    writers/  -> csv, jsonl, xlsx, sqlite, html

``extract.pipeline.parse_file`` runs one file end to end; ``extract.api.parse_folder`` runs many.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.2.0"
__all__ = ["parse_file", "parse_folder", "Run"]


def __getattr__(name: str) -> Any:
    """The library's entry points, imported on first use (``import extract`` stays light for
    the worker processes)."""
    if name in __all__:
        from extract import api

        return getattr(api, name)
    raise AttributeError(f"module 'extract' has no attribute {name!r}")
