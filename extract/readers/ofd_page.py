"""One OFD page's content: the glyphs and images it draws, in page points, and its characters
seen in the reading frame most of its text runs in.

* :func:`page_scan` walks the page's templates (any ZOrder), its ``Content`` layers,
  nested ``PageBlock``s and ``CompositeObject``s (whose content lives in
  ``CompositeGraphicUnit`` resources) and its visible annotations. Each
  ``TextObject`` becomes glyphs: ``TextCode`` ``X``/``Y`` plus ``DeltaX``/``DeltaY``
  (``g N V`` runs expanded), through the object's ``Boundary`` origin and ``CTM``
  (:func:`object_matrix`, :func:`compose`), sized by ``Size`` and ``HScale``, in
  points so :mod:`extract.readers.layout`'s thresholds keep their meaning. Invisible
  text, diagonal text and watermark annotations are dropped (counted as watermark).
* :func:`glyphs_to_chars` puts the page in its main reading frame (:func:`to_frame`,
  :func:`from_frame`); :func:`page_is_garbled` and :func:`drop_bottom_page_numbers`
  judge and tidy the result.

The package and its page list are :mod:`extract.readers.ofd_package`.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .layout import (
    FURNITURE_MAX_SHARE,
    GARBLED_SHARE,
    MIN_PAGE_CHARS,
    PAGE_NUMBER,
    UNREADABLE,
    Char,
    Line,
    chars_to_lines,
    dedupe_overprint,
    is_cjk,
    text_looks_garbled,
    visible_text,
)
from .ofd_package import (
    OfdDocument,
    PageInfo,
    Resources,
    child,
    children,
    dirname,
    local,
    numbers,
    physical_size,
)

#: OFD coordinates are millimetres; layout.py works in PDF points (72 per inch).
MM_TO_PT = 72.0 / 25.4
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
#: Height (points) of the rows fake-bold copies are sorted into before comparing neighbours:
#: wider than an overprint offset, narrower than a line pitch.
OVERPRINT_BUCKET = 4.0
#: ``g N V`` in DeltaX/DeltaY: N times the value V (GB/T 33190 §11.3, compressed form).
DELTA_TOKEN = re.compile(r"g\s+(\d+)\s+(\S+)|(\S+)")

Matrix = tuple[float, float, float, float, float, float]  # a b c d e f: (x, y) → (ax+cy+e, bx+dy+f)
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


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


def boundary_origin(box: str | None) -> tuple[float, float]:
    """The origin (x, y) of a Boundary attribute; (0, 0) when absent or malformed."""
    if box:
        parts = box.split()
        try:
            return float(parts[0]), float(parts[1])
        except (ValueError, IndexError):
            pass
    return 0.0, 0.0


def object_matrix(el: Any) -> Matrix:
    """Object space → parent space: the CTM, then the Boundary's origin (GB/T 33190 §8.2)."""
    get = el.get
    bx, by = boundary_origin(get("Boundary"))
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


class TextStyle(NamedTuple):
    """What a TextObject's Size, HScale, Alpha and CTM, drawn through its parent's transform,
    make of its glyphs — all but where they stand. Objects drawn alike share one (a file of
    one object per character has thousands of objects and a handful of styles), so
    :func:`walk` works it out once per container (:func:`text_style`). A tuple, so
    :func:`text_object` unpacks it in one step."""

    alpha: float
    ctm: Matrix | None  # the object's CTM attribute, None without one
    composed: bool  # drawn through a parent transform other than the identity
    angle: int  # writing direction, as _linear
    hidden: bool  # zero-size transform or size: invisible
    upright: bool
    size_pt: float
    linear: tuple[float, float, float, float]  # a b c d of object space → page points
    extents: tuple[float, float, float, float]  # ascent, descent, wide and narrow advance


def text_style(size_s: str | None, hscale_s: str | None, alpha_s: str | None,
               ctm_s: str | None, parent: Matrix) -> TextStyle | None:
    """The style of a TextObject with these attribute values (None: nothing drawn — a
    malformed number, or no size or width)."""
    try:
        size = float(size_s or 0.0)
        hscale = float(hscale_s or 1.0)
        alpha = float(alpha_s or 255.0)
    except ValueError:
        return None
    if size <= 0 or hscale <= 0:
        return None
    ctm = _ctm(ctm_s) if ctm_s else None
    m: Matrix = (ctm[0], ctm[1], ctm[2], ctm[3], 0.0, 0.0) if ctm else IDENTITY
    composed = parent != IDENTITY
    if composed:
        m = compose(parent, m)  # the linear part does not depend on the translation
    angle, vertical, upright = _linear(m[0], m[1], m[2], m[3])
    return TextStyle(alpha, ctm, composed, angle,
                     vertical * size * MM_TO_PT < MIN_VISIBLE_SIZE, upright,
                     size * vertical * MM_TO_PT,
                     (m[0] * MM_TO_PT, m[1] * MM_TO_PT, m[2] * MM_TO_PT, m[3] * MM_TO_PT),
                     (ASCENT * size, DESCENT * size, WIDE_ADVANCE * size * hscale,
                      NARROW_ADVANCE * size * hscale))


_UNSEEN: Any = object()  # a style not worked out yet (None: the object draws nothing)
#: Bounds of the CJK Unified Ideographs block (most glyphs of a bulletin): wide, no test needed.
CJK_FIRST, CJK_LAST = "\u4e00", "\u9fff"


def text_object(el: Any, parent: Matrix, scan: PageScan, annotation: bool = False,
                styles: dict[tuple[str | None, ...], TextStyle | None] | None = None) -> None:
    """The glyphs of one TextObject, in page points. ``styles``: the styles already worked
    out for objects under the same parent (by Size, HScale, Alpha and CTM)."""
    get = el.get
    key = (get("Size"), get("HScale"), get("Alpha"), get("CTM"))
    if styles is None:
        styles = {}
    style = styles.get(key, _UNSEEN)
    if style is _UNSEEN:
        style = styles[key] = text_style(*key, parent)
    if style is None or get("Visible") == "false":
        return
    alpha, ctm, composed, angle, hidden, upright, size_pt, (a, b, c, d), extents = style
    if hidden:
        return
    if angle < 0 or (annotation and alpha < WATERMARK_ALPHA):
        scan.watermark += sum(len(c.text or "") for c in el if local(c.tag) == "TextCode")
        return
    # the origin: the Boundary's through the CTM's translation, then the parent transform
    # (the arithmetic of compose(parent, object_matrix(el)))
    e, f = boundary_origin(get("Boundary"))
    if ctm:
        e, f = ctm[4] + e, ctm[5] + f
    if composed:
        A, B, C, D, E, F = parent
        e, f = A * e + C * f + E, B * e + D * f + F
    e, f = e * MM_TO_PT, f * MM_TO_PT
    asc, desc, wide_w, narrow_w = extents
    glyphs = scan.glyphs.setdefault(angle, [])
    x = y = 0.0
    for code in el:
        if local(code.tag) != "TextCode":
            continue
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
            width = wide_w if CJK_FIRST <= ch <= CJK_LAST or is_wide(ch) else narrow_w
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
    styles: dict[tuple[str | None, ...], TextStyle | None] = {}
    for obj in el:
        name = local(obj.tag)
        if name == "TextObject":
            text_object(obj, m, scan, annotation, styles)
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


# --- the page ------------------------------------------------------------------------------

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

    rotated = any(by_angle.get(angle) for angle in (90, 180, 270))
    main = max((0, 90, 180, 270), key=lambda a: (weight(a), a == 0)) if rotated else 0
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
    keys = [(c.text, round(c.top / OVERPRINT_BUCKET), c.x0) for c in chars]
    return dedupe_overprint([chars[i] for i in sorted(range(len(keys)), key=keys.__getitem__)])


#: ASCII characters (what is left without them is where Chinese text would be).
ASCII = re.compile("[\\x00-\\x7f]+")


def page_is_garbled(chars: Sequence[Char]) -> bool:
    """Text that is mostly private-use code points (glyph ids without Unicode)."""
    visible = visible_text(chars)
    if len(visible) < MIN_PAGE_CHARS:
        return False  # too little to judge (a page number): read as it is
    if text_looks_garbled(visible):
        return True
    wide = ASCII.sub("", visible)  # where Chinese text would be
    bad = len(UNREADABLE.findall(wide))
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
