"""OFD reader (GB/T 33190 版式文档): the text objects of every page, laid out like a PDF.

An OFD file is a ZIP package of XML files. The reader follows the declared
paths, never assumed folder names:

``OFD.xml`` → ``DocBody/DocRoot`` → ``Document.xml`` (``Pages/Page@BaseLoc``,
``CommonData/PublicRes|DocumentRes|TemplatePage``, ``Annotations``) → each
page's ``Content.xml`` (``Content/Layer`` → objects) and its templates.

Paths may be absolute (``/Doc_0/…``) or relative to the file that names them,
in any case, with Chinese folder names; elements are matched by local name,
so standard (``http://www.ofdspec.org/2016``) and non-standard namespaces read
alike.

Pipeline, one page at a time (``x_to_y`` functions chained in :func:`read`):

1. ``page_scan``: every ``TextObject`` of the page, its templates (any
   ZOrder), nested ``PageBlock``s and ``CompositeObject``s (whose content lives
   in ``CompositeGraphicUnit`` resources) and visible annotations, as glyphs with
   page-space boxes: ``TextCode`` ``X``/``Y`` plus ``DeltaX``/``DeltaY``
   (compressed ``g N V`` runs expanded), the object's ``Boundary`` origin and
   ``CTM`` (rotation included), ``Size`` and ``HScale``. Millimetres become
   points so :mod:`extract.readers.layout`'s thresholds keep their meaning.
   Invisible text (``Visible="false"``, zero size or a zero-size transform) is
   dropped, and so is diagonal text and watermark annotations (furniture);
2. ``glyphs_to_chars``: glyphs grouped by writing direction; the page is read in
   the direction most of its text runs (a landscape table turned on a portrait
   page reads as such); loose rotated glyphs (one-character objects laid side
   by side) join the upright text; fake bold (the same text drawn twice at the
   same place) is dropped by ``dedupe_overprint``;
3. a page whose text is private-use code points tied to glyph ids
   (``chars_look_garbled``), or a page that is only images, has the images the
   package holds for it OCR'd (:mod:`extract.readers.ocr`);
4. lines by position, not XML order (``chars_to_lines``); a page number below
   everything else in the bottom margin dropped (``drop_bottom_page_numbers``:
   GB/T 9704 sets it above layout.py's furniture band); then furniture and
   paragraphs as for the PDF text layer (:func:`extract.readers.pdf.pages_to_blocks`,
   on :mod:`extract.readers.layout`).

Three modules: :mod:`extract.readers.ofd_package` reads the package (safe XML,
member paths, encryption, the documents and their page lists);
:mod:`extract.readers.ofd_page` reads one page's content (steps 1 and 2, the
garbled-page test of 3 and the page-number rule of 4); this module OCRs the
package's images and runs the pipeline (:func:`read_pages`, :func:`read`).

Not read: signatures and seals (their text is inside ``Seal.esl``, ASN.1),
attachments, outlines, custom tags; ruled tables come out as lines, not rows.
More than half of the pages unreadable (glyph codes without OCR-able images)
raises NoTextLayer; an encrypted package raises EncryptedFile.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lxml import etree

from extract.document import PARAGRAPH, Block, SourceDocument
from extract.errors import PIXELS_ADVICE, NoTextLayer, ReadError, TooLarge, UnreadableFile
from extract.safety import check_zip

from .layout import UNREADABLE, Line, chars_to_lines, is_unreadable
from .ofd_package import OfdDocument, Package, open_package
from .ofd_page import (
    MM_TO_PT,
    ImageRef,
    drop_bottom_page_numbers,
    frame_height,
    glyphs_to_chars,
    page_is_garbled,
    page_scan,
)
from .pdf import SCANNED_IMAGE_SHARE, SPARSE_TEXT_CHARS, PageText, pages_to_blocks

#: Images smaller than this share of the page are not OCR'd (logos, QR codes, seals).
MIN_OCR_IMAGE_SHARE = 0.02
#: Largest image OCR'd, in pixels — as extract/readers/image.py (a 600 dpi A3 scan ≈ 70 Mpx).
MAX_IMAGE_PIXELS = 120_000_000
#: An image stretched to its box by more than this relative difference between the
#: horizontal and vertical scale is resampled to the box's proportions before OCR.
STRETCH_TOLERANCE = 0.02
#: More than this share of the pages without readable text: the file has no text layer.
UNREADABLE_PAGE_SHARE = 0.5
#: Dates in DocInfo/CreationDate: ISO (2024-05-10, 2024-05-10T09:00:00) or PDF-style D:20240510….
CREATION_DATE = re.compile(r"^(?:D:)?(\d{4})-?(\d{2})-?(\d{2})")


# --- OCR of the package's images ------------------------------------------------------------------

def ocr_images(pkg: Package, images: Sequence[ImageRef], page: int, page_area: float,
               notes: list[str]) -> list[Line]:
    """OCR every sizeable image of a page; lines placed where the image stands on the page."""
    lines: list[Line] = []
    for ref in images:
        x0, top, x1, bottom = ref.box
        if (x1 - x0) * (bottom - top) < MIN_OCR_IMAGE_SHARE * page_area:
            continue
        image = _open_image(pkg.read(ref.member), notes, page)
        if image is None:
            continue
        lines.extend(_ocr_image(image, ref.box, page))
    return sorted(lines, key=lambda ln: (ln.top, ln.x0))


def _open_image(data: bytes, notes: list[str], page: int) -> Any:
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise TooLarge("OFD 中的图片像素过多", advice=PIXELS_ADVICE)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise TooLarge("OFD 中的图片像素过多，疑似异常文件", advice=PIXELS_ADVICE) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        notes.append(f"第{page}页有无法解码的图片（如 JBIG2），未识别")
        return None
    return image


def _ocr_image(image: Any, box: tuple[float, float, float, float], page: int) -> list[Line]:
    import numpy as np

    from .ocr import ocr_array

    x0, top, x1, bottom = box
    sx, sy = (x1 - x0) / image.width, (bottom - top) / image.height
    if sx <= 0 or sy <= 0:
        return []
    if abs(sx - sy) > STRETCH_TOLERANCE * max(sx, sy):
        # drawn stretched: resample to the box's proportions so one scale fits both axes
        scale = max(sx, sy)
        image = image.resize((max(1, round((x1 - x0) / scale)), max(1, round((bottom - top) / scale))))
        sx = scale
    lines = ocr_array(np.asarray(image.convert("RGB")), page, sx)
    return [replace(ln, x0=ln.x0 + x0, x1=ln.x1 + x0, top=ln.top + top, bottom=ln.bottom + top)
            for ln in lines]


# --- the reader ---------------------------------------------------------------------------------

@dataclass
class ReadPages:
    pages: list[PageText]
    unreadable: list[int]  # 1-based numbers of pages whose text could not be read
    ocr_pages: int
    last_page_text: str


def read_pages(docs: Sequence[OfdDocument], notes: list[str]) -> ReadPages:
    out: list[PageText] = []
    unreadable: list[int] = []
    ocr_pages = 0
    watermark = 0
    number = 0
    for doc in docs:
        for info in doc.pages:
            number += 1
            scan = page_scan(doc, info)
            watermark += scan.watermark
            width, height = info.size_mm[0] * MM_TO_PT, info.size_mm[1] * MM_TO_PT
            framed = glyphs_to_chars(scan.glyphs, number, width, height)
            chars = framed.chars
            visible = sum(1 for c in chars if not c.text.isspace())
            garbled = page_is_garbled(chars)
            page_area = width * height
            scanned = visible < SPARSE_TEXT_CHARS and any(
                (r.box[2] - r.box[0]) * (r.box[3] - r.box[1]) >= SCANNED_IMAGE_SHARE * page_area
                for r in scan.images)
            if garbled or scanned or (visible == 0 and scan.images):
                lines = ocr_images(doc.pkg, scan.images, number, page_area, notes)
                if lines:
                    lines = drop_bottom_page_numbers(lines, height)
                    out.append(PageText(number, height, lines, [], ocr=True))
                    ocr_pages += 1
                    continue
                if garbled:
                    unreadable.append(number)
                    out.append(PageText(number, height, [], []))
                    continue
            if UNREADABLE.search("".join([c.text for c in chars])):
                chars = [c for c in chars if not is_unreadable(c.text)]
            page_height = frame_height(framed.angle, width, height)
            others = [Block(ln.text, page=number, kind=PARAGRAPH,
                            bbox=(ln.x0, ln.top, ln.x1, ln.bottom)) for ln in framed.other_lines]
            lines = drop_bottom_page_numbers(chars_to_lines(chars, number), page_height)
            out.append(PageText(number, page_height, lines, others))
    if watermark:
        notes.append(f"已略去水印文字 {watermark} 字")
    last = ""
    if out:
        last_page = out[-1]
        last = "".join(ln.text for ln in last_page.lines) + "".join(b.text for b in last_page.tables)
    return ReadPages(out, unreadable, ocr_pages, last)


def creation_date_if_written(creation: str | None, last_page_text: str) -> str | None:
    """DocInfo/CreationDate is when the file was made, not necessarily the document's date:
    taken as the publish date only when the same date is written on the last page (the
    signature date 2024年5月10日)."""
    m = CREATION_DATE.match(creation or "")
    if not m:
        return None
    year, month, day = m.group(1), int(m.group(2)), int(m.group(3))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    text = re.sub(r"\s+", "", last_page_text)
    if re.search(rf"{year}年0?{month}月0?{day}日", text) is None:
        return None
    return f"{year}-{month:02d}-{day:02d}"


def read(path: Path, data: bytes) -> SourceDocument:
    notes: list[str] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            pkg = Package(zf)  # encrypted members are refused before anything is inflated
            check_zip(data)  # zip bombs and entity declarations, as for docx
            docs = open_package(pkg)
            result = read_pages(docs, notes)
        blocks = pages_to_blocks(result.pages)
    except ReadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise UnreadableFile(f"OFD 压缩包损坏（{type(exc).__name__}）") from exc
    except etree.XMLSyntaxError as exc:
        raise UnreadableFile(f"OFD 的 XML 内容损坏（{exc.msg}）") from exc
    except RuntimeError as exc:  # zipfile: encrypted member, unsupported compression
        raise UnreadableFile(f"OFD 压缩包无法解压（{exc}）") from exc
    except Exception as exc:  # noqa: BLE001 - no library exception may escape a reader
        raise UnreadableFile(f"OFD 读取失败（{type(exc).__name__}: {exc}）") from exc
    pages = len(result.pages)
    if result.unreadable:
        listed = "、".join(str(n) for n in result.unreadable)
        detail = f"第{listed}页的文字是私用区编码（只有字形编号，没有 Unicode），页面中也没有可识别的图片"
        if len(result.unreadable) > UNREADABLE_PAGE_SHARE * pages:
            raise NoTextLayer(detail)
        notes.append(detail)
    if not any(b.text.strip() for b in blocks):
        raise NoTextLayer("OFD 既没有可用的文字，页面图片 OCR 也未识别出文字")
    if result.ocr_pages:
        notes.append(f"{result.ocr_pages} 页没有可用文字，已对页面图片 OCR")
    title = next((d.title for d in docs if d.title), None)
    date = creation_date_if_written(docs[0].creation_date, result.last_page_text)
    return SourceDocument(path=str(path), source_format="ofd", blocks=blocks, title=title,
                          publish_date=date, page_count=pages, notes=notes)

