"""Full-width and half-width forms, solved once.

Bulletins mix ``（一）`` and ``(一)``, ``：`` and ``:``, ``１`` and ``1`` in one
file. Matching runs on a width-folded twin of the text (same length, so a
match's offsets are offsets in the original), built by :func:`fold_width`.
``。、“”`` have no half-width twin and stay as written.
"""

from __future__ import annotations

import unicodedata

import regex

#: Full-width ASCII block FF01–FF5E maps onto 0021–007E; U+3000 is the ideographic space.
WIDTH_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
#: The characters WIDTH_FOLD changes, found by one C-level scan.
_FULL_WIDTH = regex.compile("[\uff01-\uff5e\u3000]")
#: Each full-width character → its half-width twin.
HALF_OF = {chr(cp): chr(half) for cp, half in WIDTH_FOLD.items()}


def fold_width(text: str) -> str:
    """Full-width ASCII forms → half-width, one character for one character.

    ``str.translate`` with a dict looks up every character (~170 ns each, for the
    whole text of every document): replacing only the few distinct full-width
    characters present is ~6× faster.
    """
    for ch in set(_FULL_WIDTH.findall(text)):
        text = text.replace(ch, HALF_OF[ch])
    return text


def display_width(text: str) -> int:
    """Width of text on screen or in a spreadsheet: wide (CJK, full-width) characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)
