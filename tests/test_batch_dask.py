"""--executor dask writes the same outputs as the local pool."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from test_batch_run import make_corpus, read_csv

from extract.batch import BatchOptions, run_batch
from extract.executors import Outcome, Task
from extract.work import process_task

distributed = pytest.importorskip("distributed")

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
