"""Seed-sized bulletins through the whole batch (issue 15: >= 300 bulletins/s, 2 workers).

    python benchmarks/bench_parse.py [--files 2000] [--workers 2] [--repeat 3]
                                     [--stage-files 200] [--against TREE] [--per-unit 2]

Builds ``--files`` distinct seed-sized bulletins (:func:`corpus.seed_sized`: ~9,200
characters, 26 problems with measures each), then:

* runs ``zhenggai extract FOLDER --out OUT --no-cache -q --as-of 2024-12-31 --workers N``
  (the whole command: discovery, the worker pool, every CSV table and the analysis)
  ``--repeat`` times and prints the median bulletins/s;
* times, in one process and in CPU time (best of 3 passes over ``--stage-files``
  files), what a worker does per file: read, parse (and the parse's stages), render
  the CSV rows, the brief, the cache entry (orjson);
* with ``--against TREE`` (another checkout, e.g. a worktree of the commit to compare
  with), measures that tree the same way, the runs interleaved (this tree, then the
  other, ``--repeat`` times: a machine shared with other work slows both alike), and
  prints the ratios.

The baseline of a run is measured in the same run: the other tree, and the rate the
one-process CPU time allows (2 workers × 1000 / ms per file): the command's rate over
it is the share the pool, the writing process, start-up and the analysis leave.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import seed_sized  # noqa: E402
from tree import compile_bytecode  # noqa: E402

TARGET_DOCS_PER_S = 300.0
AS_OF = "2024-12-31"
#: Passes over the stage files; the best (least disturbed) counts.
STAGE_PASSES = 3
#: Stages timed inside the parse: (module, function, label). A tree without one skips it.
PARSE_STAGES = (
    ("extract.pipeline", "normalize_blocks", "normalize"),
    ("extract.chrome", "strip", "  web chrome"),
    ("extract.normalize", "to_simplified", "  Traditional check"),
    ("extract.normalize", "clean_inline", "  clean_inline"),
    ("extract.pipeline", "segment", "segment"),
    *(("extract.fields", f, "fields") for f in ("narrative_scope", "find_title", "find_unit",
                                                  "find_inspection", "find_dates", "looks_cut")),
    *(("extract.counts", f, "counts") for f in ("find_counts", "count_categories", "count_items")),
    ("extract.items", "build_records", "items"),
    ("extract.doctype", "evidence", "doctype"),
    ("extract.doctype", "decide", "doctype"),
    ("extract.checks", "audit", "checks"),
)


def child_stages(folder: str, n: int) -> None:
    """CPU ms per file of each step, in this (fresh) process; prints a JSON line."""
    import functools
    import importlib

    import extract.warm  # noqa: F401 - prepared as a worker is (patterns, OpenCC, gc.freeze)

    spent: dict[str, float] = {}

    def timed(label: str, f):  # type: ignore[no-untyped-def]
        @functools.wraps(f)
        def run(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.process_time()
            try:
                return f(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.process_time() - start
        return run

    for module, name, label in PARSE_STAGES:
        mod = importlib.import_module(module)
        if hasattr(mod, name):
            setattr(mod, name, timed(label, getattr(mod, name)))

    from datetime import date

    import orjson

    from extract.pipeline import doc_id_for, parse_source
    from extract.readers import read_file
    from extract.serialize import brief_of
    from extract.work import render_document

    paths = sorted(Path(folder).glob("*.txt"))[:n]
    as_of = date.fromisoformat(AS_OF)
    best: dict[str, float] = {}
    for _ in range(STAGE_PASSES):
        spent.clear()
        for path in paths:
            t0 = time.process_time()
            data = path.read_bytes()
            src = read_file(path, data, None)
            t1 = time.process_time()
            parsed = parse_source(src, doc_id_for(data), path.name, as_of)
            t2 = time.process_time()
            rendered = render_document(parsed)
            t3 = time.process_time()
            brief = brief_of(parsed)
            t4 = time.process_time()
            orjson.dumps({"brief": brief, "rendered": rendered})
            t5 = time.process_time()
            for label, t in (("read", t1 - t0), ("parse", t2 - t1), ("render", t3 - t2),
                             ("brief", t4 - t3), ("cache entry", t5 - t4)):
                spent[label] = spent.get(label, 0.0) + t
        if not best or spent["parse"] < best["parse"]:
            best = dict(spent)
    print(json.dumps({k: 1000 * v / len(paths) for k, v in best.items()}))


def stages(tree: Path, folder: Path, n: int) -> dict[str, float]:
    proc = subprocess.run([sys.executable, __file__, "--child-stages", str(folder), str(n)],
                          capture_output=True, text=True, check=True, cwd=tree,
                          env={**os.environ, "PYTHONPATH": str(tree)})
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def command_seconds(tree: Path, folder: Path, out: Path, workers: int) -> tuple[float, float]:
    """Wall seconds of the extract command run from ``tree`` (a fresh output folder), and
    the CPU seconds of it and every process it started (read from /proc every 10 ms
    while they run, where there is one: a few ms of each process's end are missed)."""
    cmd = [sys.executable, "-m", "extract", "extract", str(folder), "--out", str(out), "--no-cache",
           "-q", "--as-of", AS_OF, "--workers", str(workers)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cpu: dict[int, float] = {}
    while proc.poll() is None:
        _read_cpu(proc.pid, cpu)
        time.sleep(0.01)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return elapsed, sum(cpu.values())


def _read_cpu(root: int, cpu: dict[int, float]) -> None:
    """The CPU seconds so far of ``root`` and its descendants, into ``cpu`` (pid -> seconds)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    stack = [root]
    while stack:
        pid = stack.pop()
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:  # gone, or no /proc
            continue
        cpu[pid] = max(cpu.get(pid, 0.0), (int(stat[11]) + int(stat[12])) / tick)
        stack += [int(c) for c in children]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stage-files", type=int, default=200)
    parser.add_argument("--against", type=Path, help="another checkout to measure the same way")
    parser.add_argument("--per-unit", type=int, default=1,
                        help="bulletins of each unit (2 or more: history follows their "
                             "problems; the target is for 1)")
    parser.add_argument("--child-stages", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_stages:
        child_stages(args.child_stages[0], int(args.child_stages[1]))
        return 0

    trees = [REPO] + ([args.against.resolve()] if args.against else [])
    for tree in trees:
        compile_bytecode(tree)
    with tempfile.TemporaryDirectory(prefix="zhenggai-bench-parse-") as tmp:
        root = Path(tmp)
        folder = root / "seed-sized"
        paths = seed_sized(folder, args.files, per_unit=args.per_unit)
        chars = sum(len(p.read_text(encoding="utf-8")) for p in paths[:50]) // min(50, len(paths))
        profile = [stages(tree, folder, args.stage_files) for tree in trees]
        seconds: list[list[float]] = [[] for _ in trees]
        cpus: list[list[float]] = [[] for _ in trees]
        for _ in range(args.repeat):
            for i, tree in enumerate(trees):
                wall, cpu = command_seconds(tree, folder, root / f"out-{i}", args.workers)
                seconds[i].append(wall)
                cpus[i].append(cpu)

    rates = [args.files / statistics.median(s) for s in seconds]
    names = ["this tree"] + ([f"baseline {trees[1].name}"] if args.against else [])
    print(f"seed-sized bulletins: {args.files} files of ~{chars:,} characters, "
          f"{args.per_unit} a unit, {args.workers} workers, median of {args.repeat} runs "
          "(interleaved)")
    print(f"{'':30s}" + "".join(f"{n:>26s}" for n in names))
    print(f"{'command wall s (runs)':30s}" + "".join(
        f"{'/'.join(f'{x:.1f}' for x in s):>26s}" for s in seconds))
    print(f"{'bulletins/s':30s}" + "".join(f"{r:26.1f}" for r in rates))
    print(f"{'best run, bulletins/s':30s}" + "".join(f"{args.files / min(s):26.1f}" for s in seconds))
    # Less disturbed by other work than the wall time: what the run's processes used.
    print(f"{'command CPU s (median)':30s}" + "".join(f"{statistics.median(c):26.1f}" for c in cpus))
    idle = f"  that on {args.workers} idle cores, /s"
    print(f"{idle:30s}" + "".join(
        f"{args.files / (statistics.median(c) / args.workers):26.1f}" for c in cpus))
    print(f"CPU ms per file in one process (best of {STAGE_PASSES} passes over "
          f"{args.stage_files} files):")
    labels = list(dict.fromkeys(["read", "parse", *(s[2] for s in PARSE_STAGES), "render", "brief",
                                 "cache entry"]))
    for label in labels:
        if any(label in p for p in profile):
            indent = "    " if label not in ("read", "parse", "render", "brief", "cache entry") else "  "
            print(f"{indent + label:30s}" + "".join(
                f"{p[label]:26.2f}" if label in p else f"{'-':>26s}" for p in profile))
    totals = [sum(p[k] for k in ("read", "parse", "render", "brief", "cache entry")) for p in profile]
    print(f"{'  total':30s}" + "".join(f"{t:26.2f}" for t in totals))
    ideal = [args.workers * 1000 / t for t in totals]
    print(f"{'one-process CPU allows /s':30s}" + "".join(f"{x:26.1f}" for x in ideal))
    print(f"{'command / that':30s}" + "".join(f"{r / x:26.2f}" for r, x in zip(rates, ideal, strict=True)))
    if args.against:
        print(f"ratio this tree / {trees[1].name}: bulletins/s {rates[0] / rates[1]:.2f}x, "
              f"command CPU {statistics.median(cpus[1]) / statistics.median(cpus[0]):.2f}x less, "
              f"parse CPU {profile[1]['parse'] / profile[0]['parse']:.2f}x less, "
              f"per-file CPU {totals[1] / totals[0]:.2f}x less")
    if args.per_unit != 1:
        print(f"{args.per_unit} bulletins a unit: {rates[0]:.1f} bulletins/s (no target)")
        return 0
    verdict = "ok" if rates[0] >= TARGET_DOCS_PER_S else "MISSED"
    print(f"text throughput, {args.workers} workers: {rates[0]:.1f} bulletins/s "
          f"(target >= {TARGET_DOCS_PER_S:.0f})  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
