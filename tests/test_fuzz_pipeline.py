"""Property tests on the text pipeline: any text parses without raising, offsets stay in the text."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from extract.document import PARAGRAPH, Block, SourceDocument
from extract.pipeline import parse_source
from extract.records import STATUSES, ParsedDocument

AS_OF = date(2024, 12, 31)
#: Keep each property under a few seconds on 2 cores.
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Pieces real bulletins are made of, so random mixes reach the deep parser paths.
FRAGMENTS = [
    "中共某某县卫生健康局党组关于巡察整改进展情况的通报", "根据县委统一部署，",
    "2023年7月17日至8月31日，", "县委第二巡察组对", "进行了常规巡察，并于11月3日进行了意见反馈。",
    "一、", "二、", "（一）", "（二）", "政治建设方面的问题（7项12个具体问题）", "1.", "2.", "10.",
    "(1)", "(19)", "①", "一是", "二是", "三是", "整改情况：", "已完成整改，并长期坚持。",
    "持续整改中。", "基本完成。", "整改时限：2024年12月", "长期坚持", "截至2024年4月20日，",
    "24项56个具体问题，", "已完成53个，", "正在整改3个，", "整改完成率94.6%。", "制定修订制度7项。",
    "组织处理2人。", "移交问题线索2件。", "责任领导：张三", "\n", "\n\n", "。", "，", "；", "：",
    " ", "\u3000", "\t", "ｘ", "（", "）", "(", ")", "第3页", "— 3 —", "&rdquo;", "**",
]

bulletin_like = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=80).map("".join)
#: Lone surrogates excluded: readers decode with errors="replace" and never produce them
#: (OpenCC cannot encode one).
any_text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=600)


def _source(text: str) -> SourceDocument:
    blocks = [Block(line, kind=PARAGRAPH) for line in text.split("\n") if line.strip()]
    return SourceDocument(path="fuzz.txt", source_format="txt", blocks=blocks)


def _check_invariants(parsed: ParsedDocument) -> None:
    n = len(parsed.text)
    for row in [*parsed.items, *parsed.measures, *parsed.sections]:
        if row.char_start is not None:
            assert 0 <= row.char_start <= n, row
        if row.char_end is not None:
            assert 0 <= row.char_end <= n, row
        if row.char_start is not None and row.char_end is not None:
            assert row.char_start <= row.char_end, row
    for item in parsed.items:
        assert item.status in STATUSES
    assert parsed.document.items_extracted == len(parsed.items)
    indexes = {it.item_index for it in parsed.items}
    assert all(m.item_index in indexes for m in parsed.measures)


@FUZZ
@example("𠗣")
@example("豈")
@given(any_text)
def test_arbitrary_unicode_never_raises(text: str) -> None:
    _check_invariants(parse_source(_source(text), "fuzz", "fuzz.txt", AS_OF))


@FUZZ
@given(bulletin_like)
def test_bulletin_like_text_never_raises_and_offsets_are_in_range(text: str) -> None:
    _check_invariants(parse_source(_source(text), "fuzz", "fuzz.txt", AS_OF))


@FUZZ
@example("一\u3000一\u3000一一")
@given(any_text | bulletin_like)
def test_normalize_is_idempotent(text: str) -> None:
    from extract.normalize import normalize_text

    once = normalize_text(text)
    assert normalize_text(once) == once

