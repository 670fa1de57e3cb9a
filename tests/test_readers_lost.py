"""No text lost without saying so (issue 12, item 5).

A page nested hundreds or thousands deep (unclosed ``<div>``s of a broken CMS template)
is read whole: its fields are those of the flat page. And a reader that keeps much less
text than its file visibly holds makes a ``text_lost`` warning and a ``partial`` status,
never a quiet ``ok``. Every page here is built from a sample bulletin at test time.
"""

from __future__ import annotations

import time
from dataclasses import asdict
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from extract.document import PARAGRAPH, Block, SourceDocument, text_chars
from extract.pipeline import (
    TEXT_LOST_MIN_CHARS,
    TEXT_LOST_SHARE,
    lost_text,
    parse_file,
    parse_source,
)
from extract.readers import html as html_reader
from extract.readers import read_file
from extract.readers.html_tree import MAX_BUILT_DEPTH, build_flat, visible_chars

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
BULLETIN = SAMPLES / "001_county_health_bureau.txt"
#: Nav links of a chrome-heavy page: a site menu far longer than a short bulletin.
MENU = ["首页", "政务公开", "政策文件", "通知公告", "巡察整改", "人事信息", "财政资金", "办事服务",
        "互动交流", "专题专栏", "机构职能", "领导信息", "规划计划", "统计数据", "应急管理"]


def _page(depth: int, text: str | None = None, nav: int = 0) -> bytes:
    """The bulletin as a page: one <p> a line, inside ``depth`` unclosed <div>s, after
    ``nav`` menus of links."""
    lines = (text or BULLETIN.read_text(encoding="utf-8")).splitlines()
    paragraphs = "".join(f"<p>{escape(line)}</p>\n" for line in lines if line.strip())
    menus = "".join("<div class='nav'><ul>" + "".join(f"<li><a href='#'>{m}{i}</a></li>" for m in MENU)
                    + "</ul></div>\n" for i in range(nav))
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>整改通报</title>"
            "<script>var x = '<div>不是正文</div>';</script></head><body>" + menus
            + "<div class='wrap'>" * depth + paragraphs + "</body></html>").encode()


def _fields(data: bytes) -> dict[str, Any]:
    parsed = parse_file("page.html", data=data)
    fields = asdict(parsed.document)
    fields.pop("doc_id")
    return {**fields, "items": [(i.item_no, i.title, i.status) for i in parsed.items],
            "checks": sorted(c.check for c in parsed.checks)}


@pytest.fixture(scope="module")
def flat() -> dict[str, Any]:
    fields = _fields(_page(0))
    assert fields["doc_type"] == "bulletin" and fields["items_extracted"] > 10
    return fields


@pytest.mark.parametrize("depth", [300, 2100, 5000, 10_000])
def test_deep_page_reads_like_the_flat_one(depth: int, flat: dict[str, Any]) -> None:
    """300 (past libxml2's 256 without huge_tree), 2,100 (past its 2,048 with it), 5,000 and
    10,000 levels (our capped tree): the same fields, items and checks as the flat page."""
    start = time.monotonic()
    assert _fields(_page(depth)) == flat
    assert time.monotonic() - start < 10


def test_deep_page_keeps_its_paragraphs_and_drops_its_chrome() -> None:
    lines = [line for line in BULLETIN.read_text(encoding="utf-8").splitlines() if line.strip()]
    doc = read_file("page.html", _page(5000, nav=3))
    assert [b.text for b in doc.blocks][-len(lines):] == lines
    assert "政务公开" not in doc.text and "不是正文" not in doc.text


def test_built_tree_is_capped_and_keeps_every_text() -> None:
    root = build_flat("<body>" + "<div>" * 3000 + "<p>甲</p><p>乙<br>丙</p>" + "</div>" * 10
                      + "尾<p>丁")
    depth = max(sum(1 for _ in el.iterancestors()) for el in root.iter())
    assert depth <= MAX_BUILT_DEPTH + 1
    assert root.text_content() == "甲乙丙尾丁"


def test_a_parser_that_loses_text_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The old parser (libxml2 without huge_tree, no fallback) loses everything below 256
    levels: the pipeline must say so (text_lost, partial), not report an ok look-alike."""
    def lossy(text: str) -> Any:
        parser = lxml_html.HTMLParser(remove_comments=True, no_network=True, huge_tree=False)
        return lxml_html.document_fromstring(text, parser=parser)

    monkeypatch.setattr(html_reader, "parse", lossy)
    parsed = parse_file("page.html", data=_page(300))
    assert parsed.document.parse_status == "partial"
    (check,) = [c for c in parsed.checks if c.check == "text_lost"]
    assert check.severity == "warning"
    visible, kept = int(check.expected or 0), int(check.found or 0)
    assert visible > 2000 and kept < 100
    assert f"约{visible}字" in check.message and f"只读出{kept}字" in check.message


def test_chrome_heavy_page_is_not_text_lost() -> None:
    """A short bulletin under a site menu many times its size: the menu is set aside on
    purpose (set_aside_chars), not lost."""
    short = (SAMPLES / "053_short_township.txt").read_text(encoding="utf-8")
    data = _page(3, short, nav=12)
    doc = read_file("page.html", data)
    assert text_chars(doc.text) < 0.5 * (doc.visible_chars or 0)  # the body alone would trip
    assert lost_text(doc) is None
    parsed = parse_file("page.html", data=data)
    assert "text_lost" not in {c.check for c in parsed.checks}


@pytest.mark.parametrize("path", sorted((SAMPLES / "formats").glob("*.htm*"))
                         + sorted((SAMPLES / "formats").glob("*.docx")), ids=lambda p: p.name)
def test_format_samples_lose_nothing(path: Path) -> None:
    if path.name.startswith("corrupt"):
        pytest.skip("unreadable on purpose")
    doc = read_file(path)
    assert doc.visible_chars is not None
    kept = text_chars(doc.text) + doc.set_aside_chars
    assert kept >= 0.9 * doc.visible_chars, (kept, doc.visible_chars)
    assert lost_text(doc) is None


def test_thresholds() -> None:
    def doc(kept: int, visible: int | None) -> SourceDocument:
        return SourceDocument("x.txt", "txt", [Block("字" * kept, None, PARAGRAPH)],
                              visible_chars=visible)

    missing = TEXT_LOST_MIN_CHARS
    assert lost_text(doc(10, None)) is None
    assert lost_text(doc(10, 10 + missing - 1)) is None  # too few characters missing
    big = int(missing / (1 - TEXT_LOST_SHARE)) * 2
    assert lost_text(doc(int(big * TEXT_LOST_SHARE), big)) is None  # half kept
    assert lost_text(doc(int(big * TEXT_LOST_SHARE) - 1, big)) == (big, int(big * TEXT_LOST_SHARE) - 1)
    parsed = parse_source(doc(5, 1000), "d", "x.txt", date(2025, 1, 1))
    assert parsed.document.parse_status in ("partial", "failed")
    assert "text_lost" in {c.check for c in parsed.checks}


def test_estimate_ignores_scripts_comments_and_tags() -> None:
    assert visible_chars("<html><head><style>p{}</style><script>x='整改'</script></head>"
                         "<body><!-- 注释 --><p>整改&nbsp;完成</p><br/></body></html>") == 4


def test_estimate_is_one_pass_over_hostile_markup() -> None:
    """Unclosed scripts and comments hide the rest of the page (as in a browser); hundreds of
    thousands of them, or of lone ``<``, cost one pass."""
    assert visible_chars("<p>甲</p><script>x</script><style>y</STYLE >乙<!-- c -->丙<!-- 丁") == 3
    start = time.monotonic()
    assert visible_chars("<script>" * 200_000 + "整改") == 0
    assert visible_chars("<!--" * 300_000) == 0
    assert visible_chars("<" * 2_000_000) == 2_000_000
    assert time.monotonic() - start < 5
