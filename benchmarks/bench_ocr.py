"""OCR speed and the render scale: seconds per page on the scanned seed sample.

Renders pages of samples/formats/seed_scan.pdf at each ``--scales`` value
(× 72 dpi), OCRs them with the reader's engine, and prints wall and CPU seconds
per page and the character similarity with the text-layer twin (seed.pdf).
The reader's OCR_SCALE is the lowest scale whose text matches the best one.

    .venv/bin/python benchmarks/bench_ocr.py [--pages 1,2] [--scales 1.5,2.0,2.5]
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract.readers import ocr, pdf  # noqa: E402

FORMATS = ROOT / "samples" / "formats"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default="", help="1-based pages, comma-separated (default: all)")
    parser.add_argument("--scales", default=str(pdf.OCR_SCALE))
    args = parser.parse_args()
    import pypdfium2 as pdfium

    scan = pdfium.PdfDocument(str(FORMATS / "seed_scan.pdf"))
    text = pdfium.PdfDocument(str(FORMATS / "seed.pdf"))
    pages = [int(p) - 1 for p in args.pages.split(",") if p] or list(range(len(scan)))
    start = time.perf_counter()
    ocr.engine()
    print(f"engine load: {time.perf_counter() - start:.2f}s; cpus={os.cpu_count()}")
    for scale in (float(s) for s in args.scales.split(",")):
        wall = cpu = 0.0
        chars = 0
        ratios = []
        for index in pages:
            page = text[index]
            _, height = page.get_size()
            ref = "".join(ln.text for ln in pdf.chars_to_lines(
                pdf.dedupe_overprint(pdf.page_to_chars(page, height)), index + 1))
            t0, c0 = time.perf_counter(), time.process_time()
            lines = ocr.ocr_pdf_page(scan[index], index + 1, scale)
            wall += time.perf_counter() - t0
            cpu += time.process_time() - c0
            got = "".join(ln.text for ln in lines)
            chars += len(squeeze(got))
            ratios.append(difflib.SequenceMatcher(None, squeeze(got), squeeze(ref),
                                                  autojunk=False).ratio())
        n = len(pages)
        print(f"scale {scale:.2f}: {wall / n:.2f} s/page wall, {cpu / n:.2f} s/page cpu, "
              f"{1000 * wall / max(chars, 1):.2f} s wall per 1000 characters, "
              f"similarity min {min(ratios):.4f} mean {sum(ratios) / n:.4f} over {n} pages")


if __name__ == "__main__":
    main()
