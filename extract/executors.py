"""Where files are parsed: the task and outcome types and the executors that run them.

:class:`ProcessPool` (the default) runs local worker processes that can be killed
on a time limit and are recycled; :class:`extract.cluster.DaskExecutor` runs the
same per-file function on a Dask cluster, in batches. Both take :class:`Task` objects and give back
:class:`Outcome` objects; neither knows about caching, ordering or writing
(:mod:`extract.batch` does those).
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import selectors
import signal
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from extract.errors import ReadError, Timeout, UnreadableFile
from extract.safety import ZIP_UNCOMPRESSED_LIMIT

log = logging.getLogger(__name__)

#: Per-file time limit, in seconds.
DEFAULT_TIMEOUT_S = 120.0
#: Files larger than this are not read, in bytes (200 MiB).
DEFAULT_MAX_SIZE_BYTES = 200 * 1024 * 1024
#: Files a worker process handles before it is replaced (frees memory a bad file left behind).
MAX_TASKS_PER_CHILD = 200
#: Seconds a retiring or killed worker gets to exit before it is killed (again).
JOIN_TIMEOUT_S = 5.0
#: Modules the worker process server imports once, so each new worker starts warm
#: (extract.warm also compiles the patterns and parses a small bulletin: ~360 ms a
#: worker otherwise, 10 times in a run of 2,000 files).
WORKER_PRELOAD = ["extract.batch", "extract.readers.txt", "extract.readers.docx",
                  "extract.readers.pdf", "extract.readers.html", "extract.readers.doc",
                  "extract.copies", "extract.warm"]
CRASH_ADVICE = ("处理该文件时工作进程意外退出（可能内存不足或解析库崩溃），已跳过；可单独重试该文件，"
                "内存不足时可用 --max-memory 调高每个工作进程的内存上限。")
#: Default bound on a local worker's memory (RLIMIT_DATA: heap and private mappings), in
#: bytes (4 GiB). A worker starts at about 150 MB, OCR's models take a few hundred MB, a
#: 20 MB text (the largest the format limits let through) about 600 MB; a one-line 150 MB
#: text took 4.5 GB before those limits. 0 sets none.
DEFAULT_MAX_MEMORY_BYTES = 4 * 1024**3


def available_cpus() -> int:
    """Cores this process may run on (the affinity mask in a container), at least 1."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


class BatchError(Exception):
    """The run cannot start (bad option combination, missing optional dependency)."""


@dataclass(frozen=True)
class Task:
    """One file for a worker (picklable)."""

    index: int
    path: str
    source_path: str
    doc_id: str
    max_size: int
    zip_limit: int = ZIP_UNCOMPRESSED_LIMIT
    data: bytes | None = None  # the bytes, when the worker may not see the file (Dask)
    cache_file: str | None = None  # where the worker stores the result (local pool only)
    #: The whole parse is wanted (for documents.jsonl): made, sent back and cached. Without
    #: it a worker sends only the brief and the rendered rows (~1.5 ms less per document).
    full: bool = True
    #: Each kind of file has its own size limit (safety.FORMAT_SIZE_LIMITS); False when the
    #: user gave one --max-size for all.
    format_limits: bool = True


@dataclass
class Outcome:
    """What became of one entry: a parsed document or a named error.

    A parse is ``brief`` (:func:`extract.serialize.brief_of`) plus ``rendered``, all the
    writing process needs without JSONL; ``parsed`` (the whole ParsedDocument as a dict)
    is there only when it was made here or read for JSONL.
    """

    index: int
    source_path: str
    doc_id: str | None = None
    parsed: dict[str, Any] | None = None
    error: tuple[str, str] | None = None
    traceback: str | None = None  # for --verbose only
    cacheable: bool = False
    cached: bool = False
    duplicate_of: int | None = None  # index of the first entry with the same content
    rendered: dict[str, str] | None = None  # CSV rows of the tables without source_path
    brief: dict[str, Any] | None = None
    cache_written: bool = False  # the worker stored it in the cache already


def error_outcome(task: Task, exc: ReadError, cacheable: bool = False,
                   tb: str | None = None) -> Outcome:
    return Outcome(task.index, task.source_path, task.doc_id, error=(exc.name, exc.message),
                   cacheable=cacheable, traceback=tb)



class Executor(Protocol):
    #: Tasks must carry the file's bytes (the workers cannot read its path).
    ship_bytes: bool

    @property
    def capacity(self) -> int: ...  # tasks it takes before results must be collected

    def submit(self, task: Task) -> None: ...
    def in_flight(self) -> int: ...
    def poll(self, wait_s: float) -> list[Outcome]: ...
    def close(self) -> None: ...


def limit_memory(max_memory: int) -> None:
    """Bound this process's memory (RLIMIT_DATA, inherited by the converters it starts) to
    ``max_memory`` bytes, 0 for no bound: an allocation past it raises MemoryError (which
    the worker reports as ``too_large``) instead of the machine swapping."""
    if max_memory <= 0:
        return
    try:
        import resource

        hard = resource.getrlimit(resource.RLIMIT_DATA)[1]
        soft = max_memory if hard == resource.RLIM_INFINITY else min(max_memory, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))
    except (ImportError, OSError, ValueError) as exc:  # not on this system: run unbounded
        log.debug("内存上限未能设置：%s", exc)


def _worker_main(conn: multiprocessing.connection.Connection,
                 process: Callable[[Task], Outcome], verbose: bool, max_memory: int = 0) -> None:
    """A worker process: own process group (so a timeout kills its children too),
    Ctrl-C left to the parent, dies with the parent (even a ``kill -9`` of it), stray
    prints to stderr, library warnings off, memory bounded."""
    limit_memory(max_memory)
    if hasattr(os, "setpgrp"):
        os.setpgrp()
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.dup2(2, 1)
    if not verbose:
        warnings.simplefilter("ignore")
        logging.disable(logging.WARNING)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        outcome = process(task)
        try:
            conn.send(outcome)
        except (BrokenPipeError, OSError):
            return


#: prctl option: the signal a process gets when its parent dies (linux/prctl.h).
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when the run's process dies, however it dies (its
    own process group keeps it out of the terminal's Ctrl-C, so nothing else would)."""
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the closed pipe stops the worker instead
        return
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def start_forkserver() -> None:
    """Start the worker server with Ctrl-C ignored: it is in the terminal's process group,
    and a Ctrl-C while it imports WORKER_PRELOAD (before it sets its own handlers) printed
    a KeyboardInterrupt traceback. (A signal ignored at exec stays ignored.)"""
    from multiprocessing import forkserver

    if threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


def start_worker_server() -> bool:
    """Start the server the local workers are forked from, importing WORKER_PRELOAD (once:
    later calls find it running). False where there is none (Windows: each worker is
    spawned). The CLI calls this as soon as it knows every file will be parsed,
    so the server's ~0.2 s of imports and warm-up overlap its own imports."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return False
    multiprocessing.get_context("forkserver").set_forkserver_preload(WORKER_PRELOAD)
    start_forkserver()
    return True


#: Tasks a local worker holds at once: the one it works on and the next, already in its
#: pipe, so it never waits for the writing process between files (~0.3–0.7 ms a file).
PREFETCH = 2


@dataclass
class _Slot:
    process: Any  # multiprocessing.Process from a context
    conn: multiprocessing.connection.Connection
    tasks: deque[Task] = field(default_factory=deque)  # sent, not answered; the first is running
    started: float = 0.0  # when the first task's clock started
    assigned: int = 0  # tasks ever sent (a worker retires after max_tasks)


class ProcessPool:
    """Worker processes, killed on timeout, recycled.

    Unlike ProcessPoolExecutor, a stuck worker is really killed (SIGKILL to its
    process group, so converter subprocesses die too) and replaced, and a
    worker that dies (out of memory, a segfault in a C library) fails only the
    file it was working on: the files queued behind it go to another worker.

    Each worker holds up to :data:`PREFETCH` tasks. The time limit applies to the
    task a worker is working on: its clock starts when the previous answer arrives
    (or when it is sent to an idle worker).
    """

    def __init__(self, workers: int, process: Callable[[Task], Outcome], timeout_s: float,
                 max_tasks_per_child: int = MAX_TASKS_PER_CHILD, verbose: bool = False,
                 max_memory: int = 0) -> None:
        self.ctx: Any = multiprocessing.get_context("forkserver" if start_worker_server()
                                                    else "spawn")
        self.workers = max(1, workers)
        self.capacity = self.workers * PREFETCH
        self.ship_bytes = False  # local workers read the files themselves
        self.process = process
        self.timeout_s = timeout_s
        self.max_tasks = max(1, max_tasks_per_child)
        self.verbose = verbose
        self.max_memory = max_memory
        self.live: list[_Slot] = []  # workers that take new tasks
        self.draining: list[_Slot] = []  # workers at max_tasks, finishing their queue
        # Every worker's pipe and exit sentinel, registered once: waiting with
        # multiprocessing.connection.wait builds a new selector on every call (and
        # Connection.poll another per pipe), ~0.1 ms of the writing process per file.
        self.selector = selectors.DefaultSelector()

    def _spawn(self) -> _Slot:
        parent_conn, child_conn = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker_main, daemon=True,
                                args=(child_conn, self.process, self.verbose, self.max_memory))
        proc.start()
        child_conn.close()
        slot = _Slot(proc, parent_conn)
        self.selector.register(slot.conn, selectors.EVENT_READ, slot)
        self.selector.register(slot.process.sentinel, selectors.EVENT_READ, slot)
        self.live.append(slot)
        return slot

    def _pick(self) -> _Slot:
        """An idle worker, else a new one while fewer than ``workers`` run, else the
        least loaded one with room."""
        for slot in self.live:
            if not slot.tasks:
                return slot
        if len(self.live) < self.workers:
            return self._spawn()
        roomy = [s for s in self.live if len(s.tasks) < PREFETCH]
        return min(roomy, key=lambda s: len(s.tasks)) if roomy else self._spawn()

    def submit(self, task: Task) -> None:
        slot = self._pick()
        try:
            slot.conn.send(task)
        except (BrokenPipeError, OSError):  # died while idle or with tasks: replace it
            queued = list(slot.tasks)
            slot.tasks.clear()
            self._kill(slot)
            slot = self._spawn()
            slot.started = time.monotonic()
            for earlier in queued:  # lost with the old pipe: their clocks restart
                slot.conn.send(earlier)
                slot.tasks.append(earlier)
                slot.assigned += 1
            slot.conn.send(task)
        if not slot.tasks:
            slot.started = time.monotonic()
        slot.tasks.append(task)
        slot.assigned += 1
        if slot.assigned >= self.max_tasks:
            self.live.remove(slot)
            self.draining.append(slot)

    def in_flight(self) -> int:
        return sum(len(s.tasks) for s in self.live) + sum(len(s.tasks) for s in self.draining)

    def poll(self, wait_s: float) -> list[Outcome]:
        if not self.in_flight():
            return []
        readable = {key.fd for key, _ in self.selector.select(wait_s)}
        outcomes: list[Outcome] = []
        orphans: list[Task] = []  # queued behind a task that killed its worker: sent again
        now = time.monotonic()
        for slot in [*self.live, *self.draining]:
            if not slot.tasks:
                if slot.process.sentinel in readable:  # an idle worker died: forget it
                    self._kill(slot)
                continue
            outcome: Outcome | None = None
            if slot.conn.fileno() in readable:
                try:
                    outcome = slot.conn.recv()  # one answer per poll; more stay readable
                except (EOFError, OSError):
                    outcome = None
                if outcome is not None:
                    slot.tasks.popleft()
                    slot.started = now
                    outcomes.append(outcome)
                    if not slot.tasks and slot in self.draining:
                        self._retire(slot)
                    continue
            task = slot.tasks[0]
            if not slot.process.is_alive():
                log.warning("工作进程意外退出（退出码 %s）：%s", slot.process.exitcode, task.source_path)
                outcomes.append(error_outcome(task, UnreadableFile("工作进程意外退出",
                                                                   advice=CRASH_ADVICE)))
            elif now - slot.started > self.timeout_s:
                outcomes.append(error_outcome(
                    task, Timeout(f"超过 {self.timeout_s:g} 秒仍未处理完")))
            else:
                continue
            slot.tasks.popleft()
            orphans.extend(slot.tasks)
            slot.tasks.clear()
            self._kill(slot)
        for task in orphans:
            self.submit(task)
        return outcomes

    def _forget(self, slot: _Slot) -> None:
        for waitable in (slot.conn, slot.process.sentinel):
            try:
                self.selector.unregister(waitable)
            except (KeyError, ValueError):
                pass
        for group in (self.live, self.draining):
            if slot in group:
                group.remove(slot)

    def _retire(self, slot: _Slot) -> None:
        self._forget(slot)
        try:
            slot.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        slot.process.join(JOIN_TIMEOUT_S)
        if slot.process.is_alive():
            self._kill(slot)
        else:
            slot.conn.close()

    def _kill(self, slot: _Slot) -> None:
        """SIGKILL the worker's process group (the worker and anything it started)."""
        self._forget(slot)
        pid = slot.process.pid
        if pid is not None and hasattr(os, "killpg"):
            try:
                if os.getpgid(pid) == pid:
                    os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if slot.process.is_alive():
            slot.process.kill()
        slot.process.join(JOIN_TIMEOUT_S)
        slot.conn.close()

    def close(self) -> None:
        for slot in [*self.live, *self.draining]:
            if slot.tasks:
                self._kill(slot)
            else:
                self._retire(slot)
        self.selector.close()
