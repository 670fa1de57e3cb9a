"""The per-file function on a Dask cluster (``--executor dask``), in batches.

One Dask task per file makes the scheduler's overhead (a few ms a task, and
the bytes of every file through it) dominate a 10 ms parse. So files go in
**batches**, sized as the run goes: the first are small (:data:`FIRST_BATCH`),
then each batch aims at :data:`BATCH_TARGET_S` of work from the per-file time
the workers report, capped in files and in input bytes.

**Inputs.** Workers read the files themselves when they can see them: always
with a local cluster (same machine); with a remote scheduler when every
worker finds a sample of the inputs at the same path with the same size (a
shared file system), and always for fsspec URLs (``s3://…``: workers open
them with their own credentials). Otherwise the client ships each file's
bytes with its task, as before. Either way the client reads each file once to
identify it (the content hash is the cache key and finds duplicates).

**Failures.** A batch over its time limit (:data:`Task` count × ``--timeout``)
has its worker process restarted (the nanny; a thread cannot be killed) and
its files are sent again one by one, each with its own limit: the slow one is
reported ``timeout``, the others are parsed. A batch whose worker died is
rescheduled by Dask; when Dask gives up on it (``KilledWorker``, a file that
kills every worker it meets) its files are likewise retried alone, and the
file that still fails is one error row. A worker killed mid-run loses
nothing: its batches run elsewhere, and each file's result is taken once.
"""

from __future__ import annotations

import logging
import os
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from extract.errors import Timeout, UnreadableFile
from extract.executors import (
    CRASH_ADVICE,
    WORKER_PRELOAD,
    BatchError,
    Outcome,
    Task,
    error_outcome,
    start_forkserver,
)

log = logging.getLogger(__name__)

#: Seconds to wait for a Dask scheduler to answer.
DASK_CONNECT_TIMEOUT_S = 10.0
#: Seconds Dask gets to restart the worker of a timed-out batch.
DASK_RESTART_TIMEOUT_S = 30.0
#: Work one batch aims at, in seconds: the scheduler's cost per task (~5 ms with the
#: result's transfer) stays ~2 %, and a batch is short enough to keep the workers even
#: at the end of a run (a worker idles ~half a batch) and to redo cheaply.
BATCH_TARGET_S = 0.25
#: Files in a batch before any per-file time is known (a batch of PDFs to OCR could take
#: minutes: start small).
FIRST_BATCH = 2
#: Files in a batch, at most.
MAX_BATCH = 64
#: Input bytes in a batch, at most, when bytes are shipped (64 MiB through the scheduler).
MAX_BATCH_BYTES = 64 * 1024 * 1024
#: Batches queued per worker thread besides the running one (keeps workers busy while
#: the client waits for results).
QUEUED_PER_THREAD = 2
#: Weight of the newest batch in the running mean of seconds per file.
EWMA_WEIGHT = 0.3
#: Input paths probed on every worker to decide whether they share the client's files.
PROBE_PATHS = 3
#: What a local cluster's worker server imports besides the parser's modules: a Dask
#: worker process forked from it starts with distributed loaded and the parser warm
#: (spawned, each imported both: ~0.45 s before its first batch).
DASK_WORKER_PRELOAD = ["distributed", "distributed.nanny", "distributed.worker"]


def run_tasks(process: Callable[[Task], Outcome], tasks: Sequence[Task]) -> tuple[list[Outcome], float]:
    """One Dask task: the files of a batch in turn, and the seconds they took."""
    started = time.perf_counter()
    outcomes = [process(task) for task in tasks]
    return outcomes, time.perf_counter() - started


def warm_worker() -> bool:
    """Import the parser and compile its patterns (sent once to each worker at start, so
    the first batches do not pay for it in turn)."""
    import extract.warm  # noqa: F401 - imported for its effect

    return True


def start_local_workers() -> bool:
    """Start the worker server a local cluster's worker processes are forked from, with
    the parser and distributed imported once (as :class:`extract.executors.ProcessPool`
    does). Called as early as the run knows it starts a local cluster, so the server's
    imports overlap the client's own. Returns whether worker processes will be forked
    (False where the platform has no forkserver: Dask spawns them, as by default)."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return False
    multiprocessing.get_context("forkserver").set_forkserver_preload(
        WORKER_PRELOAD + DASK_WORKER_PRELOAD)
    start_forkserver()
    try:  # Dask would otherwise import its optional packages (pandas…) here to preload them
        import distributed.utils

        distributed.utils._forkserver_preload_set = True
    except (ImportError, AttributeError):
        pass
    return True


#: Dask settings for the workers of a local cluster, set while it starts (its nannies pass
#: them on): the statistical profiler samples each worker's stack every 10 ms for a
#: dashboard the command does not start.
LOCAL_WORKER_CONFIG = {"distributed.worker.profile.enabled": False}


def sees_files(paths: Sequence[tuple[str, int]]) -> bool:
    """On a worker: whether each (path, size) is a file of that size here."""
    try:
        return all(os.path.getsize(p) == size for p, size in paths)
    except OSError:
        return False


@dataclass
class _Batch:
    tasks: list[Task]
    started: float  # when its clock started (submitted, or its worker restarted)
    single: bool = False  # a retry of one file from a failed batch


class DaskExecutor:
    """``--executor dask``: batches of files on a Dask cluster (see the module docstring).

    ``scheduler`` is an address (``tcp://host:8786``); without one a LocalCluster of
    ``workers`` single-threaded processes is started. ``ship_bytes`` tells
    :mod:`extract.batch` whether tasks must carry the file's bytes (see
    :meth:`decide_shipping`).
    """

    def __init__(self, workers: int, process: Callable[[Task], Outcome], timeout_s: float,
                 scheduler: str | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise BatchError("未安装 Dask：请先 pip install 'zhenggai[dask]'") from exc
        self.cluster = None
        forked = False  # local workers forked from a server that has the parser loaded
        if scheduler:
            try:
                self.client = Client(scheduler, timeout=DASK_CONNECT_TIMEOUT_S)
            except (OSError, TimeoutError, ValueError) as exc:
                raise BatchError(f"无法连接 Dask 调度器 {scheduler}：{exc}") from exc
        else:
            forked = start_local_workers()
            import dask

            settings: dict[str, Any] = dict(LOCAL_WORKER_CONFIG)
            if forked:  # (a worker restarted later is spawned, as by default)
                settings["distributed.worker.multiprocessing-method"] = "forkserver"
            with dask.config.set(settings):  # the caller's own Dask settings stay as they were
                self.cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1,
                                            processes=True, dashboard_address=None)
            self.client = Client(self.cluster)
        #: A local cluster runs on this machine: its workers see every path the client sees.
        self.ship_bytes = False
        self.process = process
        self.timeout_s = timeout_s
        self.batches: dict[Any, _Batch] = {}
        self.pending: list[Task] = []
        self.pending_bytes = 0
        self.queued = 0  # files in pending and in batches
        self.per_file_s: float | None = None
        self._retries: list[Task] = []
        self.threads = max(1, sum(self.client.nthreads().values()) or workers)
        for address in ([] if forked else self.client.nthreads()):  # warm while the client hashes
            self.client.submit(warm_worker, pure=False, workers=[address],
                               allow_other_workers=False, key=f"zhenggai-warm-{address}")

    # -- sizing ---------------------------------------------------------------------------

    @property
    def batch_size(self) -> int:
        if self.per_file_s is None:
            return FIRST_BATCH
        return max(1, min(MAX_BATCH, round(BATCH_TARGET_S / max(self.per_file_s, 1e-4))))

    @property
    def capacity(self) -> int:
        """Files the batch runner may hand over before it waits for results."""
        return self.threads * (1 + QUEUED_PER_THREAD) * self.batch_size

    def decide_shipping(self, sample: Sequence[tuple[str, int]]) -> bool:
        """With a remote scheduler: ship bytes unless every worker sees ``sample`` (paths and
        sizes of some inputs) as the client does. Returns ``ship_bytes``."""
        if self.cluster is None and sample:
            try:
                seen = self.client.run(sees_files, list(sample[:PROBE_PATHS]))
                self.ship_bytes = not (seen and all(seen.values()))
            except Exception as exc:  # noqa: BLE001 - a worker that cannot answer: ship
                log.debug("Dask 输入探测失败：%s", exc)
                self.ship_bytes = True
            log.info("Dask：%s", "文件内容随任务发送" if self.ship_bytes else "各 worker 直接读取输入文件")
        return self.ship_bytes

    # -- the executor protocol ----------------------------------------------------------

    def submit(self, task: Task) -> None:
        self.pending.append(task)
        self.queued += 1
        self.pending_bytes += len(task.data) if task.data is not None else 0
        if len(self.pending) >= self.batch_size or self.pending_bytes >= MAX_BATCH_BYTES:
            self._flush()

    def in_flight(self) -> int:
        return self.queued

    def poll(self, wait_s: float) -> list[Outcome]:
        from distributed import wait

        self._flush()  # the runner has handed over all it can: send the rest now
        if not self.batches:
            return []
        if wait_s > 0:  # (a look without waiting reads the futures' states below as they are)
            try:
                wait(list(self.batches), timeout=wait_s, return_when="FIRST_COMPLETED")
            except TimeoutError:
                pass
        outcomes: list[Outcome] = []
        now = time.monotonic()
        for fut, batch in list(self.batches.items()):
            if fut.status == "finished":
                done, seconds = fut.result()
                self._learn(len(batch.tasks), seconds)
                outcomes += done
            elif fut.status in ("error", "cancelled", "lost"):
                if batch.single:
                    tb = None
                    if fut.status == "error":
                        tb = "".join(traceback.format_exception(fut.exception()))
                    outcomes.append(error_outcome(batch.tasks[0], UnreadableFile(
                        "Dask 任务失败", advice=CRASH_ADVICE), tb=tb))
                else:  # which file failed? each again, alone
                    self._retries += batch.tasks
            elif now - batch.started > self.timeout_s * len(batch.tasks):
                self._kill(fut)
                if batch.single:
                    outcomes.append(error_outcome(batch.tasks[0], Timeout(
                        f"超过 {self.timeout_s:g} 秒仍未处理完")))
                else:
                    self._retries += batch.tasks
            else:
                continue
            del self.batches[fut]
        for task in self._retries:
            self._send([task], single=True)
        self._retries = []
        self.queued = len(self.pending) + sum(len(b.tasks) for b in self.batches.values())
        return outcomes

    def close(self) -> None:
        for fut in self.batches:
            fut.cancel()
        self.batches.clear()
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    # -- internals ----------------------------------------------------------------------

    def _flush(self) -> None:
        if self.pending:
            self._send(self.pending)
            self.pending, self.pending_bytes = [], 0

    def _send(self, tasks: list[Task], single: bool = False) -> None:
        first = tasks[0]
        fut = self.client.submit(run_tasks, self.process, tasks, pure=False,
                                 key=f"zhenggai-{first.index}-{len(tasks)}-{first.doc_id}"
                                     + ("-retry" if single else ""))
        self.batches[fut] = _Batch(tasks, time.monotonic(), single)

    def _learn(self, files: int, seconds: float) -> None:
        per_file = seconds / max(1, files)
        self.per_file_s = (per_file if self.per_file_s is None
                           else (1 - EWMA_WEIGHT) * self.per_file_s + EWMA_WEIGHT * per_file)

    def _kill(self, fut: Any) -> None:
        """Cancel a stuck batch and restart the worker process running it."""
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
        restarted = time.monotonic()  # queued batches were rescheduled: their clocks restart
        for batch in self.batches.values():
            batch.started = restarted
