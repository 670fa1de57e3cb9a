"""fold_width: one character for one, the same by scan (short texts) and by array (long)."""

from __future__ import annotations

import random

from extract.width import ARRAY_FOLD_MIN_CHARS, HALF_OF, _fold_array, fold_width

#: Full-width forms and their neighbours, the ideographic space, CJK, astral and lone
#: surrogate code points (a bad decode can leave one).
CHARS = [chr(c) for c in [*range(0xFF00, 0xFF62), 0x3000, 0x3001, 0x20, 0x41, 0x4E00, 0xD800,
                          0xDFFF, 0x1F600, 0x10FFFF, 0]]


def test_fold_width_by_scan_and_by_array_agree():
    rng = random.Random(15)
    for _ in range(300):
        n = rng.choice([0, 1, 40, ARRAY_FOLD_MIN_CHARS - 1, ARRAY_FOLD_MIN_CHARS, 3000])
        text = "".join(rng.choice(CHARS) for _ in range(n))
        expected = "".join(HALF_OF.get(c, c) for c in text)
        assert fold_width(text) == expected
        assert _fold_array(text) == expected


def test_fold_width_examples():
    assert fold_width("（一）整改情况：１２３　ＡＢ") == "(一)整改情况:123 AB"
    assert fold_width("（一）" * ARRAY_FOLD_MIN_CHARS) == "(一)" * ARRAY_FOLD_MIN_CHARS
