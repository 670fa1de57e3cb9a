"""The seed bulletin gives exactly the values in CONTRACT.md, field by field."""

from __future__ import annotations

from datetime import date

import pytest
from goldenlib import SAMPLES

from extract.pipeline import parse_file

SEED = SAMPLES / "000_14f26a7ea3be1e8c.txt"


@pytest.fixture(scope="module")
def seed():
    return parse_file(SEED, as_of=date(2024, 4, 20))


def test_document_fields(seed):
    d = seed.document
    assert d.doc_id == "1567a8d6c086df98"
    assert d.source_format == "txt"
    assert d.doc_type == "bulletin"
    assert d.title == "中共洛阳市委外事工作委员会办公室关于市委巡察整改进展情况的通报"
    assert d.unit == "中共洛阳市委外事工作委员会办公室"
    assert d.inspection_kind == "巡察"
    assert d.inspection_type == "常规"
    assert d.inspector == "市委第七巡察组"
    assert d.round is None
    assert (d.inspection_start, d.inspection_end) == ("2023-07-17", "2023-08-31")
    assert d.feedback_date == "2023-11-03"
    assert d.as_of_date == "2024-04-20"
    assert d.publish_date is None
    assert (d.items_declared, d.problems_declared, d.measures_declared) == (24, 56, 74)
    assert (d.problems_completed, d.problems_in_progress) == (53, 3)
    assert d.completion_rate == 94.6
    assert (d.rules_made, d.clues_received, d.people_handled) == (7, 2, 2)
    assert d.items_extracted == 27
    assert d.parse_status == "ok"


def test_sections(seed):
    got = [(s.section_no, s.title, s.items_declared, s.problems_declared, s.items_extracted)
           for s in seed.sections]
    assert got == [
        ("一", "政治建设方面的问题", 7, 12, 7),
        ("二", "履职能力方面的问题", 9, 23, 9),
        ("三", "推进全面从严治党方面的问题", 6, 19, 6),
        ("四", "落实巡察整改方面的问题", 2, 2, 2),
    ]
    assert sum(s.items_declared for s in seed.sections) == seed.document.items_declared
    assert sum(s.problems_declared for s in seed.sections) == seed.document.problems_declared


def test_item_rows(seed):
    rows = [(i.item_no, i.parent_no, i.section_no) for i in seed.items]
    expected_numbers = [str(n) for n in range(1, 11)] + ["(19)", "11", "12", "13", "(26)", "(27)"] + [
        str(n) for n in range(14, 25)]
    assert [r[0] for r in rows] == expected_numbers
    parents = {i.item_no: i.parent_no for i in seed.items}
    assert parents["(19)"] == "10" and parents["(26)"] == "13" and parents["(27)"] == "13"
    assert all(p is None for no, p in parents.items() if not no.startswith("("))
    sections = {i.item_no: i.section_no for i in seed.items}
    assert sections["7"] == "一" and sections["8"] == "二" and sections["(27)"] == "二"
    assert sections["17"] == "三" and sections["24"] == "四"


def test_statuses_and_deadlines(seed):
    items = {i.item_no: i for i in seed.items}
    for no in ("(19)", "(26)", "(27)"):
        assert items[no].status == "in_progress"
        assert items[no].deadline == "2024-12"
        assert items[no].deadline_text in ("2024年12月",)
    assert items["(19)"].status_text == "持续整改中，并已取得阶段成效"
    assert items["(26)"].status_text == "持续整改中，并长期坚持"
    assert items["13"].status == "unknown" and items["13"].status_text is None
    assert items["13"].measures_count == 0
    assert items["23"].status == "completed" and items["23"].long_term is False
    assert items["23"].status_text == "已完成整改"
    for no, item in items.items():
        if no not in ("(19)", "(26)", "(27)", "13", "23"):
            assert item.status == "completed", no
            assert item.long_term is True, no
            assert item.status_text == "已完成整改，并长期坚持", no
            assert item.deadline is None, no


def test_titles_and_offsets(seed):
    items = {i.item_no: i for i in seed.items}
    assert items["1"].title == "学习贯彻习近平总书记重要讲话精神和党的创新理论不及时、不扎实"
    assert items["3"].title == "“第一议题”制度执行不严格"
    assert items["(19)"].title == "关于“未开展全市对外工作干部队伍业务培训”问题"
    for item in seed.items:
        assert seed.text[item.char_start:item.char_end] == item.title


def test_measures(seed):
    counts = {i.item_no: i.measures_count for i in seed.items}
    assert counts["1"] == 4  # 一是…四是
    assert counts["10"] == 3  # 一是, 二是, 二是 again
    assert counts["20"] == 5  # an unlabelled first measure, then 二是…五是 (the **五是** residue)
    assert counts["23"] == 1  # measure text without enumeration
    assert counts["(27)"] == 1
    labels = [m.label for m in seed.measures if m.item_no == "20"]
    assert labels == [None, "二是", "三是", "四是", "五是"]
    for m in seed.measures:
        assert seed.text[m.char_start:m.char_end] == m.text
    assert sum(counts.values()) == len(seed.measures)


def test_overdue_against_as_of():
    later = parse_file(SEED, as_of=date(2026, 11, 27))
    overdue = [i.item_no for i in later.items if i.overdue]
    assert overdue == ["(19)", "(26)", "(27)"]
    assert {c.check for c in later.checks} == {"enumeration_duplicate", "overdue_items"}


def test_checks_one_enumeration_duplicate_and_no_false_findings(seed):
    assert [(c.check, c.item_no, c.severity) for c in seed.checks] == [
        ("enumeration_duplicate", "10", "warning")]
    assert "二是" in seed.checks[0].message
    assert not any(i.overdue for i in seed.items)
