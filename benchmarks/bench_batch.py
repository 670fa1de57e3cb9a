"""Batch benchmark: throughput, memory and time scaling, cache speed-up.

    python benchmarks/bench_batch.py [--small N] [--large N] [--workers N]

Generates N synthetic bulletins (units, dates, statuses and item counts varied
from a template modelled on samples/*.txt) in a temporary folder, then runs
each measurement in a fresh subprocess (so peak RSS is per run):

* docs/s for the small and the large archive (cold, no cache), with the
  parent's peak RSS: ratio large/small (target <= 1.3: memory must not grow
  with the number of documents) and time ratio large/small (target <= 12 for
  10x the documents);
* an unchanged re-run with the cache: speed-up over the cold run of the same
  archive (target >= 10x), for the batch alone and for the whole command
  (which also re-runs the cross-unit analysis); and the same re-run the next
  day (``--as-of`` one day later: the cache keeps undated parses, target >= 10x);
* text throughput in bulletins/s with 2 workers (target >= 300/s).

Ratios are against baselines measured in the same run (the small archive, the
cold run), so the numbers compare across machines.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

#: Fixed seed: every run benchmarks the same archive.
SEED = 7
AS_OF = date(2024, 12, 31)
TARGET_RSS_RATIO = 1.3
TARGET_TIME_RATIO = 12.0
TARGET_CACHE_SPEEDUP = 10.0
TARGET_DOCS_PER_S = 300.0

PLACES = ["洛阳市", "宁川县", "桐溪区", "白沙镇", "枫林县", "青石乡", "南江市", "东湖区", "西岭县", "北塘市"]
BODIES = ["卫生健康局", "自然资源局", "市场监督管理局", "医疗保障局", "教育局", "财政局", "交通运输局",
          "住房和城乡建设局", "文化广电和旅游局", "农业农村局", "统一战线工作部", "机关事务管理局"]
SECTIONS = ["政治建设", "思想建设", "组织建设", "作风建设", "纪律建设", "全面从严治党", "意识形态工作"]
PROBLEMS = ["学习贯彻党的创新理论不深入", "落实“三重一大”决策制度不严格", "干部队伍建设统筹谋划不够",
            "财务管理制度执行不到位", "落实中央八项规定精神有差距", "基层党组织标准化建设滞后",
            "专项资金使用监管不严", "意识形态工作责任制落实不到位", "巡察整改“回头看”跟进不及时"]
MEASURES = ["召开专题会议研究部署整改工作", "修订完善相关制度规定", "开展专项检查并建立台账",
            "组织集中学习培训", "对相关责任人进行约谈提醒", "建立定期调度机制"]
STATUSES = ["已完成整改，并长期坚持", "已完成整改", "持续整改中", "基本完成", "正在整改"]
DEADLINES = ["2024年6月", "2024年12月", "长期坚持", "2025年3月底前", "2023年12月"]
NUMERALS = "一二三四五六七八九十"


def make_bulletin(rng: random.Random, serial: int) -> str:
    """One synthetic bulletin: a unit, dates, 2–5 sections of 1–6 items with statuses."""
    unit = f"中共{rng.choice(PLACES)}{rng.choice(BODIES)}党组"
    kind = rng.choice(["巡察", "巡视"])
    year = rng.choice([2022, 2023, 2024])
    sections = []
    done = prog = n_items = 0
    item_no = 0
    for s in range(rng.randint(2, 5)):
        count = rng.randint(1, 6)
        lines = [f"（{NUMERALS[s]}）{SECTIONS[s % len(SECTIONS)]}方面的问题（{count}项{count}个具体问题）"]
        for _ in range(count):
            item_no += 1
            n_items += 1
            status = rng.choice(STATUSES)
            done += status.startswith("已完成")
            prog += not status.startswith("已完成")
            ms = rng.sample(MEASURES, rng.randint(1, 3))
            labelled = "；".join(f"{NUMERALS[k]}是{m}" for k, m in enumerate(ms))
            lines.append(f"{item_no}.{rng.choice(PROBLEMS)}（第{serial}号）。")
            lines.append(f"整改情况：{status}。{labelled}。")
            lines.append(f"整改时限：{rng.choice(DEADLINES)}")
        sections.append("\n\n".join(lines))
    rate = round(100 * done / max(n_items, 1), 1)
    return (
        f"{unit}关于{kind}整改进展情况的通报\n\n"
        f"根据统一部署，{year}年{rng.randint(3, 6)}月{rng.randint(1, 28)}日至{rng.randint(7, 9)}月"
        f"{rng.randint(1, 28)}日，第{NUMERALS[rng.randint(0, 9)]}{kind}组对{unit}进行了常规{kind}，"
        f"并于{rng.randint(10, 12)}月{rng.randint(1, 28)}日进行了意见反馈。现将整改进展情况通报如下：\n\n"
        f"一、整改工作总体情况\n\n截至{year + 1}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日，"
        f"对照{kind}反馈的{n_items}项{n_items}个具体问题，已完成整改{done}个，正在整改{prog}个，"
        f"整改完成率{rate}%。制定修订制度{rng.randint(1, 20)}项。\n\n"
        "二、具体问题整改情况\n\n" + "\n\n".join(sections) + "\n"
    )


def generate(folder: Path, n: int) -> None:
    rng = random.Random(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"{i:05d}.txt").write_text(make_bulletin(rng, i), encoding="utf-8")


def child(inputs: str, out: str, workers: int, mode: str, cache: bool) -> None:
    """One measured run in this (fresh) process; prints a JSON line."""
    from extract.api import parse_folder
    from extract.batch import BatchOptions, run_batch
    from extract.writers.csv import CsvSink

    started = time.perf_counter()
    as_of = AS_OF + timedelta(days=1) if mode == "nextday" else AS_OF
    if mode in ("batch", "nextday"):  # the streamed per-document tables only
        options = BatchOptions(out_dir=Path(out), as_of=as_of, workers=workers, use_cache=cache)
        result = run_batch([inputs], options, sinks=[CsvSink(Path(out), analysis=False)])
    else:  # the command: every CSV table, the analysis included
        result = parse_folder(inputs, out=out, as_of=AS_OF, workers=workers, cache=cache).result
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    kept = [*result.tables.documents, *result.tables.items, *result.tables.checks]
    print(json.dumps({"elapsed_s": elapsed, "rss_mib": usage.ru_maxrss / 1024,
                      "parent_cpu_s": usage.ru_utime + usage.ru_stime, "files": result.files,
                      "items": result.items, "cached": result.cached,
                      "kept_mib": _kept_size(kept) / 2**20}))


def _kept_size(records: list[object]) -> int:
    """Approximate bytes of the kept rows: each (slotted) object and the strings and
    tuples it refers to, every object counted once (interned strings are shared)."""
    seen: set[int] = set()
    total = 0

    def add(value: object) -> None:
        nonlocal total
        if id(value) in seen or not isinstance(value, (str, tuple)):
            return
        seen.add(id(value))
        total += sys.getsizeof(value)
        if isinstance(value, tuple):
            for v in value:
                add(v)

    for record in records:
        total += sys.getsizeof(record)
        for name in getattr(type(record), "__slots__", ()):
            add(getattr(record, name, None))
    return total


def measure(inputs: Path, out: Path, workers: int, mode: str, cache: bool = True) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", str(inputs), str(out), str(workers), mode,
           "cache" if cache else "nocache"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=200)
    parser.add_argument("--large", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        inputs, out, workers, mode, cache = args.child
        child(inputs, out, int(workers), mode, cache == "cache")
        return 0

    with tempfile.TemporaryDirectory(prefix="zhenggai-bench-") as tmp:
        root = Path(tmp)
        small, large = root / "small", root / "large"
        generate(small, args.small)
        generate(large, args.large)
        w = args.workers
        s = measure(small, root / "out-small", w, "batch", cache=False)
        cold = measure(large, root / "out-large", w, "batch")  # cold: fills the cache
        warm = measure(large, root / "out-large", w, "batch")
        next_day = measure(large, root / "out-large", w, "nextday")  # --as-of one day later
        full_cold = measure(large, root / "out-full", w, "full", cache=False)
        full_warm = measure(large, root / "out-large", w, "full")

    def rate(m: dict[str, float]) -> float:
        return m["files"] / m["elapsed_s"]

    rss_ratio = cold["rss_mib"] / s["rss_mib"]
    streaming_ratio = (cold["rss_mib"] - cold["kept_mib"]) / (s["rss_mib"] - s["kept_mib"])
    time_ratio = cold["elapsed_s"] / s["elapsed_s"]
    speedup = cold["elapsed_s"] / warm["elapsed_s"]
    next_speedup = cold["elapsed_s"] / next_day["elapsed_s"]
    full_speedup = full_cold["elapsed_s"] / full_warm["elapsed_s"]

    def verdict(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    print(f"workers={w}  small={args.small}  large={args.large}  items(large)={cold['items']:.0f}")
    print(f"small cold : {s['elapsed_s']:7.2f} s  {rate(s):7.1f} docs/s  parent RSS {s['rss_mib']:6.1f} MiB")
    print(f"large cold : {cold['elapsed_s']:7.2f} s  {rate(cold):7.1f} docs/s  parent RSS {cold['rss_mib']:6.1f} MiB")
    print(f"large warm : {warm['elapsed_s']:7.2f} s  {rate(warm):7.1f} docs/s  (cache hits {warm['cached']:.0f})")
    print(f"full cold  : {full_cold['elapsed_s']:7.2f} s  (batch + analysis tables)")
    print(f"full warm  : {full_warm['elapsed_s']:7.2f} s")
    print(f"RSS ratio large/small     {rss_ratio:6.2f}  (target <= {TARGET_RSS_RATIO})  "
          f"{verdict(rss_ratio <= TARGET_RSS_RATIO)}")
    print(f"  of which rows kept for the analysis: {s['kept_mib']:.1f} MiB (small), "
          f"{cold['kept_mib']:.1f} MiB (large); RSS ratio without them {streaming_ratio:.2f}")
    print(f"parent CPU per document   {1000 * cold['parent_cpu_s'] / cold['files']:6.2f} ms "
          f"(hashing, ordering, CSV writing; the workers parse)")
    print(f"time ratio large/small    {time_ratio:6.2f}  (target <= {TARGET_TIME_RATIO})  "
          f"{verdict(time_ratio <= TARGET_TIME_RATIO)}")
    print(f"cache speed-up (batch)    {speedup:6.1f}x (target >= {TARGET_CACHE_SPEEDUP}x)  "
          f"{verdict(speedup >= TARGET_CACHE_SPEEDUP)}")
    print(f"cache speed-up, next day  {next_speedup:6.1f}x (--as-of a day later; hits "
          f"{next_day['cached']:.0f}; target >= {TARGET_CACHE_SPEEDUP}x)  "
          f"{verdict(next_speedup >= TARGET_CACHE_SPEEDUP)}")
    print(f"cache speed-up (command)  {full_speedup:6.1f}x (analysis is recomputed every run)")
    print(f"text throughput, {w} cores {rate(cold):6.1f} bulletins/s (target >= {TARGET_DOCS_PER_S})  "
          f"{verdict(rate(cold) >= TARGET_DOCS_PER_S)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
