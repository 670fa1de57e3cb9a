"""Near-duplicate benchmark: time, memory, precision and recall of finding copies of a bulletin.

    PYTHONPATH=. python benchmarks/bench_copies.py [--small N] [--large N] [--workers N]

Generates bulletins (units, dates, sections, items with statuses and deadlines varied
from a template modelled on samples/*.txt), and for some of them the copies an
archive collects and the look-alikes it must not merge:

* copies — a PDF's reflowed lines, a re-post with another site's chrome, a mirror in
  Traditional characters with pinyin, an OCR reading with one character in a hundred
  misread, a web excerpt cut after nine tenths of its paragraphs;
* not copies — the unit's next bulletin (the same problems, later date, other
  statuses and figures), and every other bulletin on the same template.

Every text is normalized as the parser does (``extract.normalize``: chrome, pinyin,
Traditional, width), then timed:

* signatures (``extract.copies.fingerprint``) in worker processes, as in a run;
* the writing process's part: every signature filed into the LSH buckets as it would
  stream in (``CopyIndex.add``), then the copies decided (``CopyIndex.decide``), in a
  fresh process (its RSS growth is the index's and the documents' fields);

for a small and a large archive, printing the ratios large/small (time: ≤ 12 for 10×
the documents, no pairwise loop; bytes of index per document: flat) and precision and
recall of the large run's copies (targets 1.00 and ≥ 0.95), and the large run's total
detection time (target: under a minute on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

#: Fixed seed: every run benchmarks the same archive.
SEED = 14
TARGET_SECONDS = 60.0
TARGET_TIME_RATIO = 12.0
TARGET_PRECISION = 1.0
TARGET_RECALL = 0.95
#: Index bytes per document allowed ("a few hundred bytes": 128 of signature, 8 bucket keys).
TARGET_BYTES_PER_DOC = 512
#: Share of bulletins that get a copy, and that get a next bulletin (a look-alike).
COPY_SHARE = 0.10
NEXT_SHARE = 0.05
#: Characters misread per hundred in an OCR copy; paragraphs kept in an excerpt.
OCR_ERROR_RATE = 0.01
EXCERPT_SHARE = 0.9
COPY_KINDS = ("reflow", "repost", "mirror", "ocr", "excerpt")

PLACES = ["洛阳市", "宁川县", "桐溪区", "白沙镇", "枫林县", "青石乡", "南江市", "东湖区", "西岭县", "北塘市",
          "岚溪县", "青岑县", "澜川市", "柘岩县", "梧桐县", "沣源县", "鹿鸣区", "泸阳市", "云泽县", "平川县"]
BODIES = ["卫生健康局", "自然资源局", "市场监督管理局", "医疗保障局", "教育局", "财政局", "交通运输局",
          "住房和城乡建设局", "文化广电和旅游局", "农业农村局", "水利局", "城市管理局", "生态环境局",
          "人力资源和社会保障局", "民政局", "司法局", "审计局", "统计局", "林业局", "应急管理局"]
SECTIONS = ["党的政治建设", "全面从严治党", "领导班子和干部队伍建设", "意识形态工作", "履行职能责任"]
SUBJECTS = ["理论学习中心组学习", "“三重一大”决策制度", "干部队伍建设", "财务管理制度", "中央八项规定精神",
            "基层党组织标准化建设", "专项资金使用", "意识形态工作责任制", "政府采购程序", "公务用车管理",
            "工程项目建设管理", "行政执法", "选人用人工作", "党费收缴", "档案管理", "合同管理",
            "内部控制制度", "安全生产责任", "信访事项办理", "行政审批服务"]
FAULTS = ["落实不到位", "执行不严格", "监管不严", "流于形式", "推进缓慢", "不够规范", "存在薄弱环节",
          "整改不彻底", "统筹谋划不够", "责任压得不实"]
DETAILS = ["个别股室", "部分下属单位", "2022年以来", "个别项目", "部分村（社区）", "个别领导干部"]
MEASURES = ["召开专题会议研究部署整改工作", "修订完善相关制度规定", "开展专项检查并建立台账",
            "组织集中学习培训", "对相关责任人进行约谈提醒", "建立定期调度机制", "实行清单化管理、销号式推进"]
DONE, OPEN = "已完成整改", "正在整改"
CN = "一二三四五六七八九十"
PINYIN = {"巡察": "xún chá", "整改": "zhěng gǎi", "黨組": "dǎng zǔ", "問題": "wèn tí"}


def make_bulletin(rng: random.Random, serial: int) -> tuple[list[str], dict[str, Any]]:
    """A bulletin as paragraphs, and its document fields."""
    unit = f"中共{rng.choice(PLACES)}{rng.choice(BODIES)}党组"
    year = rng.choice([2021, 2022, 2023, 2024])
    feedback = f"{year}-{rng.randint(6, 9):02d}-{rng.randint(1, 28):02d}"
    as_of = f"{year + 1}-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}"
    problems = []
    for s in range(rng.randint(2, 4)):
        for _ in range(rng.randint(2, 5)):
            title = (f"{rng.choice(SUBJECTS)}{rng.choice(FAULTS)}，{rng.choice(DETAILS)}"
                     f"{rng.choice(SUBJECTS)}{rng.choice(FAULTS)}")
            problems.append((s, title, rng.random() < 0.6, rng.sample(MEASURES, rng.randint(1, 3)),
                             f"{year + 1}年{rng.randint(6, 12)}月底"))
    fields = {"unit": unit, "feedback_date": feedback, "as_of_date": as_of,
              "problems_declared": len(problems)}
    return _paragraphs(unit, year, feedback, as_of, problems, serial), fields


def _paragraphs(unit: str, year: int, feedback: str, as_of: str, problems: list[Any],
                serial: int) -> list[str]:
    done = sum(1 for p in problems if p[2])
    y, m, d = (int(x) for x in as_of.split("-"))
    fm, fd = (int(x) for x in feedback.split("-")[1:])
    paras = [f"{unit}关于巡察整改进展情况的通报",
             f"根据统一部署，{year}年3月{serial % 28 + 1}日至5月{serial % 27 + 1}日，巡察组对{unit}开展了常规巡察，"
             f"并于{year}年{fm}月{fd}日反馈了巡察意见。现将巡察整改进展情况通报如下。",
             "一、整改工作总体情况",
             f"截至{y}年{m}月{d}日，巡察反馈的{len(problems)}个问题已完成整改{done}个，正在整改"
             f"{len(problems) - done}个。", "二、具体问题整改情况"]
    section = -1
    for n, (s, title, is_done, measures, deadline) in enumerate(problems, start=1):
        if s != section:
            section = s
            paras.append(f"（{CN[s]}）{SECTIONS[s]}方面")
        paras.append(f"{n}.{title}。")
        steps = "".join(f"{CN[k]}是{m}。" for k, m in enumerate(measures))
        paras.append(f"整改情况：{DONE if is_done else OPEN}。{steps}")
        if not is_done:
            paras.append(f"完成时限：{deadline}")
    paras.append("欢迎广大干部群众对巡察整改落实情况进行监督。")
    paras.append(unit)
    return paras


def copy_of(kind: str, paras: list[str], rng: random.Random) -> str:
    """The text of a copy of one kind."""
    if kind == "reflow":  # a PDF: lines broken at a width, spaces between characters
        return "\n".join(p[i:i + 37] for p in paras for i in range(0, len(p), 37))
    if kind == "repost":
        head = ["清风网", "首页 | 工作动态 | 巡察工作 | 廉政教育", "当前位置：首页 > 巡察工作 > 整改公开",
                paras[0], f"来源：{paras[-1]}　　发布时间：2025-03-18 10:20　　点击数：{rng.randint(50, 999)}"]
        foot = ["【打印本页】【关闭窗口】", "上一篇：县委巡察办召开整改推进会", "主办：县纪委监委　网站标识码：3611000012"]
        return "\n".join(head + paras[1:] + foot)
    if kind == "mirror":
        import opencc

        trad = opencc.OpenCC("s2t").convert("\n".join(paras))
        return re.sub("|".join(PINYIN), lambda m: f"{m.group(0)}({PINYIN[m.group(0)]})", trad, count=6)
    if kind == "ocr":
        text = "\n".join(paras)
        chars = [rng.choice("口日曰目自白百旦") if "\u4e00" <= c <= "\u9fff" and rng.random() < OCR_ERROR_RATE
                 else c for c in text]
        return "".join(chars)
    if kind == "excerpt":
        return "\n".join(paras[:max(3, int(len(paras) * EXCERPT_SHARE))])
    raise ValueError(kind)


def next_bulletin(fields: dict[str, Any], paras: list[str], rng: random.Random) -> tuple[str, dict[str, Any]]:
    """The unit's next bulletin: the same problems, half of the open ones closed, a later date."""
    y, m, d = (int(x) for x in fields["as_of_date"].split("-"))
    later = f"{y}-{min(12, m + 6):02d}-{d:02d}"
    out = []
    for p in paras:
        if p.startswith("整改情况：" + OPEN) and rng.random() < 0.5:
            p = p.replace(OPEN, DONE, 1)
        out.append(p.replace(f"截至{y}年{m}月{d}日", f"截至{y}年{min(12, m + 6)}月{d}日"))
    return "\n".join(out), {**fields, "as_of_date": later, "problems_completed": -1}


def generate(n: int) -> list[dict[str, Any]]:
    """n bulletins with their copies and next bulletins: text, fields, the original's number."""
    rng = random.Random(SEED)
    docs: list[dict[str, Any]] = []
    for serial in range(n):
        paras, fields = make_bulletin(rng, serial)
        original = len(docs)
        docs.append({"text": "\n".join(paras), "fields": fields, "copy_of": None, "kind": "original"})
        if rng.random() < COPY_SHARE:
            kind = rng.choice(COPY_KINDS)
            docs.append({"text": copy_of(kind, paras, rng), "fields": fields, "copy_of": original,
                         "kind": kind})
        if rng.random() < NEXT_SHARE:
            text, later = next_bulletin(fields, paras, rng)
            docs.append({"text": text, "fields": later, "copy_of": None, "kind": "next"})
    return docs


def _normalize(text: str) -> tuple[str, bool]:
    from extract.document import Block
    from extract.normalize import normalize_blocks

    nt = normalize_blocks([Block(line) for line in text.split("\n")])
    return nt.text, nt.traditional


def _sign(item: tuple[str, bool]) -> dict[str, Any]:
    from extract.copies import fingerprint_text

    text, traditional = item
    return fingerprint_text(text, traditional)


def prepare(n: int, folder: Path, workers: int) -> dict[str, Any]:
    """Generate, normalize and sign n bulletins and their copies; write what the writing process
    receives to ``folder/briefs.jsonl``; return the workers' timings."""
    docs = generate(n)
    with get_context("forkserver").Pool(workers) as pool:
        pool.map(_normalize, ["巡察整改"] * workers)  # warm: imports, OpenCC
        started = time.perf_counter()
        normalized = pool.map(_normalize, [d["text"] for d in docs], chunksize=64)
        normalize_s = time.perf_counter() - started
        pool.map(_sign, [("巡察整改", False)] * workers)  # warm: datasketch, permutations
        started = time.perf_counter()
        prints = pool.map(_sign, normalized, chunksize=64)
        sign_s = time.perf_counter() - started
    with (folder / "briefs.jsonl").open("w", encoding="utf-8") as handle:
        for i, (doc, fp) in enumerate(zip(docs, prints, strict=True)):
            handle.write(json.dumps({"n": i, "fields": doc["fields"], "copy_of": doc["copy_of"],
                                     "kind": doc["kind"], "copy": fp}, ensure_ascii=False) + "\n")
    chars = sum(len(t) for t, _ in normalized) / len(normalized)
    return {"documents": len(docs), "normalize_s": normalize_s, "sign_s": sign_s,
            "chars": chars, "copies": sum(d["copy_of"] is not None for d in docs)}


def child(folder: str) -> None:
    """The writing process's part, in a fresh process: index as the briefs stream in, decide."""
    from extract.copies import CopyIndex
    from extract.records import BULLETIN, DocumentFields

    index = CopyIndex()
    index.add(DocumentFields("f" * 16, "warm.txt", "txt"), None)
    docs = []
    base_rss = _status_kib("VmRSS")
    started = time.perf_counter()
    for line in Path(folder, "briefs.jsonl").open(encoding="utf-8"):  # streamed, as in a run
        row = json.loads(line)
        f = row["fields"]
        doc = DocumentFields(f"{row['n']:016x}", f"{row['n']}.txt",
                             "pdf-ocr" if row["kind"] == "ocr" else "txt", BULLETIN, unit=f["unit"],
                             feedback_date=f["feedback_date"], as_of_date=f["as_of_date"],
                             problems_declared=f["problems_declared"],
                             problems_completed=f.get("problems_completed"))
        docs.append(doc)
        index.add(doc, row["copy"])
    add_s = time.perf_counter() - started
    started = time.perf_counter()
    decided = [(int(c.doc_id, 16), int(k.doc_id, 16)) for c, k, _ in index.decide()
               if c.doc_id != "f" * 16]
    decide_s = time.perf_counter() - started
    rss = _status_kib("VmHWM")
    print(json.dumps({"add_s": add_s, "decide_s": decide_s, "decided": decided,
                      "index_bytes": index.memory_bytes(), "rss_mib": rss / 1024,
                      "rss_growth_mib": (rss - base_rss) / 1024}))


def _status_kib(field: str) -> int:
    """A memory figure of this process from /proc (ru_maxrss would carry the peak of the
    benchmark's own process across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure(n: int, root: Path, workers: int) -> dict[str, Any]:
    folder = root / str(n)
    folder.mkdir()
    prepared = prepare(n, folder, workers)
    proc = subprocess.run([sys.executable, __file__, "--child", str(folder)], capture_output=True,
                          text=True, check=True)
    result = {**prepared, **json.loads(proc.stdout.strip().splitlines()[-1])}
    truth = {}
    kinds = {}
    for line in (folder / "briefs.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        kinds[row["n"]] = row["kind"]
        if row["copy_of"] is not None:
            truth[row["n"]] = row["copy_of"]
    group = {n: truth.get(n, n) for n in kinds}  # each document's bulletin
    predicted = result.pop("decided")
    right = sum(1 for copy, kept in predicted if group[copy] == group[kept])
    found = {copy for copy, kept in predicted if group[copy] == group[kept]}
    # a true copy is found when it, or its original, was marked a copy of the other
    found_pairs = sum(1 for copy, original in truth.items()
                      if copy in found or (original in found and group[original] == group[copy]))
    by_kind: dict[str, list[int]] = {}
    for copy, original in truth.items():
        hit = copy in found or original in found
        by_kind.setdefault(kinds[copy], [0, 0])[0] += hit
        by_kind[kinds[copy]][1] += 1
    result.update(precision=right / len(predicted) if predicted else 1.0,
                  recall=found_pairs / len(truth) if truth else 1.0, predicted=len(predicted),
                  recall_by_kind={k: f"{h}/{t}" for k, (h, t) in sorted(by_kind.items())},
                  wrong=[(c, k, kinds[c], kinds[k]) for c, k in predicted if group[c] != group[k]][:5])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    with tempfile.TemporaryDirectory(prefix="zhenggai-bench-copies-") as tmp:
        small = measure(args.small, Path(tmp), args.workers)
        large = measure(args.large, Path(tmp), args.workers)

    def verdict(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    def detect_s(m: dict[str, Any]) -> float:
        return float(m["sign_s"] + m["add_s"] + m["decide_s"])

    for name, m in (("small", small), ("large", large)):
        print(f"{name:5s}: {m['documents']:6d} documents ({m['copies']} copies, {m['chars']:.0f} characters "
              f"each): signatures {m['sign_s']:6.2f} s on {args.workers} workers, index "
              f"{m['add_s']:5.2f} s, decide {m['decide_s']:5.2f} s; index "
              f"{m['index_bytes'] / m['documents']:5.0f} bytes/document, writing process peak RSS "
              f"{m['rss_mib']:5.1f} MiB")
    time_ratio = detect_s(large) / detect_s(small)
    per_doc = large["index_bytes"] / large["documents"]
    bytes_ratio = per_doc / (small["index_bytes"] / small["documents"])
    share = large["sign_s"] / large["normalize_s"]
    print(f"detection, large: {detect_s(large):6.2f} s (target < {TARGET_SECONDS:.0f} s)  "
          f"{verdict(detect_s(large) < TARGET_SECONDS)}")
    print(f"time ratio large/small        {time_ratio:6.2f}  (target <= {TARGET_TIME_RATIO}: "
          f"{large['documents'] / small['documents']:.0f}x the documents)  "
          f"{verdict(time_ratio <= TARGET_TIME_RATIO)}")
    print(f"index bytes/document          {per_doc:6.0f}  (target <= {TARGET_BYTES_PER_DOC}); "
          f"ratio large/small {bytes_ratio:.2f} (flat)  {verdict(per_doc <= TARGET_BYTES_PER_DOC)}")
    print(f"writing process RSS growth    {small['rss_growth_mib']:.1f} MiB (small), "
          f"{large['rss_growth_mib']:.1f} MiB (large): "
          f"{large['rss_growth_mib'] * 2**20 / large['documents']:.0f} bytes/document with the "
          "documents' fields (kept by a run anyway)")
    print(f"signatures vs normalization   {share:6.2f}  (the worker's extra time over the "
          f"normalize step of the parse, same texts)")
    print(f"precision (large)             {large['precision']:6.3f}  (target {TARGET_PRECISION:.2f}; "
          f"{large['predicted']} copies marked)  {verdict(large['precision'] >= TARGET_PRECISION)}")
    print(f"recall (large)                {large['recall']:6.3f}  (target >= {TARGET_RECALL}); by kind "
          f"{large['recall_by_kind']}  {verdict(large['recall'] >= TARGET_RECALL)}")
    if large["wrong"]:
        print(f"wrongly marked (copy, kept, kinds): {large['wrong']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
