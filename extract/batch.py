"""Many files: the run — the cache, the workers, and the sinks the rows stream to.

The run, in order:

1. **Discover** (:func:`extract.discovery.discover`): every file an *entry*,
   in a deterministic order; problems found there are entries too, already failed.
2. **Prepare** each entry in the parent: ``stat`` (over ``--max-size`` →
   ``too_large`` without reading), content hash → ``doc_id``. A second file
   with the same content is a *duplicate*: never parsed again. A cache hit
   needs no worker either.
3. **Parse** in workers (:func:`extract.work.process_task`, the same function for
   the local pool and for Dask, :mod:`extract.executors`); every failure
   becomes a named error, nothing raises out of a worker.
4. **Emit** results in input order (a bounded reorder window keeps memory flat
   and the output deterministic whatever the executor) to the run's sinks
   (:mod:`extract.results`: CSV, JSONL, workbook, SQLite, report, or memory),
   keeping the small rows the analysis across units needs in a ``RunTables``;
   at the end every sink is finished with it.

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
* Copies of one bulletin with other bytes (another format, a re-post, a mirror) are
  found by their text as they stream in (:class:`extract.copies.CopyIndex`) and
  decided when the run ends: documents.csv's ``duplicate_of`` names the copy kept
  (for a file with the same bytes too), an info finding ``near_duplicate`` goes to
  checks.csv, and the analysis counts the bulletin once. Because the decision needs
  the whole run, the documents table is written when the run finishes (the other
  tables stream).
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from extract import checks, dated
from extract.cache import ResultCache
from extract.cluster import PROBE_PATHS as DASK_PROBE_FILES
from extract.cluster import DaskExecutor, start_local_workers
from extract.copies import CopyIndex
from extract.discovery import PERMISSION_ADVICE, Entry, discover
from extract.errors import ReadError, SkippedFile, TooLarge, UnreadableFile
from extract.executors import (  # the run's defaults are the API's too
    DEFAULT_MAX_MEMORY_BYTES,
    DEFAULT_MAX_SIZE_BYTES,
    DEFAULT_TIMEOUT_S,
    MAX_TASKS_PER_CHILD,
    BatchError,
    Executor,
    Outcome,
    ProcessPool,
    Task,
    available_cpus,
    error_outcome,
)
from extract.pipeline import PARSER_VERSION
from extract.records import BULLETIN, Check, DocumentFields, ErrorRow
from extract.remote import is_url, read_url
from extract.results import DocumentRow, MemorySink, RunTables, Sink
from extract.serialize import AnalysisRows, check_values, parsed_from_dict, record_from_dict
from extract.units import unit_key
from extract.work import cache_entry, format_size, process_task, read_bounded
from extract.writers.csv import RENDERABLE_TABLES, render_rows
from extract.writers.folder import DiskFull

log = logging.getLogger(__name__)

#: Results that may wait for an earlier, slower file before being written, per worker
#: (a slow OCR file stalls the other workers only after this many later files are done).
REORDER_WINDOW_PER_WORKER = 32
#: Lower bound of the reorder window, in files.
MIN_REORDER_WINDOW = 64
#: How often the parent checks for timeouts while waiting, in seconds.
POLL_INTERVAL_S = 0.2
#: Chunk read when hashing a file, in bytes (1 MiB).
HASH_CHUNK_BYTES = 1024 * 1024


#: Longest stretch of work the writing process does while no result is ready (seconds).
IDLE_SLICE_S = 0.002
#: Error names that are not failures (not counted, ignored by --strict).
NOT_FAILED = frozenset({SkippedFile.name})


# --------------------------------------------------------------------------- the run


class Progress(Protocol):
    def start(self, total: int) -> None: ...
    def advance(self, source_path: str, error: str | None) -> None: ...


@dataclass
class BatchOptions:
    #: Where the default sinks (the CSV tables) write and the cache lives; None with sinks given.
    out_dir: Path | None = None
    as_of: date = field(default_factory=date.today)
    workers: int = field(default_factory=available_cpus)
    timeout_s: float = DEFAULT_TIMEOUT_S
    max_size: int = DEFAULT_MAX_SIZE_BYTES
    #: Each kind of file also has its own size limit (safety.FORMAT_SIZE_LIMITS); False: max_size
    #: alone, for every kind (what an explicit --max-size means).
    format_limits: bool = True
    #: Memory a local worker may use, in bytes (0: no limit); Dask workers have their own.
    max_memory: int = DEFAULT_MAX_MEMORY_BYTES
    use_cache: bool = True
    cache_dir: Path | None = None  # default: <out_dir>/.cache (no cache without either)
    jsonl: bool = False  # with the default sinks: documents.jsonl too
    executor: str = "local"  # local or dask
    scheduler: str | None = None
    max_tasks_per_child: int = MAX_TASKS_PER_CHILD
    verbose: bool = False
    process: Callable[[Task], Outcome] = process_task  # the per-file function (tests swap it)

    @property
    def resolved_cache_dir(self) -> Path | None:
        if self.cache_dir is not None:
            return Path(self.cache_dir)
        return Path(self.out_dir) / ".cache" if self.out_dir is not None else None


@dataclass
class BatchResult:
    """Counts for the summary line, what the run found (:class:`RunTables`), what it wrote."""

    tables: RunTables
    files: int = 0
    documents: int = 0
    bulletins: int = 0
    items: int = 0
    in_progress: int = 0
    overdue: int = 0
    failed: int = 0
    skipped: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    cached: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    written: list[Path] = field(default_factory=list)

    @property
    def kept_documents(self) -> list[DocumentFields]:
        """The documents the analysis counts: one per bulletin, copies left out."""
        return [d for d in self.tables.documents if d.duplicate_of is None]

    @property
    def kept_items(self) -> list[Any]:
        return self.tables.items


def _prepare(entry: Entry, options: BatchOptions) -> tuple[str | None, ReadError | None]:
    """Hash one file in the parent: (doc_id, None) or (None, the error)."""
    if is_url(entry.path):  # streamed once from its storage (workers read it again there)
        try:
            data = read_url(str(entry.path), options.max_size)
        except ReadError as exc:
            return None, exc
        return hashlib.sha256(data).hexdigest()[:16], None
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
    """Hands outcomes, in input order, to the sinks; keeps the analysis rows and the counts."""

    def __init__(self, sinks: Sequence[Sink], full: bool, result: BatchResult,
                 progress: Progress | None, titles_ahead: bool = False) -> None:
        self.sinks = sinks
        #: Queue each bulletin's kept items for the analysis's work (see idle_work).
        self.titles_ahead = titles_ahead
        #: What the analysis at the end will do with a bulletin's kept items, done while
        #: the run waits for its workers (:meth:`work_while_idle`), else at its end: the
        #: themes' matching, and the tokens of titles history will compare.
        self.idle_work: deque[tuple[Callable[[Sequence[Any]], None], list[Any]]] = deque()
        #: Unit key → where in the kept items its only bulletin so far is (start, end);
        #: None once the unit has a second bulletin (its titles' tokens are then queued).
        self.unit_bulletins: dict[str, tuple[int, int] | None] = {}
        self.full = full
        self.result = result
        self.progress = progress
        self.kept = AnalysisRows(full_checks=any(getattr(s, "needs_checks", True) for s in sinks))
        result.tables.documents, result.tables.items = self.kept.documents, self.kept.items
        result.tables.checks = self.kept.checks
        # doc_id -> (source_path, document fields or the error) of its first file.
        self.first: dict[str, tuple[str, DocumentFields | tuple[str, str]]] = {}
        self.copies = CopyIndex()
        #: Files with the bytes of an earlier file: (its row, the first file's row).
        self.byte_copies: list[tuple[DocumentFields, DocumentFields]] = []

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
        """The document to every sink: the rendered rows, and the records when a sink wants them."""
        r = self.result
        as_of = r.tables.as_of
        parsed = None
        if self.full:
            assert outcome.parsed is not None
            parsed = dated.date_parsed(parsed_from_dict(outcome.parsed), as_of)
            doc = parsed.document
        else:
            doc = record_from_dict(DocumentFields, brief["document"])
        doc.source_path = outcome.source_path
        counts = {name: brief["counts"][attr] for name, attr in RENDERABLE_TABLES.items()}
        rendered = outcome.rendered
        kept_checks = brief["checks"]
        # The parse is undated (the cache serves any --as-of): overdue is decided now.
        overdue = dated.overdue_of(brief["items"], as_of)
        late = dated.overdue_check(doc.doc_id, overdue)
        if rendered is not None:
            rendered = {**rendered, "items.csv": dated.fill(rendered["items.csv"], overdue)}
            if late is not None:
                rendered["checks.csv"] += render_rows(Check, [late])
        if late is not None:
            counts["checks.csv"] += 1
            kept_checks = [*kept_checks, list(check_values(late))]
        row = DocumentRow(doc, parsed, rendered, counts)
        for sink in self.sinks:
            sink.document(row)
        r.documents += 1
        r.bulletins += doc.doc_type == BULLETIN
        r.items += brief["counts"]["items"]
        r.in_progress += brief["in_progress"]
        r.overdue += len(overdue)
        kept_before = len(self.kept.items)
        self.kept.add(doc, brief["items"], kept_checks)
        if self.titles_ahead and doc.doc_type == BULLETIN:  # what themes and history count
            self._queue_analysis(doc, kept_before)
        self.copies.add(doc, brief.get("copy"))
        return doc

    def _queue_analysis(self, doc: DocumentFields, start: int) -> None:
        """Queue a bulletin's kept items for the themes' matching and, once its unit has a
        second bulletin, the unit's titles for history's tokens (history compares the
        titles of a unit's bulletins; a unit seen once needs none)."""
        from extract import history, themes

        items = self.kept.items
        self.idle_work.append((themes.match_ahead, items[start:]))
        key = unit_key(doc.unit)
        if not key:
            return
        if key not in self.unit_bulletins:
            self.unit_bulletins[key] = (start, len(items))
            return
        earlier = self.unit_bulletins[key]
        if earlier is not None:
            self.idle_work.append((history.prepare_titles, items[earlier[0]:earlier[1]]))
            self.unit_bulletins[key] = None
        self.idle_work.append((history.prepare_titles, items[start:]))

    def work_while_idle(self, budget_s: float = IDLE_SLICE_S) -> None:
        """Do the analysis's queued work for about ``budget_s``: called when no result is
        ready, so the writing process never makes a worker wait for it. Measured on 2,000
        bulletins with their own titles: the themes at the end of the run 0.9 → 0.1 s;
        two bulletins a unit: history there 2.2 → 0.8 s."""
        deadline = time.perf_counter() + budget_s
        while self.idle_work and time.perf_counter() < deadline:
            work, items = self.idle_work.popleft()
            work(items)

    def _emit_error(self, source_path: str, error: tuple[str, str], doc_id: str | None) -> None:
        name, message = error
        row = ErrorRow(source_path, name, message, doc_id)
        for sink in self.sinks:
            sink.error(row)
        self.result.tables.errors.append(row)
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
        check = checks.duplicate_file(doc.doc_id, first_path, outcome.source_path)
        row = DocumentRow(doc, extra_checks=[check], duplicate_of=first_path)
        for sink in self.sinks:
            sink.document(row)
        self.result.tables.documents.append(doc)
        self.byte_copies.append((doc, first))
        self.result.tables.checks.append(check)
        r = self.result
        r.documents += 1
        r.bulletins += doc.doc_type == BULLETIN

    def finish(self) -> None:
        """Decide the copies (the whole run is needed): each copy's row names the copy kept,
        with an info finding; a file with the bytes of another follows its first file."""
        tables = self.result.tables
        for copy, kept, score in self.copies.decide():
            copy.duplicate_of, copy.duplicate_score = kept.doc_id, score
            check = checks.near_duplicate(copy.doc_id, kept.doc_id, kept.source_path, score)
            tables.late_checks.append(check)
            tables.checks.append(check)
            self.result.near_duplicates += 1
        for doc, first in self.byte_copies:
            doc.duplicate_of = first.duplicate_of or first.doc_id
            doc.duplicate_score = first.duplicate_score if first.duplicate_of else 1.0


def _make_executor(options: BatchOptions) -> Executor:
    if options.executor == "dask":
        return DaskExecutor(options.workers, options.process, options.timeout_s, options.scheduler)
    if options.executor != "local":
        raise BatchError(f"未知的执行方式：{options.executor}（可选 local、dask）")
    return ProcessPool(options.workers, options.process, options.timeout_s,
                       options.max_tasks_per_child, options.verbose, options.max_memory)


def _sample(entries: Sequence[Entry]) -> list[tuple[str, int]]:
    """(path, size) of a few readable inputs: a Dask cluster's workers are asked whether
    they see them (a shared file system) before files are sent as bytes."""
    sample = []
    for entry in entries:
        if entry.error is None and not is_url(entry.path):
            try:
                sample.append((str(entry.path), os.path.getsize(entry.path)))
            except OSError:
                continue
            if len(sample) >= DASK_PROBE_FILES:
                break
    return sample


def default_sinks(options: BatchOptions) -> list[Sink]:
    """The CSV tables in ``out_dir`` (and documents.jsonl with ``options.jsonl``), else memory."""
    if options.out_dir is None:
        return [MemorySink()]
    from extract.writers import open_output

    return [open_output(Path(options.out_dir), ("csv", "jsonl") if options.jsonl else ("csv",))]


def source_roots(inputs: Sequence[str | Path]) -> list[Path]:
    """The folders the inputs' source_path values are relative to (URLs have none here)."""
    return list(dict.fromkeys(Path(p) if Path(p).is_dir() else Path(p).parent
                              for p in inputs if not is_url(p)))


def run_batch(inputs: Sequence[str | Path], options: BatchOptions, progress: Progress | None = None,
              sinks: Sequence[Sink] | None = None) -> BatchResult:
    """Parse every file under ``inputs``, streaming each document to ``sinks`` in input order,
    then finish them (the analysis tables, the commit). Without sinks: the CSV tables in
    ``options.out_dir`` (see :func:`default_sinks`). Interrupted, the sinks discard their
    output and any previous output stays."""
    sinks = list(sinks) if sinks is not None else default_sinks(options)
    full = options.jsonl or any(s.needs_records for s in sinks)
    cache_dir = options.resolved_cache_dir
    excluded = [p for p in (options.out_dir, cache_dir) if p is not None]
    entries = discover(inputs, exclude=excluded)
    if entries and options.executor == "dask" and not options.scheduler:
        start_local_workers()  # the worker server's imports overlap the client's
    analysis = bool(entries) and any(getattr(s, "needs_analysis", False) for s in sinks)
    if analysis:
        from extract import themes

        themes.new_run()  # jieba made ready meanwhile; titles matched as bulletins arrive
    if progress is not None:
        progress.start(len(entries))
    cache = (ResultCache(cache_dir, PARSER_VERSION)
             if options.use_cache and cache_dir is not None else None)
    if cache is not None:
        cache.remove_stale_temps()  # entries a killed run was writing
    result = BatchResult(RunTables(options.as_of, source_roots=source_roots(inputs)))
    emitter = _Emitter(sinks, full, result, progress, titles_ahead=analysis)
    executor: Executor | None = None
    fresh: list[str] = []  # files parsed by this run (their cache entries are new)
    try:
        if entries and options.executor == "dask":
            dask = _make_executor(options)  # fail early on a bad scheduler address
            assert isinstance(dask, DaskExecutor)
            dask.decide_shipping(_sample(entries))
            executor = dask
        elif cache is None and any(e.error is None for e in entries[:MIN_REORDER_WINDOW]):
            # Every file will be parsed: start the worker server now, its imports and warm-up
            # overlapping the hashing (with a cache, hits may leave nothing to parse).
            executor = _make_executor(options)
        n = len(entries)
        ready: dict[int, Outcome] = {}
        queue: deque[Task] = deque()
        first_index: dict[str, int] = {}
        next_prepare = next_emit = 0
        base_window = max(MIN_REORDER_WINDOW, REORDER_WINDOW_PER_WORKER * max(1, options.workers))
        while next_emit < n:
            # Dask takes files in batches: room for the batches it keeps in flight.
            window = max(base_window, 2 * executor.capacity) if executor else base_window
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
                hit = cache.get(doc_id, full=full) if cache is not None else None
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
                fresh.append(doc_id)
                queue.append(Task(i, str(entry.path), entry.source_path, doc_id, options.max_size, cache_file=cache_file, full=full,
                                  format_limits=options.format_limits))
            # Dispatch.
            if queue and executor is None:
                executor = _make_executor(options)
            while queue and executor is not None and executor.in_flight() < executor.capacity:
                task = queue.popleft()
                if executor.ship_bytes and not is_url(task.path):  # workers cannot see the file
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
                outcomes = executor.poll(0.0 if emitter.idle_work else POLL_INTERVAL_S)
                if not outcomes and emitter.idle_work:
                    emitter.work_while_idle()  # nothing to hand on: the analysis's work
                for outcome in outcomes:
                    ready[outcome.index] = outcome
                    if (cache is not None and outcome.cacheable and outcome.doc_id
                            and not outcome.cache_written):
                        cache.put(outcome.doc_id, cache_entry(outcome), outcome.parsed)
        emitter.finish()
        for sink in sinks:
            result.written += sink.finish(result.tables)
        if cache is not None:
            cache.prune()
    except BaseException as exc:
        for sink in sinks:
            sink.discard()
        if cache is not None and isinstance(exc, DiskFull):
            # Leave the disk as the run found it, or even a one-file run would fail next.
            if executor is not None:
                executor.close()
                executor = None
            cache.remove(fresh)
        raise
    finally:
        if executor is not None:
            executor.close()
    return result
