"""Where files are parsed: the task and outcome types and the executors that run them.

:class:`ProcessPool` (the default) runs local worker processes that can be killed
on a time limit and are recycled; :class:`DaskExecutor` runs the same per-file
function on a Dask cluster. Both take :class:`Task` objects and give back
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
import time
import traceback
import warnings
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from extract.errors import ReadError, Timeout, UnreadableFile
from extract.safety import ZIP_UNCOMPRESSED_LIMIT

log = logging.getLogger(__name__)

#: Files a worker process handles before it is replaced (frees memory a bad file left behind).
MAX_TASKS_PER_CHILD = 200
#: Seconds a retiring or killed worker gets to exit before it is killed (again).
JOIN_TIMEOUT_S = 5.0
#: Seconds to wait for a Dask scheduler to answer.
DASK_CONNECT_TIMEOUT_S = 10.0
#: Seconds Dask gets to restart the worker of a timed-out task.
DASK_RESTART_TIMEOUT_S = 30.0
#: Modules the worker process server imports once, so each new worker starts warm
#: (extract.warm also compiles the patterns and parses a small bulletin: ~360 ms a
#: worker otherwise, 10 times in a run of 2,000 files).
WORKER_PRELOAD = ["extract.batch", "extract.readers.txt", "extract.readers.docx",
                  "extract.readers.pdf", "extract.readers.html", "extract.readers.doc",
                  "extract.copies", "extract.warm"]
CRASH_ADVICE = "处理该文件时工作进程意外退出（可能内存不足或解析库崩溃），已跳过；可单独重试该文件。"


class BatchError(Exception):
    """The run cannot start (bad option combination, missing optional dependency)."""


@dataclass(frozen=True)
class Task:
    """One file for a worker (picklable)."""

    index: int
    path: str
    source_path: str
    doc_id: str
    as_of: date
    max_size: int
    zip_limit: int = ZIP_UNCOMPRESSED_LIMIT
    data: bytes | None = None  # the bytes, when the worker may not see the file (Dask)
    cache_file: str | None = None  # where the worker stores the result (local pool only)
    #: The whole parse is wanted (for documents.jsonl): made, sent back and cached. Without
    #: it a worker sends only the brief and the rendered rows (~1.5 ms less per document).
    full: bool = True


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
    capacity: int

    def submit(self, task: Task) -> None: ...
    def in_flight(self) -> int: ...
    def poll(self, wait_s: float) -> list[Outcome]: ...
    def close(self) -> None: ...


def _worker_main(conn: multiprocessing.connection.Connection,
                 process: Callable[[Task], Outcome], verbose: bool) -> None:
    """A worker process: own process group (so a timeout kills its children too),
    Ctrl-C left to the parent, stray prints to stderr, library warnings off."""
    if hasattr(os, "setpgrp"):
        os.setpgrp()
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
                 max_tasks_per_child: int = MAX_TASKS_PER_CHILD, verbose: bool = False) -> None:
        methods = multiprocessing.get_all_start_methods()
        self.ctx: Any = multiprocessing.get_context("forkserver" if "forkserver" in methods
                                                    else "spawn")
        if "forkserver" in methods:
            self.ctx.set_forkserver_preload(WORKER_PRELOAD)
        self.workers = max(1, workers)
        self.capacity = self.workers * PREFETCH
        self.process = process
        self.timeout_s = timeout_s
        self.max_tasks = max(1, max_tasks_per_child)
        self.verbose = verbose
        self.live: list[_Slot] = []  # workers that take new tasks
        self.draining: list[_Slot] = []  # workers at max_tasks, finishing their queue
        # Every worker's pipe and exit sentinel, registered once: waiting with
        # multiprocessing.connection.wait builds a new selector on every call (and
        # Connection.poll another per pipe), ~0.1 ms of the writing process per file.
        self.selector = selectors.DefaultSelector()

    def _spawn(self) -> _Slot:
        parent_conn, child_conn = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker_main, args=(child_conn, self.process, self.verbose),
                                daemon=True)
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


class DaskExecutor:
    """The same per-file function on a Dask distributed cluster.

    ``scheduler`` is an address (``tcp://host:8786``); without one a
    LocalCluster of ``workers`` single-threaded processes is started. Files
    are sent as bytes, so workers need not see the input folder. A task over
    the time limit is reported as ``timeout``, cancelled, and the worker
    process running it is restarted by its nanny (a thread cannot be killed,
    a process can); tasks that were queued on that worker are rescheduled by
    Dask and their clocks restart. Without nannies (``processes=False``) the
    stuck thread is only abandoned.
    """

    def __init__(self, workers: int, process: Callable[[Task], Outcome], timeout_s: float,
                 scheduler: str | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise BatchError("未安装 Dask：请先 pip install 'zhenggai[dask]'") from exc
        self.cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout=DASK_CONNECT_TIMEOUT_S)
            except (OSError, TimeoutError, ValueError) as exc:
                raise BatchError(f"无法连接 Dask 调度器 {scheduler}：{exc}") from exc
        else:
            self.cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1,
                                        processes=True, dashboard_address=":0")
            self.client = Client(self.cluster)
        nthreads = sum(self.client.nthreads().values())
        self.capacity = max(1, nthreads or workers)
        self.process = process
        self.timeout_s = timeout_s
        self.futures: dict[Any, tuple[Task, float]] = {}

    def submit(self, task: Task) -> None:
        fut = self.client.submit(self.process, task, pure=False,
                                 key=f"zhenggai-{task.index}-{task.doc_id}")
        self.futures[fut] = (task, time.monotonic())

    def in_flight(self) -> int:
        return len(self.futures)

    def poll(self, wait_s: float) -> list[Outcome]:
        from distributed import wait

        if not self.futures:
            return []
        try:
            wait(list(self.futures), timeout=wait_s, return_when="FIRST_COMPLETED")
        except TimeoutError:
            pass
        outcomes: list[Outcome] = []
        now = time.monotonic()
        for fut, (task, started) in list(self.futures.items()):
            if fut.status == "finished":
                outcomes.append(fut.result())
            elif fut.status in ("error", "cancelled", "lost"):
                tb = None
                if fut.status == "error":
                    tb = "".join(traceback.format_exception(fut.exception()))
                outcomes.append(error_outcome(task, UnreadableFile("Dask 任务失败",
                                                                    advice=CRASH_ADVICE), tb=tb))
            elif now - started > self.timeout_s:
                del self.futures[fut]
                self._kill(fut)
                outcomes.append(error_outcome(task, Timeout(f"超过 {self.timeout_s:g} 秒仍未处理完")))
                continue
            else:
                continue
            del self.futures[fut]
        return outcomes

    def _kill(self, fut: Any) -> None:
        """Cancel a stuck task and restart the worker process running it."""
        try:
            workers = [w for w, keys in self.client.processing().items() if fut.key in keys]
        except (OSError, RuntimeError, ValueError) as exc:
            log.warning("无法查询 Dask 任务所在的 worker：%s", exc)
            workers = []
        fut.cancel()
        if not workers:
            return
        try:
            self.client.restart_workers(workers, timeout=DASK_RESTART_TIMEOUT_S,
                                        raise_for_error=False)
        except Exception as exc:  # noqa: BLE001 - no nanny, scheduler refused, …: abandon the thread
            log.warning("无法重启卡住的 Dask worker %s：%s", workers, exc)
            return
        restarted = time.monotonic()  # queued tasks were rescheduled: their clocks restart
        self.futures = {f: (t, restarted) for f, (t, _) in self.futures.items()}

    def close(self) -> None:
        for fut in self.futures:
            fut.cancel()
        self.futures.clear()
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
