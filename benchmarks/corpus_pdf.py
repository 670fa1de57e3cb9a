"""Text-layer PDF bulletins for the PDF benchmark, built on the fly (never committed).

:func:`bulletin_pdfs` renders ``n`` distinct bulletins of :data:`PAGES` pages each,
shaped like real ones (GB/T 9704: 16 pt body on a 28 pt pitch, a running header
with its rule, page numbers ``— 3 —``, a fake-bold title), with the samples' own
reportlab machinery (``scripts/make_format_samples.py``). The text is the seed's,
varied per file by :func:`corpus.seed_sized` (unit, inspection group, dates, a
serial line), lengthened to the page count with a fifth group of problems whose
items are earlier ones renumbered (a longer problem list, as bulletins of larger
units have), so no two files hash alike.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import seed_sized  # noqa: E402
from make_format_samples import PdfStyle, make_text_pdf, twin_paragraphs  # noqa: E402

#: Pages per bulletin (issue 15's corpus: 30 files of 19 pages).
PAGES = 19
#: Body size and pitch (points): GB/T 9704's 三号 and its 22-line page.
BODY_SIZE = 16.0
LEADING = 28.0
#: The heading the extra problem group is inserted before (the seed's last part).
NEXT_STEPS = "三、下一步打算"
#: A problem heading of the seed: "12. 服务企业不尽心。"
PROBLEM = re.compile(r"^(\d{1,2})\.\s*(.+)$")


def _problems(paras: list[str]) -> list[list[str]]:
    """The seed's problems, each its heading and the paragraphs up to the next heading."""
    out: list[list[str]] = []
    for para in paras:
        if para == NEXT_STEPS:
            break
        if PROBLEM.match(para):
            out.append([para])
        elif out and not para.startswith("（"):
            out[-1].append(para)
    return out


def lengthened(paras: list[str], extra: int) -> list[str]:
    """The bulletin with a group of ``extra`` more problems (earlier ones renumbered)."""
    problems = _problems(paras)
    last = max(int(m.group(1)) for p in problems if (m := PROBLEM.match(p[0])))
    group = [f"（五）其他方面的问题（{extra} 项）"]
    for k in range(extra):
        heading, *body = problems[k % len(problems)]
        m = PROBLEM.match(heading)
        assert m is not None
        group += [f"{last + k + 1}. {m.group(2)}", *body]
    at = paras.index(NEXT_STEPS)
    return paras[:at] + group + paras[at:]


def render(paras: list[str], out: Path) -> int:
    """The bulletin as a GB/T 9704-style text PDF; returns its page count."""
    return make_text_pdf(paras, out, PdfStyle(), body_size=BODY_SIZE, leading=LEADING)


def bulletin_pdfs(folder: Path, n: int, pages: int = PAGES) -> list[Path]:
    """``n`` distinct text-layer PDFs of ``pages`` pages each in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        texts = seed_sized(Path(tmp), n, own_problems=False)
        out = []
        extra = 0
        for i, text in enumerate(texts):
            paras = twin_paragraphs(text.read_text(encoding="utf-8"))
            path = folder / f"{i:05d}.pdf"
            got = render(lengthened(paras, extra), path)
            while got != pages:  # one problem more or less until the page count fits
                extra += 1 if got < pages else -1
                got = render(lengthened(paras, extra), path)
            out.append(path)
    return out


if __name__ == "__main__":
    import time

    start = time.perf_counter()
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    files = bulletin_pdfs(target, 30)
    print(f"{len(files)} PDFs in {target} ({time.perf_counter() - start:.1f}s)")
