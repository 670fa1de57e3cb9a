"""Document fields in the shapes of real publications: units in their fullest form, inspectors
as named, declared groups, rounds, texts cut short (the rules of issue 10, one by one)."""

from __future__ import annotations

from datetime import date

import pytest

from extract.document import Block, SourceDocument
from extract.pipeline import parse_source
from extract.records import LEVEL_CATEGORY, LEVEL_ITEM, DocumentFields


def doc(text: str) -> DocumentFields:
    src = SourceDocument("t.txt", "txt", [Block(line) for line in text.strip().split("\n")])
    return parse_source(src, "0" * 16, "t.txt", date(2026, 11, 27)).document


OPENING = "根据县委统一部署，2024年9月9日至10月25日，{inspector}对{unit}开展了常规巡察。现将巡察整改进展情况予以公布。"


def test_the_title_gives_the_fuller_unit_than_the_opening() -> None:
    d = doc("中共沣源县发展和改革局党组关于县委巡察整改进展情况的通报\n"
            + OPENING.format(inspector="县委第三巡察组", unit="县发改局党组"))
    assert d.unit == "中共沣源县发展和改革局党组"


def test_a_red_header_gives_the_fuller_unit() -> None:
    d = doc("中共沣源县发展和改革局党组文件\n" + OPENING.format(inspector="县委第三巡察组", unit="县发改局党组"))
    assert d.unit == "中共沣源县发展和改革局党组"


@pytest.mark.parametrize(("written", "unit"), [
    ("中共澜江市委政法委员会（以下简称市委政法委）及所属2家事业单位", "中共澜江市委政法委员会"),
    ("市文化和旅游局和6个局属单位", "市文化和旅游局"),
    ("澜江城建集团公司和所属3家子公司", "澜江城建集团公司"),
])
def test_aliases_and_subordinate_units_stay_out_of_the_unit(written: str, unit: str) -> None:
    assert doc(OPENING.format(inspector="市委第四巡察组", unit=written)).unit == unit


def test_a_self_reference_is_no_unit() -> None:
    assert doc(OPENING.format(inspector="市委第一巡察组", unit="本行党委")).unit is None


@pytest.mark.parametrize(("written", "inspector"), [
    ("七届县委第九轮巡察第三组", "七届县委第九轮巡察第三组"),
    ("区委文化旅游体育领域资金使用管理和安全生产专项巡察组", "区委文化旅游体育领域资金使用管理和安全生产专项巡察组"),
    ("市委深化“放管服”改革、优化营商环境专项巡察组", "市委深化“放管服”改革、优化营商环境专项巡察组"),
    ("市委巡察机构", "市委巡察机构"),
])
def test_inspectors_are_kept_whole(written: str, inspector: str) -> None:
    assert doc(OPENING.format(inspector=written, unit="县交通运输局党组")).inspector == inspector


def test_no_verb_before_the_inspecting_committee() -> None:
    d = doc("县教体局党组高度重视，现就落实县委第二巡察组反馈意见整改情况予以公布。")
    assert d.inspector == "县委第二巡察组"


def test_a_numbered_group_named_later_wins_over_a_generic_one() -> None:
    d = doc("2024年3月，省委巡视组对集团党委开展了常规巡视。集团党委就落实省委第五巡视组反馈意见召开党委会议。"
            "现将集中整改进展情况予以公开。")
    assert d.inspector == "省委第五巡视组"


@pytest.mark.parametrize(("count", "items", "categories", "level"), [
    ("反馈了六个方面的问题", 6, 6, LEVEL_CATEGORY),
    ("反馈了3个方面11个问题", 3, 3, LEVEL_CATEGORY),
    ("指出了3大类11个方面19个问题", 11, 3, LEVEL_CATEGORY),
    ("反馈了24项56个具体问题", 24, None, LEVEL_ITEM),
    ("共反馈问题4项，局党组梳理形成具体问题17个", 4, None, LEVEL_ITEM),
])
def test_declared_groups(count: str, items: int, categories: int | None, level: str) -> None:
    d = doc(f"县委第三巡察组对我局开展了常规巡察，{count}。现将整改进展情况予以公布。")
    assert (d.items_declared, d.categories_declared, d.items_declared_level) == (items, categories, level)


def test_specific_problems_of_a_grouped_count() -> None:
    d = doc("巡察组共反馈问题4项，我局党组逐条梳理，共形成具体问题17个。现将整改进展情况予以公布。")
    assert d.problems_declared == 17


def test_the_round_in_its_fullest_form() -> None:
    d = doc("宁川县委第六轮巡察集中整改工作取得阶段性成效\n"
            "近日，十五届县委第六轮巡察集中整改工作基本完成。县委4个巡察组对12个党组织开展了常规巡察，"
            "本轮巡察反馈问题共436个，已完成整改419个，正在整改17个，整改完成率96.10%。")
    assert (d.doc_type, d.round, d.unit, d.inspector) == ("round_summary", "十五届县委第六轮", "宁川县委",
                                                         "县委4个巡察组")
    assert d.title == "宁川县委第六轮巡察集中整改工作取得阶段性成效"


@pytest.mark.parametrize(("ending", "status"), [
    ("一是开展物业服务质量专项检查，对全区68个住宅小区", "partial"),  # mid-sentence
    ("二、巡视反馈意见整改落实情况", "partial"),  # a heading with nothing under it
    ("", "partial"),  # right after the opening that announces the report
    ("欢迎广大干部群众监督。\n中共平川县交通运输局党组\n2025年3月18日", "ok"),
])
def test_a_text_cut_short_is_partial(ending: str, status: str) -> None:
    text = OPENING.format(inspector="县委第三巡察组", unit="县交通运输局党组") + ("\n" + ending if ending else "")
    assert doc(text).parse_status == status


def test_a_cut_text_is_not_checked_against_its_declared_counts() -> None:
    text = ("县委第三巡察组对我局开展了常规巡察，反馈了5项18个问题。现将整改进展情况通报如下：\n"
            "1.学习贯彻不够深入。\n整改情况：已完成整改。\n2.耕地保护责任落实不到位。\n整改情况：正在整改，已完成排查图斑312个")
    src = SourceDocument("t.txt", "txt", [Block(line) for line in text.split("\n")])
    parsed = parse_source(src, "0" * 16, "t.txt", date(2026, 11, 27))
    assert parsed.document.parse_status == "partial"
    assert "items_count_mismatch" not in {c.check for c in parsed.checks}
