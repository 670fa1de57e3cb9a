"""PDF text-layer reader: layout, furniture, fake bold, tables, errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extract.document import PARAGRAPH
from extract.errors import EncryptedFile, TooLarge, UnreadableFile
from extract.readers import read_file
from extract.readers.layout import (
    PAGE_NUMBER,
    Char,
    chars_look_garbled,
    chars_to_text,
    dedupe_overprint,
)

FORMATS = Path(__file__).resolve().parents[1] / "samples" / "formats"


@pytest.fixture(scope="module")
def seed_pdf():  # type: ignore[no-untyped-def]
    return read_file(FORMATS / "seed.pdf")


def test_pages_and_title(seed_pdf) -> None:  # type: ignore[no-untyped-def]
    assert seed_pdf.source_format == "pdf"
    assert seed_pdf.page_count == 6
    first = seed_pdf.blocks[0]
    # fake-bold title (every glyph printed twice) read once; no space between CJK characters
    assert first.text == "中共洛阳市委外事工作委员会办公室关于市委巡察整改进展情况的通报"
    assert first.page == 1
    assert all(b.kind == PARAGRAPH for b in seed_pdf.blocks)


def test_paragraphs_rejoined_and_cut_at_page_end(seed_pdf) -> None:  # type: ignore[no-untyped-def]
    texts = [b.text for b in seed_pdf.blocks]
    assert "一、领导班子组织落实整改情况" in texts
    assert "（一）政治建设方面的问题（7 项 12 个具体问题）" in texts
    assert texts[1].startswith("根据市委统一部署，2023年7月17日至8月31日")
    assert texts[1].endswith("现将整改进展情况通报如下：")
    page1 = [b for b in seed_pdf.blocks if b.page == 1]
    page2 = [b for b in seed_pdf.blocks if b.page == 2]
    assert page1[-1].text == "整改情况：已完成整改，并长期坚持。一是严格落实“第一议"
    assert page2[0].text.startswith("题”制度，坚持把学习习近平新时代中国特色社会主义思想")


def test_furniture_removed(seed_pdf) -> None:  # type: ignore[no-untyped-def]
    text = seed_pdf.text
    assert "政务公开" not in text  # running header
    assert not any(PAGE_NUMBER.match(b.text) for b in seed_pdf.blocks)
    assert "— 2 —" not in text and "—2—" not in text


def test_short_bulletin_dash_page_number_and_header_on_single_page() -> None:
    doc = read_file(FORMATS / "short_bulletin.pdf")
    assert doc.page_count == 1
    assert not any(b.text in ("- 1 -", "-1-") or "政务公开" in b.text for b in doc.blocks)
    assert doc.blocks[-1].text.endswith("联系电话：0591-5550123。")


def test_table_pdf_over_two_pages() -> None:
    doc = read_file(FORMATS / "table_bulletin.pdf")
    texts = [b.text for b in doc.blocks]
    assert doc.page_count == 2
    assert texts.count("（三）基层党组织建设方面的问题") == 1
    assert "序号" not in doc.text  # header row (repeated on page 2) not in the prose
    i = texts.index("8. 干部队伍年龄结构老化，后备力量不足")
    assert texts[i + 1: i + 5] == ["整改情况：持续整改中",
                                   "整改措施：一是制定年轻干部培养计划；二是通过公开遴选引进专业技术人员2名；三是建立后备干部库。",
                                   "完成时限：2025年6月30日前", "责任单位：人事股"]
    assert doc.blocks[i].page == 2
    assert texts[i + 5] == "三、下一步工作打算"


def test_overprint_and_spacing_helpers() -> None:
    a = Char("中", 10, 20, 0, 10, 10)
    b = Char("中", 10.4, 20.4, 0, 10, 10)  # overprint, a hair to the right
    c = Char("国", 20, 30, 0, 10, 10)
    assert dedupe_overprint([a, b, c]) == [a, c]
    assert dedupe_overprint([a, c, b]) == [a, c]  # whole line printed twice
    space = Char(" ", 20, 23, 0, 10, 10)
    assert chars_to_text([a, space, Char("国", 23, 33, 0, 10, 10)]) == "中国"
    assert chars_to_text([Char("A", 0, 5, 0, 10, 10), Char("B", 10, 15, 0, 10, 10)]) == "A B"
    assert chars_look_garbled([Char(ch, 0, 1, 0, 1, 1) for ch in "\x01\x02\x03ab"])
    assert not chars_look_garbled([Char(ch, 0, 1, 0, 1, 1) for ch in "整改进展情况"])


@pytest.mark.parametrize("text", ["— 3 —", "- 3 -", "第3页", "第 3 页 共 8 页", "3/8", "12"])
def test_page_number_patterns(text: str) -> None:
    assert PAGE_NUMBER.match(text)


@pytest.mark.parametrize("text", ["2024年12月", "1.学习", "— 3 — 整改"])
def test_not_page_numbers(text: str) -> None:
    assert not PAGE_NUMBER.match(text)


def test_encrypted_and_corrupt() -> None:
    with pytest.raises(EncryptedFile):
        read_file(FORMATS / "encrypted.pdf")
    with pytest.raises(UnreadableFile):
        read_file(FORMATS / "corrupt.pdf")
    with pytest.raises(UnreadableFile):
        read_file("x.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50)


def test_page_limit_names_the_page_limit_not_max_size() -> None:
    """A PDF over MAX_PAGES (blank pages, built here) is too_large with advice about pages:
    raising --max-size would not help, so the message must not send the user there."""
    import io

    from pypdf import PdfWriter

    from extract.readers.pdf import MAX_PAGES

    writer = PdfWriter()
    for _ in range(MAX_PAGES + 1):
        writer.add_blank_page(width=100, height=100)
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(TooLarge) as caught:
        read_file("book.pdf", buf.getvalue())
    message = caught.value.message
    assert f"共 {MAX_PAGES + 1} 页" in message and f"页数上限 {MAX_PAGES} 页" in message
    assert "拆分" in message and "调高 --max-size 没有用" in message
    assert "可用 --max-size 调高" not in message


def test_no_cjk_spaces_anywhere(seed_pdf) -> None:  # type: ignore[no-untyped-def]
    assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", seed_pdf.text)


def test_scan_with_a_few_typed_characters_counts_as_scanned() -> None:
    import pypdfium2 as pdfium

    from extract.readers.pdf import looks_scanned, page_to_chars

    scan = pdfium.PdfDocument(str(FORMATS / "seed_scan.pdf"))[0]
    stamp = [Char(ch, 500 + 10 * i, 510 + 10 * i, 30, 40, 10) for i, ch in enumerate("已归档2024")]
    assert looks_scanned(scan, stamp, *scan.get_size())
    text = pdfium.PdfDocument(str(FORMATS / "seed.pdf"))[0]
    width, height = text.get_size()
    assert not looks_scanned(text, page_to_chars(text, height), width, height)
