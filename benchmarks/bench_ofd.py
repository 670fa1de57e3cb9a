"""OFD reading speed per page against the text-layer PDF path, on the same bulletin, in one process.

The seed bulletin is rendered twice in a temporary folder with the samples' own
machinery: as a text PDF at the GB/T 9704 body size (16 pt, reportlab, by
``scripts/make_format_samples.py``) and as OFD (``scripts/make_ofd_samples.py``:
one TextObject per line, and one per character in shuffled XML order). Each file
is read with ``read_file``, CPU time (the reader is single-threaded; wall times on
this shared machine vary up to 2× between runs), best of ``--repeat``; the files
are timed in turn ``--runs`` times and the ratio OFD/PDF per page is the median
over runs (target: ≤ 1, OFD no slower per page), per character too, since the two
renderings break pages at different places (reportlab's PDF margins hold more
characters a page than the GB/T 9704 text block). Then the CPU time of each stage
of the one-object-per-character read, on the real code path.

    .venv/bin/python benchmarks/bench_ofd.py [--repeat 5] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_format_samples import SEED, PdfStyle, make_text_pdf, twin_paragraphs  # noqa: E402
from make_ofd_samples import make_chars_shuffled, make_lines  # noqa: E402
from stages import StageTimer  # noqa: E402

from extract.readers import ofd, ofd_package, ofd_page, read_file  # noqa: E402

#: Body size and leading of the PDF rendering (points): GB/T 9704's 三号 and its 22-line pitch.
BODY_SIZE = 16.0
LEADING = 28.0
PDF, LINES, CHARS = "pdf (text layer)", "ofd (object per line)", "ofd (object per char)"
#: Stages of the OFD reader: (owner, function names) timed in each.
STAGES: dict[str, tuple[ModuleType | type, tuple[str, ...]]] = {
    "package (zip, documents)": (ofd, ("open_package",)),
    "XML parse of pages": (ofd_package.Package, ("xml",)),
    "page scan (resources, templates)": (ofd, ("page_scan",)),
    "objects → glyphs (walk, text objects)": (ofd_page, ("walk",)),
    "glyphs → characters (frames, fake bold)": (ofd, ("glyphs_to_chars",)),
    "garbled-page check": (ofd, ("page_is_garbled",)),
    "layout: lines": (ofd, ("chars_to_lines", "drop_bottom_page_numbers")),
    "layout: furniture, paragraphs": (ofd, ("pages_to_blocks",)),
}


def best_cpu(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def stage_breakdown(path: Path, repeat: int) -> dict[str, float]:
    """CPU ms per page of each stage reading ``path`` (exclusive time, mean of ``repeat``),
    printed and returned."""
    data = path.read_bytes()
    pages = read_file(path, data).page_count or 1
    timer = StageTimer()
    with ExitStack() as patched:
        for owner, names in STAGES.values():
            patched.enter_context(timer.patch(owner, list(names)))
        start = time.process_time()
        for _ in range(repeat):
            read_file(path, data)
        total = time.process_time() - start
    scale = 1000 / repeat / pages
    print(f"{path.name}: CPU ms per page by stage ({pages} pages)")
    staged = 0.0
    out: dict[str, float] = {}
    for stage, (owner, names) in STAGES.items():
        prefix = f"{owner.__name__}." if isinstance(owner, type) else ""
        spent = sum(timer.spent.get(prefix + name, 0.0) for name in names)
        staged += spent
        out[stage] = spent * scale
        print(f"  {stage:42} {spent * scale:6.2f}")
    print(f"  {'other (pages loop, checks)':42} {(total - staged) * scale:6.2f}")
    print(f"  {'total read_file':42} {total * scale:6.2f}")
    return out


def parse_and_read_attributes(path: Path) -> None:
    """The least an lxml reader of ``path`` does: parse every page, read every text
    object's attributes and its TextCodes' (position, deltas, text) — nothing computed."""
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(path) as package:
        members = [package.read(name) for name in package.namelist() if name.endswith(".xml")]
    for data in members:
        if b"TextObject" not in data:
            continue
        for obj in etree.fromstring(data, ofd_package.XML_PARSER).iter("{*}TextObject"):
            get = obj.get
            get("Boundary"), get("CTM"), get("Size"), get("Font"), get("HScale"), get("Alpha"), \
                get("Visible")
            for code in obj.iterchildren("{*}TextCode"):
                code.get("X"), code.get("Y"), code.get("DeltaX"), code.get("DeltaY"), code.text


#: The stages the PDF path runs too, on the same characters (the shared layout of
#: extract/readers/layout.py), part of the floor of any OFD reader.
SHARED_STAGES = ("garbled-page check", "layout: lines", "layout: furniture, paragraphs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="best of this many reads")
    parser.add_argument("--runs", type=int, default=3, help="median ratio of this many runs")
    args = parser.parse_args()
    paras = twin_paragraphs(SEED.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        files = {PDF: Path(tmp) / "seed.pdf", LINES: Path(tmp) / "seed_lines.ofd",
                 CHARS: Path(tmp) / "seed_chars.ofd"}
        make_text_pdf(paras, files[PDF], PdfStyle(), body_size=BODY_SIZE, leading=LEADING)
        make_lines(paras, files[LINES])
        make_chars_shuffled(paras, files[CHARS])
        datas = {label: path.read_bytes() for label, path in files.items()}
        pages, chars = {}, {}
        for label, path in files.items():
            doc = read_file(path, datas[label])  # warm imports and caches
            pages[label] = doc.page_count or 1
            chars[label] = len("".join(doc.text.split()))
        per_page: dict[str, list[float]] = {label: [] for label in files}
        for _ in range(args.runs):  # interleaved: the machine is shared and noisy
            for label, path in files.items():
                elapsed = best_cpu(lambda p=path, d=datas[label]: read_file(p, d), args.repeat)
                per_page[label].append(elapsed / pages[label])
        print(f"{'file':24} {'pages':>5} {'chars':>6} {'CPU per page (runs)':>32} "
              f"{'per 1000 chars':>15}")
        for label in files:
            page_ms = statistics.median(per_page[label]) * 1000
            runs = ", ".join(f"{t * 1000:.2f}" for t in per_page[label])
            print(f"{label:24} {pages[label]:5d} {chars[label]:6d} {page_ms:8.2f}ms ({runs}) "
                  f"{page_ms * pages[label] / chars[label] * 1000:11.2f}ms")
        for label in (LINES, CHARS):
            ratios = [o / p for o, p in zip(per_page[label], per_page[PDF], strict=True)]
            ratio = statistics.median(ratios)
            per_char = ratio * pages[label] / chars[label] / (pages[PDF] / chars[PDF])
            print(f"ratio {label} / pdf: per page {ratio:.2f} (runs "
                  f"{', '.join(f'{r:.2f}' for r in ratios)}; target ≤ 1.00), "
                  f"per character {per_char:.2f}")
        stages = stage_breakdown(files[CHARS], args.repeat)
        # The floor of any lxml reader of the per-character file: parsing and reading the
        # attributes (no glyph box worked out), then the layout stages the PDF path runs too.
        bare = best_cpu(lambda: parse_and_read_attributes(files[CHARS]), args.repeat)
        bare_ms = bare / pages[CHARS] * 1000
        shared = sum(stages[name] for name in SHARED_STAGES)
        pdf_ms = statistics.median(per_page[PDF]) * 1000
        print(f"floor of an lxml reader, one object per character: XML parse + attribute reads "
              f"{bare_ms:.2f} ms a page, + the layout stages the PDF path runs too {shared:.2f}: "
              f"{bare_ms + shared:.2f} ms = {(bare_ms + shared) / pdf_ms:.2f} of the PDF path "
              f"per page (target ≤ 1.00), before any glyph box or fake-bold check")
    print(f"cpus={os.cpu_count()}")


if __name__ == "__main__":
    main()
