"""Many files: discovery, worker processes with timeouts, the cache, streaming to writers.

The run, in order:

1. **Discover** (:func:`discover`): files and folders (recursive, sorted by
   name at each level, symlinks followed, loops detected). Every file found is
   an *entry*; problems found here (a symlink loop, an unreadable folder, a
   device or pipe, junk such as ``.DS_Store``) are entries too, already failed.
   The output and cache folders are never inputs.
2. **Prepare** each entry in the parent: ``stat`` (over ``--max-size`` →
   ``too_large`` without reading), content hash → ``doc_id``. A second file
   with the same content is a *duplicate*: never parsed again. A cache hit
   needs no worker either.
3. **Parse** in workers (:func:`process_task`, the same function for the local
   pool and for Dask): safety checks (:mod:`extract.safety`), then
   :func:`extract.pipeline.parse_file`; the worker also renders the CSV rows
   that do not depend on the file's location and (local pool) stores the
   result in the cache, so the single writing process stays light. Every
   failure becomes a named error; nothing raises out of a worker.
4. **Emit** results in input order (a bounded reorder window keeps memory flat
   and the output deterministic whatever the executor) to the streaming CSV and
   JSONL writers, keeping only the small rows the cross-unit analysis needs.

Accounting invariant: every entry ends up in exactly one documents.csv row or
one errors.csv row.

* Junk files (``.DS_Store``, ``Thumbs.db``, ``desktop.ini``, ``~$*`` Office
  lock files, ``._*`` macOS resource forks) are listed in errors.csv with the
  error ``skipped``; they do not count as failed (``--strict`` ignores them).
* Duplicates get their own documents.csv row (own ``source_path``, same
  ``doc_id``) and an info finding ``duplicate_file`` in checks.csv naming the
  first file; their sections/items/measures/checks are not repeated (those
  rows are keyed by ``doc_id``), and the analysis counts the content once.
  In documents.jsonl the duplicate's record has ``duplicate_of`` set and empty
  lists.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import stat
import traceback
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from extract.cache import ResultCache, full_entry_path, write_entry
from extract.errors import (
    ReadError,
    SkippedFile,
    Timeout,
    TooLarge,
    UnreadableFile,
    UnsupportedFormat,
)
from extract.executors import (
    MAX_TASKS_PER_CHILD,
    BatchError,
    DaskExecutor,
    Executor,
    Outcome,
    ProcessPool,
    Task,
    error_outcome,
)
from extract.pipeline import PARSER_VERSION, parse_file
from extract.records import (
    BULLETIN,
    Check,
    DocumentFields,
    ErrorRow,
    ParsedDocument,
)
from extract.safety import check_input
from extract.serialize import (
    AnalysisRows,
    brief_of,
    parsed_from_dict,
    parsed_to_dict,
    record_from_dict,
)
from extract.writers.csv import (
    DOCUMENT_TABLES,
    RENDERABLE_TABLES,
    DocumentTables,
    render_rows,
    write_table,
)
from extract.writers.jsonl import JsonlWriter

log = logging.getLogger(__name__)

#: Per-file time limit, in seconds.
DEFAULT_TIMEOUT_S = 120.0
#: Files larger than this are not read, in bytes (200 MiB).
DEFAULT_MAX_SIZE_BYTES = 200 * 1024 * 1024
#: Results that may wait for an earlier, slower file before being written, per worker
#: (a slow OCR file stalls the other workers only after this many later files are done).
REORDER_WINDOW_PER_WORKER = 32
#: Lower bound of the reorder window, in files.
MIN_REORDER_WINDOW = 64
#: How often the parent checks for timeouts while waiting, in seconds.
POLL_INTERVAL_S = 0.2
#: Chunk read when hashing a file, in bytes (1 MiB).
HASH_CHUNK_BYTES = 1024 * 1024

#: File names that are never documents (OS metadata).
JUNK_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", "ehthumbs.db", ".localized"})
#: File name prefixes that are never documents: Office lock files, macOS resource forks.
JUNK_PREFIXES = ("~$", "._")


INTERNAL_ADVICE = "处理该文件时发生内部错误，已跳过；可加 --verbose 查看详情并反馈给开发者。"
PERMISSION_ADVICE = "没有读取权限，请检查文件权限或所有者后再试。"


def available_cpus() -> int:
    """Cores this process may run on (the affinity mask in a container), at least 1."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


#: Error names that are not failures (not counted, ignored by --strict).
NOT_FAILED = frozenset({SkippedFile.name})


# --------------------------------------------------------------------------- discovery


@dataclass(frozen=True, slots=True)
class Entry:
    """One input file (or one discovery problem) in run order."""

    path: Path
    source_path: str
    error: tuple[str, str] | None = None  # (name, message) when already failed


def display_path(path: str) -> str:
    """A path as text for the outputs: undecodable bytes become \\xNN escapes."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def is_junk(name: str) -> bool:
    return name in JUNK_NAMES or name.startswith(JUNK_PREFIXES)


def _dir_key(st: os.stat_result) -> tuple[int, int]:
    return (st.st_dev, st.st_ino)


def _failed(path: Path, source_path: str, exc: ReadError) -> Entry:
    return Entry(path, display_path(source_path), (exc.name, exc.message))


def _stat_error(exc: OSError, path: Path) -> ReadError:
    if exc.errno == errno.ELOOP:
        return UnreadableFile("符号链接形成循环", advice="已跳过该链接；请检查链接指向。")
    if exc.errno == errno.ENOENT and path.is_symlink():
        return UnreadableFile("符号链接指向的文件不存在", advice="已跳过该链接；请检查链接指向。")
    if isinstance(exc, PermissionError):
        return UnreadableFile("无法访问", advice=PERMISSION_ADVICE)
    return UnreadableFile(f"无法访问（{exc.strerror or exc}）")


def discover(inputs: Iterable[str | Path], exclude: Iterable[Path] = ()) -> list[Entry]:
    """All entries under ``inputs`` in a deterministic order.

    A folder is searched recursively, names sorted at each level; a file's
    ``source_path`` is relative to the input folder it was found in (POSIX
    separators), a file given directly is its name. Folders in ``exclude``
    (the output and cache folders) are skipped silently.
    """
    excluded = set()
    for ex in exclude:
        try:
            excluded.add(_dir_key(os.stat(ex)))
        except OSError:
            pass
    entries: list[Entry] = []
    for given in inputs:
        path = Path(given)
        try:
            st = os.stat(path)
        except OSError as exc:
            entries.append(_failed(path, path.name or str(path), _stat_error(exc, path)))
            continue
        if stat.S_ISDIR(st.st_mode):
            if _dir_key(st) not in excluded:
                entries.extend(_walk(path, st, excluded))
        else:
            entries.append(_classify(path, path.name or str(path), st))
    return entries


def _classify(path: Path, source_path: str, st: os.stat_result) -> Entry:
    if not stat.S_ISREG(st.st_mode):
        return _failed(path, source_path, UnsupportedFormat("不是普通文件（设备、管道或套接字）"))
    if is_junk(path.name):
        return _failed(path, source_path, SkippedFile())
    return Entry(path, display_path(source_path))


def _walk(root: Path, root_st: os.stat_result, excluded: set[tuple[int, int]]) -> list[Entry]:
    """Depth-first, sorted, iterative (no recursion limit), loop-safe walk."""
    entries: list[Entry] = []
    # Stack of (folder, its path relative to root + "/" ("" for root), its ancestors' keys
    # including itself, remaining child names).
    stack: list[tuple[Path, str, frozenset[tuple[int, int]], deque[str]]] = []

    def enter(folder: Path, prefix: str, ancestors: frozenset[tuple[int, int]]) -> None:
        try:
            names = sorted(os.listdir(folder))
        except OSError as exc:
            entries.append(_failed(folder, prefix or "./", _stat_error(exc, folder)))
            return
        stack.append((folder, prefix, ancestors, deque(names)))

    enter(root, "", frozenset({_dir_key(root_st)}))
    while stack:
        folder, prefix, ancestors, names = stack[-1]
        if not names:
            stack.pop()
            continue
        name = names.popleft()
        child = folder / name
        rel = prefix + name
        try:
            st = os.stat(child)
        except OSError as exc:
            entries.append(_failed(child, rel, _stat_error(exc, child)))
            continue
        if stat.S_ISDIR(st.st_mode):
            key = _dir_key(st)
            if key in excluded:
                continue
            if key in ancestors:
                entries.append(_failed(child, rel, UnreadableFile(
                    "符号链接形成循环（指向上级文件夹）", advice="已跳过该链接；请检查链接指向。")))
                continue
            enter(child, rel + "/", ancestors | {key})
        else:
            entries.append(_classify(child, rel, st))
    return entries


# --------------------------------------------------------------------------- the per-file work


def read_bounded(path: Path, max_size: int) -> bytes:
    """Read a file, refusing more than ``max_size`` bytes (it may have grown since stat)."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size > max_size:
            raise TooLarge(f"超过大小上限 {format_size(max_size)}")
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
    try:
        data = task.data if task.data is not None else read_bounded(Path(task.path), task.max_size)
        fmt = check_input(data, task.zip_limit, Path(task.path).name)
        parsed = parse_file(task.path, source_path=task.source_path, as_of=task.as_of, data=data,
                            fmt=fmt)
        return Outcome(task.index, task.source_path, task.doc_id,
                       parsed=parsed_to_dict(parsed) if task.full else None, cacheable=True,
                       rendered=render_document(parsed), brief=brief_of(parsed))
    except (Timeout, TooLarge) as exc:  # depend on the run's limits
        return error_outcome(task, exc, cacheable=not isinstance(exc, Timeout))
    except ReadError as exc:
        return error_outcome(task, exc, cacheable=True)
    except PermissionError:
        return error_outcome(task, UnreadableFile("无法读取", advice=PERMISSION_ADVICE))
    except Exception as exc:  # a bug or a library failing on hostile input: one row, not a crash
        return error_outcome(task, UnreadableFile(f"内部错误 {type(exc).__name__}",
                                                   advice=INTERNAL_ADVICE),
                              tb=traceback.format_exc())


def render_document(parsed: ParsedDocument) -> dict[str, str]:
    """CSV rows of sections/items/measures/checks, rendered where the document was parsed
    (in parallel workers, and kept in the cache) instead of in the single writing process."""
    return {name: render_rows(DOCUMENT_TABLES[name], getattr(parsed, attr))
            for name, attr in RENDERABLE_TABLES.items()}


def format_size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n} 字节"


# --------------------------------------------------------------------------- the run


class Progress(Protocol):
    def start(self, total: int) -> None: ...
    def advance(self, source_path: str, error: str | None) -> None: ...


@dataclass
class BatchOptions:
    out_dir: Path
    as_of: date = field(default_factory=date.today)
    workers: int = field(default_factory=available_cpus)
    timeout_s: float = DEFAULT_TIMEOUT_S
    max_size: int = DEFAULT_MAX_SIZE_BYTES
    use_cache: bool = True
    cache_dir: Path | None = None  # default: <out_dir>/.cache
    jsonl: bool = False
    executor: str = "local"  # local or dask
    scheduler: str | None = None
    max_tasks_per_child: int = MAX_TASKS_PER_CHILD
    verbose: bool = False
    process: Callable[[Task], Outcome] = process_task  # the per-file function (tests swap it)

    @property
    def resolved_cache_dir(self) -> Path:
        return Path(self.cache_dir) if self.cache_dir is not None else Path(self.out_dir) / ".cache"


@dataclass
class BatchResult:
    """Counts for the summary line, and the rows the cross-unit analysis needs."""

    files: int = 0
    documents: int = 0
    bulletins: int = 0
    items: int = 0
    in_progress: int = 0
    overdue: int = 0
    failed: int = 0
    skipped: int = 0
    duplicates: int = 0
    cached: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    kept_documents: list[DocumentFields] = field(default_factory=list)
    kept_items: list[Any] = field(default_factory=list)  # KeptItem: what the analysis reads
    kept_checks: list[Any] = field(default_factory=list)  # KeptCheck
    written: list[Path] = field(default_factory=list)


def _prepare(entry: Entry, options: BatchOptions) -> tuple[str | None, ReadError | None]:
    """Hash one file in the parent: (doc_id, None) or (None, the error)."""
    try:
        st = os.stat(entry.path)
        if st.st_size > options.max_size:
            return None, TooLarge(f"文件 {format_size(st.st_size)}，超过上限 {format_size(options.max_size)}")
        digest = hashlib.sha256()
        size = 0
        buffer = bytearray(min(HASH_CHUNK_BYTES, st.st_size + 1))  # not 1 MiB per small file
        view = memoryview(buffer)
        with open(entry.path, "rb", buffering=0) as f:
            while n := f.readinto(buffer):
                size += n
                if size > options.max_size:
                    return None, TooLarge(f"超过大小上限 {format_size(options.max_size)}")
                digest.update(view[:n])
        return digest.hexdigest()[:16], None
    except PermissionError:
        return None, UnreadableFile("无法读取", advice=PERMISSION_ADVICE)
    except OSError as exc:
        return None, UnreadableFile(f"读取失败（{exc.strerror or exc}）")


class _Emitter:
    """Writes outcomes in input order; keeps the analysis rows and the counts."""

    def __init__(self, tables: DocumentTables, jsonl: JsonlWriter | None, result: BatchResult,
                 progress: Progress | None) -> None:
        self.tables = tables
        self.jsonl = jsonl
        self.result = result
        self.progress = progress
        self.kept = AnalysisRows()
        result.kept_documents, result.kept_items = self.kept.documents, self.kept.items
        result.kept_checks = self.kept.checks
        # doc_id -> (source_path, document fields or the error) of its first file.
        self.first: dict[str, tuple[str, DocumentFields | tuple[str, str]]] = {}

    def emit(self, outcome: Outcome) -> None:
        r = self.result
        r.files += 1
        r.cached += outcome.cached
        if outcome.traceback:
            log.debug("%s:\n%s", outcome.source_path, outcome.traceback)
        if outcome.duplicate_of is not None:
            self._emit_duplicate(outcome)
        elif outcome.brief is not None:
            doc = self._emit_document(outcome, outcome.brief)
            assert outcome.doc_id is not None
            self.first[outcome.doc_id] = (outcome.source_path, doc)
        else:
            assert outcome.error is not None
            self._emit_error(outcome.source_path, outcome.error, outcome.doc_id)
            if outcome.doc_id is not None:
                self.first[outcome.doc_id] = (outcome.source_path, outcome.error)
        if self.progress is not None:
            self.progress.advance(outcome.source_path, outcome.error[0] if outcome.error else None)

    def _emit_document(self, outcome: Outcome, brief: dict[str, Any]) -> DocumentFields:
        """Rows from the rendered text and the brief; records only for JSONL."""
        r = self.result
        if self.jsonl is not None:
            assert outcome.parsed is not None
            parsed = parsed_from_dict(outcome.parsed)
            doc = parsed.document
        else:
            doc = record_from_dict(DocumentFields, brief["document"])
        doc.source_path = outcome.source_path
        counts = brief["counts"]
        assert outcome.rendered is not None
        self.tables.write_rendered(doc, outcome.rendered,
                                   {name: counts[attr] for name, attr in RENDERABLE_TABLES.items()})
        if self.jsonl is not None:
            self.jsonl.write_document(parsed)
        r.documents += 1
        r.bulletins += doc.doc_type == BULLETIN
        r.items += counts["items"]
        r.in_progress += brief["in_progress"]
        r.overdue += brief["overdue"]
        self.kept.add(doc, brief["items"], brief["severities"])
        return doc

    def _emit_error(self, source_path: str, error: tuple[str, str], doc_id: str | None) -> None:
        name, message = error
        self.tables.write_error(ErrorRow(source_path, name, message, doc_id))
        self.result.errors[name] += 1
        if name in NOT_FAILED:
            self.result.skipped += 1
        else:
            self.result.failed += 1

    def _emit_duplicate(self, outcome: Outcome) -> None:
        assert outcome.doc_id is not None
        first_path, first = self.first[outcome.doc_id]
        self.result.duplicates += 1
        if isinstance(first, tuple):
            self._emit_error(outcome.source_path, first, outcome.doc_id)
            return
        doc = replace(first, source_path=outcome.source_path)
        check = Check(doc.doc_id, "duplicate_file", "info", first_path, outcome.source_path,
                      f"与“{first_path}”内容完全相同，只解析一次，明细见该文件。")
        self.tables.write_document(doc, checks=[check])
        if self.jsonl is not None:
            self.jsonl.write_document(ParsedDocument(document=doc), duplicate_of=first_path)
        r = self.result
        r.documents += 1
        r.bulletins += doc.doc_type == BULLETIN


def _make_executor(options: BatchOptions) -> Executor:
    if options.executor == "dask":
        return DaskExecutor(options.workers, options.process, options.timeout_s, options.scheduler)
    if options.executor != "local":
        raise BatchError(f"未知的执行方式：{options.executor}（可选 local、dask）")
    return ProcessPool(options.workers, options.process, options.timeout_s,
                       options.max_tasks_per_child, options.verbose)


def run_batch(inputs: Sequence[str | Path], options: BatchOptions,
              progress: Progress | None = None) -> BatchResult:
    """Parse every file under ``inputs`` and stream the per-document tables to ``out_dir``.

    Writes documents/sections/items/measures/checks/errors.csv (and
    documents.jsonl with ``options.jsonl``), each atomically. Returns counts
    and the rows for :func:`write_analysis`.
    """
    out_dir = Path(options.out_dir)
    cache_dir = options.resolved_cache_dir
    entries = discover(inputs, exclude=[out_dir, cache_dir])
    out_dir.mkdir(parents=True, exist_ok=True)
    if progress is not None:
        progress.start(len(entries))
    cache = ResultCache(cache_dir, PARSER_VERSION, options.as_of) if options.use_cache else None
    result = BatchResult()
    tables = DocumentTables(out_dir)
    jsonl = JsonlWriter(out_dir) if options.jsonl else None
    emitter = _Emitter(tables, jsonl, result, progress)
    executor: Executor | None = None
    try:
        if entries and options.executor == "dask":
            executor = _make_executor(options)  # fail early on a bad scheduler address
        n = len(entries)
        ready: dict[int, Outcome] = {}
        queue: deque[Task] = deque()
        first_index: dict[str, int] = {}
        next_prepare = next_emit = 0
        window = max(MIN_REORDER_WINDOW, REORDER_WINDOW_PER_WORKER * max(1, options.workers))
        while next_emit < n:
            # Prepare entries ahead, within the reorder window.
            while next_prepare < n and next_prepare < next_emit + window and len(queue) < window:
                i = next_prepare
                next_prepare += 1
                entry = entries[i]
                if entry.error is not None:
                    ready[i] = Outcome(i, entry.source_path, error=entry.error)
                    continue
                doc_id, err = _prepare(entry, options)
                if err is not None:
                    ready[i] = Outcome(i, entry.source_path, error=(err.name, err.message))
                    continue
                assert doc_id is not None
                if doc_id in first_index:
                    ready[i] = Outcome(i, entry.source_path, doc_id, duplicate_of=first_index[doc_id])
                    continue
                first_index[doc_id] = i
                hit = cache.get(doc_id, full=options.jsonl) if cache is not None else None
                if hit is not None and not ("error" in hit or {"brief", "rendered"} <= hit.keys()):
                    hit = None  # not an entry this version writes: parse again
                if hit is not None:
                    error = tuple(hit["error"]) if "error" in hit else None
                    ready[i] = Outcome(i, entry.source_path, doc_id, parsed=hit.get("parsed"),
                                       error=error, cached=True,  # type: ignore[arg-type]
                                       rendered=hit.get("rendered"), brief=hit.get("brief"))
                    continue
                cache_file = (str(cache.entry_path(doc_id))
                              if cache is not None and options.executor == "local" else None)
                queue.append(Task(i, str(entry.path), entry.source_path, doc_id, options.as_of,
                                  options.max_size, cache_file=cache_file, full=options.jsonl))
            # Dispatch.
            if queue and executor is None:
                executor = _make_executor(options)
            while queue and executor is not None and executor.in_flight() < executor.capacity:
                task = queue.popleft()
                if options.executor == "dask":
                    try:
                        task = replace(task, data=read_bounded(Path(task.path), task.max_size))
                    except (ReadError, OSError) as exc:
                        err = exc if isinstance(exc, ReadError) else UnreadableFile("读取失败")
                        ready[task.index] = error_outcome(task, err)
                        continue
                executor.submit(task)
            # Emit what is ready, in order.
            while next_emit in ready:
                emitter.emit(ready.pop(next_emit))
                next_emit += 1
            if next_emit < n and next_emit not in ready and executor is not None:
                for outcome in executor.poll(POLL_INTERVAL_S):
                    ready[outcome.index] = outcome
                    if (cache is not None and outcome.cacheable and outcome.doc_id
                            and not outcome.cache_written):
                        cache.put(outcome.doc_id, cache_entry(outcome), outcome.parsed)
        result.written = tables.commit()
        if jsonl is not None:
            result.written.append(jsonl.commit())
        if cache is not None:
            cache.prune()
    except BaseException:
        tables.discard()
        if jsonl is not None:
            jsonl.discard()
        raise
    finally:
        if executor is not None:
            executor.close()
    return result


def write_analysis(out_dir: Path, result: BatchResult, as_of: date) -> list[Path]:
    """summary.csv, incomplete.csv, themes.csv from the cross-unit analysis."""
    from extract.analysis import build_tables

    tables = build_tables(result.kept_documents, result.kept_items, result.kept_checks, as_of)
    return [write_table(Path(out_dir) / f"{name}.csv", columns, rows)
            for name, (columns, rows) in tables.items()]


def write_formats(out_dir: Path, formats: Iterable[str], headers: str = "en",
                  source_roots: Sequence[Path] = ()) -> list[Path]:
    """The formats that read the CSV files back: results.xlsx, results.sqlite, report.html.

    ``source_roots``: the folders source_path is relative to (for links in the report).
    """
    written: list[Path] = []
    wanted = set(formats)
    if "xlsx" in wanted:
        from extract.writers import xlsx

        written.append(xlsx.write(Path(out_dir), headers=headers))
    if "sqlite" in wanted:
        from extract.writers import sqlite

        written.append(sqlite.write(Path(out_dir)))
    if "html" in wanted:
        from extract.writers import html

        written.append(html.write(Path(out_dir), source_roots=source_roots))
    return written


def run(inputs: Sequence[str | Path], options: BatchOptions, formats: Iterable[str] = ("csv",),
        headers: str = "en", progress: Progress | None = None) -> BatchResult:
    """The whole ``zhenggai extract``: per-document tables, analysis tables, extra formats."""
    formats = set(formats)
    options = replace(options, jsonl=options.jsonl or "jsonl" in formats)
    result = run_batch(inputs, options, progress)
    result.written += write_analysis(options.out_dir, result, options.as_of)
    roots = [Path(p) if Path(p).is_dir() else Path(p).parent for p in inputs]
    result.written += write_formats(options.out_dir, formats, headers, list(dict.fromkeys(roots)))
    return result
