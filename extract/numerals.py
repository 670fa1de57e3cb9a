"""Chinese numerals: 七 → 7, 二十四 → 24, 一百零五 → 105, 两 → 2, 〇/零.

Solved once here; every pattern that reads a count calls :func:`to_int`.
"""

from __future__ import annotations

from functools import lru_cache

DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000}
#: Characters a Chinese numeral is written with (for building patterns).
CN_NUMERAL_CHARS = "零〇○一二两三四五六七八九十百千万"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
ORDINAL_CHARS = "一二三四五六七八九十"  # used in 一是/二是 and （一）


def cn_to_int(text: str) -> int | None:
    """Value of a Chinese numeral, or None if ``text`` is not one."""
    if not text or any(c not in DIGITS and c not in UNITS and c not in BIG_UNITS for c in text):
        return None
    if all(c in DIGITS for c in text) and len(text) > 1:  # 二〇二四 digit by digit
        return int("".join(str(DIGITS[c]) for c in text))
    total = section = 0
    number = None
    for c in text:
        if c in DIGITS:
            number = DIGITS[c]
        elif c in UNITS:
            section += (1 if number is None else number) * UNITS[c]
            number = None
        else:  # 万
            section += number or 0
            total += (section or 1) * BIG_UNITS[c]
            section, number = 0, None
    return total + section + (number or 0)


#: Entries kept by the per-process memos of pure readings of short texts (numbers here,
#: status phrases in segment.py, deadlines in items.py): they repeat across documents.
MEMO_SIZE = 4096


@lru_cache(maxsize=MEMO_SIZE)  # the same few numbers (1, 二, （3）…) come back ~80 times a document
def to_int(text: str) -> int | None:
    """Arabic (half- or full-width), Chinese or circled numeral → int; None if not a number."""
    text = text.strip()
    if not text:
        return None
    if text in CIRCLED:
        return CIRCLED.index(text) + 1
    folded = text.translate(FULLWIDTH_DIGITS)
    if folded.isdigit():
        return int(folded)
    return cn_to_int(text)


def int_to_cn(n: int) -> str:
    """7 → 七, 24 → 二十四 (for the small ordinals used in headings, 1..99)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
