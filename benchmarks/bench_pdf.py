"""PDF reading speed: zhenggai against bare text extraction, two ways.

1. Samples (``--samples``, in one process, best of ``--repeat`` runs) — for each text
   PDF in samples/formats: bare pdfplumber ``page.extract_text()`` on every page vs
   zhenggai's ``read_file`` (pypdfium2 text, layout, tables via pdfplumber's table
   functions only on pages with ruling lines) and ``parse_file`` (the whole pipeline).
2. Corpus (``--corpus``, issue 15) — ``--files`` distinct text-layer bulletins of 19
   pages (GB/T 9704 style, built on the fly by ``benchmarks/corpus_pdf.py``): bare
   ``pypdfium2`` text extraction of every page (open, ``get_textpage().get_text_range()``)
   vs the whole CLI run (``zhenggai extract DIR --workers 1 --no-cache -q``, a subprocess),
   median of ``--runs`` interleaved runs; the ratio and its verdict (target ≤ 3×), in wall
   time and in CPU time of the CLI's whole process tree (Linux: this process reaps the
   fork server the CLI leaves behind; steadier than wall time on a shared machine). The CLI's fixed cost (interpreter start, imports, the worker's start and
   warm-up, writing the outputs) is measured on one one-page file and shown apart. Then
   the in-process time per page of each stage of ``read_file`` + parse, timed on the
   real code path (the reader's functions wrapped with timers, exclusive CPU time).
   ``--compare TREE`` also runs the CLI of another checkout of the project (a baseline
   worktree) interleaved with this one's, and checks that both write byte-identical
   CSV files and read identical blocks.

    .venv/bin/python benchmarks/bench_pdf.py [--samples] [--corpus] [--repeat 5]
        [--files 30] [--runs 3] [--compare ../wt-base]
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus_pdf import PAGES, bulletin_pdfs  # noqa: E402
from stages import StageTimer  # noqa: E402
from tree import compile_bytecode  # noqa: E402

from extract.pipeline import doc_id_for, parse_file, parse_source  # noqa: E402
from extract.readers import pdf as pdf_reader  # noqa: E402
from extract.readers import read_file  # noqa: E402

FORMATS = ROOT / "samples" / "formats"
PDFS = ("seed.pdf", "short_bulletin.pdf", "table_bulletin.pdf")
#: The one-page file whose CLI run measures the fixed cost of a run.
TINY = FORMATS / "short_bulletin.pdf"
#: Issue 15's target: whole CLI run at most this many times bare pypdfium2 extraction.
TARGET_RATIO = 3.0
#: Stages of the in-process breakdown: the reader's module-level functions timed in each.
STAGES: dict[str, tuple[str, ...]] = {
    "pypdfium2 chars": ("open_pdf", "page_to_chars"),
    "checks (overprint, scan, garbled)": ("dedupe_overprint", "looks_scanned",
                                          "chars_look_garbled"),
    "table detection": ("count_path_objects", "page_to_edges", "edges_to_tables",
                        "table_to_blocks"),
    "pdfplumber": ("_open_plumber", "plumber_page_to_chars"),
    "layout (lines, furniture, paragraphs)": ("chars_to_lines", "pages_to_blocks"),
}
#: Reads a folder's PDFs with the tree on PYTHONPATH and prints a digest of their blocks.
DIGEST_SCRIPT = """
import hashlib, sys
from pathlib import Path
from extract.readers import read_file
h = hashlib.sha256()
for p in sorted(Path(sys.argv[1]).glob("*.pdf")):
    for b in read_file(p).blocks:
        h.update(repr((b.text, b.page, b.kind, b.bbox, b.cells)).encode())
print(h.hexdigest())
"""


#: prctl option making this process the reaper of its orphaned descendants (Linux).
PR_SET_CHILD_SUBREAPER = 36


@functools.cache
def reaps_orphans() -> bool:
    """Become the reaper of orphaned descendants (Linux), so the CPU time of the CLI's whole
    process tree — the CLI, the fork server it leaves behind and the worker — is counted
    by getrusage(RUSAGE_CHILDREN) once they are waited for. False where that is not possible
    (then only wall times are shown)."""
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def best_time(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


# --- 1. samples ------------------------------------------------------------------------

def plumber_text(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def bench_samples(repeat: int) -> None:
    read_file(FORMATS / PDFS[0])  # warm imports
    plumber_text((FORMATS / PDFS[0]).read_bytes())
    totals = {"pdfplumber": 0.0, "read_file": 0.0, "parse_file": 0.0}
    print(f"{'file':24} {'pages':>5} {'pdfplumber':>11} {'read_file':>10} {'parse_file':>11}")
    for name in PDFS:
        path = FORMATS / name
        data = path.read_bytes()
        pages = read_file(path, data).page_count or 0
        t_plumber = best_time(lambda d=data: plumber_text(d), repeat)
        t_read = best_time(lambda p=path, d=data: read_file(p, d), repeat)
        t_parse = best_time(lambda p=path, d=data: parse_file(p, data=d), repeat)
        totals["pdfplumber"] += t_plumber
        totals["read_file"] += t_read
        totals["parse_file"] += t_parse
        print(f"{name:24} {pages:5d} {t_plumber:10.3f}s {t_read:9.3f}s {t_parse:10.3f}s")
    print(f"{'total':24} {'':5} {totals['pdfplumber']:10.3f}s {totals['read_file']:9.3f}s "
          f"{totals['parse_file']:10.3f}s")
    print(f"ratio read_file/pdfplumber = {totals['read_file'] / totals['pdfplumber']:.3f}; "
          f"parse_file/pdfplumber = {totals['parse_file'] / totals['pdfplumber']:.3f} "
          f"(target ≤ 0.333); cpus={os.cpu_count()}")


# --- 2. corpus: whole CLI run vs bare pypdfium2 ------------------------------------------

def bare_pypdfium2(files: list[Path], clock: Callable[[], float] = time.perf_counter,
                   per_page: Callable[[Any], object] | None = None) -> float:
    """Seconds to extract the text of every page of ``files`` with pypdfium2 alone
    (``per_page``: more work on each page's text page, timed with it)."""
    import pypdfium2 as pdfium

    start = clock()
    for path in files:
        doc = pdfium.PdfDocument(path)
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            if per_page is not None:
                per_page(textpage)
            textpage.close()
            page.close()
        doc.close()
    return clock() - start


class Timing(NamedTuple):
    wall: float
    cpu: float | None  # CPU seconds of the whole process tree, None where it cannot be counted


def cli_run(tree: Path, folder: Path, out: Path) -> Timing:
    """Wall seconds of ``zhenggai extract folder`` run from ``tree`` (1 worker, no cache), and
    the CPU seconds of its whole process tree."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    counted = reaps_orphans()
    cpu_start, start = children_cpu(), time.perf_counter()
    subprocess.run([sys.executable, "-m", "extract", "extract", str(folder), "--out", str(out),
                    "--workers", "1", "--no-cache", "-q"], env=env, cwd=tree, check=True,
                   stdout=subprocess.DEVNULL)  # cwd: ``-m`` puts it before PYTHONPATH
    wall = time.perf_counter() - start
    while counted:  # the fork server (and any worker) left behind, reparented to us
        try:
            os.wait()
        except ChildProcessError:
            break
    return Timing(wall, children_cpu() - cpu_start if counted else None)


def report(clock: str, bare: list[Timing], cli: dict[str, list[Timing]],
           fixed: dict[str, list[Timing]], runs: int) -> None:
    """Medians of one clock (wall or CPU) of the interleaved runs, and the ratios."""
    def median(timings: list[Timing]) -> float:
        return statistics.median(getattr(t, clock) for t in timings)

    def listed(timings: list[Timing]) -> str:
        return ", ".join(f"{getattr(t, clock):.2f}" for t in timings)

    base = median(bare)
    print(f"{clock} time, median of {runs}: bare pypdfium2 text {base:.3f}s ({listed(bare)})")
    for label in cli:
        whole, fix = median(cli[label]), median(fixed[label])
        ratio = whole / base
        verdict = "met" if ratio <= TARGET_RATIO else "not met"
        print(f"  CLI run, {label}: {whole:.3f}s ({listed(cli[label])}) → ratio {ratio:.2f}× "
              f"(target ≤ {TARGET_RATIO:.0f}×: {verdict}); fixed cost (1 one-page file) "
              f"{fix:.3f}s; without it {(whole - fix) / base:.2f}×")


def csv_digest(out: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(out.glob("*.csv")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def blocks_digest(tree: Path, folder: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([sys.executable, "-c", DIGEST_SCRIPT, str(folder)], env=env, cwd=tree,
                          check=True, capture_output=True, text=True).stdout.strip()


def bench_corpus(n_files: int, runs: int, compare: Path | None) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        start = time.perf_counter()
        files = bulletin_pdfs(tmp / "in", n_files)
        tiny = tmp / "tiny"
        tiny.mkdir()
        (tiny / TINY.name).write_bytes(TINY.read_bytes())
        print(f"corpus: {len(files)} distinct text-layer PDFs of {PAGES} pages "
              f"(built in {time.perf_counter() - start:.1f}s)")
        trees = {"this tree": ROOT} | ({"baseline": compare.resolve()} if compare else {})
        for tree in trees.values():
            compile_bytecode(tree)
        bare: list[Timing] = []
        cli: dict[str, list[Timing]] = {label: [] for label in trees}
        fixed: dict[str, list[Timing]] = {label: [] for label in trees}
        bare_pypdfium2(files[:1])  # warm the library
        for run in range(runs):  # interleaved: the machine is shared and noisy
            cpu_start, wall_start = time.process_time(), time.perf_counter()
            bare_pypdfium2(files)
            bare.append(Timing(time.perf_counter() - wall_start, time.process_time() - cpu_start))
            for label, tree in trees.items():
                cli[label].append(cli_run(tree, tmp / "in", tmp / f"out-{label}-{run}"))
                fixed[label].append(cli_run(tree, tiny, tmp / f"tiny-{label}-{run}"))
        for clock in ("wall", "cpu"):
            if any(getattr(t, clock) is None for t in cli["this tree"]):
                continue  # CPU time of the process tree not countable here: wall times only
            report(clock, bare, cli, fixed, runs)
        if compare:
            same_csv = all(csv_digest(tmp / f"out-{label}-{run}") == csv_digest(tmp / "out-this tree-0")
                           for label in trees for run in range(runs))
            same_blocks = blocks_digest(ROOT, tmp / "in") == blocks_digest(compare, tmp / "in")
            print(f"outputs identical to the baseline: CSV {same_csv}, reader blocks {same_blocks}")
        stage_breakdown(files, statistics.median(t.wall for t in fixed["this tree"]),
                        statistics.median(t.wall for t in bare))


# --- in-process breakdown per stage --------------------------------------------------------

def stage_times(files: list[Path]) -> tuple[int, dict[str, float]]:
    """Pages, and CPU seconds per stage (plus calls made to its functions) reading and
    parsing ``files`` in this process, the bare pypdfium2 time among them."""
    datas = [(path, path.read_bytes()) for path in files]
    parse_file(datas[0][0], data=datas[0][1])  # warm imports and caches
    pages = sum(read_file(p, d).page_count or 0 for p, d in datas)
    times = {"bare pypdfium2": bare_pypdfium2(files, time.process_time)}
    timer = StageTimer()
    with timer.patch(pdf_reader, [name for group in STAGES.values() for name in group]):
        start = time.process_time()
        sources = [read_file(p, d) for p, d in datas]
        reading = time.process_time() - start
    start = time.process_time()
    for (path, data), src in zip(datas, sources, strict=True):
        parse_source(src, doc_id_for(data), path.name, date(2024, 12, 31))
    parsing = time.process_time() - start
    for stage, group in STAGES.items():
        times[stage] = sum(timer.spent.get(name, 0.0) for name in group)
        times[f"{stage} calls"] = sum(timer.calls.get(name, 0) for name in group)
    times["other reading (pages, document)"] = reading - sum(times[stage] for stage in STAGES)
    times["normalize + parse"] = parsing
    times["total read_file + parse"] = reading + parsing
    return pages, times


def per_character_calls(files: list[Path]) -> float:
    """CPU seconds of bare pypdfium2 extraction plus the pdfium calls any reader that lays
    out characters must make for each one — its code point, its box (four sides read), its
    font size — with the same bare calls as the reader and nothing else: no Python object
    per character, no layout. pdfium has no call that returns a page's boxes at once."""
    import ctypes

    import pypdfium2.raw as raw

    api = pdf_reader._pdfium()
    unicode, loose_box, font_size = api.unicode, api.loose_box, api.font_size
    box = raw.FS_RECTF()
    ref = ctypes.byref(box)

    def characters(textpage: Any) -> None:
        handle = ctypes.cast(textpage.raw, ctypes.c_void_p)
        for i in range(textpage.count_chars()):
            unicode(handle, i)
            loose_box(handle, i, ref)
            box.left, box.right, box.top, box.bottom  # noqa: B018 - read, as a reader does
            font_size(handle, i)

    return bare_pypdfium2(files, time.process_time, characters)


def stage_breakdown(files: list[Path], fixed_s: float, bare_wall_s: float) -> None:
    pages, times = stage_times(files)
    bare = times["bare pypdfium2"]
    print(f"in-process CPU ms per page ({pages} pages; bare pypdfium2 {bare / pages * 1000:.2f}):")
    for stage in [*STAGES, "other reading (pages, document)", "normalize + parse",
                  "total read_file + parse"]:
        calls = f"  ({times[stage + ' calls']:.0f} calls)" if stage in STAGES else ""
        print(f"  {stage:40} {times[stage] / pages * 1000:6.2f}{calls}")
    print(f"  read_file + parse = {times['total read_file + parse'] / bare:.2f}× bare pypdfium2")
    # The floor of any reader that lays the page out from its characters, as this one does
    # (and must, for identical output): the calls alone, the parse, the fixed cost.
    calls = per_character_calls(files)
    floor = fixed_s + calls + times["normalize + parse"]
    print(f"floor of a per-character reader: bare pypdfium2 + 3 pdfium calls a character "
          f"{calls / pages * 1000:.2f} ms a page, + normalize and parse "
          f"{times['normalize + parse'] / pages * 1000:.2f}; with the fixed cost {fixed_s:.3f}s: "
          f"{floor:.3f}s = {floor / bare_wall_s:.2f}× bare pypdfium2 (target ≤ {TARGET_RATIO:.0f}×) "
          f"before any Python object, line or paragraph")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", action="store_true", help="only the samples comparison")
    parser.add_argument("--corpus", action="store_true", help="only the corpus comparison")
    parser.add_argument("--repeat", type=int, default=5, help="samples: best of this many")
    parser.add_argument("--files", type=int, default=30, help="corpus: this many PDFs")
    parser.add_argument("--runs", type=int, default=3, help="corpus: median of this many")
    parser.add_argument("--compare", type=Path, help="corpus: a baseline checkout to run too")
    args = parser.parse_args()
    both = not args.samples and not args.corpus
    if args.samples or both:
        bench_samples(args.repeat)
    if args.corpus or both:
        bench_corpus(args.files, args.runs, args.compare)


if __name__ == "__main__":
    main()
