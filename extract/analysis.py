"""Across units: the summary per unit and the list of problems not completed.

Pure functions on typed records (``DocumentFields``, ``Item`` or the compact
``KeptItem`` the batch keeps, ``Check``): :func:`build_tables` returns
summary, incomplete and themes (:mod:`extract.themes`) as (columns, rows).
The rules they apply live in their own rooms: a unit and its documents
(:mod:`extract.units`: folded names, short forms, copies of one bulletin, the
latest bulletin), a problem (``Item.leaf``, :func:`extract.records.mark_leaves`),
overdue (:mod:`extract.dates`).

* A file that is a copy of another (``duplicate_of``: :mod:`extract.copies`) is
  counted under the copy kept: each bulletin once.
* A unit's bulletins about one inspection are followed problem by problem
  (:mod:`extract.history`): history.csv, and incomplete.csv's ``first_reported`` and
  ``days_open``.
* Only ``bulletin`` documents make unit rows; a ``round_summary`` makes its own
  row (never merged with bulletins of the same body); ``not_bulletin``
  documents are left out.
* Problem counts and computed completion rates count leaf items only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from extract import history as problem_history
from extract.dates import days_past, is_overdue
from extract.records import (
    BULLETIN,
    COMPLETED,
    IN_PROGRESS,
    PARTIAL,
    ROUND_SUMMARY,
    UNKNOWN,
    Check,
    DocumentFields,
    Item,
)
from extract.themes import THEMES_COLUMNS, themes
from extract.units import GROUPED_DOC_TYPES, UnitGroup, group_documents, unit_key

#: Joins lists inside one CSV cell (unit forms, earlier documents).
LIST_SEPARATOR = "；"
#: Arrow between successive values of a trend.
TREND_ARROW = " → "
#: Decimals of percentages (completion rates).
RATE_DECIMALS = 1
#: Severities of checks.csv, counted per unit.
SEVERITIES = ("error", "warning", "info")
#: Document types that make rows of summary.csv, in row-group order.
SUMMARY_DOC_TYPES = GROUPED_DOC_TYPES
#: Document types whose items are analysed.
ITEM_DOC_TYPES = (BULLETIN, ROUND_SUMMARY)

# Column specs: (name, type) with type one of str, int, float, bool.
# extract/writers/tables.py reads these to type the CSV columns.
SUMMARY_COLUMNS: list[tuple[str, type]] = [
    ("unit_key", str),
    ("unit", str),
    ("unit_forms", str),
    ("doc_type", str),
    ("bulletins", int),
    ("files", int),
    ("doc_id", str),
    ("source_path", str),
    ("title", str),
    ("inspection_kind", str),
    ("inspector", str),
    ("feedback_date", str),
    ("as_of_date", str),
    ("publish_date", str),
    ("problems_declared", int),
    ("problems_extracted", int),
    ("problems_completed_declared", int),
    ("problems_in_progress_declared", int),
    ("completed", int),
    ("partial", int),
    ("in_progress", int),
    ("unknown", int),
    ("completion_rate_declared", float),
    ("completion_rate_computed", float),
    ("overdue_items", int),
    ("checks_error", int),
    ("checks_warning", int),
    ("checks_info", int),
    ("earlier_doc_ids", str),
    ("earlier_as_of_dates", str),
    ("completion_rate_trend", str),
    ("completion_rate_change", float),
    ("trend", str),
]
INCOMPLETE_COLUMNS: list[tuple[str, type]] = [
    ("unit_key", str),
    ("unit", str),
    ("doc_id", str),
    ("source_path", str),
    ("doc_as_of_date", str),
    ("superseded", bool),
    ("section_no", str),
    ("section", str),
    ("item_no", str),
    ("parent_no", str),
    ("title", str),
    ("status", str),
    ("status_text", str),
    ("deadline_text", str),
    ("deadline", str),
    ("overdue", bool),
    ("days_overdue", int),
    ("as_of", str),
    ("page", int),
    ("first_reported", str),
    ("days_open", int),
]
TABLE_COLUMNS: dict[str, list[tuple[str, type]]] = {
    "summary": SUMMARY_COLUMNS,
    "incomplete": INCOMPLETE_COLUMNS,
    "themes": THEMES_COLUMNS,
    "history": problem_history.HISTORY_COLUMNS,
}

# Trend words of summary.csv.
TREND_UP = "improving"
TREND_DOWN = "declining"
TREND_FLAT = "unchanged"

Row = dict[str, Any]
Table = tuple[list[str], list[Row]]


def leaf_items(items: Sequence[Item]) -> list[Item]:
    """Items that are problems themselves (the one rule: :func:`extract.records.mark_leaves`)."""
    return [it for it in items if it.leaf]


def _as_float(value: float | None) -> float | None:
    return None if value is None else float(value)


def _rate(numerator: int, denominator: int) -> float | None:
    if denominator <= 0:
        return None
    return round(100.0 * numerator / denominator, RATE_DECIMALS)


def _unit_forms(group: UnitGroup) -> str | None:
    forms: list[str] = []
    for doc in [*reversed(group.docs), *group.copies]:
        if doc.unit and doc.unit not in forms:
            forms.append(doc.unit)
    return LIST_SEPARATOR.join(forms) if forms else None


def _doc_index(groups: Sequence[UnitGroup]) -> dict[str, tuple[UnitGroup, bool]]:
    """doc_id → (its group, whether a later document of the group exists)."""
    index = {}
    for group in groups:
        for doc in group.docs:
            index[doc.doc_id] = (group, doc is not group.latest)
    return index


# ------------------------------------------------------------------- summary


def _fmt_rate(rate: float | None) -> str:
    return "?" if rate is None else f"{rate:.{RATE_DECIMALS}f}"


def summary(
    documents: Sequence[DocumentFields], items: Sequence[Item], checks: Sequence[Check], as_of: date,
    groups: Sequence[UnitGroup] | None = None,
) -> Table:
    """One row per unit from its latest bulletin, with the trend over its earlier ones.

    Rows: bulletin units first, then round summaries; within each, the lowest
    completion rate (declared, else computed) first, units without a rate last,
    then by unit_key.
    """
    if groups is None:
        groups = group_documents(documents)
    leaves_by_doc: dict[str, list[Item]] = defaultdict(list)
    for it in leaf_items(items):
        leaves_by_doc[it.doc_id].append(it)
    checks_by_doc: dict[str, Counter[str]] = defaultdict(Counter)
    for chk in checks:
        checks_by_doc[chk.doc_id][chk.severity] += 1

    def computed_rate(doc: DocumentFields) -> float | None:
        leaves = leaves_by_doc.get(doc.doc_id, [])
        return _rate(sum(it.status == COMPLETED for it in leaves), len(leaves))

    def effective_rate(doc: DocumentFields) -> float | None:
        declared = _as_float(doc.completion_rate)
        return declared if declared is not None else computed_rate(doc)

    rows: list[Row] = []
    for group in groups:
        doc = group.latest
        leaves = leaves_by_doc.get(doc.doc_id, [])
        status_counts = Counter(it.status for it in leaves)
        overdue = sum(
            1
            for it in leaves
            if is_overdue(it.status, it.deadline, as_of)
        )
        earlier = group.docs[:-1]
        history = [effective_rate(d) for d in group.docs]
        change = None
        trend = None
        if earlier and history[-1] is not None and history[-2] is not None:
            change = round(history[-1] - history[-2], RATE_DECIMALS)
            trend = TREND_UP if change > 0 else TREND_DOWN if change < 0 else TREND_FLAT
        severity_counts = checks_by_doc.get(doc.doc_id, Counter())
        rows.append(
            {
                "unit_key": group.key,
                "unit": doc.unit,
                "unit_forms": _unit_forms(group),
                "doc_type": group.doc_type,
                "bulletins": len(group.docs),
                "files": len(group.docs) + len(group.copies),
                "doc_id": doc.doc_id,
                "source_path": doc.source_path,
                "title": doc.title,
                "inspection_kind": doc.inspection_kind,
                "inspector": doc.inspector,
                "feedback_date": doc.feedback_date,
                "as_of_date": doc.as_of_date,
                "publish_date": doc.publish_date,
                "problems_declared": doc.problems_declared,
                "problems_extracted": len(leaves),
                "problems_completed_declared": doc.problems_completed,
                "problems_in_progress_declared": doc.problems_in_progress,
                "completed": status_counts[COMPLETED],
                "partial": status_counts[PARTIAL],
                "in_progress": status_counts[IN_PROGRESS],
                "unknown": status_counts[UNKNOWN],
                "completion_rate_declared": _as_float(doc.completion_rate),
                "completion_rate_computed": computed_rate(doc),
                "overdue_items": overdue,
                "checks_error": severity_counts["error"],
                "checks_warning": severity_counts["warning"],
                "checks_info": severity_counts["info"],
                "earlier_doc_ids": LIST_SEPARATOR.join(d.doc_id for d in earlier) or None,
                "earlier_as_of_dates": LIST_SEPARATOR.join(d.as_of_date or "?" for d in earlier)
                or None,
                "completion_rate_trend": TREND_ARROW.join(_fmt_rate(r) for r in history)
                if earlier
                else None,
                "completion_rate_change": change,
                "trend": trend,
            }
        )

    def row_order(row: Row) -> tuple[int, int, float, str, str]:
        rate = row["completion_rate_declared"]
        if rate is None:
            rate = row["completion_rate_computed"]
        return (
            SUMMARY_DOC_TYPES.index(row["doc_type"]),
            rate is None,
            rate if rate is not None else 0.0,
            row["unit_key"] or "",
            row["doc_id"],
        )

    rows.sort(key=row_order)
    return [name for name, _ in SUMMARY_COLUMNS], rows


# ---------------------------------------------------------------- incomplete


def incomplete(
    documents: Sequence[DocumentFields], items: Sequence[Item], as_of: date,
    history: problem_history.History | None = None,
    groups: Sequence[UnitGroup] | None = None,
) -> Table:
    """Every item not completed, across all units and bulletins.

    ``first_reported``: the date of the first bulletin of the unit listing the problem
    (its sequence, :mod:`extract.history`; else the item's own bulletin); ``days_open``:
    days from then to the bulletin reporting it completed, or to ``as_of`` while none has.

    Left out: parents with status unknown whose sub-problems are listed
    (the sub-problems carry the statuses), items of not_bulletin documents
    and of files that are copies of a listed bulletin (same bulletin in
    another format, see :func:`group_documents`). ``superseded`` marks items of a bulletin that a later bulletin
    of the same unit replaces; they sort after the current ones. Order:
    current before superseded, most days overdue first (no deadline last),
    then unit_key, document, item order.
    """
    if groups is None:
        groups = group_documents(documents)
    if history is None:
        history = problem_history.build(documents, items, groups)
    index = _doc_index(groups)
    copies = {d.doc_id for g in groups for d in g.copies} - set(index)
    copies |= {d.doc_id for d in documents if d.duplicate_of is not None} - set(index)
    docs_by_id = {d.doc_id: d for d in documents if d.duplicate_of is None}
    keyed: list[tuple[tuple[Any, ...], Row]] = []
    for it in items:
        if it.status == COMPLETED or it.doc_id in copies or not it.leaf:
            continue
        doc = docs_by_id.get(it.doc_id)
        if doc is not None and doc.doc_type not in ITEM_DOC_TYPES:
            continue
        group, superseded = index.get(it.doc_id, (None, False))
        key = group.key if group else unit_key(it.unit)
        late = days_past(it.deadline, as_of)
        first = history.first_reported(it.doc_id, it.item_index)
        days_open = history.days_open(it.doc_id, it.item_index, as_of)
        if first is None and doc is not None:  # not in a unit's sequence: its own bulletin
            first = problem_history.report_date(doc)
            days_open = days_past(first, as_of) if first else None
        row = {
            "unit_key": key,
            "unit": (doc.unit if doc else None) or it.unit,
            "doc_id": it.doc_id,
            "source_path": doc.source_path if doc else None,
            "doc_as_of_date": doc.as_of_date if doc else None,
            "superseded": superseded,
            "section_no": it.section_no,
            "section": it.section_title,
            "item_no": it.item_no,
            "parent_no": it.parent_no,
            "title": it.title,
            "status": it.status,
            "status_text": it.status_text,
            "deadline_text": it.deadline_text,
            "deadline": it.deadline,
            "overdue": bool(late),
            "days_overdue": late,
            "as_of": as_of.isoformat(),
            "page": it.page,
            "first_reported": first,
            "days_open": days_open,
        }
        sort_key = (
            superseded,
            late is None,
            -(late or 0),
            key or "",
            (doc.as_of_date or "") if doc else "",
            it.doc_id,
            it.item_index,
        )
        keyed.append((sort_key, row))
    keyed.sort(key=lambda kr: kr[0])
    return [name for name, _ in INCOMPLETE_COLUMNS], [row for _, row in keyed]


# --------------------------------------------------------------------- entry


def build_tables(
    documents: list[DocumentFields], items: list[Item], checks: list[Check], as_of: date
) -> dict[str, Table]:
    """The cross-unit tables: {"summary", "incomplete", "themes", "history"} →
    (column names, rows with JSON-able values). The units' groups are made once for all."""
    groups = group_documents(documents)
    history = problem_history.build(documents, items, groups)
    return {
        "summary": summary(documents, items, checks, as_of, groups),
        "incomplete": incomplete(documents, items, as_of, history, groups),
        "themes": themes(documents, items, groups=groups),
        "history": problem_history.history_table(history),
    }
