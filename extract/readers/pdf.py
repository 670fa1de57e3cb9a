"""PDF reader: the text layer, laid out back into paragraphs.

Pipeline, one page at a time (``x_to_y`` functions chained in :func:`read`):

1. ``page_to_chars``: characters with their boxes from pypdfium2 (about 20×
   faster than pdfminer); glyphs overprinted to fake bold are dropped
   (``dedupe_overprint``);
2. ``chars_look_garbled``: private-use/replacement/control characters (a font
   without a Unicode map) → the page is read again with pdfplumber, and if
   still garbled (or empty) it is OCR'd (:mod:`extract.readers.ocr`);
3. pages that show ruling lines (a cheap count of pdfium path objects) get
   their ruling segments from pdfium and cells from pdfplumber's pure table
   functions (no pdfminer parse); characters inside a table become TABLE_ROW
   blocks, which :mod:`extract.readers.tables` turns into prose;
4. ``chars_to_lines``: characters grouped into visual lines, no spaces between
   CJK characters;
5. ``remove_furniture``: running headers/footers and page numbers (``— 3 —``,
   ``- 3 -``, ``第3页``) in the top/bottom bands of the page;
6. ``lines_to_paragraphs``: lines rejoined by layout (first-line indent, a line
   ending short of the right margin, vertical gaps, font size). A paragraph
   cut by a page end stays cut (the normalizer joins those by text).

A PDF without any text is OCR'd whole (source_format ``pdf-ocr``); OCR finding
nothing raises NoTextLayer; a password raises EncryptedFile.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extract.document import PARAGRAPH, TABLE_ROW, Block, SourceDocument
from extract.errors import EncryptedFile, NoTextLayer, ReadError, TooLarge, UnreadableFile

from .tables import linearize_tables, row_text

#: Pages above this are refused (a scanned book, not a bulletin).
MAX_PAGES = 2000
#: Top and bottom bands of a page where running headers/footers live (share of page height).
FURNITURE_BAND = 0.09
#: ... but at least this many points (a page cropped short keeps its header band) …
FURNITURE_MIN_BAND = 60.0
#: … and never more than this share of the page.
FURNITURE_MAX_SHARE = 0.2
#: A band line in a font this much smaller than the body is furniture (ratio of body size).
FURNITURE_SMALL_FONT = 0.85
#: Share of non-space characters that must be unreadable for a page to count as garbled.
GARBLED_SHARE = 0.10
#: Fewer real characters than this on a page: treat the page as having no text layer.
MIN_PAGE_CHARS = 5
#: A page with fewer characters than this over a page-sized image is a scan (OCR it).
SPARSE_TEXT_CHARS = 40
#: Share of the page an image must cover to count as a scanned page.
SCANNED_IMAGE_SHARE = 0.5
#: Path objects (lines, rectangles) on a page from which pdfplumber looks for tables.
TABLE_PATH_OBJECTS = 6
#: Ruling segments within this distance (pt) are snapped/joined into one edge.
EDGE_SNAP = 3.0
#: Shorter ruling segments (pt) are ignored (underlines of single characters, ticks).
EDGE_MIN_LENGTH = 3.0
#: A segment whose ends differ less than this (pt) across its direction is horizontal/vertical.
EDGE_SLOPE = 0.5
#: Same glyph within this share of the font size horizontally and vertically = overprint.
OVERPRINT_TOLERANCE = 0.35
#: How many earlier characters are compared with each one for overprint.
OVERPRINT_WINDOW = 8
#: Characters whose vertical centres differ less than this share of size share a line.
SAME_LINE = 0.5
#: Horizontal gap (share of font size) that becomes a space between non-CJK characters.
WORD_GAP = 0.35
#: A line starting this far (in font sizes) right of the left margin is indented.
INDENT_MIN = 1.0
#: Lines starting within this share of the font size of each other start at the same x.
LEFT_MARGIN_JITTER = 0.3
#: The left margin is where at least this many lines (or a tenth of them) start.
LEFT_MARGIN_MIN_LINES = 2
#: A line ending this far (in font sizes) short of the right margin ends its paragraph.
SHORT_LINE = 1.2
#: A vertical gap larger than this multiple of the usual line pitch separates paragraphs.
PARAGRAPH_GAP = 1.7
#: Font size ratio above the body size that marks title lines (joined with each other).
TITLE_SIZE_RATIO = 1.15
#: Render scale (× 72 dpi) for OCR of PDF pages. Measured with benchmarks/bench_ocr.py on
#: the 150 dpi scanned seed (pages 1 and 4, similarity to the text layer): 1.5 → 0.9955,
#: 2.0 → 0.9970, 2.5 → 0.9975 at twice the time. Recognition cost does not depend on the
#: scale (crops are resized to 48 px high) and detection works at ≤ 1280 px, so the
#: lowest scale that keeps the native resolution of a 150 dpi scan is taken.
OCR_SCALE = 2.0

PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－―_~·•\s]*\d{1,4}[-—–－―_~·•\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[/，,、]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$"
)
DIGITS = re.compile(r"\d+")


def is_cjk(ch: str) -> bool:
    """CJK ideographs and CJK/full-width punctuation (no spaces between these)."""
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF or 0x2E80 <= o <= 0x2FDF or 0x20000 <= o <= 0x2FA1F
            or o in (0x201C, 0x201D, 0x2018, 0x2019, 0x2014, 0x2026, 0x00B7))


def is_unreadable(ch: str) -> bool:
    o = ord(ch)
    return (0xE000 <= o <= 0xF8FF or o == 0xFFFD or o < 0x20 or 0x7F <= o < 0xA0
            or 0xF0000 <= o)


@dataclass(frozen=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float  # distance from the top of the page (PDF points)
    bottom: float
    size: float  # font size (PDF points)

    @property
    def center(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int  # 1-based


# --- 1. characters -----------------------------------------------------------

def page_to_chars(page: Any, height: float) -> list[Char]:
    """Characters of a pypdfium2 page, pdfium's generated spaces/newlines left out."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        chars: list[Char] = []
        handle = textpage.raw
        for i in range(n):
            code = raw.FPDFText_GetUnicode(handle, i)
            if code in (0x0D, 0x0A) or raw.FPDFText_IsGenerated(handle, i):
                continue
            try:
                left, bottom, right, top = textpage.get_charbox(i, loose=True)
            except Exception:  # noqa: BLE001 - pdfium gives no box for some glyphs
                continue
            size = raw.FPDFText_GetFontSize(handle, i) or (top - bottom)
            chars.append(Char(chr(code) if code else "\ufffd", left, right, height - top,
                              height - bottom, size))
        return chars
    finally:
        textpage.close()


def plumber_page_to_chars(plumber_page: Any) -> list[Char]:
    """Characters of a pdfplumber page (the fallback decoder)."""
    out = []
    for c in plumber_page.chars:
        text = c.get("text") or ""
        if text.startswith("(cid:"):
            text = "\ufffd"  # pdfminer's name for a glyph without a Unicode mapping
        for ch in text[:1]:
            out.append(Char(ch, float(c["x0"]), float(c["x1"]), float(c["top"]),
                            float(c["bottom"]), float(c.get("size") or 0)))
    return out


def dedupe_overprint(chars: Sequence[Char]) -> list[Char]:
    """Drop a glyph printed again on top of itself (fake bold, shadow text)."""
    kept: list[Char] = []
    for ch in chars:
        if ch.text.isspace():
            kept.append(ch)
            continue
        tol = max(ch.size, 1.0) * OVERPRINT_TOLERANCE
        duplicate = False
        for prev in kept[-OVERPRINT_WINDOW:]:
            if (prev.text == ch.text and abs(prev.x0 - ch.x0) < tol
                    and abs(prev.top - ch.top) < tol):
                duplicate = True
                break
        if not duplicate:
            kept.append(ch)
    return kept


def chars_look_garbled(chars: Sequence[Char]) -> bool:
    """True if too many characters are unreadable (no Unicode map, private use)."""
    visible = [c for c in chars if not c.text.isspace()]
    if len(visible) < MIN_PAGE_CHARS:
        return True
    bad = sum(1 for c in visible if is_unreadable(c.text))
    latin_ext = sum(1 for c in visible if 0xA0 <= ord(c.text) <= 0x24F)
    return bad / len(visible) > GARBLED_SHARE or latin_ext / len(visible) > 0.3


# --- 4. lines ----------------------------------------------------------------

def chars_to_text(chars: Sequence[Char]) -> str:
    """Characters of one line, left to right: spaces only where they separate non-CJK text."""
    out: list[str] = []
    prev: Char | None = None
    pending_space = False
    for ch in chars:
        if ch.text.isspace():
            pending_space = prev is not None
            continue
        if prev is not None:
            gap = ch.x0 - prev.x1
            wide = gap > WORD_GAP * max(ch.size, prev.size, 1.0)
            both_cjk = is_cjk(prev.text) and is_cjk(ch.text)
            if (pending_space or wide) and not both_cjk:
                out.append(" ")
        out.append(ch.text)
        prev = ch
        pending_space = False
    return "".join(out)


def chars_to_lines(chars: Sequence[Char], page: int) -> list[Line]:
    """Group characters into visual lines, top to bottom, each read left to right."""
    keyed = sorted(((c.center, c.x0, i, c) for i, c in enumerate(chars)))
    groups: list[list[Char]] = []
    center_sum = 0.0  # running mean of the visible characters' centres on the current line
    center_n = 0
    for center, _x0, _i, ch in keyed:
        space = ch.text.isspace()
        if space and not groups:
            continue
        size = max(ch.size, 1.0)
        line_center = center_sum / center_n if center_n else center
        if groups and abs(center - line_center) < SAME_LINE * size:
            groups[-1].append(ch)
            if not space:
                center_sum += center
                center_n += 1
        else:
            groups.append([ch])
            center_sum, center_n = (0.0, 0) if space else (center, 1)
    lines: list[Line] = []
    for group in groups:
        group.sort(key=lambda c: c.x0)
        visible = [c for c in group if not c.text.isspace()]
        if not visible:
            continue
        text = chars_to_text(group).strip()
        if not text:
            continue
        sizes = Counter(round(c.size, 1) for c in visible)
        lines.append(Line(text, visible[0].x0, visible[-1].x1, min(c.top for c in visible),
                          max(c.bottom for c in visible), sizes.most_common(1)[0][0], page))
    return lines


# --- 5. page furniture ---------------------------------------------------------

def body_font_size(lines: Sequence[Line]) -> float:
    """The most common font size, weighted by text length."""
    weights: Counter[float] = Counter()
    for ln in lines:
        weights[round(ln.size, 1)] += len(ln.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def remove_furniture(pages: Sequence[list[Line]], heights: Sequence[float]) -> list[list[Line]]:
    """Drop page numbers, running headers and footers found in the top/bottom bands."""
    all_lines = [ln for page in pages for ln in page]
    if not all_lines:
        return [list(p) for p in pages]
    body = body_font_size(all_lines)
    band_texts: Counter[str] = Counter()
    for page, height in zip(pages, heights, strict=True):
        seen: set[str] = set()
        for ln in page:
            if _in_band(ln, height):
                key = DIGITS.sub("#", ln.text.replace(" ", ""))
                if key not in seen:
                    band_texts[key] += 1
                    seen.add(key)
    repeat_min = max(2, (len(pages) + 1) // 2)
    out: list[list[Line]] = []
    for page, height in zip(pages, heights, strict=True):
        kept = []
        for ln in page:
            if _in_band(ln, height):
                key = DIGITS.sub("#", ln.text.replace(" ", ""))
                if (PAGE_NUMBER.match(ln.text) or band_texts[key] >= repeat_min
                        or ln.size < body * FURNITURE_SMALL_FONT):
                    continue
            kept.append(ln)
        out.append(kept)
    return out


def _in_band(ln: Line, height: float) -> bool:
    band = min(max(height * FURNITURE_BAND, FURNITURE_MIN_BAND), height * FURNITURE_MAX_SHARE)
    return ln.bottom < band or ln.top > height - band


# --- 6. paragraphs -------------------------------------------------------------

@dataclass(frozen=True)
class Layout:
    """Margins and pitch of the body text, measured over the whole document."""

    left: float
    right: float
    size: float
    pitch: float  # usual distance between the tops of consecutive lines
    size_tolerance: float = 0.6  # font sizes closer than this (pt) are the same size
    short_line: float = SHORT_LINE  # ems short of the right margin that end a paragraph


def measure_layout(pages: Sequence[Sequence[Line]], size_tolerance: float = 0.6,
                   short_line: float = SHORT_LINE) -> Layout:
    lines = [ln for page in pages for ln in page]
    size = body_font_size(lines)
    if not lines:
        return Layout(0.0, 0.0, size, size * 1.5, size_tolerance, short_line)
    body = [ln for ln in lines if abs(ln.size - size) < size_tolerance] or lines
    left = left_margin([ln.x0 for ln in body], size)
    rights = sorted(ln.x1 for ln in body)
    right = rights[int(len(rights) * 0.9)] if rights else left + 40 * size
    pitches = [b.top - a.top for page in pages for a, b in zip(page, page[1:], strict=False)
               if abs(a.size - size) < size_tolerance and abs(b.size - size) < size_tolerance
               and b.top > a.top]
    pitch = statistics.median(pitches) if pitches else size * 1.5
    return Layout(left, right, size, pitch, size_tolerance, short_line)


def left_margin(x0s: Sequence[float], size: float) -> float:
    """The leftmost x where several lines start (OCR positions jitter by a point or two)."""
    xs = sorted(x0s)
    if not xs:
        return 0.0
    need = max(LEFT_MARGIN_MIN_LINES, len(xs) // 10)
    tolerance = LEFT_MARGIN_JITTER * size
    i = 0
    while i < len(xs):
        j = i
        while j + 1 < len(xs) and xs[j + 1] - xs[j] <= tolerance:
            j += 1
        if j - i + 1 >= need:
            return xs[i]
        i = j + 1
    return xs[0]


def starts_paragraph(prev: Line, line: Line, layout: Layout) -> bool:
    """Does ``line`` begin a new paragraph after ``prev`` (same page)?"""
    big = layout.size * TITLE_SIZE_RATIO
    same_size = abs(prev.size - line.size) < layout.size_tolerance
    if prev.size > big and line.size > big and same_size:
        return line.top - prev.bottom > prev.size  # title over two lines stays one
    if not same_size:
        return True
    if line.top - prev.top > PARAGRAPH_GAP * layout.pitch:
        return True
    if line.x0 > layout.left + INDENT_MIN * layout.size:
        return True
    return prev.x1 < layout.right - layout.short_line * layout.size


def join_lines(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def lines_to_paragraphs(lines: Sequence[Line], layout: Layout) -> list[Block]:
    """Rejoin the lines of one page into PARAGRAPH blocks."""
    blocks: list[Block] = []
    cur: list[Line] = []

    def flush() -> None:
        if cur:
            text = cur[0].text
            for ln in cur[1:]:
                text = join_lines(text, ln.text)
            blocks.append(Block(text, page=cur[0].page, kind=PARAGRAPH,
                                bbox=(min(c.x0 for c in cur), cur[0].top,
                                      max(c.x1 for c in cur), cur[-1].bottom)))
            cur.clear()

    for line in lines:
        if cur and starts_paragraph(cur[-1], line, layout):
            flush()
        cur.append(line)
    flush()
    return blocks


# --- 3. tables -----------------------------------------------------------------

def looks_scanned(page: Any, chars: Sequence[Char], width: float, height: float) -> bool:
    """Few characters on a page mostly covered by one image: the text is in the image."""
    import ctypes

    import pypdfium2.raw as raw

    if sum(1 for c in chars if not c.text.isspace()) >= SPARSE_TEXT_CHARS:
        return False
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for i in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = raw.FPDFPage_GetObject(page.raw, i)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_IMAGE:
            continue
        if raw.FPDFPageObj_GetBounds(obj, ctypes.byref(left), ctypes.byref(bottom),
                                     ctypes.byref(right), ctypes.byref(top)):
            area = (right.value - left.value) * (top.value - bottom.value)
            if area >= SCANNED_IMAGE_SHARE * width * height:
                return True
    return False


def count_path_objects(page: Any, stop_at: int = TABLE_PATH_OBJECTS) -> int:
    """Path objects (lines, rectangles) on a page, counted up to ``stop_at``."""
    found = 0
    for _obj, _matrix in _path_objects(page):
        found += 1
        if found >= stop_at:
            break
    return found


def _path_objects(page: Any) -> Any:
    """(path object, matrix to page space) for top-level paths and paths inside form XObjects."""
    import pypdfium2.raw as raw

    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for i in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = raw.FPDFPage_GetObject(page.raw, i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            yield obj, identity
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            form_matrix = _matrix(obj)
            for k in range(raw.FPDFFormObj_CountObjects(obj)):
                child = raw.FPDFFormObj_GetObject(obj, k)
                if raw.FPDFPageObj_GetType(child) == raw.FPDF_PAGEOBJ_PATH:
                    yield child, form_matrix


def _matrix(obj: Any) -> tuple[float, float, float, float, float, float]:
    import ctypes

    import pypdfium2.raw as raw

    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _apply(m: tuple[float, ...], outer: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    x, y = m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]
    return outer[0] * x + outer[2] * y + outer[4], outer[1] * x + outer[3] * y + outer[5]


def page_to_edges(page: Any, height: float) -> list[dict[str, Any]]:
    """Horizontal and vertical ruling segments of a page, as pdfplumber edge dicts (top-down)."""
    import ctypes

    import pypdfium2.raw as raw

    edges: list[dict[str, Any]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for obj, outer in _path_objects(page):
        m = _matrix(obj)
        points: list[tuple[float, float]] = []
        start: tuple[float, float] | None = None
        for k in range(raw.FPDFPath_CountSegments(obj)):
            seg = raw.FPDFPath_GetPathSegment(obj, k)
            raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
            point = _apply(m, outer, x.value, y.value)
            kind = raw.FPDFPathSegment_GetType(seg)
            if kind == raw.FPDF_SEGMENT_MOVETO or not points:
                start = point
            elif kind == raw.FPDF_SEGMENT_LINETO:
                _add_edge(edges, points[-1], point, height)
            if raw.FPDFPathSegment_GetClose(seg) and start is not None:
                _add_edge(edges, point, start, height)
            points.append(point)
    return edges


def _add_edge(edges: list[dict[str, Any]], a: tuple[float, float], b: tuple[float, float],
              height: float) -> None:
    (x0, y0), (x1, y1) = a, b
    if abs(y0 - y1) <= EDGE_SLOPE and abs(x0 - x1) > EDGE_SLOPE:
        left, right = sorted((x0, x1))
        top = height - y0
        edges.append({"x0": left, "x1": right, "top": top, "bottom": top, "width": right - left,
                      "height": 0.0, "orientation": "h", "object_type": "line"})
    elif abs(x0 - x1) <= EDGE_SLOPE and abs(y0 - y1) > EDGE_SLOPE:
        top, bottom = sorted((height - y0, height - y1))
        edges.append({"x0": x0, "x1": x0, "top": top, "bottom": bottom, "width": 0.0,
                      "height": bottom - top, "orientation": "v", "object_type": "line"})


@dataclass
class PageTable:
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    rows: list[list[tuple[float, float, float, float] | None]]  # cell boxes per row


def edges_to_tables(edges: list[dict[str, Any]]) -> list[PageTable]:
    """Ruled tables from ruling segments, with pdfplumber's pure table functions."""
    from pdfplumber.table import (
        Table,
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )

    if not edges:
        return []
    merged = merge_edges(edges, EDGE_SNAP, EDGE_SNAP, EDGE_SNAP, EDGE_SNAP)
    merged = [e for e in merged if (e["width"] if e["orientation"] == "h" else e["height"])
              >= EDGE_MIN_LENGTH]
    cells = intersections_to_cells(edges_to_intersections(merged, EDGE_SNAP, EDGE_SNAP))
    tables = []
    for group in cells_to_tables(cells):
        table = Table(None, group)  # type: ignore[arg-type]  # page only needed for .extract()
        rows = [list(row.cells) for row in table.rows]
        if len(rows) < 2 or max(len(r) for r in rows) < 2:
            continue
        x0, top, x1, bottom = table.bbox
        tables.append(PageTable((float(x0), float(top), float(x1), float(bottom)), rows))
    return tables


def _inside(ch: Char, box: tuple[float, float, float, float]) -> bool:
    cx = (ch.x0 + ch.x1) / 2
    return box[0] <= cx <= box[2] and box[1] <= ch.center <= box[3]


def table_to_blocks(table: PageTable, chars: Sequence[Char], page: int) -> list[Block]:
    blocks = []
    for row in table.rows:
        cells: list[str] = []
        for box in row:
            if box is None:
                cells.append("")  # merged with the cell to the left or above
                continue
            inside = [c for c in chars if _inside(c, box)]
            lines = chars_to_lines(inside, page)
            text = ""
            for ln in lines:
                text = join_lines(text, ln.text)
            cells.append(text)
        if any(cells):
            tops = [b[1] for b in row if b is not None]
            bottoms = [b[3] for b in row if b is not None]
            bbox = (table.bbox[0], min(tops), table.bbox[2], max(bottoms)) if tops else None
            blocks.append(Block(row_text(cells), page=page, kind=TABLE_ROW, cells=tuple(cells),
                                bbox=bbox))
    return blocks


# --- the reader ------------------------------------------------------------------

@dataclass
class PageText:
    number: int  # 1-based
    height: float
    lines: list[Line]
    tables: list[Block]  # TABLE_ROW blocks (bbox set)
    ocr: bool = False


def open_pdf(data: bytes) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text or "security" in text:
            raise EncryptedFile("PDF 需要打开密码") from exc
        raise UnreadableFile(f"PDF 文件损坏或不完整（{exc}）") from exc


def read_pages(data: bytes, notes: list[str]) -> tuple[list[PageText], int]:
    """Text of every page; pages without usable text are OCR'd. Returns pages, OCR count."""
    doc = open_pdf(data)
    plumber_doc: Any = None
    try:
        count = len(doc)
        if count > MAX_PAGES:
            raise TooLarge(f"PDF 共 {count} 页，超过上限 {MAX_PAGES} 页")
        pages: list[PageText] = []
        ocr_pages = 0
        for index in range(count):
            page = doc[index]
            try:
                width, height = page.get_size()
                chars = dedupe_overprint(page_to_chars(page, height))
                table_blocks: list[Block] = []
                if looks_scanned(page, chars, width, height):
                    chars = []  # a scan with a few typed characters on it (stamp, page number)
                if chars_look_garbled(chars):
                    alt: list[Char] = []
                    if sum(1 for c in chars if not c.text.isspace()) >= MIN_PAGE_CHARS:
                        # a text layer pdfium cannot decode: pdfminer may (else OCR)
                        plumber_doc = plumber_doc or _open_plumber(data)
                        alt = dedupe_overprint(plumber_page_to_chars(plumber_doc.pages[index]))
                    if alt and not chars_look_garbled(alt):
                        chars = alt
                        notes.append(f"第{index + 1}页文字层用 pdfplumber 解码")
                    else:
                        from .ocr import ocr_pdf_page

                        lines = ocr_pdf_page(page, index + 1, OCR_SCALE)
                        pages.append(PageText(index + 1, height, lines, [], ocr=True))
                        ocr_pages += 1
                        continue
                if count_path_objects(page) >= TABLE_PATH_OBJECTS:
                    for table in edges_to_tables(page_to_edges(page, height)):
                        table_blocks.extend(table_to_blocks(table, chars, index + 1))
                        chars = [c for c in chars if not _inside(c, table.bbox)]
                pages.append(PageText(index + 1, height, chars_to_lines(chars, index + 1),
                                      table_blocks))
            finally:
                page.close()
        return pages, ocr_pages
    finally:
        if plumber_doc is not None:
            plumber_doc.close()
        doc.close()


def _open_plumber(data: bytes) -> Any:
    import io

    import pdfplumber

    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many unrelated types
        raise UnreadableFile(f"PDF 无法用 pdfplumber 解析（{type(exc).__name__}）") from exc


def pages_to_blocks(pages: Sequence[PageText]) -> list[Block]:
    """Furniture removed, lines rejoined, table rows placed where they stand on the page."""
    cleaned = remove_furniture([p.lines for p in pages], [p.height for p in pages])
    layout = measure_layout([lines for p, lines in zip(pages, cleaned, strict=True) if not p.ocr]
                            or cleaned)
    blocks: list[Block] = []
    for page, lines in zip(pages, cleaned, strict=True):
        page_layout = layout
        if page.ocr and lines:
            from .ocr import measure_ocr_layout

            page_layout = measure_ocr_layout(lines)
        paragraphs = lines_to_paragraphs(lines, page_layout)
        merged = sorted(paragraphs + page.tables, key=lambda b: b.bbox[1] if b.bbox else 0.0)
        blocks.extend(merged)
    return linearize_tables(blocks)


def read(path: Path, data: bytes) -> SourceDocument:
    notes: list[str] = []
    try:
        pages, ocr_pages = read_pages(data, notes)
        blocks = pages_to_blocks(pages)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - no library exception may escape a reader
        raise UnreadableFile(f"PDF 读取失败（{type(exc).__name__}: {exc}）") from exc
    if not any(b.text.strip() for b in blocks):
        raise NoTextLayer("PDF 既没有文字层，OCR 也未识别出文字")
    fmt = "pdf-ocr" if pages and ocr_pages == len(pages) else "pdf"
    if 0 < ocr_pages < len(pages):
        notes.append(f"{ocr_pages} 页没有可用文字层，已用 OCR 识别")
    return SourceDocument(path=str(path), source_format=fmt, blocks=blocks,
                          page_count=len(pages), notes=notes)
