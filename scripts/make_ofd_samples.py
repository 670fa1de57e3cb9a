"""Render text twins as OFD (GB/T 33190) packages: a small OFD writer, zipfile + XML templates.

The pages follow GB/T 9704 (党政机关公文格式): A4 (210 × 297 mm), a 156 × 225 mm
text block 28 mm from the left edge and 37 mm from the top, body text in 三号
(16 pt), 22 lines a page, paragraphs indented by two characters, lines
justified with DeltaX. Three variants, each from the twin that
``scripts/make_format_samples.py`` uses, each exercising what real OFD
producers do:

- ``seed_lines.ofd`` (the seed): one TextObject per line, DeltaX in the
  compressed ``g N V`` form, the title drawn twice 0.15 mm apart (fake bold),
  page numbers ``— N —`` in the page content, a hidden object
  (``Visible="false"``) and a zero-size one that a reader must not show,
  DocInfo/Title;
- ``seed_chars_shuffled.ofd`` (the seed): one TextObject per character,
  ``Size="1"`` scaled by its CTM, objects in shuffled XML order (fixed seed),
  absolute paths and Chinese folder names (``/文档/页面/第1页.xml``);
- ``short_bulletin_template.ofd`` (``src/short_bulletin.txt``): a background
  template page (``TPLS/TPL_0``, named in another case than stored) carrying a
  running header and footer, a foreground template per page carrying its page
  number, DeltaX as plain lists, and a watermark annotation (``内部资料``) a
  reader must leave out.

Re-runnable and byte-identical (fixed zip timestamps, fixed shuffle seed);
needs nothing but the standard library.

    .venv/bin/python scripts/make_ofd_samples.py
"""

from __future__ import annotations

import io
import random
import sys
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_format_samples import NO_LINE_START, OUT, SEED, SRC, twin_paragraphs  # noqa: E402

NS = "http://www.ofdspec.org/2016"
PT_TO_MM = 25.4 / 72.0
PAGE_W, PAGE_H = 210.0, 297.0  # A4, mm
MARGIN_LEFT = 28.0  # GB/T 9704: left edge of the text block (mm)
TEXT_WIDTH = 156.0  # GB/T 9704 text block width (mm): 28 characters of 三号
MARGIN_TOP = 37.0  # GB/T 9704: top edge of the text block (mm)
LINES_PER_PAGE = 22  # GB/T 9704: 22 lines of body text a page
LINE_PITCH = 225.0 / LINES_PER_PAGE  # the 225 mm text block height over 22 lines (mm)
BODY_SIZE = 16 * PT_TO_MM  # 三号 (mm)
TITLE_SIZE = 22 * PT_TO_MM  # 二号, the title size of GB/T 9704 (mm)
TITLE_PITCH = TITLE_SIZE * 1.5  # distance between the baselines of a two-line title (mm)
SMALL_SIZE = 10.5 * PT_TO_MM  # 五号: running header and footer (mm)
PAGE_NUMBER_SIZE = 14 * PT_TO_MM  # 四号: page numbers, per GB/T 9704 (mm)
INDENT = 2  # first-line indent, in characters
ASCENT = 0.88  # baseline below the top of a line box, as a share of the font size
HEADER_BASELINE = 18.0  # running header baseline from the top edge (mm)
FOOTER_BASELINE = 289.0  # running footer baseline (mm)
PAGE_NUMBER_BASELINE = 282.0  # page number baseline (mm), inside the bottom margin
FAKE_BOLD_OFFSET = 0.15  # horizontal shift of the title's second copy (mm)
SHUFFLE_SEED = 13
#: Timestamp written into every zip member, so re-running the script gives identical files.
ZIP_DATE = (2024, 1, 1, 0, 0, 0)
CREATION_DATE = "2024-05-10"  # a date that is not written in the samples: not their publish date


# --- layout -----------------------------------------------------------------------------------

def advance(ch: str) -> float:
    """Advance of a character in ems: ASCII half a character, everything else a full one."""
    return 0.5 if ch.isascii() else 1.0


def _word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ".%")


def wrap(text: str, first_ems: float, ems: float) -> list[str]:
    """Break text into lines of at most ``ems`` characters (``first_ems`` on the first line),
    CJK style: any character may end a line, closing punctuation hangs on the line before,
    and a number or Latin word is never split (it moves to the next line whole, as in Word)."""
    lines: list[str] = []
    cur, width, limit = "", 0.0, first_ems
    for ch in text:
        w = advance(ch)
        if cur and width + w > limit + 1e-9 and ch not in NO_LINE_START:
            carry = ""
            if _word_char(ch):
                while cur and _word_char(cur[-1]) and len(carry) < len(cur) - 1:
                    carry, cur = cur[-1] + carry, cur[:-1]
            lines.append(cur)
            cur, width, limit = carry, sum(advance(c) for c in carry), ems
        cur += ch
        width += w
    if cur:
        lines.append(cur)
    return lines


@dataclass
class Run:
    """One line of text placed on a page: baseline origin, font size, per-gap advances (mm)."""

    text: str
    x: float
    baseline: float
    size: float
    deltas: list[float]
    font: str = "1"  # PublicRes font ID


@dataclass
class Page:
    runs: list[Run] = field(default_factory=list)


def justified(text: str, x: float, baseline: float, size: float, width: float | None) -> Run:
    """A run whose gaps spread it over ``width`` mm (None: natural spacing)."""
    natural = [advance(ch) * size for ch in text[:-1]]
    if width is not None and len(text) > 1:
        used = sum(natural) + advance(text[-1]) * size
        extra = (width - used) / (len(text) - 1)
        natural = [d + extra for d in natural]
    return Run(text, x, baseline, size, [round(d, 3) for d in natural])


def lay_out(paras: Sequence[str]) -> list[Page]:
    """Title (centred, 二号) and body paragraphs (三号, indented, justified) on GB/T 9704 pages."""
    pages = [Page()]
    title_lines = wrap(paras[0], TEXT_WIDTH / TITLE_SIZE, TEXT_WIDTH / TITLE_SIZE)
    baseline = MARGIN_TOP + TITLE_SIZE * ASCENT
    for line in title_lines:
        width = sum(advance(ch) for ch in line) * TITLE_SIZE
        run = justified(line, MARGIN_LEFT + (TEXT_WIDTH - width) / 2, baseline, TITLE_SIZE, None)
        run.font = "2"
        pages[-1].runs.append(run)
        baseline += TITLE_PITCH
    row = len(title_lines) + 1  # a blank line under the title (title lines take a row each)
    chars_per_line = TEXT_WIDTH / BODY_SIZE
    for para in paras[1:]:
        lines = wrap(para, chars_per_line - INDENT, chars_per_line)
        for k, line in enumerate(lines):
            if row >= LINES_PER_PAGE:
                pages.append(Page())
                row = 0
            indent = INDENT * BODY_SIZE if k == 0 else 0.0
            width = TEXT_WIDTH - indent if k < len(lines) - 1 else None
            baseline = MARGIN_TOP + BODY_SIZE * ASCENT + row * LINE_PITCH
            pages[-1].runs.append(justified(line, MARGIN_LEFT + indent, baseline, BODY_SIZE, width))
            row += 1
    return pages


def centred(text: str, baseline: float, size: float, font: str = "1") -> Run:
    width = sum(advance(ch) for ch in text) * size
    run = justified(text, (PAGE_W - width) / 2, baseline, size, None)
    run.font = font
    return run


# --- XML --------------------------------------------------------------------------------------

def fmt(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def compressed(deltas: Sequence[float]) -> str:
    """DeltaX in the compressed form: runs of equal values as ``g N V``."""
    out: list[str] = []
    i = 0
    while i < len(deltas):
        j = i
        while j < len(deltas) and deltas[j] == deltas[i]:
            j += 1
        out.append(f"g {j - i} {fmt(deltas[i])}" if j - i > 1 else fmt(deltas[i]))
        i = j
    return " ".join(out)


def text_object(obj_id: int, run: Run, compress: bool = False, extra: str = "") -> str:
    """A TextObject whose Boundary top-left is the line box; the baseline is ``size`` below it."""
    top = run.baseline - run.size
    width = sum(run.deltas) + advance(run.text[-1]) * run.size
    delta = compressed(run.deltas) if compress else " ".join(fmt(d) for d in run.deltas)
    delta_attr = f" DeltaX={quoteattr(delta)}" if run.deltas else ""
    return (f'<ofd:TextObject ID="{obj_id}" Boundary="{fmt(run.x)} {fmt(top)} {fmt(width)} '
            f'{fmt(run.size * 1.2)}" Font="{run.font}" Size="{fmt(run.size)}"{extra}>'
            f'<ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="{fmt(run.size)}"{delta_attr}>'
            f'{escape(run.text)}</ofd:TextCode></ofd:TextObject>')


def char_objects(first_id: int, run: Run) -> list[str]:
    """One TextObject per character: Size 1, the font size carried by the CTM."""
    out = []
    x = run.x
    for k, ch in enumerate(run.text):
        if not ch.isspace():
            s = run.size
            out.append(f'<ofd:TextObject ID="{first_id + k}" Boundary="{fmt(x)} '
                       f'{fmt(run.baseline - s)} {fmt(advance(ch) * s)} {fmt(s * 1.2)}" '
                       f'Font="{run.font}" Size="1" CTM="{fmt(s)} 0 0 {fmt(s)} 0 0">'
                       f'<ofd:TextCode X="0" Y="1">{escape(ch)}</ofd:TextCode></ofd:TextObject>')
        if k < len(run.deltas):
            x += run.deltas[k]
    return out


def page_xml(objects: Iterable[str], templates: Sequence[tuple[str, str]] = (),
             size: tuple[float, float] = (PAGE_W, PAGE_H)) -> str:
    tpl = "".join(f'<ofd:Template TemplateID="{tid}" ZOrder="{z}"/>' for tid, z in templates)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{NS}">'
            f'<ofd:Area><ofd:PhysicalBox>0 0 {fmt(size[0])} {fmt(size[1])}</ofd:PhysicalBox></ofd:Area>'
            f'{tpl}<ofd:Content><ofd:Layer ID="1">{"".join(objects)}</ofd:Layer></ofd:Content>'
            f'</ofd:Page>')


def ofd_xml(doc_root: str, title: str | None = None, creation_date: str | None = CREATION_DATE,
            extra: str = "") -> str:
    info = ""
    if title:
        info += f"<ofd:Title>{escape(title)}</ofd:Title>"
    if creation_date:
        info += f"<ofd:CreationDate>{creation_date}</ofd:CreationDate>"
    info += "<ofd:Creator>zhenggai make_ofd_samples.py</ofd:Creator>"
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD xmlns:ofd="{NS}" Version="1.1" '
            f'DocType="OFD"><ofd:DocBody><ofd:DocInfo>{info}</ofd:DocInfo>'
            f'<ofd:DocRoot>{escape(doc_root)}</ofd:DocRoot>{extra}</ofd:DocBody></ofd:OFD>')


def document_xml(pages: Sequence[str], public_res: str = "PublicRes.xml",
                 templates: Sequence[tuple[str, str]] = (), annotations: str | None = None,
                 document_res: str | None = None) -> str:
    """Document.xml: page list (BaseLoc as given), resources, templates, annotations."""
    tpl = "".join(f'<ofd:TemplatePage ID="{tid}" BaseLoc={quoteattr(loc)}/>' for tid, loc in templates)
    doc_res = f"<ofd:DocumentRes>{escape(document_res)}</ofd:DocumentRes>" if document_res else ""
    page_list = "".join(f'<ofd:Page ID="{100 + k}" BaseLoc={quoteattr(loc)}/>'
                        for k, loc in enumerate(pages))
    annots = f"<ofd:Annotations>{escape(annotations)}</ofd:Annotations>" if annotations else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="{NS}">'
            f'<ofd:CommonData><ofd:MaxUnitID>100000</ofd:MaxUnitID><ofd:PageArea>'
            f'<ofd:PhysicalBox>0 0 {fmt(PAGE_W)} {fmt(PAGE_H)}</ofd:PhysicalBox></ofd:PageArea>'
            f'<ofd:PublicRes>{escape(public_res)}</ofd:PublicRes>{doc_res}{tpl}</ofd:CommonData>'
            f'<ofd:Pages>{page_list}</ofd:Pages>{annots}</ofd:Document>')


PUBLIC_RES = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
              '<ofd:Fonts><ofd:Font ID="1" FontName="仿宋_GB2312" FamilyName="仿宋"/>'
              '<ofd:Font ID="2" FontName="方正小标宋简体" FamilyName="小标宋"/>'
              '<ofd:Font ID="3" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>')


def package(files: dict[str, str | bytes]) -> bytes:
    """A ZIP package with fixed timestamps (byte-identical re-runs)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            member = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(member, content.encode("utf-8") if isinstance(content, str) else content)
    return buf.getvalue()


def simple_ofd(runs: Sequence[Run], **page_kwargs: object) -> bytes:
    """A one-page OFD holding ``runs`` (one TextObject each): for tests."""
    objects = [text_object(10 + k, run) for k, run in enumerate(runs)]
    return package({
        "OFD.xml": ofd_xml("Doc_0/Document.xml"),
        "Doc_0/Document.xml": document_xml(["Pages/Page_0/Content.xml"]),
        "Doc_0/PublicRes.xml": PUBLIC_RES,
        "Doc_0/Pages/Page_0/Content.xml": page_xml(objects, **page_kwargs),  # type: ignore[arg-type]
    })


# --- the three samples ------------------------------------------------------------------------

def page_number(n: int) -> Run:
    return centred(f"— {n} —", PAGE_NUMBER_BASELINE, PAGE_NUMBER_SIZE, font="3")


def make_lines(paras: Sequence[str], out: Path) -> int:
    """One TextObject per line; fake-bold title; page numbers; hidden and zero-size objects."""
    pages = lay_out(paras)
    files: dict[str, str | bytes] = {}
    locs = []
    for n, page in enumerate(pages, start=1):
        objects: list[str] = []
        oid = n * 1000
        for run in page.runs:
            objects.append(text_object(oid, run, compress=True))
            oid += 1
            if run.font == "2":  # the title again, a hair to the right: fake bold
                bold = Run(run.text, run.x + FAKE_BOLD_OFFSET, run.baseline, run.size, run.deltas, "2")
                objects.append(text_object(oid, bold, compress=True))
                oid += 1
        objects.append(text_object(oid, page_number(n)))
        if n == 1:  # drawn nowhere: hidden, and scaled to nothing
            hidden = centred("草稿 请勿外传", 120.0, BODY_SIZE)
            objects.append(text_object(oid + 1, hidden, extra=' Visible="false"'))
            objects.append(text_object(oid + 2, centred("校对稿", 130.0, BODY_SIZE),
                                       extra=' CTM="0 0 0 0 0 0"'))
        loc = f"Pages/Page_{n - 1}/Content.xml"
        files[f"Doc_0/{loc}"] = page_xml(objects)
        locs.append(loc)
    files = {"OFD.xml": ofd_xml("Doc_0/Document.xml", title=paras[0].replace(" ", "")),
             "Doc_0/Document.xml": document_xml(locs), "Doc_0/PublicRes.xml": PUBLIC_RES, **files}
    out.write_bytes(package(files))
    return len(pages)


def make_chars_shuffled(paras: Sequence[str], out: Path) -> int:
    """One TextObject per character, in shuffled order; absolute paths, Chinese folder names."""
    rng = random.Random(SHUFFLE_SEED)
    pages = lay_out(paras)
    files: dict[str, str | bytes] = {}
    locs = []
    for n, page in enumerate(pages, start=1):
        objects: list[str] = []
        oid = n * 100_000
        for run in [*page.runs, page_number(n)]:
            objects.extend(char_objects(oid, run))
            oid += len(run.text)
        rng.shuffle(objects)
        loc = f"/文档/页面/第{n}页.xml"
        files[loc.lstrip("/")] = page_xml(objects)
        locs.append(loc)
    files = {"OFD.xml": ofd_xml("/文档/文档.xml"),
             "文档/文档.xml": document_xml(locs, public_res="/文档/公共资源.xml"),
             "文档/公共资源.xml": PUBLIC_RES, **files}
    out.write_bytes(package(files))
    return len(pages)


HEADER = "松溪市人民政府  政务公开"
FOOTER = "松溪市文化广电和旅游局  发布"
WATERMARK = "内部资料"


def make_template(paras: Sequence[str], out: Path) -> int:
    """Running header/footer in a background template, page numbers in foreground templates,
    a watermark annotation on every page."""
    pages = lay_out(paras)
    header = justified(HEADER, MARGIN_LEFT, HEADER_BASELINE, SMALL_SIZE, None)
    footer = centred(FOOTER, FOOTER_BASELINE, SMALL_SIZE)
    rule = (f'<ofd:PathObject ID="3" Boundary="{fmt(MARGIN_LEFT)} {fmt(HEADER_BASELINE + 2)} '
            f'{fmt(TEXT_WIDTH)} 0.5" LineWidth="0.25"><ofd:AbbreviatedData>M 0 0 L '
            f'{fmt(TEXT_WIDTH)} 0</ofd:AbbreviatedData></ofd:PathObject>')
    files: dict[str, str | bytes] = {
        "Doc_0/TPLS/TPL_0/Content.xml": page_xml([text_object(1, header), rule,
                                                      text_object(2, footer)]),
    }
    templates = [("2", "tpls/tpl_0/content.xml")]  # named in another case than stored
    locs = []
    annots = []
    for n, page in enumerate(pages, start=1):
        tpl_id = str(10 + n)
        files[f"Doc_0/TPLS/TPL_PN{n}/Content.xml"] = page_xml([text_object(5, page_number(n))])
        templates.append((tpl_id, f"TPLS/TPL_PN{n}/Content.xml"))
        objects = [text_object(n * 1000 + k, run) for k, run in enumerate(page.runs)]
        loc = f"Pages/Page_{n - 1}/Content.xml"
        files[f"Doc_0/{loc}"] = page_xml(objects, templates=[("2", "Background"),
                                                              (tpl_id, "Foreground")])
        locs.append(loc)
        mark = text_object(n * 1000 + 901, centred(WATERMARK, 150.0, 20.0), extra=' Alpha="60"')
        files[f"Doc_0/Annots/Page_{n - 1}/Annotation.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:PageAnnot xmlns:ofd="{NS}">'
            f'<ofd:Annot ID="{n * 1000 + 900}" Type="Watermark" Creator="zhenggai">'
            f'<ofd:Appearance Boundary="0 0 {fmt(PAGE_W)} {fmt(PAGE_H)}">'
            f'{mark}'
            f'</ofd:Appearance></ofd:Annot></ofd:PageAnnot>')
        annots.append(f'<ofd:Page PageID="{100 + n - 1}"><ofd:FileLoc>Page_{n - 1}/Annotation.xml'
                      f'</ofd:FileLoc></ofd:Page>')
    files["Doc_0/Annots/Annotations.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Annotations xmlns:ofd="{NS}">'
        f'{"".join(annots)}</ofd:Annotations>')
    files = {"OFD.xml": ofd_xml("Doc_0/Document.xml"),
             "Doc_0/Document.xml": document_xml(locs, templates=templates,
                                                annotations="Annots/Annotations.xml"),
             "Doc_0/PublicRes.xml": PUBLIC_RES, **files}
    out.write_bytes(package(files))
    return len(pages)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    seed = twin_paragraphs(SEED.read_text(encoding="utf-8"))
    short = twin_paragraphs((SRC / "short_bulletin.txt").read_text(encoding="utf-8"))
    counts = {
        "seed_lines.ofd": make_lines(seed, OUT / "seed_lines.ofd"),
        "seed_chars_shuffled.ofd": make_chars_shuffled(seed, OUT / "seed_chars_shuffled.ofd"),
        "short_bulletin_template.ofd": make_template(short, OUT / "short_bulletin_template.ofd"),
    }
    for name, pages in counts.items():
        size = (OUT / name).stat().st_size
        print(f"{name}: {pages} pages, {size / 1e3:.0f} kB", file=sys.stderr)


if __name__ == "__main__":
    main()
