"""--executor dask writes the same outputs as the local pool."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from test_batch_run import make_corpus, read_csv

from extract.batch import BatchOptions, run_batch
from extract.executors import Outcome, Task
from extract.work import process_task

distributed = pytest.importorskip("distributed")
REPO = Path(__file__).resolve().parent.parent

TABLES = ("documents.csv", "sections.csv", "items.csv", "measures.csv", "checks.csv", "errors.csv",
          "documents.jsonl")


@pytest.fixture(scope="module")
def scheduler() -> str:  # type: ignore[misc]
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                       dashboard_address=":0")
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def test_dask_run_writes_identical_files(tmp_path: Path, scheduler: str) -> None:
    make_corpus(tmp_path / "in", n_samples=6)
    common = {"as_of": date(2024, 12, 31), "workers": 2, "use_cache": False, "jsonl": True}
    local = run_batch([tmp_path / "in"], BatchOptions(out_dir=tmp_path / "local", **common))
    dask = run_batch([tmp_path / "in"], BatchOptions(out_dir=tmp_path / "dask", executor="dask",
                                                     scheduler=scheduler, **common))
    for name in TABLES:
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
    assert (dask.documents, dask.items, dask.failed) == (local.documents, local.items, local.failed)
    assert len(read_csv(tmp_path / "dask" / "documents.csv")) == local.documents


def sleep_then_parse(task: Task) -> Outcome:
    """Over the 1 s limit, but short: Dask cannot kill the thread, the cluster waits for it."""
    if "hang" in task.source_path:
        time.sleep(2.5)
    return process_task(task)


def test_dask_timeout_is_reported(tmp_path: Path, scheduler: str) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ok.txt").write_text("关于整改情况的通报", encoding="utf-8")
    (tmp_path / "in" / "hang_short.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "out"
    run_batch([tmp_path / "in"], BatchOptions(out_dir=out, executor="dask", scheduler=scheduler,
                                              timeout_s=1.0, use_cache=False,
                                              process=sleep_then_parse))
    errors = {r["source_path"]: r["error"] for r in read_csv(out / "errors.csv")}
    assert errors == {"hang_short.txt": "timeout"}


def test_dask_stuck_task_worker_is_restarted(tmp_path: Path) -> None:
    """With worker processes (nannies), a stuck task's process is really killed."""
    from test_batch_run import HANG_S, hang_or_parse

    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                       dashboard_address=":0")
    try:
        (tmp_path / "in").mkdir()
        (tmp_path / "in" / "a_hang.txt").write_text("x", encoding="utf-8")
        (tmp_path / "in" / "b_ok.txt").write_text("关于整改情况的通报", encoding="utf-8")
        out = tmp_path / "out"
        started = time.monotonic()
        run_batch([tmp_path / "in"], BatchOptions(out_dir=out, executor="dask",
                                                  scheduler=cluster.scheduler_address,
                                                  timeout_s=2.0, use_cache=False,
                                                  process=hang_or_parse))
        assert time.monotonic() - started < HANG_S / 2
    finally:
        cluster.close()
    errors = {r["source_path"]: r["error"] for r in read_csv(out / "errors.csv")}
    assert errors == {"a_hang.txt": "timeout"}
    assert [r["source_path"] for r in read_csv(out / "documents.csv")] == ["b_ok.txt"]


def slow_parse(task: Task) -> Outcome:
    """A parse that takes long enough for a worker to be killed in the middle of a run."""
    time.sleep(0.05)
    return process_task(task)


def _start(*args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_" + args[0], *args[1:]],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True)


@pytest.fixture
def real_cluster(tmp_path: Path) -> dict[str, Any]:  # type: ignore[misc]
    """A `dask scheduler` and two `dask worker` processes, as a user starts them."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "tests")]),
           "DASK_DISTRIBUTED__LOGGING__DISTRIBUTED": "error"}
    sched_file = tmp_path / "scheduler.json"
    procs = [_start("scheduler", "--scheduler-file", str(sched_file), "--port", "0",
                    "--no-dashboard", env=env)]
    try:
        deadline = time.monotonic() + 60
        while not sched_file.exists():
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.1)
        for _ in range(2):
            procs.append(_start("worker", "--scheduler-file", str(sched_file), "--nthreads", "1",
                                "--nworkers", "1", "--no-dashboard", env=env))
        address = json.loads(sched_file.read_text())["address"]
        with distributed.Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield {"address": address, "workers": procs[1:]}
    finally:
        for proc in procs:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(tmp_path: Path,
                                                            real_cluster: dict[str, Any]) -> None:
    source = sorted((REPO / "samples").glob("*.txt"))
    (tmp_path / "in").mkdir()
    for i in range(80):  # distinct files (no duplicate shortcut)
        text = source[i % len(source)].read_text(encoding="utf-8")
        (tmp_path / "in" / f"{i:03d}.txt").write_text(f"{text}\n（{i}）\n", encoding="utf-8")
    common = {"as_of": date(2024, 12, 31), "workers": 2, "use_cache": False, "process": slow_parse}
    local = run_batch([tmp_path / "in"], BatchOptions(out_dir=tmp_path / "local", **common))
    victim = real_cluster["workers"][1]
    killed_at: list[float] = []

    def kill_when_started() -> None:
        while not list((tmp_path).glob(".zhenggai-staging-dask-*")):
            time.sleep(0.02)
        time.sleep(0.8)  # a few batches in
        os.killpg(victim.pid, signal.SIGKILL)
        killed_at.append(time.monotonic())

    killer = threading.Thread(target=kill_when_started, daemon=True)
    killer.start()
    dask = run_batch([tmp_path / "in"], BatchOptions(out_dir=tmp_path / "dask", executor="dask",
                                                     scheduler=real_cluster["address"], **common))
    finished_at = time.monotonic()
    killer.join(timeout=30)
    assert killed_at and killed_at[0] < finished_at  # it really died during the run
    assert (dask.documents, dask.items, dask.failed) == (local.documents, local.items, 0)
    for name in TABLES[:-1]:
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name


def test_workers_that_do_not_see_the_files_get_their_bytes(tmp_path: Path,
                                                          real_cluster: dict[str, Any]) -> None:
    from extract.cluster import DaskExecutor

    executor = DaskExecutor(2, process_task, 60.0, real_cluster["address"])
    try:
        sample = tmp_path / "a.txt"
        sample.write_text("通报", encoding="utf-8")
        assert executor.decide_shipping([(str(sample), sample.stat().st_size)]) is False
        assert executor.decide_shipping([(str(sample), 999)]) is True  # not the same file there
        assert executor.decide_shipping([("/nowhere/a.txt", 2)]) is True
    finally:
        executor.close()


def _worker_state() -> tuple[int, bool, Any]:
    import dask

    return (os.getppid(), "extract.warm" in sys.modules,
            dask.config.get("distributed.worker.profile.enabled"))


def test_a_local_cluster_forks_its_workers_warm_and_leaves_the_callers_settings() -> None:
    import dask

    from extract.cluster import DaskExecutor

    before = dask.config.get("distributed.worker.multiprocessing-method")
    executor = DaskExecutor(2, process_task, 60.0)
    try:
        seen = executor.client.run(_worker_state)
    finally:
        executor.close()
    assert len(seen) == 2
    for parent, warm, profiler in seen.values():
        assert parent != os.getpid()  # forked by the worker server, not spawned by a nanny here
        assert warm  # the parser was imported before the worker existed
        assert profiler is False
    assert dask.config.get("distributed.worker.multiprocessing-method") == before
    assert dask.config.get("distributed.worker.profile.enabled") is True
