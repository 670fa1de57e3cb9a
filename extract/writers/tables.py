"""The tables of a run: their order, column types, Chinese headers; as frames; read back.

One place for what every writer and the notebook API share: which tables a
run writes (and in which order), the type of every column, the values of a
record in column order, the Chinese column headers used by ``--headers zh``,
pandas frames with the contract's dtypes (:func:`to_frame`), and reading an
output folder's CSV files back (only the ``zhenggai report DIR`` command and
the tests do that: the writers of a run get its records). Types come from the
record dataclasses (``extract.records``) and the column specs of
``extract.analysis``; a column these do not know is text.

CSV conventions (CONTRACT.md): UTF-8 with BOM, ``true``/``false``, an empty
cell for None, dates as ISO text (kept as text, never parsed).
"""

from __future__ import annotations

import math
import operator
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extract.analysis import TABLE_COLUMNS
from extract.records import Check, DocumentFields, ErrorRow, Item, Measure, Section

if TYPE_CHECKING:
    import pandas as pd

    from extract.results import DocumentRow, RunTables

#: Tables in output order; a writer emits them in this order, then any other
#: ``*.csv`` found in the folder (alphabetically, all text).
TABLE_ORDER = (
    "documents",
    "sections",
    "items",
    "measures",
    "checks",
    "errors",
    "summary",
    "incomplete",
    "themes",
    "history",
)
RECORD_TYPES: dict[str, type] = {
    "documents": DocumentFields,
    "sections": Section,
    "items": Item,
    "measures": Measure,
    "checks": Check,
    "errors": ErrorRow,
}
CSV_ENCODING = "utf-8-sig"
TRUE_TEXT = "true"
FALSE_TEXT = "false"

#: Chinese table names (sheet captions, report headings).
TABLE_NAMES_ZH = {
    "documents": "文档",
    "sections": "问题类别",
    "items": "问题",
    "measures": "整改措施",
    "checks": "一致性核查",
    "errors": "读取错误",
    "summary": "单位汇总",
    "incomplete": "未完成问题",
    "themes": "问题主题",
    "history": "问题整改历程",
}

#: Chinese column headers for ``headers="zh"``: every column of every table.
HEADERS_ZH = {
    # documents
    "doc_id": "文档编号",
    "source_path": "源文件",
    "source_format": "文件格式",
    "doc_type": "文档类型",
    "title": "标题",
    "unit": "单位",
    "inspection_kind": "巡视巡察",
    "inspection_type": "巡察类型",
    "inspector": "巡察组",
    "round": "轮次",
    "inspection_start": "巡察开始日期",
    "inspection_end": "巡察结束日期",
    "feedback_date": "反馈日期",
    "as_of_date": "截至日期",
    "publish_date": "发布日期",
    "items_declared": "通报项数",
    "problems_declared": "通报问题数",
    "measures_declared": "通报措施数",
    "problems_completed": "通报已完成数",
    "problems_in_progress": "通报整改中数",
    "completion_rate": "通报完成率(%)",
    "rules_made": "建立制度数",
    "clues_received": "问题线索数",
    "people_handled": "组织处理人数",
    "items_extracted": "提取条目数",
    "parse_status": "解析状态",
    "tasks_declared": "通报整改任务数",
    "tasks_completed": "通报已完成任务数",
    "task_completion_rate": "任务完成率(%)",
    "categories_declared": "通报方面数",
    "problems_extracted": "提取问题数",
    "measures_extracted": "提取措施数",
    "page_count": "页数",
    "doc_type_reason": "文档类型依据",
    "leaf": "末级问题",
    "items_declared_level": "通报项数口径",
    "duplicate_of": "所属通报（保留副本编号）",
    "duplicate_score": "副本相似度",
    "unit_key": "单位归并键",
    # sections / items / measures
    "section_no": "类别序号",
    "section_title": "问题类别",
    "page": "页码",
    "char_start": "起始字符",
    "char_end": "结束字符",
    "item_index": "条目顺序",
    "item_no": "问题序号",
    "parent_no": "上级问题序号",
    "status": "整改状态",
    "status_text": "整改情况原文",
    "long_term": "长期坚持",
    "deadline_text": "完成时限原文",
    "deadline": "完成时限",
    "overdue": "已逾期",
    "measures_count": "措施数",
    "responsible_leader": "责任领导",
    "responsible_unit": "责任单位",
    "measure_no": "措施序号",
    "label": "措施标号",
    "text": "措施内容",
    # checks / errors
    "check": "核查项",
    "severity": "严重程度",
    "expected": "应为",
    "found": "实际",
    "message": "说明",
    "error": "错误类型",
    # summary
    "unit_forms": "单位名称写法",
    "bulletins": "通报期数",
    "files": "文件数",
    "problems_completed_declared": "通报已完成数",
    "problems_in_progress_declared": "通报整改中数",
    "completed": "已完成",
    "partial": "基本完成",
    "in_progress": "整改中",
    "unknown": "状态未知",
    "completion_rate_declared": "通报完成率(%)",
    "completion_rate_computed": "计算完成率(%)",
    "overdue_items": "逾期问题数",
    "checks_error": "核查错误数",
    "checks_warning": "核查警告数",
    "checks_info": "核查提示数",
    "earlier_doc_ids": "此前通报编号",
    "earlier_as_of_dates": "此前通报截至日期",
    "completion_rate_trend": "完成率变化",
    "completion_rate_change": "完成率增减",
    "trend": "趋势",
    # incomplete
    "doc_as_of_date": "通报截至日期",
    "superseded": "已有更新通报",
    "section": "问题类别",
    "days_overdue": "逾期天数",
    "as_of": "基准日期",
    # themes
    "theme": "主题",
    "units_affected": "涉及单位数",
    "items": "问题数",
    "share_of_units": "单位占比(%)",
    "keywords": "关键词",
    "example_titles": "问题示例",
    # incomplete (history)
    "first_reported": "首次通报日期",
    "days_open": "未完成天数",
    # history
    "inspection": "巡察批次",
    "problem_key": "问题跟踪编号",
    "step": "第几期通报",
    "report_date": "通报日期",
    "match_score": "标题相似度",
    "last_reported": "最近通报日期",
    "appearances": "出现期数",
    "still_open": "跨期未完成",
    "reopened": "完成后又未完成",
    "deadline_moved": "整改时限调整",
}


@dataclass
class Table:
    """One CSV table read back: typed columns and rows of Python values."""

    name: str
    columns: list[str]
    types: dict[str, type]
    frame: pd.DataFrame

    def column_values(self, column: str) -> list[Any]:
        """One column as plain Python values (None for a missing value)."""
        import pandas as pd

        series = self.frame[column]
        if self.types.get(column, str) is str:
            return series.tolist()
        return [None if v is pd.NA else v for v in series.astype(object).tolist()]

    def tuples(self) -> list[tuple[Any, ...]]:
        """Rows as tuples in column order, plain Python values."""
        return list(zip(*(self.column_values(c) for c in self.columns), strict=True))

    def rows(self) -> list[dict[str, Any]]:
        """Rows as dicts of plain Python values (None for a missing value)."""
        return [dict(zip(self.columns, values, strict=True)) for values in self.tuples()]


def to_python(value: Any) -> Any:
    """A pandas cell as a plain Python value: NA/NaN → None, numpy → builtin."""
    import pandas as pd

    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value


def _base_type(hint: Any) -> type:
    """bool/int/float/str from a (possibly optional) type hint."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        hint = args[0] if args else str
    return hint if hint in (bool, int, float) else str


def column_types(table: str) -> dict[str, type]:
    """Known column → Python type (bool, int, float or str) of a table."""
    if table in RECORD_TYPES:
        record = RECORD_TYPES[table]
        hints = typing.get_type_hints(record)
        return {f.name: _base_type(hints[f.name]) for f in fields(record)}
    if table in TABLE_COLUMNS:
        return dict(TABLE_COLUMNS[table])
    return {}


def known_columns(table: str) -> list[str]:
    """Columns a table has in the contract, in order."""
    return list(column_types(table))


#: Where one column name means something else in one table.
HEADERS_ZH_BY_TABLE = {
    ("items", "title"): "问题",
    ("incomplete", "title"): "问题",
    ("sections", "title"): "类别名称",
    ("themes", "items"): "问题数",
    ("summary", "problems_extracted"): "提取问题数(末级)",
    ("summary", "as_of_date"): "最新通报截至日期",
    ("history", "title"): "问题",
    ("history", "bulletins"): "该批次通报期数",
}


def header_zh(column: str, table: str | None = None) -> str:
    """Chinese header of a column (the English name when none is defined)."""
    if table is not None and (table, column) in HEADERS_ZH_BY_TABLE:
        return HEADERS_ZH_BY_TABLE[(table, column)]
    return HEADERS_ZH.get(column, column)


def table_paths(out_dir: Path) -> list[tuple[str, Path]]:
    """(table name, csv path) of every table present, in output order."""
    found = []
    for name in TABLE_ORDER:
        path = out_dir / f"{name}.csv"
        if path.exists():
            found.append((name, path))
    for path in sorted(out_dir.glob("*.csv")):
        if path.stem not in TABLE_ORDER:
            found.append((path.stem, path))
    return found


@cache
def _getter(record_type: type) -> Callable[[Any], tuple[Any, ...]]:
    names = [f.name for f in fields(record_type)]
    get = operator.attrgetter(*names)
    return get if len(names) > 1 else (lambda r: (get(r),))  # type: ignore[return-value]


def record_values(record: Any) -> tuple[Any, ...]:
    """A record's values in its table's column order."""
    record_type: Any = type(record)
    return _getter(record_type)(record)


def document_rows(row: DocumentRow) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(table, values) of the rows a document adds as the run goes, for a sink holding every
    table (results.xlsx, results.sqlite); its documents row comes at the end
    (:func:`closing_rows`: whether it is a copy is known only then)."""
    parsed = row.records()
    for name in ("sections", "items", "measures", "checks"):
        for record in getattr(parsed, name):
            yield name, record_values(record)
    for check in row.extra_checks:
        yield "checks", record_values(check)


def closing_rows(tables: RunTables) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(table, values) of the rows written when the run ends: the documents, the findings of
    the run's end, and the analysis tables (in each table's contract column order)."""
    for doc in tables.documents:
        yield "documents", record_values(doc)
    for check in tables.late_checks:
        yield "checks", record_values(check)
    for name, (_columns, rows) in tables.analysis().items():
        columns = known_columns(name)
        for r in rows:
            yield name, tuple(r.get(c) for c in columns)


#: pandas dtypes of the contract's column types (nullable: an empty cell is <NA>).
FRAME_DTYPES = {str: "string", int: "Int64", float: "Float64", bool: "boolean"}


def to_frame(name: str, rows: Iterable[Sequence[Any]], columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A table as a pandas DataFrame with the contract's dtypes (string, Int64, Float64,
    boolean; missing values <NA>). ``rows``: value tuples in ``columns`` order (default:
    the table's contract columns)."""
    import pandas as pd

    columns = list(columns if columns is not None else known_columns(name))
    kinds = column_types(name)
    rows = list(rows)
    data = list(zip(*rows, strict=True)) if rows else []
    frame = pd.DataFrame({c: pd.Series(list(data[i]) if data else [], dtype=object)
                          for i, c in enumerate(columns)})
    for column in columns:
        frame[column] = frame[column].astype(FRAME_DTYPES[kinds.get(column, str)])
    return frame


def _convert(series: pd.Series, kind: type) -> pd.Series:
    import pandas as pd

    text = pd.Series([None if v == "" else v for v in series.tolist()], index=series.index,
                     dtype=object)
    if kind is bool:
        mapped = text.map(
            lambda v: None if v is None else {TRUE_TEXT: True, FALSE_TEXT: False}.get(v.lower())
        )
        return mapped.astype("boolean")
    if kind is int:
        return pd.to_numeric(text, errors="coerce").astype("Int64")
    if kind is float:
        return pd.to_numeric(text, errors="coerce").astype("Float64")
    from extract.writers.csv import unescape_formula

    return pd.Series([v if v is None else unescape_formula(v) for v in text.tolist()],
                     index=series.index, dtype=object)


def read_table(name: str, path: Path) -> Table:
    """Read one CSV with the table's column types (text where unknown)."""
    import pandas as pd

    frame = pd.read_csv(
        path, encoding=CSV_ENCODING, dtype=str, keep_default_na=False, na_filter=False
    )
    kinds = column_types(name)
    col_types: dict[str, type] = {}
    for column in frame.columns:
        kind = kinds.get(column, str)
        frame[column] = _convert(frame[column], kind)
        col_types[column] = kind
    return Table(name, list(frame.columns), col_types, frame)


def read_tables(out_dir: Path) -> dict[str, Table]:
    """Every table in ``out_dir``, in output order."""
    return {name: read_table(name, path) for name, path in table_paths(Path(out_dir))}


def write_csv(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> Path:
    """Write a table the way the run does (UTF-8 with BOM, CRLF, RFC 4180).

    For tests and scripts that build an output folder without the batch run.
    """
    import csv

    from extract.writers.csv import format_value

    path = Path(path)
    with path.open("w", encoding=CSV_ENCODING, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([format_value(row.get(c)) for c in columns])
    return path
