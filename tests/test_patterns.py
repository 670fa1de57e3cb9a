"""Every named pattern, one by one: its examples match, its counter-examples don't,
and the values read through it (numerals, dates, counts, statuses, deadlines) are exact."""

from __future__ import annotations

import pytest

from extract import dates
from extract.items import classify_status, parse_deadline
from extract.normalize import clean_inline, continues, fold_width, is_page_number, to_simplified
from extract.numerals import cn_to_int, int_to_cn, to_int
from extract.patterns import HEADING_FIRST_CHARS, HEADING_RULES, PATTERNS, P

EXAMPLES = [(name, ex) for name, p in PATTERNS.items() for ex in p.examples]
COUNTER = [(name, ex) for name, p in PATTERNS.items() for ex in p.counter_examples]


def test_every_pattern_is_documented_and_exemplified():
    for name, p in PATTERNS.items():
        assert p.doc, name
        assert p.examples, f"{name} has no example"


@pytest.mark.parametrize(("name", "text"), EXAMPLES)
def test_pattern_matches_its_examples(name, text):
    assert PATTERNS[name].regex.search(fold_width(text)), f"{name} should match {text!r}"


@pytest.mark.parametrize(("name", "text"), COUNTER)
def test_pattern_rejects_its_counter_examples(name, text):
    assert not PATTERNS[name].regex.search(fold_width(text)), f"{name} should not match {text!r}"


@pytest.mark.parametrize(("rule", "htype"), HEADING_RULES)
def test_heading_rules_start_with_their_declared_characters(rule, htype):
    """segment tries a paragraph only against the rules its first character allows."""
    firsts = HEADING_FIRST_CHARS[rule]
    for example in PATTERNS[rule].examples:
        assert fold_width(example).lstrip()[0] in firsts, (rule, example)
    # No other first character can start a match (the rule's first required character).
    for ch in "甲A-—·•(（【[问一1①":
        if ch not in firsts and fold_width(ch) not in firsts:
            assert not PATTERNS[rule].regex.match(fold_width(ch + "一1、加强")), (rule, ch)


LITERAL_PATTERNS = [name for name, p in PATTERNS.items() if p.literals]


def _matches_hold_a_literal(name: str, text: str) -> list[str]:
    """Matches of the pattern in ``text`` that contain none of its literals."""
    literals = PATTERNS[name].literals
    return [m.group() for m in PATTERNS[name].regex.finditer(text)
            if not any(w in m.group() for w in literals)]


def test_literal_prefilter_is_declared_where_the_scan_costs():
    # fields.search skips paragraphs without a literal: these run on every document.
    assert {"count_problems", "count_completed", "count_in_progress", "count_categories",
            "completion_rate", "round", "as_of"} <= set(LITERAL_PATTERNS)


@pytest.mark.parametrize("name", LITERAL_PATTERNS)
def test_every_match_holds_one_of_the_literals(name):
    """The promise the prefilter relies on, over the examples and every paragraph of the
    corpus (one paragraph at a time, as fields.search runs it)."""
    from pathlib import Path

    from extract.normalize import normalize_text
    from extract.readers.txt import decode_text

    bad = [m for ex in PATTERNS[name].examples for m in _matches_hold_a_literal(name, fold_width(ex))]
    assert PATTERNS[name].examples and not bad, bad
    samples = Path(__file__).resolve().parents[1] / "samples"
    for path in sorted(samples.glob("*.txt")):
        text = fold_width(normalize_text(decode_text(path.read_bytes())))
        for para in text.split("\n"):
            assert not _matches_hold_a_literal(name, para), (path.name, para)


# --- numerals ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [
    ("七", 7), ("十", 10), ("十二", 12), ("二十四", 24), ("一百零五", 105), ("两", 2),
    ("三百", 300), ("二〇二四", 2024), ("一万二千", 12000), ("56", 56), ("５６", 56), ("③", 3),
])
def test_numerals(text, value):
    assert to_int(text) == value


def test_numeral_rejects_words():
    assert cn_to_int("方面") is None
    assert to_int("") is None
    assert int_to_cn(24) == "二十四" and int_to_cn(10) == "十" and int_to_cn(7) == "七"


# --- dates ---------------------------------------------------------------------

def _range(text, context_year=None):
    m = P("date_range").search(fold_width(text)) or P("date_range_lost_separators").search(text)
    s = dates.make(m["sy"], m["sm"], m["sd"])
    e = dates.make(m["ey"], m["em"], m["ed"]) if m["em"] else dates.PartialDate(None, None, int(m["eday"]))
    return dates.resolve_range(s, e, context_year)


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2023年7月17日至8月31日", "2023-07-17", "2023-08-31"),
    ("2021年4月6日至2021年6月3日", "2021-04-06", "2021-06-03"),
    ("2023年9月1日—10月25日", "2023-09-01", "2023-10-25"),
    ("2023年9月1日——10月25日", "2023-09-01", "2023-10-25"),
    ("2023年9月1日-10月25日", "2023-09-01", "2023-10-25"),
    ("2021年5月至6月", "2021-05", "2021-06"),
    ("2023年11月20日至次年1月", "2023-11-20", "2024-01"),
    ("2024年7月17日至31日", "2024-07-17", "2024-07-31"),
    ("2023912日至1025日", "2023-09-12", "2023-10-25"),
])
def test_date_ranges(text, start, end):
    assert _range(text) == (start, end)


def test_vague_range_takes_the_year_from_context():
    assert _range("3月下旬至5月底", context_year=2024) == ("2024-03", "2024-05")
    assert _range("9月上旬至11月中旬", context_year=2023) == ("2023-09", "2023-11")


def test_period_end_at_each_precision():
    assert dates.period_end("2024") == dates.parse_iso("2024-12-31")
    assert dates.period_end("2024-02") == dates.parse_iso("2024-02-29")
    assert dates.period_end("2025-06-30") == dates.parse_iso("2025-06-30")


def test_invalid_dates_are_refused():
    assert dates.make("2024", "2", "30").iso() is None
    assert dates.make("2024", "13").iso() is None


# --- statuses and deadlines -------------------------------------------------------

@pytest.mark.parametrize(("phrase", "status"), [
    ("已完成整改，并长期坚持", "completed"),
    ("已完成整改", "completed"),
    ("完成", "completed"),
    ("已整改销号", "completed"),
    ("立行立改并将长期坚持", "completed"),
    ("己完成整改", "completed"),
    ("整改完成", "completed"),
    ("已整改到位", "completed"),
    ("持续整改中，并已取得阶段成效", "in_progress"),
    ("正在整改", "in_progress"),
    ("整改中", "in_progress"),
    ("持续推进", "in_progress"),
    ("申请延期整改", "in_progress"),
    ("未完成", "in_progress"),
    ("基本完成", "partial"),
    ("阶段性完成", "partial"),
    ("基本完成，持续整改", "partial"),
    ("一是加强学习", "unknown"),
    ("", "unknown"),
])
def test_status_vocabulary(phrase, status):
    assert classify_status(fold_width(phrase)) == status


@pytest.mark.parametrize(("text", "iso", "long_term"), [
    ("2024年12月", "2024-12", False),
    ("2024年12月底", "2024-12", False),
    ("2025年6月30日前", "2025-06-30", False),
    ("2024年底前", "2024", False),
    ("长期坚持", None, True),
    ("2024年12月底前完成，并长期坚持", "2024-12", True),
])
def test_deadlines(text, iso, long_term):
    assert parse_deadline(text) == (iso, long_term)


# --- headings --------------------------------------------------------------------

def _heading(text):
    folded = fold_width(text)
    for rule, htype in HEADING_RULES:
        m = P(rule).match(folded)
        if m:
            return htype, m["no"]
    return None


@pytest.mark.parametrize(("text", "expected"), [
    ("一、领导班子组织落实整改情况", ("cn_dun", "一")),
    ("（一）政治建设方面的问题", ("cn_paren", "一")),
    ("(一)政治建设方面的问题", ("cn_paren", "一")),
    ("1.学习贯彻", ("ar_dot", "1")),
    ("2. 学习党的二十大精神", ("ar_dot", "2")),
    ("24、存在边改边犯问题", ("ar_dot", "24")),
    ("(19) 关于“未开展…”问题", ("ar_paren", "19")),
    ("（1）加强学习", ("ar_paren", "1")),
    ("问题1：领导班子学习不深入", ("problem", "1")),
    ("①建立台账", ("circled", "①")),
    ("一是提升政治站位", None),
    ("2024年4月20日", None),
])
def test_heading_rules(text, expected):
    assert _heading(text) == expected


# --- normalization ---------------------------------------------------------------

@pytest.mark.parametrize(("raw", "clean"), [
    ("截止 2024 年 4 月 20 日，", "截止2024年4月20日，"),
    ("（7 项 12 个具体问题）", "（7项12个具体问题）"),
    ("**五是**加强党支部", "五是加强党支部"),
    ("統(tǒng)一", "統一"),
    ("&ldquo;第一议题&rdquo;", "“第一议题”"),
    ("?rdquo;", "”"),
    ("已完成,,并", "已完成,并"),
    ("整 改 情 况 已 完 成", "整改情况已完成"),
    ("镇党委书记 陈立峰", "镇党委书记 陈立峰"),
    ("方面的问题 1.落实", "方面的问题 1.落实"),
])
def test_clean_inline(raw, clean):
    assert clean_inline(raw) == clean


def test_clean_inline_is_idempotent():
    for raw in ("截止 2024 年 4 月 20 日", "**五是**", "統(tǒng)一集團(tuán)", "a  b"):
        once = clean_inline(raw)
        assert clean_inline(once) == once


@pytest.mark.parametrize("line", ["— 3 —", "- 3 -", "第3页", "第 3 页 共 8 页", "3/8", "12"])
def test_page_numbers(line):
    assert is_page_number(line)


def test_page_cut_paragraphs_are_joined_and_headings_are_not():
    assert continues("逐条逐项落实到人，建立问题整改台账，印发《市委外事办关于市委巡", "察反馈意见的整改落实方案》。")
    assert continues("建立健全意识形态工作分析研判、调查研究制度，", "定期对意识形态领域风险进行分析研判")
    assert not continues("一、领导班子组织落实整改情况", "一是提升政治站位")
    assert not continues("中共洛阳市委外事工作委员会办公室关于市委巡察整改进展情况的通报", "根据市委统一部署，")
    assert not continues("承诺完成时限：2024年12月", "11. 主动谋划不到位。")
    assert not continues("欢迎监督，联系电话：0796-8265913", "中共云泽市医疗保障局党组")


def test_traditional_is_detected_and_converted_char_for_char():
    text, trad = to_simplified("關於巡視整改進展情況的通報")
    assert trad and text == "关于巡视整改进展情况的通报"
    same, trad = to_simplified("关于巡视整改进展情况的通报")
    assert not trad and same == "关于巡视整改进展情况的通报"


def test_inline_label_needs_a_sentence_end_then_a_label_mark():
    """segment.split_spans runs inline_label only on paragraphs may_hold_inline_label lets
    through: every paragraph where it matches must be one (examples, every sample
    paragraph, and strings built from labels, sentence ends, marks and spaces)."""
    import random
    from pathlib import Path

    from extract.normalize import normalize_text
    from extract.readers.txt import decode_text
    from extract.segment import may_hold_inline_label

    paras = [fold_width(e) for e in (*PATTERNS["inline_label"].examples,
                                      *PATTERNS["inline_label"].counter_examples)]
    samples = Path(__file__).resolve().parents[1] / "samples"
    for path in sorted(samples.glob("*.txt")):
        paras += fold_width(normalize_text(decode_text(path.read_bytes()))).split("\n")
    rng = random.Random(15)
    pieces = ["整改情况", "完成时限", "责任单位", "【", "】", ":", "。", ";", "!", "?", "”", " ", "加强", "\n"]
    paras += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(20000)]
    rx = PATTERNS["inline_label"].regex
    matched = [p for p in paras if rx.search(p)]
    assert len(matched) > 100
    assert all(may_hold_inline_label(p, 0, len(p)) for p in matched)
