"""Generate the binary format samples in samples/formats/ from plain-text twins.

Each sample is made from a twin text, so a reader's output can be compared
with it (tests/test_readers_twins.py):

- ``samples/000_14f26a7ea3be1e8c.txt`` (the seed) → seed.docx (headings
  numbered by Word auto-numbering, not typed), seed.pdf (text layer, running
  header, page numbers ``— 3 —``, fake-bold overprinted title), seed_scan.pdf
  (the same pages as noisy images), seed_p1-2.tiff (two scanned pages in one
  multi-page TIFF), seed.doc (LibreOffice conversion), seed_utf8.html (site
  chrome around the body), seed_trad.html (Traditional characters with pinyin
  residue ``統(tǒng)一``);
- ``src/table_bulletin.txt`` (problem list in the canonical prose form the
  table linearizer writes) → table_bulletin.docx (problem table, merged
  category cells, auto-numbered 序号) and table_bulletin.pdf (ruled table
  over two pages, header row repeated);
- ``src/short_bulletin.txt`` (one page) → short_bulletin.pdf,
  short_bulletin.png (a scanned page), short_bulletin_gbk.html (GBK page);
- broken inputs: encrypted.pdf (password), corrupt.pdf and corrupt.docx
  (truncated);
- copies of bulletins of a unit's series, as they are re-posted (issue 14):
  ``samples/152_…`` → hist_152_attachment.pdf (the PDF attachment) and
  hist_152_page.html (the web page); ``samples/160_…`` → hist_160_page.html
  (a page on another site). ``--only history`` makes just these.

Needs reportlab (``pip install reportlab``), LibreOffice (``soffice``) and the
WenQuanYi Zen Hei font (Debian ``fonts-wqy-zenhei``). Re-runnable: output is
overwritten; the noise uses a fixed seed.

    .venv/bin/python scripts/make_format_samples.py [--only history]
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "samples" / "formats"
SRC = OUT / "src"
SEED = ROOT / "samples" / "000_14f26a7ea3be1e8c.txt"
FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
FONT = "wqy"

PAGE_W, PAGE_H = 595.0, 842.0  # A4 in PDF points
MARGIN_X = 54.0  # left/right margin (pt)
MARGIN_TOP = 62.0  # first baseline is below this (pt)
MARGIN_BOTTOM = 66.0  # last baseline stays above this (pt)
BODY_SIZE = 10.5  # body font size (pt)
LEADING = 16.0  # baseline-to-baseline distance (pt)
TITLE_SIZE = 15.0
FAKE_BOLD_OFFSET = 0.45  # horizontal shift of the overprinted title glyphs (pt)
SCAN_DPI = 150  # resolution of the scanned samples
SCAN_JPEG_QUALITY = 55
#: Characters that must not start a line (they hang at the end of the previous one).
NO_LINE_START = "，。、；：？！）》”’」』】,.;:?!)"
#: A paragraph that ends without one of these (and is long) was cut at a page end.
SENTENCE_END = "。：；！？）)」”"
CUT_MIN_LEN = 40  # shorter unpunctuated paragraphs are titles or headings, not cuts


# --- twins -----------------------------------------------------------------

def twin_paragraphs(text: str) -> list[str]:
    """Non-empty lines of a twin, with paragraphs cut at a page end joined back."""
    paras = [ln.strip() for ln in text.splitlines() if ln.strip()]
    out: list[str] = []
    for para in paras:
        if out and len(out[-1]) > CUT_MIN_LEN and not out[-1].endswith(tuple(SENTENCE_END)) \
                and len(out) > 1:
            out[-1] += para
        else:
            out.append(para)
    return out


# --- docx ------------------------------------------------------------------

HEADING1 = re.compile(r"^([一二三四五六七八九十]+)、(.*)$")
HEADING2 = re.compile(r"^（([一二三四五六七八九十]+)）(.*)$")
ITEM = re.compile(r"^(\d+)\.\s*(.*)$")
CN = "一二三四五六七八九十"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _numbering_xml() -> list[str]:
    """abstractNum/num definitions: 10 = 一、/（一） headings, 11 = 1. items, 12 = table 序号."""
    w = f'xmlns:w="{W_NS}"'
    return [
        f'<w:abstractNum {w} w:abstractNumId="10"><w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:suff w:val="nothing"/><w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:suff w:val="nothing"/><w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/></w:lvl>'
        '</w:abstractNum>',
        f'<w:abstractNum {w} w:abstractNumId="11"><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:suff w:val="space"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/></w:lvl>'
        '</w:abstractNum>',
        f'<w:abstractNum {w} w:abstractNumId="12"><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:suff w:val="nothing"/><w:lvlText w:val="%1"/><w:lvlJc w:val="center"/></w:lvl>'
        '</w:abstractNum>',
        f'<w:num {w} w:numId="10"><w:abstractNumId w:val="10"/></w:num>',
        f'<w:num {w} w:numId="11"><w:abstractNumId w:val="11"/></w:num>',
        f'<w:num {w} w:numId="12"><w:abstractNumId w:val="12"/></w:num>',
    ]


def _new_document():  # type: ignore[no-untyped-def]
    from docx import Document
    from docx.oxml import parse_xml
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(12)
    style.font.name = "WenQuanYi Zen Hei"
    style.element.rPr.rFonts.set(f"{{{W_NS}}}eastAsia", "WenQuanYi Zen Hei")
    numbering = doc.part.numbering_part.element
    defs = [parse_xml(x) for x in _numbering_xml()]
    first_num = numbering.find(f"{{{W_NS}}}num")
    for el in defs:
        if el.tag.endswith("abstractNum") and first_num is not None:
            first_num.addprevious(el)
        else:
            numbering.append(el)
    # A running header and a footer page field: readers must leave them out.
    section = doc.sections[0]
    section.header.paragraphs[0].text = "页眉：政务公开专栏"
    section.footer.paragraphs[0].text = "页脚：第 1 页"
    return doc


def _set_numbering(paragraph, num_id: int, ilvl: int) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml import parse_xml

    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{ilvl}"/>'
                         f'<w:numId w:val="{num_id}"/></w:numPr>'))


def _add_title(doc, text: str) -> None:  # type: ignore[no-untyped-def]
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = True


def _add_numbered_paragraphs(doc, paras: list[str]) -> int:  # type: ignore[no-untyped-def]
    """Add paragraphs; headings become auto-numbered when Word's counter gives the typed number."""
    h1 = h2 = item = 0
    numbered = 0
    for para in paras:
        m1, m2, m3 = HEADING1.match(para), HEADING2.match(para), ITEM.match(para)
        if m1 and CN.index(m1.group(1)[-1]) + 1 == h1 + 1 and len(m1.group(1)) == 1:
            h1, h2 = h1 + 1, 0
            p = doc.add_paragraph(m1.group(2))
            _set_numbering(p, 10, 0)
        elif m2 and len(m2.group(1)) == 1 and CN.index(m2.group(1)) + 1 == h2 + 1:
            h2 += 1
            p = doc.add_paragraph(m2.group(2))
            _set_numbering(p, 10, 1)
        elif m3 and int(m3.group(1)) == item + 1:
            item += 1
            p = doc.add_paragraph(m3.group(2))
            _set_numbering(p, 11, 0)
        else:
            doc.add_paragraph(para)
            continue
        numbered += 1
    return numbered


#: Timestamp written into every zip member, so re-running the script gives identical files.
ZIP_DATE = (2024, 1, 1, 0, 0, 0)


def save_docx(doc, out: Path) -> None:  # type: ignore[no-untyped-def]
    """Save a python-docx Document with fixed zip timestamps (byte-identical re-runs)."""
    import zipfile

    buf = io.BytesIO()
    doc.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, src.read(info.filename))


def make_seed_docx(paras: list[str], out: Path) -> None:
    doc = _new_document()
    _add_title(doc, paras[0])
    numbered = _add_numbered_paragraphs(doc, paras[1:])
    assert numbered > 30, numbered
    save_docx(doc, out)


@dataclass
class TableTwin:
    before: list[str]
    rows: list[dict[str, str]]  # category, no, problem, 整改情况, 整改措施, 完成时限, 责任单位
    after: list[str]


FIELD = re.compile(r"^(整改情况|整改措施|完成时限|责任领导|责任单位)：(.*)$")


def parse_table_twin(text: str) -> TableTwin:
    """Split a twin into prose before, the canonical problem list, and prose after."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    start = next(i for i, ln in enumerate(lines) if HEADING2.match(ln))
    rows: list[dict[str, str]] = []
    category = ""
    i = start
    while i < len(lines):
        ln = lines[i]
        if (m := HEADING2.match(ln)):
            category = m.group(2)
        elif (m := ITEM.match(ln)):
            rows.append({"category": category, "no": m.group(1), "problem": m.group(2)})
        elif (m := FIELD.match(ln)) and rows:
            rows[-1][m.group(1)] = m.group(2)
        else:
            break
        i += 1
    return TableTwin(lines[:start], rows, lines[i:])


TABLE_COLUMNS = ("序号", "问题类别", "问题", "整改措施", "整改情况", "完成时限", "责任单位")
TABLE_KEYS = ("no", "category", "problem", "整改措施", "整改情况", "完成时限", "责任单位")


def make_table_docx(twin: TableTwin, out: Path) -> None:
    from docx.oxml import parse_xml
    from docx.shared import Cm

    doc = _new_document()
    _add_title(doc, twin.before[0])
    for para in twin.before[1:]:
        doc.add_paragraph(para)
    table = doc.add_table(rows=1 + len(twin.rows), cols=len(TABLE_COLUMNS))
    table.style = "Table Grid"
    widths = (1.0, 2.2, 3.6, 5.0, 2.4, 2.0, 2.0)
    for c, name in enumerate(TABLE_COLUMNS):
        table.rows[0].cells[c].text = name
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(parse_xml(f'<w:tblHeader xmlns:w="{W_NS}"/>'))
    group_start = 1
    for r, row in enumerate(twin.rows, start=1):
        cells = table.rows[r].cells
        for c, key in enumerate(TABLE_KEYS):
            if key == "no":
                _set_numbering(cells[c].paragraphs[0], 12, 0)  # 序号 by auto-numbering
            elif key == "category":
                if r == group_start or row["category"] != twin.rows[r - 2]["category"]:
                    cells[c].text = row["category"]
            else:
                cells[c].text = row.get(key, "")
        for c, width in enumerate(widths):
            cells[c].width = Cm(width)
    # Merge each run of equal categories into one vertically merged cell.
    r = 1
    while r <= len(twin.rows):
        end = r
        while end < len(twin.rows) and twin.rows[end]["category"] == twin.rows[r - 1]["category"]:
            end += 1
        if end > r:
            top = table.cell(r, 1)
            top.merge(table.cell(end, 1))
        r = end + 1
    for para in twin.after:
        doc.add_paragraph(para)
    save_docx(doc, out)


# --- text PDF (reportlab) ----------------------------------------------------

def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, FONT_PATH, subfontIndex=0))


def wrap(text: str, size: float, first_width: float, width: float) -> list[str]:
    """Break text into lines by glyph width, CJK style (any character may end a line)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    cur = ""
    cur_w = 0.0
    limit = first_width
    for ch in text:
        w = stringWidth(ch, FONT, size)
        if cur and cur_w + w > limit and ch not in NO_LINE_START:
            lines.append(cur)
            cur, cur_w, limit = "", 0.0, width
        cur += ch
        cur_w += w
    if cur:
        lines.append(cur)
    return lines


@dataclass
class PdfStyle:
    header: str = "洛阳市人民政府门户网站  政务公开"
    page_number: str = "— {n} —"


def _draw_justified(c, line: str, x: float, y: float, size: float, width: float,  # type: ignore[no-untyped-def]
                    justify: bool) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    t = c.beginText(x, y)
    t.setFont(FONT, size)
    if justify and len(line) > 1:
        extra = width - stringWidth(line, FONT, size)
        t.setCharSpace(extra / (len(line) - 1))
    t.textOut(line)
    c.drawText(t)


def _furniture(c, n: int, style: PdfStyle) -> None:  # type: ignore[no-untyped-def]
    from reportlab.pdfbase.pdfmetrics import stringWidth

    c.setFont(FONT, 8)
    c.drawString(MARGIN_X, PAGE_H - 36, style.header)
    c.setLineWidth(0.5)
    c.line(MARGIN_X, PAGE_H - 40, PAGE_W - MARGIN_X, PAGE_H - 40)
    label = style.page_number.format(n=n)
    c.setFont(FONT, 10)
    c.drawString((PAGE_W - stringWidth(label, FONT, 10)) / 2, 34, label)


def _draw_fake_bold_title(c, title: str, y: float) -> float:  # type: ignore[no-untyped-def]
    """Centered title, each glyph printed twice a hair apart (how some offices fake bold)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    width = PAGE_W - 2 * MARGIN_X
    lines = wrap(title, TITLE_SIZE, width, width)
    for line in lines:
        x = (PAGE_W - stringWidth(line, FONT, TITLE_SIZE)) / 2
        c.setFont(FONT, TITLE_SIZE)
        for ch in line:
            c.drawString(x, y, ch)
            c.drawString(x + FAKE_BOLD_OFFSET, y, ch)
            x += stringWidth(ch, FONT, TITLE_SIZE)
        y -= TITLE_SIZE * 1.6
    return y - LEADING * 0.5


def make_text_pdf(paras: list[str], out: Path, style: PdfStyle | None = None,
                  encrypt: str | None = None, body_size: float = BODY_SIZE,
                  leading: float = LEADING) -> int:
    """Title + indented justified paragraphs; returns the page count."""
    from reportlab.pdfgen import canvas

    _register_font()
    style = style or PdfStyle()
    c = canvas.Canvas(str(out), pagesize=(PAGE_W, PAGE_H), invariant=1, encrypt=encrypt)
    c.setTitle("")
    page = 1
    _furniture(c, page, style)
    y = PAGE_H - MARGIN_TOP - TITLE_SIZE
    y = _draw_fake_bold_title(c, paras[0], y)
    width = PAGE_W - 2 * MARGIN_X
    indent = 2 * body_size
    for para in paras[1:]:
        lines = wrap(para, body_size, width - indent, width)
        for k, line in enumerate(lines):
            if y < MARGIN_BOTTOM:
                c.showPage()
                page += 1
                _furniture(c, page, style)
                y = PAGE_H - MARGIN_TOP - body_size
            x = MARGIN_X + (indent if k == 0 else 0)
            _draw_justified(c, line, x, y, body_size, width - (indent if k == 0 else 0),
                            justify=k < len(lines) - 1)
            y -= leading
    c.showPage()
    c.save()
    return page


def make_table_pdf(twin: TableTwin, out: Path) -> None:
    """Bulletin whose problem table runs over pages, header row repeated (platypus)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_font()
    body = ParagraphStyle("body", fontName=FONT, fontSize=BODY_SIZE, leading=LEADING,
                          firstLineIndent=2 * BODY_SIZE, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=TITLE_SIZE, leading=TITLE_SIZE * 1.6,
                           alignment=TA_CENTER, firstLineIndent=0, spaceAfter=8)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK")
    story = [Paragraph(html.escape(twin.before[0]), title)]
    story += [Paragraph(html.escape(p), body) for p in twin.before[1:]]
    story.append(Spacer(1, 6))
    data = [[Paragraph(h, cell) for h in TABLE_COLUMNS]]
    previous = None
    for row in twin.rows:
        cat = row["category"] if row["category"] != previous else ""
        previous = row["category"]
        values = [row["no"], cat] + [row.get(k, "") for k in TABLE_KEYS[2:]]
        data.append([Paragraph(html.escape(v), cell) for v in values])
    widths = [28, 62, 92, 140, 62, 52, 51]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story.append(table)
    story.append(Spacer(1, 6))
    story += [Paragraph(html.escape(p), body) for p in twin.after]

    def furniture(canvas, doc):  # type: ignore[no-untyped-def]
        _furniture(canvas, doc.page, PdfStyle(header="青岚县人民政府  政务公开"))

    doc = SimpleDocTemplate(str(out), pagesize=(PAGE_W, PAGE_H), leftMargin=MARGIN_X,
                            rightMargin=MARGIN_X, topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
                            invariant=1)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)


# --- scans -----------------------------------------------------------------

def render_scans(pdf: Path, pages: list[int] | None = None, dpi: int = SCAN_DPI, seed: int = 7,  # type: ignore[no-untyped-def]
                 noise: float = 9.0):
    """Pages of a PDF as noisy grayscale images, like a photocopier scan."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    rng = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(str(pdf))
    images = []
    for index in pages if pages is not None else range(len(doc)):
        bitmap = doc[index].render(scale=dpi / 72, grayscale=True)
        img = bitmap.to_pil().convert("L")
        arr = np.asarray(img, dtype=np.float32)
        arr = arr * 0.92 + 12 + rng.normal(0, noise, arr.shape)  # grey paper, sensor noise
        speckles = rng.random(arr.shape) < 0.0008
        arr[speckles] = 40
        img = Image.fromarray(np.clip(arr, 0, 255).astype("uint8"))
        img = img.rotate(0.3, resample=Image.Resampling.BICUBIC, fillcolor=235)
        images.append(img)
    doc.close()
    return images


def make_scan_pdf(pdf: Path, out: Path) -> None:
    images = render_scans(pdf)
    fixed = time.strptime("2024-01-01", "%Y-%m-%d")  # no run-time timestamps in the file
    images[0].save(str(out), "PDF", resolution=SCAN_DPI, save_all=True,
                   append_images=images[1:], quality=SCAN_JPEG_QUALITY,
                   creationDate=fixed, modDate=fixed)


def make_png(pdf: Path, out: Path) -> None:
    image = render_scans(pdf, pages=[0], seed=11, noise=0.0)[0]
    from PIL import Image

    image = image.quantize(colors=8, dither=Image.Dither.NONE)  # small palette PNG
    image.save(str(out), optimize=True)


def make_tiff(paras: list[str], out: Path) -> None:
    """Two-page fax-style TIFF of a bulletin set in 16 pt (三号, the official body size)."""
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "large.pdf"
        pages = make_text_pdf(paras, pdf, PdfStyle(header="松溪市人民政府  政务公开"),
                              body_size=16.0, leading=28.0)
        assert pages == 2, pages
        images = render_scans(pdf, pages=[0, 1], seed=13)
    images = [im.point(lambda v: 255 if v > 150 else 0).convert("1") for im in images]
    images[0].save(str(out), save_all=True, append_images=images[1:], compression="group4",
                   dpi=(SCAN_DPI, SCAN_DPI))


# --- LibreOffice -----------------------------------------------------------

def soffice_convert(src: Path, fmt: str, out_dir: Path) -> Path:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        sys.exit("需要 LibreOffice（apt-get install libreoffice-writer-nogui）")
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as tmp:
        subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", fmt, "--outdir", tmp, str(src)],
                       check=True, capture_output=True, timeout=180)
        produced = next(Path(tmp).iterdir())
        target = out_dir / (src.stem + produced.suffix)
        shutil.move(str(produced), target)
    return target


# --- web pages -------------------------------------------------------------

PAGE_TEMPLATE = """<!DOCTYPE html>
<html>
<head>
{meta}
<title>{title}_{site}</title>
<link rel="stylesheet" href="/css/style.css">
<style>.nav li{{float:left}} .TRS_Editor p{{text-indent:2em}}</style>
<script>var _hmt = _hmt || []; document.write("统计代码");</script>
</head>
<body>
<div class="top"><a href="/">{site}</a> <span>无障碍浏览</span> <span>长者模式</span></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/xxgk/">信息公开</a></li><li><a href="/hdjl/">互动交流</a></li></ul>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 巡察整改</div>
<div class="article">
<h1 class="title">{title}</h1>
<div class="info">发布时间：{date} 09:15:02　来源：{site}　浏览次数：1024　字号：<a>大</a> <a>中</a> <a>小</a></div>
<div class="TRS_Editor" id="zoom">
{body}
</div>
<div class="share">分享到：<a>微信</a> <a>微博</a> <a>QQ空间</a></div>
<div class="tools"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
<div class="related"><h3>相关文章</h3><ul>
<li><a href="/a/1.html">关于开展2024年度巡察工作的通知</a> 2024-03-01</li>
<li><a href="/a/2.html">市委第二轮巡察完成进驻</a> 2024-04-11</li>
</ul></div>
</div>
<div class="footer"><p>主办单位：{site}　网站标识码：4103000001</p>
<p>豫ICP备05001234号-1　豫公网安备 41030202000123号</p><p>版权所有 &copy; 2024 {site}</p></div>
<script src="/js/common.js"></script>
</body>
</html>
"""


def make_html(paras: list[str], out: Path, site: str, date: str, encoding: str, meta: str) -> None:
    body_lines = []
    for k, para in enumerate(paras[1:]):
        if k % 7 == 3:  # some pages put paragraphs in divs with <br>, not <p>
            body_lines.append(f"<div>{html.escape(para)}<br></div>")
        else:
            body_lines.append(f'<p style="text-indent:2em">&nbsp;&nbsp;{html.escape(para)}</p>')
    page = PAGE_TEMPLATE.format(meta=meta, title=html.escape(paras[0]), site=site, date=date,
                                body="\n".join(body_lines))
    out.write_bytes(page.encode(encoding))


#: Words that get pinyin residue in the Traditional page, as mirror sites do.
PINYIN = {"統": "tǒng", "團": "tuán", "設": "shè", "進": "jìn", "長": "cháng"}


def to_traditional_with_pinyin(text: str) -> str:
    import opencc

    trad = opencc.OpenCC("s2t").convert(text)
    seen: set[str] = set()

    def add(m: re.Match[str]) -> str:
        ch = m.group(0)
        if ch in seen:
            return ch
        seen.add(ch)
        return f"{ch}({PINYIN[ch]})"

    return re.sub("|".join(PINYIN), add, trad)


# --- broken inputs ---------------------------------------------------------

def make_no_unicode_pdf(pdf: Path, out: Path) -> None:
    """The same PDF with its fonts' ToUnicode maps disabled: the text layer is garbage."""
    data = pdf.read_bytes()
    assert b"/ToUnicode" in data
    out.write_bytes(data.replace(b"/ToUnicode", b"/ToUnicodX"))  # same length: xref stays valid


def make_broken(out_dir: Path) -> None:
    pdf = (out_dir / "short_bulletin.pdf").read_bytes()
    (out_dir / "corrupt.pdf").write_bytes(pdf[: len(pdf) // 3])
    docx = (out_dir / "table_bulletin.docx").read_bytes()
    (out_dir / "corrupt.docx").write_bytes(docx[: len(docx) // 2])


#: Bulletins of the series samples whose re-posted copies are made here: text twin → outputs.
HISTORY_TWINS = {
    "152_county_water_bureau_series_third.txt": ("hist_152_attachment.pdf", "hist_152_page.html"),
    "160_township_series_second.txt": (None, "hist_160_page.html"),
}
#: The sites the history copies are posted on, and their page dates (a re-post is dated later).
HISTORY_SITES = {
    "hist_152_page.html": ("青岑县人民政府", "2025-01-16"),
    "hist_160_page.html": ("柘岩县人民政府门户网站", "2025-02-17"),
}


def make_history_copies() -> None:
    """The PDF and HTML copies of series bulletins (the near-duplicate tests, issue 14)."""
    for twin, (pdf_name, html_name) in HISTORY_TWINS.items():
        paras = twin_paragraphs((ROOT / "samples" / twin).read_text(encoding="utf-8"))
        if pdf_name is not None:
            make_text_pdf(paras, OUT / pdf_name, PdfStyle(header="青岑县水利局  巡察整改专栏"))
        if html_name is not None:
            site, day = HISTORY_SITES[html_name]
            make_html(paras, OUT / html_name, site, day, "utf-8", '<meta charset="utf-8">')


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    if sys.argv[1:] == ["--only", "history"]:
        make_history_copies()
        return
    seed = twin_paragraphs(SEED.read_text(encoding="utf-8"))
    short = twin_paragraphs((SRC / "short_bulletin.txt").read_text(encoding="utf-8"))
    table_twin = parse_table_twin((SRC / "table_bulletin.txt").read_text(encoding="utf-8"))

    make_seed_docx(seed, OUT / "seed.docx")
    make_table_docx(table_twin, OUT / "table_bulletin.docx")
    pages = make_text_pdf(seed, OUT / "seed.pdf")
    make_text_pdf(short, OUT / "short_bulletin.pdf", PdfStyle(header="松溪市人民政府  政务公开",
                                                               page_number="- {n} -"))
    make_text_pdf(short, OUT / "encrypted.pdf", encrypt="zhenggai")
    make_table_pdf(table_twin, OUT / "table_bulletin.pdf")
    make_scan_pdf(OUT / "seed.pdf", OUT / "seed_scan.pdf")
    make_png(OUT / "short_bulletin.pdf", OUT / "short_bulletin.png")
    make_tiff(short, OUT / "short_bulletin_2p.tiff")
    make_no_unicode_pdf(OUT / "short_bulletin.pdf", OUT / "short_bulletin_nounicode.pdf")
    soffice_convert(OUT / "seed.docx", "doc", OUT)
    make_html(seed, OUT / "seed_utf8.html", "洛阳市人民政府外事办公室", "2024-05-10", "utf-8",
              '<meta charset="utf-8">')
    make_html(short, OUT / "short_bulletin_gbk.html", "松溪市文化广电和旅游局", "2024-04-08", "gbk",
              '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    trad = [to_traditional_with_pinyin(p) for p in seed]
    make_html(trad, OUT / "seed_trad.html", "洛陽市人民政府外事辦公室", "2024-05-10", "utf-8",
              '<meta http-equiv="X-UA-Compatible" content="IE=edge">')
    make_broken(OUT)
    make_history_copies()
    total = sum(f.stat().st_size for f in OUT.iterdir() if f.is_file())
    print(f"seed.pdf: {pages} pages; samples/formats: {total / 1e6:.2f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
