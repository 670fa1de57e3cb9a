"""Each generated sample read back equals its plain-text twin.

Block level: all block text with whitespace removed equals the twin's (page
furniture is gone, so nothing else may differ). Item level: the pipeline gives
the same (item_no, title, status, deadline) rows for the sample as for its twin.
OCR samples are compared in tests/test_readers_ocr.py.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from pathlib import Path

import pytest

from extract.pipeline import parse_file
from extract.readers import read_file

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ROOT / "samples" / "formats"
SEED = ROOT / "samples" / "000_14f26a7ea3be1e8c.txt"
TABLE = FORMATS / "src" / "table_bulletin.txt"
SHORT = FORMATS / "src" / "short_bulletin.txt"
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")

TWINS = [
    ("seed.docx", SEED), ("seed.pdf", SEED), ("seed.doc", SEED), ("seed_utf8.html", SEED),
    ("table_bulletin.docx", TABLE), ("table_bulletin.pdf", TABLE),
    ("short_bulletin.pdf", SHORT), ("short_bulletin_gbk.html", SHORT),
    # OFD (scripts/make_ofd_samples.py): one text object per line, one per character in
    # shuffled XML order, and running header/footer/page numbers in template pages
    ("seed_lines.ofd", SEED), ("seed_chars_shuffled.ofd", SEED),
    ("short_bulletin_template.ofd", SHORT),
]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@cache
def item_rows(path: Path) -> list[tuple[str, str, str, str | None]]:
    return [(i.item_no, i.title, i.status, i.deadline) for i in parse_file(path).items]


def needs(name: str) -> None:
    if name.endswith(".doc"):
        import shutil

        if shutil.which("soffice") is None:
            pytest.skip("LibreOffice not installed")


@pytest.mark.parametrize(("name", "twin"), TWINS, ids=[t[0] for t in TWINS])
def test_blocks_equal_twin(name: str, twin: Path) -> None:
    needs(name)
    doc = read_file(FORMATS / name)
    assert squeeze("".join(b.text for b in doc.blocks)) == squeeze(twin.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("name", "twin"), TWINS, ids=[t[0] for t in TWINS])
def test_items_equal_twin(name: str, twin: Path) -> None:
    needs(name)
    expected = item_rows(twin)
    assert expected, "the pipeline finds items in the twin"
    assert item_rows(FORMATS / name) == expected


def test_traditional_page_is_the_seed_in_traditional_with_pinyin() -> None:
    import opencc

    doc = read_file(FORMATS / "seed_trad.html")
    simplified = opencc.OpenCC("t2s").convert(PINYIN.sub("", doc.text))
    ratio = difflib.SequenceMatcher(None, squeeze(simplified), squeeze(SEED.read_text("utf-8")),
                                    autojunk=False).ratio()
    assert ratio >= 0.995


def test_traditional_page_items_equal_twin() -> None:
    assert item_rows(FORMATS / "seed_trad.html") == item_rows(SEED)
