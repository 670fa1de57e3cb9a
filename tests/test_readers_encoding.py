"""A few bad bytes do not cost a file (issue 12, item 6): a UTF-8 or GB18030 text with one
invalid byte, cut mid-character, or holding a NUL, is read with those bytes replaced (or the
NUL removed), gives the fields of the clean file, and says so in an ``encoding_repaired``
finding with the exact count. Random bytes still fail. Every input is built here."""

from __future__ import annotations

import random
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from extract.errors import ReadError
from extract.pipeline import parse_file
from extract.readers.detect import detect_format
from extract.readers.txt import decode, decode_repaired
from extract.records import ParsedDocument

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
#: A bulletin that ends in a sentence (a cut in its last character loses no field).
BULLETIN = SAMPLES / "005_city_hospital.txt"
PAGE = SAMPLES / "formats" / "seed_utf8.html"


def _fields(parsed: ParsedDocument) -> dict[str, Any]:
    fields = asdict(parsed.document)
    for key in ("doc_id", "source_path"):
        fields.pop(key)
    return fields


def _repaired(parsed: ParsedDocument) -> list[str | None]:
    return [c.found for c in parsed.checks if c.check == "encoding_repaired"]


def _at(data: bytes, word: str, encoding: str = "utf-8", nth: int = 0) -> int:
    """The offset of the ``nth`` ``word`` past the middle of ``data``: a character boundary."""
    at = len(data) // 2
    for _ in range(nth + 1):
        at = data.index(word.encode(encoding), at + 1)
    return at


def _insert(data: bytes, offsets: list[int], byte: bytes) -> bytes:
    for at in sorted(offsets, reverse=True):
        data = data[:at] + byte + data[at:]
    return data


def _damaged(clean: bytes, encoding: str) -> dict[str, tuple[bytes, int]]:
    """Damaged copies of ``clean`` whose text (what can still be read) is the clean text,
    with the count of bytes left out. A bulletin saved with trailing full-width spaces (web
    copies often are) and cut in the last one loses nothing but that space."""
    at = _at(clean, "整改", encoding)
    spaced = clean.rstrip(b"\r\n") + "\u3000\u3000\n".encode(encoding)
    return {
        "invalid byte": (_insert(clean, [at], b"\xff"), 1),
        "cut mid-character": (spaced.rstrip(b"\n")[:-1], 2 if encoding == "utf-8" else 1),
        "NUL byte": (_insert(clean, [at], b"\x00"), 1),
        "three scattered bytes": (_insert(clean, [_at(clean, "整改", encoding, n) for n in (0, 5, 9)],
                                          b"\xff"), 3),
    }


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_damaged_text_reads_like_the_clean_one(encoding: str, subtests: pytest.Subtests) -> None:
    clean = BULLETIN.read_text(encoding="utf-8").encode(encoding)
    expected = parse_file("clean.txt", data=clean)
    assert _repaired(expected) == []
    for case, (data, repaired) in _damaged(clean, encoding).items():
        with subtests.test(case=case):
            assert detect_format(data) == "txt"
            parsed = parse_file("damaged.txt", data=data)
            assert _fields(parsed) == _fields(expected)
            assert _repaired(parsed) == [str(repaired)]
            (check,) = [c for c in parsed.checks if c.check == "encoding_repaired"]
            assert check.severity == "info" and f"{repaired}个字节" in check.message


def test_cut_mid_sentence_is_partial() -> None:
    """Cut in its last 。 the text stops mid-sentence: read, and partial like any text cut short."""
    clean = BULLETIN.read_bytes()
    assert clean.rstrip(b"\n").endswith("。".encode())
    parsed = parse_file("cut.txt", data=clean.rstrip(b"\n")[:-1])
    expected = {**_fields(parse_file("clean.txt", data=clean)), "parse_status": "partial"}
    assert _fields(parsed) == expected
    assert _repaired(parsed) == ["2"]


def test_damaged_page_reads_like_the_clean_one(subtests: pytest.Subtests) -> None:
    clean = PAGE.read_bytes()
    expected = parse_file("clean.html", data=clean)
    at = _at(clean, "整改")
    for case, (data, replaced) in {"invalid byte": (clean[:at] + b"\xff" + clean[at:], 1),
                                   "NUL byte": (clean[:at] + b"\x00" + clean[at:], 1)}.items():
        with subtests.test(case=case):
            parsed = parse_file("damaged.html", data=data)
            assert parsed.document.source_format == "html"
            assert _fields(parsed) == _fields(expected)
            assert _repaired(parsed) == [str(replaced)]


def test_declared_gbk_page_with_a_bad_byte() -> None:
    clean = (SAMPLES / "formats" / "short_bulletin_gbk.html").read_bytes()
    at = _at(clean, "整改", "gb18030")
    parsed = parse_file("damaged.html", data=clean[:at] + b"\xff" + clean[at:])
    assert _fields(parsed) == _fields(parse_file("clean.html", data=clean))
    assert _repaired(parsed) == ["1"]


def test_random_bytes_still_fail() -> None:
    rng = random.Random(12)
    for size in (512, 30_000):
        with pytest.raises(ReadError):
            parse_file("random.txt", data=rng.randbytes(size))


def test_gbk_is_not_taken_for_damaged_utf8() -> None:
    """A GBK text is no UTF-8 text with bad bytes: its few valid UTF-8 sequences are no evidence."""
    text = "巡察整改进展情况的通报。" * 3 + "abc" * 50
    data = text.encode("gbk")
    assert decode_repaired(data, "utf-8") is None
    assert decode(data).text == text and decode(data).repaired == 0


def test_many_bad_bytes_are_not_repaired() -> None:
    """More than 0.1 % (and more than a handful) left out: the encoding is not clear."""
    text = ("整改" * 2000).encode()
    bad = b"".join(text[i:i + 100] + b"\xff" for i in range(0, len(text), 100))
    assert decode_repaired(bad, "utf-8") is None


def test_leaving_bytes_out_is_linear() -> None:
    """Up to the limit of bad bytes in a 20 MB text (the largest a text may be), and a BOM file
    of nothing but bad bytes: one pass each (retrying after each error took 22 s and 15 s)."""
    line = ("巡察整改进展情况，已完成整改。" * 10 + "\n").encode()
    unit = line * 4 + b"\xff"  # 1 bad byte in 1,805: 0.055 %
    data = unit * (20 * 1024 * 1024 // len(unit))
    start = time.monotonic()
    decoded = decode(data)
    assert decoded.repaired == data.count(b"\xff") and "\ufffd" not in decoded.text
    assert decode(b"\xef\xbb\xbf" + b"\xff" * 1024 * 1024).repaired == 1024 * 1024
    assert time.monotonic() - start < 5
