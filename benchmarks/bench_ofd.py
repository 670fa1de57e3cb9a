"""OFD reading speed per page against the text-layer PDF path, on the same bulletin, in one process.

The seed bulletin is rendered twice in a temporary folder with the samples' own
machinery: as a text PDF at the GB/T 9704 body size (16 pt, reportlab, by
``scripts/make_format_samples.py``) and as OFD (``scripts/make_ofd_samples.py``:
one TextObject per line, and one per character in shuffled XML order). Each file
is read with ``read_file`` (best of ``--repeat`` runs) and the time divided by its
page count; the ratio OFD/PDF is printed (target: ≤ 1, OFD no slower per page), and per
character too, since the two renderings break pages at different places (reportlab's
PDF margins hold more characters a page than the GB/T 9704 text block).

    .venv/bin/python benchmarks/bench_ofd.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from make_format_samples import SEED, PdfStyle, make_text_pdf, twin_paragraphs  # noqa: E402
from make_ofd_samples import make_chars_shuffled, make_lines  # noqa: E402

from extract.readers import read_file  # noqa: E402

#: Body size and leading of the PDF rendering (points): GB/T 9704's 三号 and its 22-line pitch.
BODY_SIZE = 16.0
LEADING = 28.0


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
    paras = twin_paragraphs(SEED.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        files = {"pdf (text layer)": Path(tmp) / "seed.pdf",
                 "ofd (object per line)": Path(tmp) / "seed_lines.ofd",
                 "ofd (object per char)": Path(tmp) / "seed_chars.ofd"}
        make_text_pdf(paras, files["pdf (text layer)"], PdfStyle(), body_size=BODY_SIZE,
                      leading=LEADING)
        make_lines(paras, files["ofd (object per line)"])
        make_chars_shuffled(paras, files["ofd (object per char)"])
        per_page: dict[str, float] = {}
        per_char: dict[str, float] = {}
        print(f"{'file':24} {'pages':>5} {'chars':>6} {'read_file':>10} {'per page':>10} "
              f"{'per 1000 chars':>15}")
        for label, path in files.items():
            data = path.read_bytes()
            doc = read_file(path, data)  # warm imports and caches
            pages = doc.page_count or 1
            chars = len("".join(doc.text.split()))
            elapsed = best_time(lambda p=path, d=data: read_file(p, d), args.repeat)
            per_page[label] = elapsed / pages
            per_char[label] = elapsed / chars
            print(f"{label:24} {pages:5d} {chars:6d} {elapsed:9.3f}s {elapsed / pages * 1000:8.2f}ms "
                  f"{elapsed / chars * 1e6:13.2f}ms")
    pdf, pdf_char = per_page["pdf (text layer)"], per_char["pdf (text layer)"]
    for label in ("ofd (object per line)", "ofd (object per char)"):
        print(f"ratio {label} / pdf: per page {per_page[label] / pdf:.2f} (target ≤ 1.00), "
              f"per character {per_char[label] / pdf_char:.2f}")
    print(f"cpus={os.cpu_count()}")


if __name__ == "__main__":
    main()
