"""Dask vs the local pool, the same files, in one run.

    python benchmarks/bench_dask.py [--files 400] [--rounds 3]

Seed-sized bulletins (``corpus.seed_sized``); each round runs the whole command
twice, interleaved (the machine may be shared): ``--workers 2`` on the local
process pool, then ``--executor dask`` (a LocalCluster of 2 single-threaded
processes, started by the command: its start-up is included). Prints the wall
times, the median ratio dask/local (target ≤ 1.3) and whether the tables are
identical.
"""

from __future__ import annotations

import argparse
import filecmp
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import seed_sized  # noqa: E402
from tree import compile_bytecode  # noqa: E402

#: Dask may be this much slower than the local pool on one machine (issue 15).
TARGET_RATIO = 1.3
COMMON = ["--no-cache", "-q", "--as-of", "2024-12-31", "--workers", "2"]


def timed(inputs: Path, out: Path, *extra: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "extract", "extract", str(inputs), "--out", str(out),
                    *COMMON, *extra], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    compile_bytecode(HERE.parent)
    with tempfile.TemporaryDirectory(prefix="zhenggai-bench-dask-") as tmp:
        root = Path(tmp)
        seed_sized(root / "in", args.files)
        local, dask = [], []
        for _ in range(args.rounds):
            local.append(timed(root / "in", root / "local"))
            dask.append(timed(root / "in", root / "dask", "--executor", "dask"))
        names = sorted(p.name for p in (root / "local").glob("*.csv"))
        same = all(filecmp.cmp(root / "local" / n, root / "dask" / n, shallow=False) for n in names)
    ratios = [d / loc for d, loc in zip(dask, local, strict=True)]
    ratio = statistics.median(ratios)
    print(f"{args.files} seed-sized bulletins, 2 workers, {args.rounds} interleaved rounds")
    print(f"local pool : {' '.join(f'{t:.2f}' for t in local)} s  (median {statistics.median(local):.2f})")
    print(f"dask       : {' '.join(f'{t:.2f}' for t in dask)} s  (median {statistics.median(dask):.2f})")
    print(f"ratio dask/local {ratio:.2f} (per round {' '.join(f'{r:.2f}' for r in ratios)}; "
          f"target <= {TARGET_RATIO}) {'ok' if ratio <= TARGET_RATIO else 'MISSED'}")
    print(f"tables identical: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
