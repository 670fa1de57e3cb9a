"""Page layout shared by every reader of positioned text (PDF text layer, OCR, OFD).

Characters with boxes → visual lines → page furniture removed → paragraphs,
as pure ``x_to_y`` functions on :class:`Char` and :class:`Line`:

- ``dedupe_overprint``: a glyph drawn again on top of itself (fake bold) dropped;
- ``chars_look_garbled``: too many private-use/replacement characters (a font
  without a Unicode map): the caller reads the page another way;
- ``chars_to_lines``: characters grouped into lines, no spaces between CJK;
- ``remove_furniture``: running headers/footers and page numbers in the top
  and bottom bands;
- ``measure_layout`` + ``lines_to_paragraphs``: lines rejoined by layout
  (first-line indent, a line ending short of the right margin, vertical gaps,
  font size). A paragraph cut by a page end stays cut (the normalizer joins
  those by text).

Coordinates are PDF points, ``top``/``bottom`` measured from the top of the page.
"""

from __future__ import annotations

import operator
import re
import statistics
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass

from extract.document import PARAGRAPH, Block

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


@dataclass(slots=True)
class Char:
    """One glyph and its box. Slotted and not frozen: a page makes one per character
    (~700 on a 16 pt page, ~9,000 a bulletin) and a frozen dataclass's __init__ costs
    ~0.7 µs more each (object.__setattr__ per field). Treated as immutable all the same."""

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


def dedupe_overprint(chars: Sequence[Char]) -> list[Char]:
    """Drop a glyph printed again on top of itself (fake bold, shadow text)."""
    kept: list[Char] = []
    window: deque[str] = deque(maxlen=OVERPRINT_WINDOW)  # texts of the last kept characters
    for ch in chars:
        text = ch.text
        if text.isspace() or text not in window:  # no copy of anything in the window
            kept.append(ch)
            window.append(text)
            continue
        size, x0, top = ch.size, ch.x0, ch.top
        tol = (1.0 if 1.0 > size else size) * OVERPRINT_TOLERANCE  # max(size, 1.0), inlined
        for prev in kept[-OVERPRINT_WINDOW:]:  # abs(d) < tol, inlined as -tol < d < tol
            if prev.text == text and -tol < prev.x0 - x0 < tol and -tol < prev.top - top < tol:
                break
        else:
            kept.append(ch)
            window.append(text)
    return kept


#: Characters ``is_unreadable`` is true of, as a regex class (to count them in C).
UNREADABLE = re.compile("[\x00-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd\U000f0000-\U0010ffff]")
#: Latin-1 supplement and Latin Extended-A/B: mojibake of a wrong Unicode map.
LATIN_EXTENDED = re.compile("[\xa0-\u024f]")
#: Share of Latin-1/extended characters above which the page counts as garbled.
LATIN_EXTENDED_SHARE = 0.3


def chars_look_garbled(chars: Sequence[Char]) -> bool:
    """True if too many characters are unreadable (no Unicode map, private use)."""
    return text_looks_garbled(visible_text(chars))


def visible_text(chars: Sequence[Char]) -> str:
    """The characters that are not spaces, as one string (to count kinds of them in C)."""
    return "".join([c.text for c in chars if not c.text.isspace()])


def text_looks_garbled(visible: str) -> bool:
    """:func:`chars_look_garbled` of the characters that are not spaces."""
    if len(visible) < MIN_PAGE_CHARS:
        return True
    bad = len(UNREADABLE.findall(visible))
    latin_ext = len(LATIN_EXTENDED.findall(visible))
    return bad / len(visible) > GARBLED_SHARE or latin_ext / len(visible) > LATIN_EXTENDED_SHARE


def chars_to_text(chars: Sequence[Char]) -> str:
    """Characters of one line, left to right: spaces only where they separate non-CJK text."""
    out: list[str] = []
    prev: Char | None = None
    pending_space = False
    for ch in chars:
        text = ch.text
        if text.isspace():
            pending_space = prev is not None
            continue
        if prev is not None:
            size = prev.size if prev.size > ch.size else ch.size  # max(ch.size, prev.size, 1.0)
            wide = ch.x0 - prev.x1 > WORD_GAP * (1.0 if 1.0 > size else size)
            if (pending_space or wide) and not (is_cjk(prev.text) and is_cjk(text)):
                out.append(" ")
        out.append(text)
        prev = ch
        pending_space = False
    return "".join(out)


_X0 = operator.attrgetter("x0")


def chars_to_lines(chars: Sequence[Char], page: int) -> list[Line]:
    """Group characters into visual lines, top to bottom, each read left to right."""
    groups: list[list[Char]] = []
    center_sum = 0.0  # running mean of the visible characters' centres on the current line
    center_n = 0
    keyed = [((c.top + c.bottom) / 2, c.x0, i) for i, c in enumerate(chars)]
    keyed.sort()  # top to bottom, then left to right; ties keep the reading order
    for center, _x0, i in keyed:
        ch = chars[i]
        space = ch.text.isspace()
        if space and not groups:
            continue
        line_center = center_sum / center_n if center_n else center
        size = ch.size
        if groups and abs(center - line_center) < SAME_LINE * (1.0 if 1.0 > size else size):
            groups[-1].append(ch)
            if not space:
                center_sum += center
                center_n += 1
        else:
            groups.append([ch])
            center_sum, center_n = (0.0, 0) if space else (center, 1)
    lines: list[Line] = []
    for group in groups:
        group.sort(key=_X0)
        visible = [c for c in group if not c.text.isspace()]
        if not visible:
            continue
        text = chars_to_text(group).strip()
        if not text:
            continue
        sizes = {c.size for c in visible}
        size = round(sizes.pop(), 1) if len(sizes) == 1 else \
            Counter(round(c.size, 1) for c in visible).most_common(1)[0][0]
        lines.append(Line(text, visible[0].x0, visible[-1].x1, min([c.top for c in visible]),
                          max([c.bottom for c in visible]), size, page))
    return lines


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
