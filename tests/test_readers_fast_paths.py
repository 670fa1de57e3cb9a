"""The fast paths of the positioned-text readers give what the plain code they replaced gave.

``page_to_chars`` calls pdfium without ctypes' argument conversion and asks whether a
character is generated only for whitespace; ``chars_look_garbled`` and the OFD reader's
``page_is_garbled`` count with regexes; the OFD reader's ``_unique`` sorts by index;
``dedupe_overprint``, ``chars_to_text`` and ``chars_to_lines`` inline ``max`` and skip work
that cannot change the result. Each is checked here against the straightforward version
(kept in this file) on the sample PDFs and on made-up characters.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from extract.readers.layout import (
    GARBLED_SHARE,
    MIN_PAGE_CHARS,
    OVERPRINT_TOLERANCE,
    OVERPRINT_WINDOW,
    SAME_LINE,
    UNREADABLE,
    WORD_GAP,
    Char,
    Line,
    chars_look_garbled,
    chars_to_lines,
    chars_to_text,
    dedupe_overprint,
    is_cjk,
    is_unreadable,
)
from extract.readers.ofd_page import OVERPRINT_BUCKET, _unique, page_is_garbled
from extract.readers.pdf import count_path_objects, page_to_chars

FORMATS = Path(__file__).resolve().parents[1] / "samples" / "formats"
TEXT_PDFS = ("seed.pdf", "short_bulletin.pdf", "table_bulletin.pdf", "short_bulletin_nounicode.pdf",
             "seed_scan.pdf")


# --- the plain versions ------------------------------------------------------------------

def plain_page_to_chars(page: Any, height: float) -> list[Char]:
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        chars: list[Char] = []
        handle = textpage.raw
        for i in range(textpage.count_chars()):
            code = raw.FPDFText_GetUnicode(handle, i)
            if code in (0x0D, 0x0A) or raw.FPDFText_IsGenerated(handle, i):
                continue
            try:
                left, bottom, right, top = textpage.get_charbox(i, loose=True)
            except Exception:  # noqa: BLE001
                continue
            size = raw.FPDFText_GetFontSize(handle, i) or (top - bottom)
            chars.append(Char(chr(code) if code else "\ufffd", left, right, height - top,
                              height - bottom, size))
        return chars
    finally:
        textpage.close()


def plain_count_path_objects(page: Any, stop_at: int) -> int:
    import pypdfium2.raw as raw

    found = 0
    for i in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = raw.FPDFPage_GetObject(page.raw, i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            found += 1
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            found += sum(1 for k in range(raw.FPDFFormObj_CountObjects(obj))
                         if raw.FPDFPageObj_GetType(raw.FPDFFormObj_GetObject(obj, k))
                         == raw.FPDF_PAGEOBJ_PATH)
    return min(found, stop_at)


def plain_dedupe(chars: Sequence[Char]) -> list[Char]:
    kept: list[Char] = []
    for ch in chars:
        if ch.text.isspace():
            kept.append(ch)
            continue
        tol = max(ch.size, 1.0) * OVERPRINT_TOLERANCE
        if not any(p.text == ch.text and abs(p.x0 - ch.x0) < tol and abs(p.top - ch.top) < tol
                   for p in kept[-OVERPRINT_WINDOW:]):
            kept.append(ch)
    return kept


def plain_garbled(chars: Sequence[Char]) -> bool:
    visible = [c for c in chars if not c.text.isspace()]
    if len(visible) < MIN_PAGE_CHARS:
        return True
    bad = sum(1 for c in visible if is_unreadable(c.text))
    latin_ext = sum(1 for c in visible if 0xA0 <= ord(c.text) <= 0x24F)
    return bad / len(visible) > GARBLED_SHARE or latin_ext / len(visible) > 0.3


def plain_page_is_garbled(chars: Sequence[Char]) -> bool:
    visible = [c for c in chars if not c.text.isspace()]
    if len(visible) < MIN_PAGE_CHARS:
        return False
    if plain_garbled(visible):
        return True
    wide = [c for c in visible if ord(c.text) > 0x7F]
    bad = sum(1 for c in wide if is_unreadable(c.text))
    return len(wide) >= MIN_PAGE_CHARS and bad / len(wide) > GARBLED_SHARE


def plain_text(chars: Sequence[Char]) -> str:
    out: list[str] = []
    prev: Char | None = None
    pending_space = False
    for ch in chars:
        if ch.text.isspace():
            pending_space = prev is not None
            continue
        if prev is not None:
            wide = ch.x0 - prev.x1 > WORD_GAP * max(ch.size, prev.size, 1.0)
            if (pending_space or wide) and not (is_cjk(prev.text) and is_cjk(ch.text)):
                out.append(" ")
        out.append(ch.text)
        prev = ch
        pending_space = False
    return "".join(out)


def plain_lines(chars: Sequence[Char], page: int) -> list[Line]:
    keyed = sorted((((c.top + c.bottom) / 2, c.x0, i, c) for i, c in enumerate(chars)))
    groups: list[list[Char]] = []
    center_sum, center_n = 0.0, 0
    for center, _x0, _i, ch in keyed:
        space = ch.text.isspace()
        if space and not groups:
            continue
        line_center = center_sum / center_n if center_n else center
        if groups and abs(center - line_center) < SAME_LINE * max(ch.size, 1.0):
            groups[-1].append(ch)
            if not space:
                center_sum += center
                center_n += 1
        else:
            groups.append([ch])
            center_sum, center_n = (0.0, 0) if space else (center, 1)
    lines = []
    for group in groups:
        group.sort(key=lambda c: c.x0)
        visible = [c for c in group if not c.text.isspace()]
        text = plain_text(group).strip()
        if not visible or not text:
            continue
        size = Counter(round(c.size, 1) for c in visible).most_common(1)[0][0]
        lines.append(Line(text, visible[0].x0, visible[-1].x1, min(c.top for c in visible),
                          max(c.bottom for c in visible), size, page))
    return lines


# --- checks --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", TEXT_PDFS)
def test_page_to_chars_and_path_count_match_the_plain_calls(name: str) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(FORMATS / name)
    try:
        for index in range(len(doc)):
            page = doc[index]
            height = page.get_height()
            fast = page_to_chars(page, height)
            assert fast == plain_page_to_chars(page, height)
            assert count_path_objects(page, 10**6) == plain_count_path_objects(page, 10**6)
            page.close()
    finally:
        doc.close()


def test_unreadable_class_is_is_unreadable() -> None:
    for code in range(0x110000):
        ch = chr(code)
        assert (UNREADABLE.fullmatch(ch) is not None) == is_unreadable(ch), hex(code)


def _random_chars(rng: random.Random, n: int) -> list[Char]:
    """Characters on a few lines, overprinted, spaced, sized and ordered at random."""
    alphabet = "整改情况中国AB12 ab\ue000\ufffd\x01é，。 "
    out = []
    for _ in range(n):
        line = rng.randrange(6)
        x = rng.uniform(0, 400)
        size = rng.choice([0.5, 1.0, 10.5, 16.0, 16.04, 22.0])
        top = 60 + line * 28 + rng.choice([0.0, 0.3, 4.0, 9.0])
        out.append(Char(rng.choice(alphabet), x, x + rng.uniform(0, 20), top, top + size, size))
        if rng.random() < 0.2:  # fake bold: the same glyph again, a hair away
            prev = out[-1]
            out.append(Char(prev.text, prev.x0 + rng.uniform(0, 6), prev.x1, prev.top
                            + rng.uniform(0, 6), prev.bottom, prev.size))
    return out


@pytest.mark.parametrize("seed", range(40))
def test_layout_matches_the_plain_versions(seed: int) -> None:
    rng = random.Random(seed)
    chars = _random_chars(rng, rng.choice([3, 30, 300]))
    assert dedupe_overprint(chars) == plain_dedupe(chars)
    assert chars_look_garbled(chars) == plain_garbled(chars)
    assert chars_to_text(sorted(chars, key=lambda c: c.x0)) == plain_text(sorted(chars, key=lambda c: c.x0))
    assert chars_to_lines(chars, 1) == plain_lines(chars, 1)
    assert page_is_garbled(chars) == plain_page_is_garbled(chars)
    assert _unique(chars) == plain_dedupe(sorted(
        chars, key=lambda c: (c.text, round(c.top / OVERPRINT_BUCKET), c.x0)))
