"""Typed records for the analysis and writer tests: a small corpus by hand.

Units (as_of of the analysis: 2025-01-15):

* 洛阳市委外事办 — two bulletins under two name forms (a1 earlier, a2 latest);
  a2 has a parent item 13 (status unknown) with sub-problems (26), (27).
* 宁川县卫健局 — b1 and b2 share as_of_date; b2 is latest by publish_date;
  b2 is written in the short form 县卫健局 (joins the one long form).
* 开封市委统战部 (Traditional characters), 洛阳市委统战部, and a bare
  市委统战部 that fits both and so stays on its own.
* a bulletin without a unit, a round summary and a not_bulletin document.

Also a helper that writes an output folder as the batch run would.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from extract.records import (
    BULLETIN,
    COMPLETED,
    IN_PROGRESS,
    NOT_BULLETIN,
    PARTIAL,
    ROUND_SUMMARY,
    UNKNOWN,
    Check,
    DocumentFields,
    ErrorRow,
    Item,
    Measure,
    ParsedDocument,
    Section,
    mark_leaves,
)
from extract.results import DocumentRow, MemorySink, RunTables
from extract.writers import open_sinks

AS_OF = date(2025, 1, 15)
TRICKY_TITLE = '对<b>“三重一大”</b>事项 & 决策 "不规范"'


def doc(doc_id: str, unit: str | None, doc_type: str = BULLETIN, **kw: object) -> DocumentFields:
    return DocumentFields(
        doc_id=doc_id,
        source_path=f"{doc_id}.txt",
        source_format="txt",
        doc_type=doc_type,
        title=f"{unit or ''}关于巡察整改进展情况的通报",
        unit=unit,
        **kw,  # type: ignore[arg-type]
    )


DOCUMENTS = [
    doc("a1", "中共洛阳市委外事工作委员会办公室", as_of_date="2024-01-31", completion_rate=60.0,
        problems_declared=5),
    doc("a2", "洛阳市委外事办", as_of_date="2024-04-20", completion_rate=94.6,
        problems_declared=5, problems_completed=4, problems_in_progress=1),
    doc("b1", "中共宁川县卫生健康局党组", as_of_date="2024-06-30", publish_date="2024-07-05"),
    doc("b2", "县卫健局", as_of_date="2024-06-30", publish_date="2024-07-10",
        problems_declared=3),
    doc("c1", "中共開封市委統戰部", as_of_date="2024-03"),
    doc("d1", "中共洛阳市委统一战线工作部", as_of_date="2024-05-31"),
    doc("e1", "市委统战部", as_of_date="2024-05-31"),
    doc("r1", "中共桐溪区委", ROUND_SUMMARY, as_of_date="2024-10-31", completion_rate=97.76,
        problems_declared=312),
    doc("n1", "某某单位", NOT_BULLETIN),
    doc("u1", None),
]

_SECTIONS = {"一": "政治建设方面的问题", "二": "全面从严治党方面的问题"}


def item(doc_id: str, index: int, item_no: str, title: str, status: str,
         deadline: str | None = None, parent_no: str | None = None,
         section_no: str = "一") -> Item:
    unit = next(d.unit for d in DOCUMENTS if d.doc_id == doc_id)
    return Item(
        doc_id=doc_id, unit=unit, item_index=index, section_no=section_no,
        section_title=_SECTIONS[section_no], item_no=item_no, parent_no=parent_no,
        title=title, status=status,
        status_text={COMPLETED: "已完成整改", IN_PROGRESS: "持续整改中",
                     PARTIAL: "基本完成", UNKNOWN: None}[status],
        deadline_text=None if deadline is None else f"{deadline}前",
        deadline=deadline, page=1 if doc_id == "c1" else None,
    )


STUDY = "学习贯彻习近平总书记重要讲话精神不及时、不扎实"
FIRST_TOPIC = "“第一议题”制度执行不严格"
PARTY_FEE = "党费收缴不规范"
TWO_DUTIES = "“两个责任”落实不力"

ITEMS = [
    item("a1", 1, "1", STUDY, COMPLETED),
    item("a1", 2, "2", FIRST_TOPIC, IN_PROGRESS, "2023-12"),
    item("a1", 3, "3", PARTY_FEE, IN_PROGRESS, section_no="二"),
    item("a2", 1, "1", STUDY, COMPLETED),
    item("a2", 2, "2", FIRST_TOPIC, COMPLETED),
    item("a2", 3, "3", PARTY_FEE, IN_PROGRESS, "2024-12", section_no="二"),
    item("a2", 4, "13", "规划布局不合理", UNKNOWN, section_no="二"),
    item("a2", 5, "(26)", "谋划推动友城发展缺少整体规划", IN_PROGRESS, "2025-01", "13", "二"),
    item("a2", 6, "(27)", "与非洲至今没有结交友城", COMPLETED, parent_no="13", section_no="二"),
    item("b1", 1, "1", TWO_DUTIES, IN_PROGRESS, "2024-06"),
    item("b2", 1, "1", TWO_DUTIES, PARTIAL, "2024-02"),
    item("b2", 2, "2", "违反中央八项规定精神公务接待不规范", UNKNOWN),
    item("b2", 3, "3", "重点领域存在廉政风险", COMPLETED, section_no="二"),
    item("c1", 1, "1", TRICKY_TITLE, IN_PROGRESS, "2024"),
    item("c1", 2, "2", "意识形态工作责任制落实不到位", COMPLETED),
    item("d1", 1, "1", "意识形态阵地管理不严", IN_PROGRESS, "2024-11-30"),
    item("e1", 1, "1", "工作作风不务实", COMPLETED),
    item("n1", 1, "1", "某某问题", IN_PROGRESS, "2020-01"),
    item("u1", 1, "1", "干部选拔任用程序不规范", IN_PROGRESS),
]
for _doc in DOCUMENTS:  # the parser marks each document's leaves; so do the fixtures
    mark_leaves([it for it in ITEMS if it.doc_id == _doc.doc_id])

CHECKS = [
    Check("a1", "numbering_gap", "error", "3", "4", "序号不连续"),
    Check("a2", "numbering_gap", "error", "13", "14", "序号不连续"),
    Check("a2", "enumeration_duplicate", "warning", "三是", "二是", "措施编号“二是”重复", "10"),
    Check("b2", "overdue_items", "info", None, "1", "1个问题已逾期"),
]

MEASURES = [
    Measure("a2", "洛阳市委外事办", 3, "3", 1, "一是", "对党费缴纳标准按照规定进行了重新计算，规范党费收缴管理"),
    Measure("a2", "洛阳市委外事办", 3, "3", 2, "二是", "严格落实意识形态工作责任制，定期分析研判"),
    Measure("c1", "中共開封市委統戰部", 1, "1", 1, None, "修订“三重一大”决策制度 <试行>"),
]

SECTIONS = [
    Section(d.doc_id, d.unit, no, title)
    for d in DOCUMENTS
    if d.doc_type == BULLETIN
    for no, title in _SECTIONS.items()
]


ERRORS = [ErrorRow("broken.pdf", "encrypted", "文件已加密，请提供未加密的版本")]


def fixture_run() -> tuple[MemorySink, RunTables]:
    """The fixture corpus as a run: every document with its records, in order, and the tables."""
    memory = MemorySink()
    for doc in DOCUMENTS:
        memory.document(DocumentRow(doc, ParsedDocument(
            document=doc,
            sections=[r for r in SECTIONS if r.doc_id == doc.doc_id],
            items=[r for r in ITEMS if r.doc_id == doc.doc_id],
            measures=[r for r in MEASURES if r.doc_id == doc.doc_id],
            checks=[r for r in CHECKS if r.doc_id == doc.doc_id])))
    for error in ERRORS:
        memory.error(error)
    return memory, RunTables(AS_OF, list(DOCUMENTS), list(ITEMS), list(CHECKS), list(ERRORS))


def write_output_dir(out: Path, formats: tuple[str, ...] = ("csv",), headers: str = "en",
                     source_roots: tuple[Path, ...] = ()) -> Path:
    """Write the fixture corpus as a run's output folder, through the run's own sinks (all nine
    CSV tables, and the other formats asked for)."""
    memory, tables = fixture_run()
    sinks = open_sinks(out, formats, headers, source_roots)
    memory.replay(sinks)
    for sink in sinks:
        sink.finish(tables)
    return out
