"""Document type from the voice of the text (extract/doctype.py): each signal with texts that
fire it and texts that don't, and whole decisions with the reason they give."""

from __future__ import annotations

from datetime import date

import pytest

from extract import doctype
from extract.document import Block, SourceDocument
from extract.normalize import normalize_text
from extract.pipeline import parse_source
from extract.records import BULLETIN, NOT_BULLETIN, ROUND_SUMMARY


def parse(text: str):  # type: ignore[no-untyped-def]
    src = SourceDocument("t.txt", "txt", [Block(line) for line in text.strip().split("\n")])
    return parse_source(src, "0" * 16, "t.txt", date(2026, 11, 27))


def evidence(text: str, title: str | None = None, has_figures: bool = False) -> doctype.Evidence:
    from extract.normalize import normalize_blocks

    nt = normalize_blocks([Block(line) for line in text.strip().split("\n")])
    return doctype.evidence(nt, title, [], has_figures)


SIGNAL = {s.name: s for s in doctype.SIGNALS}

#: signal name → (texts that fire it, texts that don't)
CASES: dict[str, tuple[list[str], list[str]]] = {
    "self_report": (
        ["按照巡察工作有关要求，现将巡察整改进展情况予以公布。", "现将集中整改进展情况通报如下：",
         "根据党务公开有关规定，现将我公司巡察整改进展情况予以公开。", "现就巡察整改落实情况报告如下："],
        ["现将巡察发现的主要问题反馈如下：", "现将信访举报受理情况公告如下：", "现将有关事项公告如下：",
         "为进一步严明纪律，现将5起典型问题通报如下。"]),
    "unit_voice": (
        ["县委第三巡察组对我局党组开展了常规巡察。", "6月14日，巡察组向我院党委反馈了巡察意见。",
         "本行党委坚持把巡察整改作为重大政治任务。"],
        ["县委第三巡察组对县交通运输局党组开展了常规巡察。", "局党组书记表示，将抓好整改。"]),
    "third_person_news": (
        ["8月27日，市委第二巡察组向市市场监督管理局党组反馈巡察情况。反馈会上，组长指出问题。局长作表态发言。",
         "县委第一巡察组进驻县卫生健康局，召开巡察工作动员会，组长作动员讲话。",
         "市委巡察办组成3个抽查组，采取“四不两直”方式开展随机抽查。"],
        ["局党组召开巡察整改专题民主生活会，班子成员逐一对照检查。现将整改情况予以公布。"]),
    "notice": (
        ["巡察期间设立专门值班电话和邮政信箱，受理来信来电来访。", "现将有关事项通知如下：\n一、会议时间"],
        ["欢迎广大干部群众监督。联系电话：0797-6128315。"]),
    "other_genre": (
        ["结合工作实际，制定本方案。", "现将全年工作总结如下。", "现将巡察发现的主要问题反馈如下："],
        ["制定整改方案，逐项明确责任。现将整改进展情况通报如下。"]),
}


@pytest.mark.parametrize(("name", "text", "fires"), [
    (name, text, fires) for name, (yes, no) in CASES.items()
    for fires, texts in ((True, yes), (False, no)) for text in texts])
def test_signal(name: str, text: str, fires: bool) -> None:
    assert SIGNAL[name].fires(evidence(text)) is fires, (name, text)


def test_title_signal_names_a_report_not_a_plan_or_a_notice() -> None:
    title = SIGNAL["title"]
    assert title.fires(evidence("正文。", "中共平川县交通运输局党组关于县委巡察整改进展情况的通报"))
    assert title.fires(evidence("正文。", "中共青川县财政局党组县委巡察反馈问题整改台账"))
    assert not title.fires(evidence("正文。", "中共清源县农业农村局党组关于县委巡察反馈意见整改工作方案"))
    assert not title.fires(evidence("正文。", "关于召开县委巡察反馈意见整改工作部署会的通知"))


NARRATIVE_EXCERPT = """（二）聚焦反馈问题，推动整改任务落地落实
1.压实意识形态工作责任。外国语学院党委修订完善《学院意识形态工作责任制实施细则》，每半年专题研判一次。
2.加强课程思政建设。针对学校党委第三巡察组反馈指出的“课程思政融入专业教学不够深入”等问题，学院立项建设示范课程4门。
二、下一步工作打算
一是持续巩固整改成果，对已完成的整改事项定期开展“回头看”。二是深化成果运用，以整改成效推动学院各项事业"""

ROUND_NEWS = """近日，县委巡察办对十五届县委第三轮巡察集中整改情况进行了汇总分析。
十五届县委第三轮巡察于2024年4月至6月开展，县委4个巡察组对12个党组织开展了常规巡察。
截至2024年11月30日，本轮巡察共反馈问题286个，已整改279个，正在整改7个，整改完成率97.55%。"""

SPOT_CHECK = """市委巡察办对七届市委第三轮巡察整改情况开展随机抽查
为推动巡察整改落地见效，近日，市委巡察办组成3个抽查组，对七届市委第三轮巡察的8个被巡察党组织整改情况开展随机抽查。
此次抽查采取“四不两直”方式，通过听取汇报、个别谈话、调阅资料等方式，检验整改成效。抽查组共发现整改不实问题6个，已下发督办函3份。"""

SELF_REPORT_CUT = """根据县委统一部署，2024年5月6日至6月28日，县委第一巡察组对我局党组开展了常规巡察。按照巡察工作有关要求，现将巡察整改进展情况予以公布。"""


@pytest.mark.parametrize(("text", "doc_type", "reason", "uncertain"), [
    (SELF_REPORT_CUT, BULLETIN, "self_report+unit_voice", False),
    (NARRATIVE_EXCERPT, BULLETIN, "rectification_narrative+rectification_narrative_rich", True),
    (ROUND_NEWS, ROUND_SUMMARY, "roll_up_figures+progress_figures", False),
    (SPOT_CHECK, NOT_BULLETIN, "third_person_news", False),
    ("今天天气很好。", NOT_BULLETIN, "no_bulletin_signal", False),
])
def test_decisions_and_their_reasons(text: str, doc_type: str, reason: str, uncertain: bool) -> None:
    parsed = parse(text)
    assert (parsed.document.doc_type, parsed.document.doc_type_reason) == (doc_type, reason)
    assert ("doc_type_uncertain" in {c.check for c in parsed.checks}) is uncertain


def test_an_uncertain_bulletin_keeps_its_fields() -> None:
    doc = parse(NARRATIVE_EXCERPT).document
    assert (doc.unit, doc.inspector, doc.rules_made) == ("外国语学院党委", "学校党委第三巡察组", None)


def test_a_look_alike_is_wiped_but_keeps_its_headline() -> None:
    doc = parse(SPOT_CHECK).document
    assert doc.title == "市委巡察办对七届市委第三轮巡察整改情况开展随机抽查"
    assert (doc.unit, doc.round, doc.problems_declared) == (None, None, None)


def test_an_index_page_is_not_a_bulletin() -> None:
    page = "\n".join(f"中共桐溪区第{n}局党组关于区委巡察整改进展情况的通报　2024-10-{n:02d}" for n in range(1, 6))
    assert parse(page).document.doc_type_reason == "index_page"


def test_normalize_keeps_the_text_typed() -> None:
    # The signals read the normalized text: Traditional characters and full-width forms too.
    text = normalize_text("現將巡察整改進展情況予以公佈。縣委第一巡察組對我局黨組開展了常規巡察。")
    assert parse(text).document.doc_type == BULLETIN


def test_roll_up_lines_hold_every_match():
    """Evidence.roll_ups counts signal_roll_up line by line, only in lines may_roll_up lets
    through: the same count as over the whole text (examples, samples, built strings)."""
    import random
    from pathlib import Path

    from extract.doctype import may_roll_up
    from extract.normalize import normalize_text
    from extract.patterns import PATTERNS
    from extract.readers.txt import decode_text
    from extract.width import fold_width

    rx = PATTERNS["signal_roll_up"].regex
    texts = [fold_width("\n".join((*PATTERNS["signal_roll_up"].examples,
                                   *PATTERNS["signal_roll_up"].counter_examples)))]
    samples = Path(__file__).resolve().parents[1] / "samples"
    texts += [fold_width(normalize_text(decode_text(p.read_bytes()))) for p in sorted(samples.glob("*.txt"))]
    rng = random.Random(15)
    pieces = ["被巡察", "被巡视", "党组织", "单位", "对", "12", "十二", "个", "家", "市直", "部门", "村", "各",
              "巡察", "巡视", "组", "本轮", "这轮", "该轮", "\n", "，", "工作"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 15))) for _ in range(20000)]
    for text in texts:
        by_line = sum(len(rx.findall(line)) for line in text.split("\n") if may_roll_up(line))
        assert by_line == len(rx.findall(text)), text
