"""Consistency audit: declared figures against each other and against what was extracted.

Every finding has a stable name (the ``check`` column), registered once in
:data:`CHECKS` with its severity and its Chinese label (the report shows the
label), and a Chinese message a reader can act on. Only contradictions are
reported: a figure the document does not state is never a finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from extract.records import (
    BULLETIN,
    IN_PROGRESS,
    LEVEL_CATEGORY,
    PARTIAL,
    Check,
    DocumentFields,
    Item,
    Measure,
    Section,
)

ERROR, WARNING, INFO = "error", "warning", "info"
#: Severities in the order a reader should look at them, with their Chinese labels.
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告", INFO: "提示"}


@dataclass(frozen=True)
class CheckSpec:
    name: str  # the stable name in checks.csv
    severity: str  # error, warning, info (a use may be milder: a per-section count is a warning)
    label: str  # Chinese, for the report


#: Every finding zhenggai reports. Adding one: register it here first.
CHECKS: dict[str, CheckSpec] = {spec.name: spec for spec in (
    CheckSpec("section_items_mismatch", ERROR, "类别条目数不符"),
    CheckSpec("section_problems_mismatch", ERROR, "类别问题数不符"),
    CheckSpec("problems_sum_mismatch", ERROR, "问题数合计不符"),
    CheckSpec("completion_rate_mismatch", ERROR, "完成率不符"),
    CheckSpec("items_count_mismatch", WARNING, "问题项数与所列不符"),
    CheckSpec("in_progress_count_mismatch", WARNING, "整改中数量不符"),
    CheckSpec("numbering_gap", WARNING, "序号缺漏"),
    CheckSpec("numbering_duplicate", WARNING, "序号重复"),
    CheckSpec("enumeration_duplicate", WARNING, "措施编号重复"),
    CheckSpec("overdue_items", WARNING, "逾期未完成"),
    CheckSpec("doc_type_uncertain", INFO, "文档类型存疑"),
    CheckSpec("duplicate_file", INFO, "重复文件"),
    CheckSpec("text_lost", WARNING, "文字缺失"),
    CheckSpec("encoding_repaired", INFO, "编码已修复"),
    CheckSpec("near_duplicate", INFO, "同一通报的副本"),
)}


def finding(doc_id: str, name: str, expected: object, found: object, message: str,
            item_no: str | None = None, severity: str | None = None) -> Check:
    """A registered finding (its default severity unless a milder one is given)."""
    spec = CHECKS[name]  # KeyError: an unregistered check name
    return Check(doc_id, name, severity or spec.severity, _s(expected), _s(found), message, item_no)


def leaf_items(items: list[Item]) -> list[Item]:
    """Items that are problems themselves (:func:`extract.records.mark_leaves`)."""
    return [i for i in items if i.leaf]


def audit(doc: DocumentFields, sections: list[Section], items: list[Item], measures: list[Measure],
          cut: bool = False) -> list[Check]:
    """The findings for one document. ``cut``: the text stops early (an excerpt), so what it
    lists is not compared with what it declares."""
    checks: list[Check] = []

    def add(name: str, severity: str, expected: object, found: object, message: str,
            item_no: str | None = None) -> None:
        checks.append(finding(doc.doc_id, name, expected, found, message, item_no, severity))

    # items_declared counts the groups the problems were declared in: 项, or 方面 (then it is
    # the number of category sections, not of items).
    by_category = doc.items_declared is not None and doc.items_declared_level == LEVEL_CATEGORY
    # Declared section counts against the declared totals.
    if sections and all(s.items_declared is not None for s in sections) and doc.items_declared is not None \
            and not by_category:
        total = sum(s.items_declared or 0 for s in sections)
        if total != doc.items_declared:
            add("section_items_mismatch", ERROR, doc.items_declared, total,
                f"各类别标注的问题项数合计为{total}项，与通报所述{doc.items_declared}项不一致，请核对原文。")
    if sections and all(s.problems_declared is not None for s in sections) and doc.problems_declared is not None:
        total = sum(s.problems_declared or 0 for s in sections)
        if total != doc.problems_declared:
            add("section_problems_mismatch", ERROR, doc.problems_declared, total,
                f"各类别标注的具体问题数合计为{total}个，与通报所述{doc.problems_declared}个不一致，请核对原文。")
    for s in sections if not cut else ():
        if s.items_declared is not None and s.items_extracted and s.items_extracted != s.items_declared:
            top = s.items_extracted
            add("section_items_mismatch", WARNING, s.items_declared, top,
                f"类别（{s.section_no}）{s.title}标注{s.items_declared}项，但正文列出{top}项，请核对是否漏列或编号有误。")
    # Completed + in progress against declared problems.
    if None not in (doc.problems_completed, doc.problems_in_progress, doc.problems_declared):
        done, todo, total = doc.problems_completed or 0, doc.problems_in_progress or 0, doc.problems_declared or 0
        if done + todo != total:
            add("problems_sum_mismatch", ERROR, total, done + todo,
                f"已完成{done}个与未完成{todo}个之和为{done + todo}个，与反馈问题总数{total}个不符。")
    # Stated rate against the counts.
    if doc.completion_rate is not None and doc.problems_completed is not None and doc.problems_declared:
        computed = 100 * doc.problems_completed / doc.problems_declared
        if not _rate_agrees(doc.completion_rate, computed):
            add("completion_rate_mismatch", ERROR, f"{computed:.2f}", doc.completion_rate,
                f"按已完成{doc.problems_completed}个/总数{doc.problems_declared}个计算，完成率应为{computed:.2f}%，"
                f"通报写为{doc.completion_rate}%。")
    # Declared items against the items listed (declared 方面 against the category sections).
    top_items = [i for i in items if i.parent_no is None]
    if cut:
        pass
    elif by_category:
        if sections and len(sections) != doc.items_declared:
            add("items_count_mismatch", WARNING, doc.items_declared, len(sections),
                f"通报称反馈问题分{doc.items_declared}个方面，正文列出{len(sections)}个类别，请核对是否漏列。")
    elif doc.items_declared is not None and top_items and len(top_items) != doc.items_declared:
        add("items_count_mismatch", WARNING, doc.items_declared, len(top_items),
            f"通报称反馈问题{doc.items_declared}项，正文逐项列出{len(top_items)}项，请核对是否漏列。")
    # Stated in-progress count against items whose status is not completed.
    if doc.problems_in_progress is not None and items and not cut:
        open_items = [i for i in leaf_items(items) if i.status in (IN_PROGRESS, PARTIAL)]
        if any(i.status_text for i in items) and len(open_items) != doc.problems_in_progress:
            add("in_progress_count_mismatch", WARNING, doc.problems_in_progress, len(open_items),
                f"通报称{doc.problems_in_progress}个问题仍在整改，正文中标注未完成的问题为{len(open_items)}个。")
    checks.extend(_numbering(doc, items))
    checks.extend(_enumeration(doc, items, measures))
    return checks


#: Overdue problems named in the finding's message (the rest are counted).
OVERDUE_NAMED = 10


def overdue_items(doc_id: str, item_nos: Sequence[str]) -> Check:
    """Problems past their deadline and not completed on the run's date (extract/dated.py:
    the one finding that depends on --as-of, made when the document is written)."""
    nos = "、".join(item_nos[:OVERDUE_NAMED])
    return finding(doc_id, "overdue_items", 0, len(item_nos),
                   f"有{len(item_nos)}个问题已过承诺完成时限仍未完成整改（{nos}），请跟踪督办。")


def doc_type_uncertain(doc: DocumentFields, reason: str) -> Check:
    """The document was kept as a bulletin on weak evidence (see extract/doctype.py)."""
    return finding(doc.doc_id, "doc_type_uncertain", BULLETIN, reason,
                   f"文档类型判断依据较弱（{reason}），暂按通报处理并保留提取结果，请人工确认是否为整改通报。")


def duplicate_file(doc_id: str, first_path: str, source_path: str) -> Check:
    """A file whose bytes are those of an earlier file: parsed once, listed under both names."""
    return finding(doc_id, "duplicate_file", first_path, source_path,
                   f"与“{first_path}”内容完全相同，只解析一次，明细见该文件。")


def encoding_repaired(doc_id: str, repaired: int) -> Check:
    """A few bytes were not text in the encoding of the rest (or NUL): left out of the text."""
    return finding(doc_id, "encoding_repaired", 0, repaired,
                   f"文件中有{repaired}个字节无法按全文的编码解码（文件可能损坏或被截断），已略去这些字节，"
                   f"其余文字照常读出；如损坏处有关键信息，请核对原文。")


def text_lost(doc_id: str, visible: int, kept: int) -> Check:
    """The reader kept much less text than the file visibly holds (see pipeline.TEXT_LOST_SHARE)."""
    return finding(doc_id, "text_lost", visible, kept,
                   f"文件中可见文字约{visible}字，只读出{kept}字，可能有大段文字未能读取"
                   f"（如网页嵌套过深、版式异常），提取结果不完整，请核对原文。")


def near_duplicate(doc_id: str, kept_id: str, kept_path: str, score: float) -> Check:
    """A file whose text is nearly that of another (another format, a re-post, a mirror): one
    bulletin, counted once, under the copy kept (extract/copies.py)."""
    return finding(doc_id, "near_duplicate", kept_id, f"{score:.3f}",
                   f"与“{kept_path}”为同一份通报的不同副本（文本相似度{score:.2f}），"
                   "统计时只计一次，以该文件为准。")


def _rate_agrees(stated: float, computed: float) -> bool:
    decimals = max(0, -Decimal(str(stated)).as_tuple().exponent)  # type: ignore[operator]
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(computed)).quantize(quantum, rounding=ROUND_HALF_UP)
    return abs(float(rounded) - stated) <= float(quantum) + 1e-9 or abs(computed - stated) < 0.1


def _numbering(doc: DocumentFields, items: list[Item]) -> list[Check]:
    out: list[Check] = []
    from extract.numerals import to_int

    top = [i for i in items if i.parent_no is None]
    prev: Item | None = None
    for item in top:
        n = to_int(item.item_no)
        p = to_int(prev.item_no) if prev else None
        if n is not None and p is not None:
            new_section = prev is not None and prev.section_no != item.section_no
            if n == p:
                out.append(finding(doc.doc_id, "numbering_duplicate", p + 1, item.item_no,
                                   f"问题序号{item.item_no}重复出现，请核对原文编号。", item.item_no))
            elif n != p + 1 and not (new_section and n == 1):
                out.append(finding(doc.doc_id, "numbering_gap", p + 1, item.item_no,
                                   f"问题序号从{prev.item_no if prev else ''}跳到{item.item_no}，中间可能漏列问题或编号有误。",
                                   item.item_no))
        prev = item
    return out


def _enumeration(doc: DocumentFields, items: list[Item], measures: list[Measure]) -> list[Check]:
    out: list[Check] = []
    by_item: dict[int, list[str]] = {}
    for m in measures:
        if m.label and m.label.endswith("是"):
            by_item.setdefault(m.item_index, []).append(m.label)
    index = {i.item_index: i for i in items}
    for idx, labels in by_item.items():
        counted: dict[str, int] = {}  # (a Counter per item costs more than the count)
        for label in labels:
            counted[label] = counted.get(label, 0) + 1
        for label, n in counted.items():
            if n > 1:
                item = index[idx]
                out.append(finding(doc.doc_id, "enumeration_duplicate", f"{label}×1", f"{label}×{n}",
                                   f"问题{item.item_no}的整改措施中“{label}”出现{n}次，措施序号可能有误。",
                                   item.item_no))
    return out


def _s(value: object) -> str | None:
    return None if value is None else str(value)


__all__ = ["CHECKS", "SEVERITY_LABELS", "audit", "doc_type_uncertain", "duplicate_file",
           "encoding_repaired", "finding", "leaf_items", "near_duplicate", "overdue_items",
           "text_lost"]
