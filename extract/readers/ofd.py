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

Not read: signatures and seals (their text is inside ``Seal.esl``, ASN.1),
attachments, outlines, custom tags; ruled tables come out as lines, not rows.
More than half of the pages unreadable (glyph codes without OCR-able images)
raises NoTextLayer; an encrypted package raises EncryptedFile.
"""

from __future__ import annotations

import functools
import io
import math
import posixpath
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lxml import etree

from extract.document import PARAGRAPH, Block, SourceDocument
from extract.errors import (
    EncryptedFile,
    NoTextLayer,
    ReadError,
    TooLarge,
    UnreadableFile,
)
from extract.safety import check_xml_entities, check_zip

from .layout import (
    FURNITURE_MAX_SHARE,
    GARBLED_SHARE,
    MIN_PAGE_CHARS,
    PAGE_NUMBER,
    Char,
    Line,
    chars_look_garbled,
    chars_to_lines,
    dedupe_overprint,
    is_cjk,
    is_unreadable,
)
from .pdf import SCANNED_IMAGE_SHARE, SPARSE_TEXT_CHARS, PageText, pages_to_blocks

#: OFD coordinates are millimetres; layout.py works in PDF points (72 per inch).
MM_TO_PT = 72.0 / 25.4
#: Page size when neither the page nor the document declares one (A4, millimetres).
DEFAULT_PAGE_MM = (210.0, 297.0)
#: Pages above this are refused (an archive box, not a bulletin) — as for PDF.
MAX_PAGES = 2000
#: Largest uncompressed XML or image member read (bytes); check_zip bounds the total.
MAX_MEMBER_BYTES = 200 * 1024 * 1024
#: Composite objects and page blocks nested deeper than this are not followed (a loop).
MAX_NESTING = 32
#: A glyph's extent above and below its baseline, as shares of the font size (an ideograph
#: fills about 0.88 em above the baseline in Song/FangSong faces).
ASCENT = 0.88
DESCENT = 0.12
#: Advance of a glyph with no DeltaX left, in ems: ideographs and full-width forms are square,
#: Latin letters and digits about half as wide.
WIDE_ADVANCE = 1.0
NARROW_ADVANCE = 0.5
#: Text smaller than this on the page (points) is invisible (a zero-size CTM or Size).
MIN_VISIBLE_SIZE = 1.0
#: A text direction within this many degrees of a multiple of 90° counts as that direction;
#: text set at other angles is a diagonal watermark (page furniture), not body text.
ANGLE_TOLERANCE = 5.0
#: Annotation text drawn at lower opacity than this (Alpha, 0–255) is a watermark.
WATERMARK_ALPHA = 128
#: Images smaller than this share of the page are not OCR'd (logos, QR codes, seals).
MIN_OCR_IMAGE_SHARE = 0.02
#: Largest image OCR'd, in pixels — as extract/readers/image.py (a 600 dpi A3 scan ≈ 70 Mpx).
MAX_IMAGE_PIXELS = 120_000_000
#: An image stretched to its box by more than this relative difference between the
#: horizontal and vertical scale is resampled to the box's proportions before OCR.
STRETCH_TOLERANCE = 0.02
#: Height (points) of the rows fake-bold copies are sorted into before comparing neighbours:
#: wider than an overprint offset, narrower than a line pitch.
OVERPRINT_BUCKET = 4.0
#: More than this share of the pages without readable text: the file has no text layer.
UNREADABLE_PAGE_SHARE = 0.5
#: ``g N V`` in DeltaX/DeltaY: N times the value V (GB/T 33190 §11.3, compressed form).
DELTA_TOKEN = re.compile(r"g\s+(\d+)\s+(\S+)|(\S+)")
#: Dates in DocInfo/CreationDate: ISO (2024-05-10, 2024-05-10T09:00:00) or PDF-style D:20240510….
CREATION_DATE = re.compile(r"^(?:D:)?(\d{4})-?(\d{2})-?(\d{2})")
#: Markers of a DTD (never needed in OFD XML) in the encodings an XML member may use.
DOCTYPE_MARKERS = (b"<!doctype", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))
DTD_ADVICE = "文件中的 XML 带有 DTD 声明（OFD 不需要，可能是恶意构造的文件），已拒绝处理；请用原软件打开后另存一份再试。"
#: Secure XML parser: no DTD, no entity expansion, no network, no huge trees.
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)

Matrix = tuple[float, float, float, float, float, float]  # a b c d e f: (x, y) → (ax+cy+e, bx+dy+f)
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


# --- XML by local name --------------------------------------------------------------

_LOCAL_NAMES: dict[str, str] = {}


def local(tag: Any) -> str:
    """An element's name without its namespace ('' for comments and entities)."""
    name = _LOCAL_NAMES.get(tag) if isinstance(tag, str) else ""
    if name is None:
        name = _LOCAL_NAMES[tag] = tag.rpartition("}")[2]
        if len(_LOCAL_NAMES) > 10_000:  # a file inventing names: keep the cache bounded
            _LOCAL_NAMES.clear()
    return name


def child(el: Any, name: str) -> Any:
    for c in el:
        if local(c.tag) == name:
            return c
    return None


def children(el: Any, name: str) -> Iterator[Any]:
    return (c for c in el if local(c.tag) == name)


def child_text(el: Any, name: str) -> str | None:
    c = child(el, name)
    if c is None or c.text is None:
        return None
    return c.text.strip() or None


def numbers(value: str | None) -> list[float]:
    """Space-separated numbers (Boundary, CTM, PhysicalBox); [] when malformed."""
    if not value:
        return []
    try:
        return [float(v) for v in value.split()]
    except ValueError:
        return []


def expand_deltas(value: str | None) -> list[float]:
    """DeltaX/DeltaY values with ``g N V`` runs expanded: ``"g 3 5 2"`` → [5, 5, 5, 2]."""
    if not value:
        return []
    out: list[float] = []
    for m in DELTA_TOKEN.finditer(value):
        try:
            if m.group(1):
                out.extend([float(m.group(2))] * min(int(m.group(1)), 100_000))
            else:
                out.append(float(m.group(3)))
        except ValueError:
            continue  # a stray token (a lone "g"): skip it, keep the rest
    return out


# --- transforms ------------------------------------------------------------------------

def compose(outer: Matrix, inner: Matrix) -> Matrix:
    """The matrix applying ``inner`` first, then ``outer``."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (A * a + C * b, B * a + D * b, A * c + C * d, B * c + D * d,
            A * e + C * f + E, B * e + D * f + F)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def object_matrix(el: Any) -> Matrix:
    """Object space → parent space: the CTM, then the Boundary's origin (GB/T 33190 §8.2)."""
    get = el.get
    bx = by = 0.0
    box = get("Boundary")
    if box:
        parts = box.split()
        try:
            bx, by = float(parts[0]), float(parts[1])
        except (ValueError, IndexError):
            bx = by = 0.0
    ctm = get("CTM")
    if ctm:
        a, b, c, d, e, f = _ctm(ctm)
        return (a, b, c, d, e + bx, f + by)
    return (1.0, 0.0, 0.0, 1.0, bx, by)


@functools.lru_cache(maxsize=4096)
def _ctm(value: str) -> Matrix:
    """A CTM attribute (objects drawn alike share one: cached); identity when malformed."""
    values = numbers(value)
    return (values[0], values[1], values[2], values[3], values[4], values[5]) \
        if len(values) == 6 else IDENTITY


def direction(m: Matrix) -> int:
    """Writing direction of text drawn through ``m``: 0, 90, 180, 270 (clockwise on the page,
    whose y axis points down), or -1 for a diagonal."""
    return _direction(m[0], m[1])


@functools.lru_cache(maxsize=4096)
def _direction(a: float, b: float) -> int:
    if b == 0.0 and a > 0.0:
        return 0  # the usual case, without trigonometry
    angle = math.degrees(math.atan2(b, a)) % 360.0
    nearest = round(angle / 90.0) * 90 % 360
    off = abs((angle - nearest + 180.0) % 360.0 - 180.0)
    return int(nearest) if off <= ANGLE_TOLERANCE else -1


# --- the package ------------------------------------------------------------------------

def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name; names stored in GBK without the UTF-8 flag (Windows tools) decoded."""
    name = info.filename
    if info.flag_bits & 0x800 or name.isascii():
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def _normalize(path: str) -> str:
    path = posixpath.normpath("/" + path.replace("\\", "/")).lstrip("/")
    return "" if path == "." else path


class Package:
    """The ZIP package: members looked up case-insensitively, paths resolved as declared."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.index: dict[str, zipfile.ZipInfo] = {}
        for info in zf.infolist():
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                raise EncryptedFile("OFD 压缩包中的文件已加密")
            self.index.setdefault(_normalize(_member_name(info)).casefold(), info)

    def find(self, path: str) -> str | None:
        """The member at ``path`` (package-absolute, any case), or None."""
        key = _normalize(path).casefold()
        return key if key in self.index else None

    def resolve(self, ref: str | None, *bases: str) -> str | None:
        """The member a reference names: absolute from the package root, else relative to each
        base folder in turn (the referring file's folder first), then to the root."""
        if not ref or not ref.strip():
            return None
        ref = ref.strip().replace("\\", "/")
        if ref.startswith("/"):
            return self.find(ref)
        for base in (*bases, ""):
            found = self.find(posixpath.join(base, ref))
            if found is not None:
                return found
        return None

    def names(self) -> Iterator[str]:
        return iter(self.index)

    def read(self, key: str) -> bytes:
        info = self.index[key]
        if info.file_size > MAX_MEMBER_BYTES:
            raise TooLarge(f"OFD 内部文件 {info.filename} 解压后超过 {MAX_MEMBER_BYTES // 1024 // 1024} MB")
        return self.zf.read(info)

    def xml(self, key: str) -> Any:
        """Parse an XML member safely: no entities, no DTD (refused), any declared encoding."""
        data = self.read(key)
        check_xml_entities(data)
        head = data[:4096]
        if DOCTYPE_MARKERS[0] in head.lower() or any(m in head for m in DOCTYPE_MARKERS[1:]):
            raise UnreadableFile(f"{self.index[key].filename} 含有 <!DOCTYPE>", advice=DTD_ADVICE)
        try:
            root = etree.fromstring(data, XML_PARSER)
        except etree.XMLSyntaxError as exc:
            root = _parse_mislabelled(data, exc)
        if root.getroottree().docinfo.doctype:
            raise UnreadableFile(f"{self.index[key].filename} 含有 <!DOCTYPE>", advice=DTD_ADVICE)
        return root


XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>")


def _parse_mislabelled(data: bytes, error: etree.XMLSyntaxError) -> Any:
    """XML whose bytes are GB18030/GBK but whose declaration says otherwise (or nothing)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = XML_DECLARATION.sub(b"", data, count=1).decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            return etree.fromstring(text, XML_PARSER)
        except etree.XMLSyntaxError:
            break
    raise error


def dirname(key: str) -> str:
    return posixpath.dirname(key)


# --- resources ----------------------------------------------------------------------------

@dataclass
class Resources:
    """Composite graphic units and multimedia files, by ID (PublicRes, DocumentRes, PageRes)."""

    units: dict[str, Any] = field(default_factory=dict)  # ID → CompositeGraphicUnit element
    media: dict[str, str] = field(default_factory=dict)  # ID → package member of the file

    def load(self, pkg: Package, key: str | None) -> None:
        if key is None:
            return
        root = pkg.xml(key)
        base_loc = (root.get("BaseLoc") or "").strip().replace("\\", "/")
        base = base_loc if base_loc.startswith("/") else posixpath.join(dirname(key), base_loc)
        for group in root:
            name = local(group.tag)
            if name == "CompositeGraphicUnits":
                for unit in children(group, "CompositeGraphicUnit"):
                    if unit.get("ID"):
                        self.units.setdefault(unit.get("ID"), unit)
            elif name == "MultiMedias":
                for media in children(group, "MultiMedia"):
                    target = pkg.resolve(child_text(media, "MediaFile"), base, dirname(key))
                    if media.get("ID") and target is not None:
                        self.media.setdefault(media.get("ID"), target)


# --- glyphs ---------------------------------------------------------------------------------

@dataclass
class ImageRef:
    member: str  # the package member holding the image file
    box: tuple[float, float, float, float]  # x0, top, x1, bottom in page points


@dataclass
class PageScan:
    """What a page draws: characters by writing direction (how many were dropped as watermark)
    and images."""

    #: writing direction (0, 90, 180, 270) → characters with their upright box on the page (pt)
    glyphs: dict[int, list[Char]] = field(default_factory=dict)
    images: list[ImageRef] = field(default_factory=list)
    watermark: int = 0

    def merge(self, other: PageScan) -> None:
        for angle, chars in other.glyphs.items():
            self.glyphs.setdefault(angle, []).extend(chars)
        self.images.extend(other.images)
        self.watermark += other.watermark


#: TextCode children in any namespace or none (lxml's wildcard, matched in C).
TEXT_CODE = "{*}TextCode"


@functools.lru_cache(maxsize=4096)
def _linear(a: float, b: float, c: float, d: float) -> tuple[int, float, bool]:
    """Of a transform's linear part (objects drawn alike share one: cached): the writing
    direction, how much it scales the glyphs' height (0 for a degenerate transform), and
    whether it keeps text upright without rotating it."""
    if abs(a * d - b * c) < 1e-12:
        return 0, 0.0, True
    return _direction(a, b), math.hypot(c, d), abs(b) < 1e-9 and abs(c) < 1e-9


def is_wide(ch: str) -> bool:
    return is_cjk(ch) or ord(ch) >= 0x1100 and not 0x2000 <= ord(ch) <= 0x206F


def text_object(el: Any, parent: Matrix, scan: PageScan, annotation: bool = False) -> None:
    """The glyphs of one TextObject, in page points."""
    get = el.get
    try:
        size = float(get("Size") or 0.0)
        hscale = float(get("HScale") or 1.0)
        alpha = float(get("Alpha") or 255.0)
    except ValueError:
        return
    if size <= 0 or hscale <= 0 or get("Visible") == "false":
        return
    m = object_matrix(el)
    if parent != IDENTITY:
        m = compose(parent, m)
    angle, vertical, upright = _linear(m[0], m[1], m[2], m[3])
    if vertical * size * MM_TO_PT < MIN_VISIBLE_SIZE:
        return  # zero-size transform or size: invisible
    codes = list(el.iterchildren(TEXT_CODE))
    if angle < 0 or (annotation and alpha < WATERMARK_ALPHA):
        scan.watermark += sum(len(c.text or "") for c in codes)
        return
    size_pt = size * vertical * MM_TO_PT
    a, b, c, d, e, f = (m[0] * MM_TO_PT, m[1] * MM_TO_PT, m[2] * MM_TO_PT, m[3] * MM_TO_PT,
                        m[4] * MM_TO_PT, m[5] * MM_TO_PT)
    asc, desc = ASCENT * size, DESCENT * size
    wide_w, narrow_w = WIDE_ADVANCE * size * hscale, NARROW_ADVANCE * size * hscale
    glyphs = scan.glyphs.setdefault(angle, [])
    x = y = 0.0
    for code in codes:
        text = code.text or ""
        cget = code.get
        try:
            x = float(cget("X") or x)
            y = float(cget("Y") or y)
        except ValueError:
            continue
        dxs = expand_deltas(cget("DeltaX")) if len(text) > 1 else []
        dys = expand_deltas(cget("DeltaY")) if len(text) > 1 else []
        advance_default = not dxs and not dys  # no deltas at all: advance by the glyph width
        gx, gy = x, y
        width = 0.0
        for i, ch in enumerate(text):
            if i:
                if dxs:
                    gx += dxs[i - 1] if i - 1 < len(dxs) else dxs[-1]
                elif advance_default:
                    gx += width
                if dys:
                    gy += dys[i - 1] if i - 1 < len(dys) else dys[-1]
            width = wide_w if is_wide(ch) else narrow_w
            if ch < " ":
                continue  # control characters (line breaks of a pretty-printed file)
            if upright:
                xa, xb = a * gx + e, a * (gx + width) + e
                ya, yb = d * (gy - asc) + f, d * (gy + desc) + f
                if xa > xb:
                    xa, xb = xb, xa
                if ya > yb:
                    ya, yb = yb, ya
                glyphs.append(Char(ch, xa, xb, ya, yb, size_pt))
            else:
                corners = ((gx, gy - asc), (gx + width, gy - asc), (gx, gy + desc),
                           (gx + width, gy + desc))
                xs = [a * px + c * py + e for px, py in corners]
                ys = [b * px + d * py + f for px, py in corners]
                glyphs.append(Char(ch, min(xs), max(xs), min(ys), max(ys), size_pt))
        x, y = gx, gy


def image_object(el: Any, parent: Matrix, res: Resources, scan: PageScan) -> None:
    member = res.media.get(el.get("ResourceID") or "")
    if el.get("Visible") == "false" or member is None:
        return
    m = compose(parent, object_matrix(el))
    pts = [apply(m, px, py) for px, py in ((0, 0), (1, 0), (0, 1), (1, 1))]  # the unit square
    xs = [p[0] * MM_TO_PT for p in pts]
    ys = [p[1] * MM_TO_PT for p in pts]
    scan.images.append(ImageRef(member, (min(xs), min(ys), max(xs), max(ys))))


def walk(el: Any, m: Matrix, res: Resources, scan: PageScan, depth: int = 0,
         annotation: bool = False, units: frozenset[str] = frozenset()) -> None:
    """Every object under ``el`` (layers, page blocks, composite objects), in page space.
    ``units``: the composite units being drawn (a unit that draws itself is not followed)."""
    if depth > MAX_NESTING:
        return
    for obj in el:
        name = local(obj.tag)
        if name == "TextObject":
            text_object(obj, m, scan, annotation)
        elif name in ("Layer", "PageBlock", "Content"):
            if obj.get("Visible") != "false":
                walk(obj, m, res, scan, depth + 1, annotation, units)
        elif name == "CompositeObject":
            unit_id = obj.get("ResourceID") or ""
            unit = res.units.get(unit_id)
            content = child(unit, "Content") if unit is not None else None
            if content is not None and obj.get("Visible") != "false" and unit_id not in units:
                walk(content, compose(m, object_matrix(obj)), res, scan, depth + 1, annotation,
                     units | {unit_id})
        elif name == "ImageObject":
            image_object(obj, m, res, scan)


# --- the document ---------------------------------------------------------------------------

@dataclass
class PageInfo:
    key: str  # package member of the page's Content.xml
    page_id: str | None
    size_mm: tuple[float, float]


@dataclass
class OfdDocument:
    pkg: Package
    doc_key: str  # Document.xml
    pages: list[PageInfo]
    res: Resources
    annotations: dict[str, list[str]]  # page ID → annotation files
    templates: dict[str, str]  # template page ID → package member of its Content.xml
    title: str | None = None
    creation_date: str | None = None
    #: what each template page draws, read once for all the pages that use it
    template_scans: dict[str, PageScan] = field(default_factory=dict)


def physical_size(el: Any, default: tuple[float, float]) -> tuple[float, float]:
    area = child(el, "Area") if el is not None and local(el.tag) == "Page" else el
    box = numbers(child_text(area, "PhysicalBox")) if area is not None else []
    if len(box) == 4 and box[2] > 0 and box[3] > 0:
        return box[2], box[3]
    return default


def open_package(pkg: Package) -> list[OfdDocument]:
    """OFD.xml → every DocBody's Document.xml, its pages, templates, resources, annotations."""
    entry = pkg.find("OFD.xml")
    if entry is None:
        raise UnreadableFile("OFD 包中没有 OFD.xml")
    if any(posixpath.basename(n) == "encryptions.xml" for n in pkg.names()):
        raise EncryptedFile("OFD 包含加密描述文件 Encryptions.xml")
    root = pkg.xml(entry)
    if any(local(el.tag) in ("Encryptions", "Encryption") for el in root.iter()):
        raise EncryptedFile("OFD.xml 声明了加密")
    docs = []
    for body in children(root, "DocBody"):
        doc_key = pkg.resolve(child_text(body, "DocRoot"))
        if doc_key is None:
            continue
        info = child(body, "DocInfo")
        doc = read_document(pkg, doc_key)
        if info is not None:
            doc.title = child_text(info, "Title")
            doc.creation_date = child_text(info, "CreationDate")
        docs.append(doc)
    if not docs:
        raise UnreadableFile("OFD.xml 没有指向任何文档（DocBody/DocRoot）")
    return docs


def read_document(pkg: Package, doc_key: str) -> OfdDocument:
    root = pkg.xml(doc_key)
    base = dirname(doc_key)
    common = child(root, "CommonData")
    default_size = DEFAULT_PAGE_MM
    res = Resources()
    templates: dict[str, str] = {}
    if common is not None:
        default_size = physical_size(child(common, "PageArea"), DEFAULT_PAGE_MM)
        for el in common:
            name = local(el.tag)
            if name in ("PublicRes", "DocumentRes"):
                res.load(pkg, pkg.resolve(el.text, base))
            elif name == "TemplatePage" and el.get("ID"):
                target = pkg.resolve(el.get("BaseLoc"), base)
                if target is not None:
                    templates[el.get("ID")] = target
    pages: list[PageInfo] = []
    pages_el = child(root, "Pages")
    for page in children(pages_el, "Page") if pages_el is not None else ():
        key = pkg.resolve(page.get("BaseLoc"), base)
        if key is None:
            raise UnreadableFile(f"OFD 页面文件缺失：{page.get('BaseLoc')}")
        pages.append(PageInfo(key, page.get("ID"), default_size))
        if len(pages) > MAX_PAGES:
            raise TooLarge(f"OFD 超过 {MAX_PAGES} 页")
    annotations: dict[str, list[str]] = {}
    annots_key = pkg.resolve(child_text(root, "Annotations"), base)
    if annots_key is not None:
        for page in children(pkg.xml(annots_key), "Page"):
            target = pkg.resolve(child_text(page, "FileLoc"), dirname(annots_key), base)
            if target is not None and page.get("PageID"):
                annotations.setdefault(page.get("PageID"), []).append(target)
    return OfdDocument(pkg, doc_key, pages, res, annotations, templates)


def page_scan(doc: OfdDocument, page: PageInfo) -> PageScan:
    """Everything a page draws: its templates, its content, its visible annotations."""
    pkg = doc.pkg
    root = pkg.xml(page.key)
    page.size_mm = physical_size(root, page.size_mm)
    res = doc.res
    page_res = [pkg.resolve(el.text, dirname(page.key), dirname(doc.doc_key))
                for el in children(root, "PageRes")]
    if any(page_res):
        res = Resources(dict(doc.res.units), dict(doc.res.media))
        for key in page_res:
            res.load(pkg, key)
    scan = PageScan()
    for tpl in children(root, "Template"):
        key = doc.templates.get(tpl.get("TemplateID") or "")
        if key is None:
            continue
        if key not in doc.template_scans:
            doc.template_scans[key] = tpl_scan = PageScan()
            content = child(pkg.xml(key), "Content")
            if content is not None:
                walk(content, IDENTITY, doc.res, tpl_scan)
        scan.merge(doc.template_scans[key])
    content = child(root, "Content")
    if content is not None:
        walk(content, IDENTITY, res, scan)
    for key in doc.annotations.get(page.page_id or "", []):
        annotation_text(pkg.xml(key), res, scan)
    return scan


def annotation_text(root: Any, res: Resources, scan: PageScan) -> None:
    """Text of the visible annotations of a page; watermark annotations are furniture."""
    for annot in children(root, "Annot"):
        if annot.get("Visible") == "false":
            continue
        if (annot.get("Type") or "").lower() == "watermark":
            scan.watermark += sum(len(tc.text or "") for tc in annot.iter()
                                  if local(tc.tag) == "TextCode")
            continue
        for appearance in children(annot, "Appearance"):
            walk(appearance, object_matrix(appearance), res, scan, annotation=True)


# --- glyphs → characters in reading frames -------------------------------------------------------

Box = tuple[float, float, float, float]  # x0, x1, top, bottom


def to_frame(box: Box, angle: int, width: float, height: float) -> Box:
    """A page box seen in the frame of text running at ``angle``: that text reads left to
    right, top to bottom, inside a page of the frame's width and height."""
    x0, x1, top, bottom = box
    if angle == 90:
        return top, bottom, width - x1, width - x0
    if angle == 180:
        return width - x1, width - x0, height - bottom, height - top
    if angle == 270:
        return height - bottom, height - top, x0, x1
    return box


def from_frame(box: Box, angle: int, width: float, height: float) -> Box:
    """The inverse of :func:`to_frame`: a frame box back on the page (x0, x1, top, bottom)."""
    x0, x1, top, bottom = box
    if angle == 90:
        return width - bottom, width - top, x0, x1
    if angle == 180:
        return width - x1, width - x0, height - bottom, height - top
    if angle == 270:
        return top, bottom, height - x1, height - x0
    return box


def frame_height(angle: int, width: float, height: float) -> float:
    return width if angle in (90, 270) else height


def _chars(chars: Sequence[Char], angle: int, width: float, height: float) -> list[Char]:
    """Characters with page boxes, seen in the frame of text running at ``angle``."""
    if angle == 0:
        return list(chars)
    out = []
    for ch in chars:
        x0, x1, top, bottom = to_frame((ch.x0, ch.x1, ch.top, ch.bottom), angle, width, height)
        out.append(Char(ch.text, x0, x1, top, bottom, ch.size))
    return out


@dataclass
class FramedText:
    """A page's characters in its main reading frame, plus lines running other ways."""

    angle: int
    chars: list[Char]
    other_lines: list[Line]  # in the main frame's coordinates


def glyphs_to_chars(by_angle: dict[int, list[Char]], page: int, width: float,
                    height: float) -> FramedText:
    """The main frame is the direction most text runs in; loose rotated glyphs (one-character
    objects set side by side) join the upright text; other directions become lines."""
    by_angle = {angle: list(chars) for angle, chars in by_angle.items() if angle >= 0}
    upright = by_angle.setdefault(0, [])
    rotated_lines: dict[int, list[Line]] = {}
    for angle in (90, 180, 270):
        group = by_angle.get(angle)
        if not group:
            continue
        framed = _chars(group, angle, width, height)
        lines = chars_to_lines(_unique(framed), page)
        kept = [ln for ln in lines if sum(1 for ch in ln.text if not ch.isspace()) > 1]
        single = [i for i, ch in enumerate(framed) if _in_single_line(ch, kept)]
        if single:
            upright.extend(group[i] for i in single)
            moved = set(single)
            by_angle[angle] = [ch for i, ch in enumerate(group) if i not in moved]
        rotated_lines[angle] = kept

    def weight(angle: int) -> int:
        return sum(1 for ch in by_angle.get(angle, []) if not ch.text.isspace())

    main = max((0, 90, 180, 270), key=lambda a: (weight(a), a == 0))
    chars = _chars(by_angle[main], main, width, height)
    other: list[Line] = []
    for angle in (0, 90, 180, 270):
        if angle == main:
            continue
        if angle == 0:
            lines = chars_to_lines(_unique(upright), page) if upright else []
        else:
            lines = rotated_lines.get(angle, [])
        for line in lines:
            page_box = from_frame((line.x0, line.x1, line.top, line.bottom), angle, width, height)
            x0, x1, top, bottom = to_frame(page_box, main, width, height)
            other.append(Line(line.text, x0, x1, top, bottom, line.size, page))
    return FramedText(main, _unique(chars), other)


def _in_single_line(ch: Char, kept: Sequence[Line]) -> bool:
    """A character (in its frame) that is not part of any multi-character line there."""
    if ch.text.isspace():
        return False
    center = (ch.top + ch.bottom) / 2
    for line in kept:
        if line.top - 0.01 <= center <= line.bottom + 0.01 and line.x0 - 0.01 <= ch.x0 \
                and ch.x1 <= line.x1 + 0.01:
            return False
    return True


def _unique(chars: Sequence[Char]) -> list[Char]:
    """Fake bold dropped: the same glyph drawn again at (nearly) the same place. Sorting by
    glyph, then position, puts a copy next to its original however far apart the two are in
    the file (a whole line drawn twice), so dedupe_overprint's window finds it."""
    return dedupe_overprint(sorted(chars, key=lambda c: (c.text, round(c.top / OVERPRINT_BUCKET), c.x0)))


def page_is_garbled(chars: Sequence[Char]) -> bool:
    """Text that is mostly private-use code points (glyph ids without Unicode)."""
    visible = [c for c in chars if not c.text.isspace()]
    if len(visible) < MIN_PAGE_CHARS:
        return False  # too little to judge (a page number): read as it is
    if chars_look_garbled(visible):
        return True
    wide = [c for c in visible if ord(c.text) > 0x7F]  # where Chinese text would be
    bad = sum(1 for c in wide if is_unreadable(c.text))
    return len(wide) >= MIN_PAGE_CHARS and bad / len(wide) > GARBLED_SHARE


def drop_bottom_page_numbers(lines: Sequence[Line], height: float) -> list[Line]:
    """Page numbers below everything else on the page, within its bottom FURNITURE_MAX_SHARE.
    GB/T 9704 sets ``— 2 —`` 7 mm under the text block, inside the 35 mm bottom margin: above
    layout.py's furniture band, and at the left margin on even pages, where it would join the
    版记 line above it into one paragraph."""
    kept = sorted(lines, key=lambda ln: (ln.top, ln.x0))
    while kept and kept[-1].top > height * (1 - FURNITURE_MAX_SHARE) \
            and PAGE_NUMBER.match(kept[-1].text):
        kept.pop()
    return kept


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
                raise TooLarge("OFD 中的图片像素过多")
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise TooLarge("OFD 中的图片像素过多，疑似异常文件") from exc
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

