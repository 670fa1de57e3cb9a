"""PDF reading speed: bare pdfplumber ``extract_text`` vs zhenggai, in one process.

For each text PDF in samples/formats, times (best of ``--repeat`` runs):

- pdfplumber: ``page.extract_text()`` on every page (the usual baseline);
- read_file: zhenggai's PDF reader (pypdfium2 text, layout, tables via pdfplumber
  only on pages with ruling lines);
- parse_file: the whole pipeline (read → normalize → segment → fields → items).

    .venv/bin/python benchmarks/bench_pdf.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract.pipeline import parse_file  # noqa: E402
from extract.readers import read_file  # noqa: E402

FORMATS = ROOT / "samples" / "formats"
PDFS = ("seed.pdf", "short_bulletin.pdf", "table_bulletin.pdf")


def plumber_text(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def best_time(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    read_file(FORMATS / PDFS[0])  # warm imports
    plumber_text((FORMATS / PDFS[0]).read_bytes())
    totals = {"pdfplumber": 0.0, "read_file": 0.0, "parse_file": 0.0}
    print(f"{'file':24} {'pages':>5} {'pdfplumber':>11} {'read_file':>10} {'parse_file':>11}")
    for name in PDFS:
        path = FORMATS / name
        data = path.read_bytes()
        pages = read_file(path, data).page_count or 0
        t_plumber = best_time(lambda d=data: plumber_text(d), args.repeat)
        t_read = best_time(lambda p=path, d=data: read_file(p, d), args.repeat)
        t_parse = best_time(lambda p=path, d=data: parse_file(p, data=d), args.repeat)
        totals["pdfplumber"] += t_plumber
        totals["read_file"] += t_read
        totals["parse_file"] += t_parse
        print(f"{name:24} {pages:5d} {t_plumber:10.3f}s {t_read:9.3f}s {t_parse:10.3f}s")
    print(f"{'total':24} {'':5} {totals['pdfplumber']:10.3f}s {totals['read_file']:9.3f}s "
          f"{totals['parse_file']:10.3f}s")
    print(f"ratio read_file/pdfplumber = {totals['read_file'] / totals['pdfplumber']:.3f}; "
          f"parse_file/pdfplumber = {totals['parse_file'] / totals['pdfplumber']:.3f} "
          f"(target ≤ 0.333); cpus={os.cpu_count()}")


if __name__ == "__main__":
    main()
