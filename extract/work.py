"""The work done on one file, in a worker process (local pool or Dask): never raises.

:func:`process_task` reads the file (bounded by ``--max-size``, and by the size
of its kind told from its first bytes before the rest is read), checks the
bytes (:mod:`extract.safety`), parses it (:func:`extract.pipeline.parse_file`)
and renders the CSV rows that do not depend on where the file was found, so
the single writing process stays light. Every failure becomes a named error.
With a cache file given, the worker also stores its result there.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from extract import dated
from extract.cache import full_entry_path, write_entry
from extract.copies import fingerprint
from extract.discovery import PERMISSION_ADVICE
from extract.errors import (
    MEMORY_ADVICE,
    ReadError,
    RunLimit,
    Timeout,
    TooLarge,
    UnreadableFile,
    format_size,
)
from extract.executors import Outcome, Task, error_outcome
from extract.pipeline import parse_file
from extract.readers.detect import SNIFF_BYTES
from extract.records import ParsedDocument
from extract.remote import is_url, read_url
from extract.safety import check_format_size, check_input
from extract.serialize import brief_of, parsed_to_dict
from extract.writers.csv import DOCUMENT_TABLES, RENDERABLE_TABLES, render_rows

INTERNAL_ADVICE = "处理该文件时发生内部错误，已跳过；可加 --verbose 查看详情并反馈给开发者。"


def read_bounded(path: Path, max_size: int,
                 check_head: Callable[[bytes, int], None] | None = None) -> bytes:
    """Read a file, refusing more than ``max_size`` bytes (it may have grown since stat).
    ``check_head(first bytes, size)`` may refuse it before the rest is read."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size > max_size:
            raise TooLarge(f"超过大小上限 {format_size(max_size)}")
        if check_head is not None:
            check_head(f.read(SNIFF_BYTES), size)
            f.seek(0)
        # read(n) allocates n bytes up front: ask for the stat size (+1 to notice growth).
        data = f.read(size + 1)
        if len(data) > size:  # grew since stat: read on, still bounded
            data += f.read(max_size + 1 - len(data))
    if len(data) > max_size:
        raise TooLarge(f"超过大小上限 {format_size(max_size)}")
    return data


def process_task(task: Task) -> Outcome:
    """Parse one file; never raises. The same function runs in local workers and on Dask.

    With ``task.cache_file`` the worker also stores a cacheable result there (in
    parallel, instead of the single writing process doing it)."""
    outcome = _process(task)
    if task.cache_file is not None and outcome.cacheable:
        if outcome.parsed is not None:  # the whole parse first: an entry implies it is there
            write_entry(full_entry_path(Path(task.cache_file)), {"parsed": outcome.parsed})
        write_entry(Path(task.cache_file), cache_entry(outcome))
        outcome.cache_written = True
    return outcome


def cache_entry(outcome: Outcome) -> dict[str, Any]:
    """The main cache entry of an outcome: the brief and the rendered rows, or the error.
    (The whole parse, needed only for JSONL, goes to a second file.)"""
    if outcome.brief is not None:
        return {"brief": outcome.brief, "rendered": outcome.rendered}
    return {"error": list(outcome.error or ())}


def _process(task: Task) -> Outcome:
    name = Path(task.path).name

    def check_size(head: bytes, size: int) -> None:
        check_format_size(head, size, name, task.format_limits)

    try:
        if task.data is not None or is_url(task.path):
            data = task.data if task.data is not None else read_url(task.path, task.max_size)
            check_size(data[:SNIFF_BYTES], len(data))
        else:
            data = read_bounded(Path(task.path), task.max_size, check_size)
        fmt = check_input(data, task.zip_limit, name)
        parsed = parse_file(task.path, source_path=task.source_path, dated=False, data=data,
                            fmt=fmt)
        brief = brief_of(parsed)
        brief["copy"] = fingerprint(parsed)  # the text's signature: copies are found by it
        return Outcome(task.index, task.source_path, task.doc_id,
                       parsed=parsed_to_dict(parsed) if task.full else None, cacheable=True,
                       rendered=render_document(parsed), brief=brief)
    except MemoryError:  # over the worker's --max-memory (RLIMIT_DATA); what it held is freed
        return error_outcome(task, RunLimit(f"处理该文件所需内存超过上限 {memory_limit_text()}",
                                            advice=MEMORY_ADVICE))
    except (Timeout, TooLarge) as exc:  # depend on the run's limits
        return error_outcome(task, exc, cacheable=not isinstance(exc, (Timeout, RunLimit)))
    except ReadError as exc:
        return error_outcome(task, exc, cacheable=True)
    except PermissionError:
        return error_outcome(task, UnreadableFile("无法读取", advice=PERMISSION_ADVICE))
    except Exception as exc:  # a bug or a library failing on hostile input: one row, not a crash
        return error_outcome(task, UnreadableFile(f"内部错误 {type(exc).__name__}",
                                                   advice=INTERNAL_ADVICE),
                              tb=traceback.format_exc())


def memory_limit_text() -> str:
    """This process's data limit (RLIMIT_DATA) for a message."""
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_DATA)[0]
    except (ImportError, OSError, ValueError):
        return "（系统限制）"
    return "（系统限制）" if soft == resource.RLIM_INFINITY else format_size(soft)


def render_document(parsed: ParsedDocument) -> dict[str, str]:
    """CSV rows of sections/items/measures/checks, rendered where the document was parsed
    (in parallel workers, and kept in the cache) instead of in the single writing process."""
    with dated.marked(parsed.items):  # overdue is filled in when the run writes (its --as-of)
        return {name: render_rows(DOCUMENT_TABLES[name], getattr(parsed, attr))
                for name, attr in RENDERABLE_TABLES.items()}


