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

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extract.document import TABLE_ROW, Block, SourceDocument
from extract.errors import EncryptedFile, NoTextLayer, ReadError, UnreadableFile, too_many_pages

from .layout import (
    MIN_PAGE_CHARS,
    Char,
    Line,
    chars_look_garbled,
    chars_to_lines,
    dedupe_overprint,
    join_lines,
    lines_to_paragraphs,
    measure_layout,
    remove_furniture,
)
from .tables import linearize_tables, row_text

#: Pages above this are refused (a scanned book, not a bulletin).
MAX_PAGES = 2000
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
#: Render scale (× 72 dpi) for OCR of PDF pages. Measured with benchmarks/bench_ocr.py on
#: the 150 dpi scanned seed (pages 1 and 4, similarity to the text layer): 1.5 → 0.9955,
#: 2.0 → 0.9970, 2.5 → 0.9975 at twice the time. Recognition cost does not depend on the
#: scale (crops are resized to 48 px high) and detection works at ≤ 1280 px, so the
#: lowest scale that keeps the native resolution of a 150 dpi scan is taken.
OCR_SCALE = 2.0


# --- 1. characters -----------------------------------------------------------

def page_to_chars(page: Any, height: float) -> list[Char]:
    """Characters of a pypdfium2 page, pdfium's generated spaces/newlines left out."""
    import ctypes

    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        api = _pdfium()
        unicode, generated, loose_box, font_size = api.unicode, api.generated, api.loose_box, \
            api.font_size
        handle = ctypes.cast(textpage.raw, ctypes.c_void_p)
        box = raw.FS_RECTF()
        ref = ctypes.byref(box)
        chars: list[Char] = []
        append = chars.append
        for i in range(textpage.count_chars()):
            code = unicode(handle, i)
            if code in (0x0D, 0x0A):
                continue
            text = chr(code) if code else "\ufffd"
            # pdfium generates only spaces and line breaks (CPDF_TextPage::GenerateCharInfo)
            if text.isspace() and generated(handle, i):
                continue
            if not loose_box(handle, i, ref):
                continue  # pdfium gives no box for some glyphs
            top, bottom = box.top, box.bottom
            append(Char(text, box.left, box.right, height - top, height - bottom,
                        font_size(handle, i) or (top - bottom)))
        return chars
    finally:
        textpage.close()


def _bare(fn: Any, restype: Any) -> Any:
    """``fn`` (a pypdfium2.raw function) called without ctypes' argument conversion: the
    same address and calling convention, arguments passed as given (handles as ctypes
    pointers, indexes as ints). Converting through pypdfium2's declared types costs
    ~1 µs a call, 7× the call itself — a page makes thousands of these calls."""
    import ctypes

    fast = type(fn)(ctypes.cast(fn, ctypes.c_void_p).value)
    fast.argtypes = None
    fast.restype = restype
    return fast


class _Pdfium:
    """The per-character and per-object pdfium functions of the hot loops, bare."""

    def __init__(self) -> None:
        import ctypes

        import pypdfium2.raw as raw

        self.unicode = _bare(raw.FPDFText_GetUnicode, ctypes.c_uint)
        self.generated = _bare(raw.FPDFText_IsGenerated, ctypes.c_int)
        self.loose_box = _bare(raw.FPDFText_GetLooseCharBox, ctypes.c_int)
        self.font_size = _bare(raw.FPDFText_GetFontSize, ctypes.c_double)
        self.count_objects = _bare(raw.FPDFPage_CountObjects, ctypes.c_int)
        self.get_object = _bare(raw.FPDFPage_GetObject, raw.FPDF_PAGEOBJECT)
        self.object_type = _bare(raw.FPDFPageObj_GetType, ctypes.c_int)


@functools.cache
def _pdfium() -> _Pdfium:
    return _Pdfium()


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


# --- 3. tables -----------------------------------------------------------------

def looks_scanned(page: Any, chars: Sequence[Char], width: float, height: float) -> bool:
    """Few characters on a page mostly covered by one image: the text is in the image."""
    import ctypes

    import pypdfium2.raw as raw

    visible = 0
    for c in chars:
        if not c.text.isspace():
            visible += 1
            if visible >= SPARSE_TEXT_CHARS:
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
    import ctypes

    import pypdfium2.raw as raw

    api = _pdfium()
    handle = ctypes.cast(page.raw, ctypes.c_void_p)
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    path, form = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM
    for i in range(api.count_objects(handle)):  # ~300 on a page of justified lines
        obj = api.get_object(handle, i)
        kind = api.object_type(obj)
        if kind == path:
            yield obj, identity
        elif kind == form:
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
            raise too_many_pages("PDF", MAX_PAGES, count)
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
