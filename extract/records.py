"""Typed records: one dataclass per output table row.

Field order is column order in every writer. The names and vocabularies are
the contract (shared CONTRACT.md, machine-readable in ``schemas/``): add
fields freely, never rename or drop one without a migration note.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

# Item status vocabulary.
COMPLETED = "completed"
PARTIAL = "partial"
IN_PROGRESS = "in_progress"
UNKNOWN = "unknown"
STATUSES = (COMPLETED, PARTIAL, IN_PROGRESS, UNKNOWN)

# Document types.
BULLETIN = "bulletin"
ROUND_SUMMARY = "round_summary"
NOT_BULLETIN = "not_bulletin"
DOC_TYPES = (BULLETIN, ROUND_SUMMARY, NOT_BULLETIN)

# What items_declared counts: the 项 of 24项56个具体问题, or the 方面 of 3个方面11个问题.
LEVEL_ITEM = "item"
LEVEL_CATEGORY = "category"

# Parse status.
OK = "ok"
PARTIAL_PARSE = "partial"
FAILED = "failed"


@dataclass(slots=True)
class DocumentFields:
    doc_id: str
    source_path: str
    source_format: str
    doc_type: str = NOT_BULLETIN
    title: str | None = None
    unit: str | None = None
    inspection_kind: str | None = None  # 巡视 / 巡察
    inspection_type: str | None = None  # 常规, 专项, 机动, 回头看, 提级, 联动 …
    inspector: str | None = None
    round: str | None = None
    inspection_start: str | None = None
    inspection_end: str | None = None
    feedback_date: str | None = None
    as_of_date: str | None = None
    publish_date: str | None = None
    items_declared: int | None = None
    problems_declared: int | None = None
    measures_declared: int | None = None
    problems_completed: int | None = None
    problems_in_progress: int | None = None
    completion_rate: float | None = None
    rules_made: int | None = None
    clues_received: int | None = None
    people_handled: int | None = None
    items_extracted: int = 0
    parse_status: str = OK
    # Extensions beyond the first contract (see CHANGELOG).
    tasks_declared: int | None = None  # 整改任务 … 项 (tasks are not problems)
    tasks_completed: int | None = None
    task_completion_rate: float | None = None  # a rate stated over tasks, not problems
    categories_declared: int | None = None  # X个方面 / X大类
    problems_extracted: int = 0  # leaf items (problems) found
    measures_extracted: int = 0
    page_count: int | None = None
    doc_type_reason: str | None = None  # the signals that decided doc_type (extract/doctype.py)
    items_declared_level: str | None = None  # what items_declared counts: item (项) or category (方面)
    # Decided by the run across files (extract/copies.py), never by one file's parse: the doc_id
    # of the copy kept when this file is a copy of a bulletin listed under another file (another
    # format, a re-post, a mirror, or the same bytes), and how alike their texts are (0–1).
    duplicate_of: str | None = None
    duplicate_score: float | None = None


@dataclass(slots=True)
class Section:
    doc_id: str
    unit: str | None
    section_no: str  # 一
    title: str  # 政治建设方面的问题
    items_declared: int | None = None  # （7项12个具体问题）
    problems_declared: int | None = None
    items_extracted: int = 0
    page: int | None = None
    char_start: int | None = None
    char_end: int | None = None


@dataclass(slots=True)
class Item:
    doc_id: str
    unit: str | None
    item_index: int  # 1-based order in the document: the join key to measures
    section_no: str | None
    section_title: str | None
    item_no: str  # 1, 24, (19)
    parent_no: str | None
    title: str
    status: str = UNKNOWN
    status_text: str | None = None
    long_term: bool = False
    deadline_text: str | None = None
    deadline: str | None = None
    overdue: bool = False
    measures_count: int = 0
    page: int | None = None
    char_start: int | None = None
    char_end: int | None = None
    # Extensions.
    responsible_leader: str | None = None  # 责任领导：
    responsible_unit: str | None = None  # 责任单位/责任部门/责任股室：
    #: A problem itself: false for a heading over sub-problems that states no status of its own
    #: (the seed's 13 over (26), (27)); what every count of problems counts (see mark_leaves).
    leaf: bool = True


@dataclass(slots=True)
class Measure:
    doc_id: str
    unit: str | None
    item_index: int
    item_no: str
    measure_no: int  # 1-based order within the item
    label: str | None  # 一是 / 二是 …; None for an unlabelled first measure
    text: str
    page: int | None = None
    char_start: int | None = None
    char_end: int | None = None


@dataclass(slots=True)
class Check:
    doc_id: str
    check: str
    severity: str  # error, warning, info
    expected: str | None
    found: str | None
    message: str
    item_no: str | None = None  # where the finding is about one item


@dataclass(slots=True)
class ErrorRow:
    source_path: str
    error: str
    message: str
    doc_id: str | None = None


@dataclass(slots=True)
class ParsedDocument:
    """Everything extracted from one input file."""

    document: DocumentFields
    sections: list[Section] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    text: str = ""  # the normalized text that char offsets point into
    #: The source was written in Traditional characters (a mirror site's conversion): ranks
    #: copies of one bulletin (extract/copies.py); not an output column.
    traditional: bool = False


def mark_leaves(items: list[Item]) -> None:
    """Set ``leaf`` on the items of one document: an item is a problem itself unless other
    items are its sub-problems and it states no status of its own (then it only groups
    them). The one rule for "a problem": documents' problems_extracted, the summary's
    counts and rates, the report, the incomplete list and the SQL view all read ``leaf``."""
    parents = {i.parent_no for i in items if i.parent_no}
    for item in items:
        item.leaf = not (item.parent_no is None and item.item_no in parents and item.status_text is None)


def column_names(record_type: type) -> list[str]:
    """Column order of a record type's table."""
    return [f.name for f in fields(record_type)]
