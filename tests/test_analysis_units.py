"""Unit-name folding and grouping (unit_key), deadlines (extract.dates), leaf items."""

from __future__ import annotations

from datetime import date

import pytest
from test_analysis_fixtures import DOCUMENTS, ITEMS

from extract.analysis import leaf_items
from extract.dates import days_past, period_end
from extract.units import group_documents, merge_short_keys, unit_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("中共洛阳市委外事工作委员会办公室", "洛阳市委外事办"),
        ("洛阳市委外事办", "洛阳市委外事办"),
        ("中共洛阳市委统一战线工作部", "洛阳市委统战部"),
        ("洛阳市委统战部", "洛阳市委统战部"),
        ("中共宁川县卫生健康局党组", "宁川县卫健局"),
        ("宁川县卫生健康局机关党委", "宁川县卫健局"),
        ("市卫健委党委", "市卫健委"),
        ("中共桐溪区委员会", "桐溪区委"),
        ("中共桐溪区委", "桐溪区委"),
        ("區文旅體局黨組", "区文旅体局"),
        ("中共開封市委統戰部", "开封市委统战部"),
        ("ＸＸ市 委统战部", "XX市委统战部"),
        ("洛阳市人民政府办公室", "洛阳市政府办"),
        (" 中共 洛阳市纪律检查委员会 ", "洛阳市纪委"),
        ("中共鹤川市第二人民医院委员会", "鹤川市第二人民医院"),
        ("鹤川市第二人民医院党委", "鹤川市第二人民医院"),
        ("中共青石镇委员会", "青石镇"),
        ("青石镇党委", "青石镇"),
        ("中共云岭交通投资集团有限公司委员会", "云岭交通投资集团有限公司"),
        ("中共宁川县委员会", "宁川县委"),
        ("中共石桥县第一中学总支部委员会", "石桥县第一中学"),
        ("中共临江区江滨街道工作委员会", "临江区江滨街道"),
        ("中共桃源经济技术开发区工作委员会", "桃源经开区"),
        ("桃源经开区党工委", "桃源经开区"),
        ("中共柳湾镇前营村支部委员会", "柳湾镇前营村"),
        ("中共清源市委市直机关工作委员会", "清源市委市直机关工委"),
        ("中共岷川县公安局委员会", "岷川县公安局"),
        ("岷川县公安局党委", "岷川县公安局"),
        ("中共中国兴农银行股份有限公司江陵分行委员会", "中国兴农银行股份有限公司江陵分行"),
        ("中共江州市中级人民法院党组", "江州市中级法院"),
        ("中共宁川县卫生健康委员会党组", "宁川县卫健委"),
        (None, None),
    ],
)
def test_unit_key_folds_forms(name: str | None, key: str | None) -> None:
    assert unit_key(name) == key


def test_unit_key_keeps_different_units_apart() -> None:
    keys = {unit_key(n) for n in ("洛阳市委统战部", "开封市委统战部", "洛阳市委外事办",
                                  "洛阳市委组织部", "洛阳市卫健委", "洛阳市卫健局")}
    assert len(keys) == 6


def test_short_form_joins_the_single_long_form_only() -> None:
    mapping = merge_short_keys(
        ["洛阳市委外事办", "市委外事办", "市委统战部", "洛阳市委统战部", "开封市委统战部",
         "宁川县卫健局", "县卫健局", "市委组织部"]
    )
    assert mapping["市委外事办"] == "洛阳市委外事办"
    assert mapping["县卫健局"] == "宁川县卫健局"
    assert mapping["市委统战部"] == "市委统战部"  # fits 洛阳 and 开封: stays apart
    assert mapping["市委组织部"] == "市委组织部"  # no long form
    # A short form without the level character of the place.
    mapping = merge_short_keys(["柘岭县石门镇", "石门镇", "青石镇", "临江市第一人民医院",
                                "鹤川市第一人民医院", "第一人民医院", "洛阳市委办", "委办"])
    assert mapping["石门镇"] == "柘岭县石门镇"
    assert mapping["青石镇"] == "青石镇"
    assert mapping["第一人民医院"] == "第一人民医院"  # two cities have one
    assert mapping["委办"] == "委办"  # 洛阳市 + 委办 is the city's office, no short form
    # An organ name in front is no place name.
    assert merge_short_keys(["市委办", "政府办市委办"])["市委办"] == "市委办"


def test_groups_latest_and_order() -> None:
    groups = {(g.doc_type, g.key): [d.doc_id for d in g.docs] for g in group_documents(DOCUMENTS)}
    assert groups == {
        ("bulletin", "洛阳市委外事办"): ["a1", "a2"],
        ("bulletin", "宁川县卫健局"): ["b1", "b2"],  # same as_of, b2 published later
        ("bulletin", "开封市委统战部"): ["c1"],
        ("bulletin", "洛阳市委统战部"): ["d1"],
        ("bulletin", "市委统战部"): ["e1"],
        ("bulletin", None): ["u1"],
        ("round_summary", "桐溪区委"): ["r1"],
    }


def test_round_summary_never_merges_with_bulletins() -> None:
    from extract.records import DocumentFields

    docs = [
        DocumentFields("x", "x.txt", "txt", "bulletin", unit="中共桐溪区委", as_of_date="2024-01"),
        DocumentFields("y", "y.txt", "txt", "round_summary", unit="中共桐溪区委员会"),
    ]
    groups = group_documents(docs)
    assert [(g.doc_type, g.key, len(g.docs)) for g in groups] == [
        ("bulletin", "桐溪区委", 1),
        ("round_summary", "桐溪区委", 1),
    ]


@pytest.mark.parametrize(
    ("deadline", "end"),
    [
        ("2024", date(2024, 12, 31)),
        ("2024-02", date(2024, 2, 29)),
        ("2023-02", date(2023, 2, 28)),
        ("2024-12", date(2024, 12, 31)),
        ("2024-11-30", date(2024, 11, 30)),
        (None, None),
        ("", None),
        ("长期坚持", None),
        ("2024-13", None),
    ],
)
def test_deadline_end(deadline: str | None, end: date | None) -> None:
    assert period_end(deadline) == end


def test_days_overdue_arithmetic() -> None:
    as_of = date(2025, 1, 15)
    assert days_past("2024-02", as_of) == 321  # from 2024-02-29
    assert days_past("2023-12", as_of) == 381  # 2024 is a leap year
    assert days_past("2024", as_of) == 15
    assert days_past("2024-12", as_of) == 15
    assert days_past("2025-01", as_of) == 0  # month not over yet
    assert days_past("2025-01-15", as_of) == 0  # due today is not late
    assert days_past("2025-01-14", as_of) == 1
    assert days_past(None, as_of) is None


def test_leaf_items_drop_parents_only() -> None:
    a2 = [it for it in ITEMS if it.doc_id == "a2"]
    assert [it.item_no for it in leaf_items(a2)] == ["1", "2", "3", "(26)", "(27)"]
    # A parent number in another document does not make a parent here.
    assert [it.item_no for it in leaf_items([it for it in ITEMS if it.doc_id == "a1"])] == [
        "1", "2", "3"]
