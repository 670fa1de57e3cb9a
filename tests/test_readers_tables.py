"""Problem tables → canonical prose (extract/readers/tables.py)."""

from __future__ import annotations

from extract.document import PARAGRAPH, TABLE_ROW, Block
from extract.readers.tables import chinese_number, header_roles, linearize_tables

HEADER = ("序号", "问题类别", "反馈问题", "整改措施", "整改进展", "整改时限", "责任单位")


def row(*cells: str, page: int | None = 1) -> Block:
    return Block(" | ".join(cells), page=page, kind=TABLE_ROW, cells=tuple(cells))


def texts(blocks: list[Block]) -> list[str]:
    return [b.text for b in blocks]


def test_header_roles_recognise_synonyms_and_spaces() -> None:
    roles = header_roles(["序 号", "存在问题", "整改\n措施", "完成情况", "完成时限", "责任领导"])
    assert roles == {0: "no", 1: "problem", 2: "measures", 3: "status", 4: "deadline", 5: "leader"}
    assert header_roles(["姓名", "职务", "电话"]) is None
    assert header_roles(["序号", "问题"]) is None  # too few roles to be a problem table


def test_chinese_numbers() -> None:
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]


def test_problem_rows_become_canonical_paragraphs() -> None:
    blocks = [
        Block("二、具体问题整改情况", page=1),
        row(*HEADER),
        row("1", "政治建设方面", "学习不深入", "一是集中学习；二是专题研讨。", "已完成整改", "2024年6月", "办公室"),
        row("2", "", "制度执行不严", "修订制度", "持续整改中", "", "人事股"),  # merged category cell
        row("3", "作风建设方面", "作风不实", "", "已完成", "长期坚持", ""),
        Block("三、下一步工作打算", page=1),
    ]
    out = linearize_tables(blocks)
    assert texts(out) == [
        "二、具体问题整改情况",
        "（一）政治建设方面",
        "1. 学习不深入",
        "整改情况：已完成整改",
        "整改措施：一是集中学习；二是专题研讨。",
        "完成时限：2024年6月",
        "责任单位：办公室",
        "2. 制度执行不严",
        "整改情况：持续整改中",
        "整改措施：修订制度",
        "责任单位：人事股",
        "（二）作风建设方面",
        "3. 作风不实",
        "整改情况：已完成",
        "完成时限：长期坚持",
        "三、下一步工作打算",
    ]
    assert all(b.kind == PARAGRAPH for b in out)


def test_table_continued_on_next_page_with_repeated_header_and_split_row() -> None:
    header = ("序号", "问题", "整改措施", "完成情况")
    blocks = [
        row(*header, page=1),
        row("1.", "问题甲", "措施甲", "已完成", page=1),
        row("2、", "问题乙前半", "措施乙", "", page=1),
        row(*header, page=2),  # header repeated
        row("", "后半", "", "持续整改中", page=2),  # the rest of row 2, cut by the page break
        row("3", "问题丙", "措施丙", "已完成", page=2),
    ]
    out = linearize_tables(blocks)
    assert texts(out) == [
        "1. 问题甲", "整改情况：已完成", "整改措施：措施甲",
        "2. 问题乙前半后半", "整改情况：持续整改中", "整改措施：措施乙",
        "3. 问题丙", "整改情况：已完成", "整改措施：措施丙",
    ]
    assert [b.page for b in out if b.text.startswith("3.")] == [2]


def test_table_continued_without_header() -> None:
    header = ("序号", "问题", "整改情况", "责任单位")
    blocks = [row(*header, page=1), row("1", "甲", "已完成", "办公室", page=1),
              row("2", "乙", "已完成", "财务股", page=2)]
    assert texts(linearize_tables(blocks))[-3:] == ["2. 乙", "整改情况：已完成", "责任单位：财务股"]


def test_other_tables_stay_table_rows() -> None:
    blocks = [row("姓名", "职务", page=None), row("张三", "组长", page=None)]
    out = linearize_tables(blocks)
    assert [(b.kind, b.text) for b in out] == [(TABLE_ROW, "姓名 | 职务"), (TABLE_ROW, "张三 | 组长")]


def test_missing_number_column_counts_rows() -> None:
    out = linearize_tables([row("问题", "整改措施", "整改情况"), row("甲", "措施", "已完成")])
    assert texts(out) == ["1. 甲", "整改情况：已完成", "整改措施：措施"]


def test_issue_13_sub_numbered_rows_keep_their_written_number_and_parent() -> None:
    """Issue 13: a 序号 column with a parent row 10 and sub-rows （19）/(19) under it gave
    item 19 (colliding with problem 19, parent lost). The row keeps its written form, and
    the pipeline files it under 10 as prose does (seed items 10 and (19))."""
    from datetime import date

    from extract.document import SourceDocument
    from extract.pipeline import parse_source

    header = ("序号", "反馈问题", "整改措施", "整改情况", "完成时限")
    blocks = [
        Block("中共青岚县文化馆党支部关于县委巡察整改进展情况的通报", page=None),
        row(*header, page=None),
        row("9", "跟踪落实不够", "建立台账", "已完成", "2024年8月", page=None),
        row("10", "外事工作水平不高", "", "", "", page=None),
        row("（19）", "关于“未开展业务培训”问题", "纳入年度培训计划", "持续整改中", "2024年12月", page=None),
        row("(20)", "关于“接待规范不健全”问题", "修订接待规范", "已完成", "2024年9月", page=None),
        row("11", "主动谋划不到位", "制定工作要点", "已完成", "2024年7月", page=None),
    ]
    out = linearize_tables(blocks)
    assert texts(out)[6:8] == ["(19) 关于“未开展业务培训”问题", "整改情况：持续整改中"]
    src = SourceDocument(path="t.docx", source_format="docx", blocks=out)
    parsed = parse_source(src, "t", "t.docx", date(2026, 1, 1))
    assert [(i.item_no, i.parent_no, i.status, i.deadline) for i in parsed.items] == [
        ("9", None, "completed", "2024-08"),
        ("10", None, "unknown", None),
        ("(19)", "10", "in_progress", "2024-12"),
        ("(20)", "10", "completed", "2024-09"),
        ("11", None, "completed", "2024-07"),
    ]
