"""report.html: one self-contained page to read a run in a browser, offline.

Drawn from a run's tables (:class:`extract.results.RunTables`, when the run
finishes) or from the CSV tables an earlier run left in a folder (``zhenggai
report DIR``). No network at all: the charts are SVG (:mod:`extract.writers.charts`), the
style and script (package data ``extract/data/report.css``, ``report.js``) are
inlined, no fonts or scripts are fetched. Every text from the data is escaped.

Sections (Chinese labels): 运行概况 (run summary), 各单位整改完成率 (bar
chart), 按问题类别的整改状态 (stacked bars), 按整改时限月份的未完成问题
(overdue over time), 问题主题 (recurring themes), 单位汇总 (per-unit table),
各单位历次通报的整改状态 and 跨期未完成问题 (a unit's bulletins over time:
:mod:`extract.writers.timeline`), 未完成问题清单 (sortable, filterable table
linking to the source file and page), 一致性核查发现 (audit findings) and
无法读取的文件 (errors). Copies of one bulletin are counted once.

Links to source files are relative to the report. ``source_path`` in the
tables is relative to the input folder the file was found in, so the writer
needs that folder: pass ``source_roots`` (the run's input folders), or it
looks in the current directory, the output folder's parent and their
immediate subfolders for the folder holding most of the sources; when none
holds them the path is shown without a link.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from extract.checks import CHECKS, SEVERITY_LABELS
from extract.records import (
    BULLETIN,
    COMPLETED,
    IN_PROGRESS,
    PARTIAL,
    ROUND_SUMMARY,
    UNKNOWN,
    ErrorRow,
)
from extract.results import DocumentRow, RunTables
from extract.writers.atomic import TEMP_PREFIX
from extract.writers.charts import (
    DECLARED_COLOR,
    NOT_DUE_COLOR,
    OVERDUE_COLOR,
    RATE_COLOR,
    THEME_COLOR,
    count_axis_max,
    e,
    hbar_chart,
    legend,
    vbar_chart,
)
from extract.writers.links import SourceLinks
from extract.writers.timeline import open_problems_section, timeline_section

FILE_NAME = "report.html"
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
#: The page's style and script, kept as package data (extract/data/).
CSS_FILE = "report.css"
JS_FILE = "report.js"
Row = dict[str, Any]
REPORT_TITLE = "巡视巡察整改进展分析报告"

STATUS_LABELS = {COMPLETED: "已完成", PARTIAL: "基本完成", IN_PROGRESS: "整改中", UNKNOWN: "未说明"}
STATUS_COLORS = {COMPLETED: "#4c9a6a", PARTIAL: "#e0b040", IN_PROGRESS: "#d9703c", UNKNOWN: "#9aa4ae"}
DOC_TYPE_LABELS = {BULLETIN: "整改通报", ROUND_SUMMARY: "轮次汇总通报", "not_bulletin": "非整改通报"}
#: Problem categories shown in the status chart; the rest are pooled as 其他.
MAX_CATEGORIES = 15
#: Themes shown in the theme chart.
MAX_THEMES = 15
#: Section titles differ in every bulletin; the status chart pools them into
#: the standard aspects of an inspection, first matching rule wins.
SECTION_CATEGORIES = (
    ("巡视巡察和审计整改", re.compile(r"整改|上轮")),
    ("组织路线与干部队伍", re.compile(r"组织路线|干部队伍|领导班子|基层党组织|基层组织|基层党建|选人用人|组织建设")),
    ("全面从严治党", re.compile(r"从严治党|两个责任|廉洁|廉政|作风|八项规定|党风|纪律")),
    ("贯彻落实党中央决策部署", re.compile(
        r"决策部署|路线方针政策|政治建设|党的领导|教育方针|立德树人|创新理论|意识形态|政策落实|工作要求")),
)
OTHER_CATEGORY = "履职尽责与业务工作"
UNSECTIONED = "（未分类）"


# ------------------------------------------------------------------ helpers


def _fmt_num(value: Any, decimals: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{decimals}f}"
    return str(value)


def _rows(data: Mapping[str, list[Row]], name: str) -> list[Row]:
    return data.get(name, [])


# ----------------------------------------------------------------- sections


def _category(section: str | None) -> str:
    """The standard inspection aspect a section title belongs to (first rule
    that matches, see SECTION_CATEGORIES); business sections fall to the last."""
    if not section:
        return UNSECTIONED
    for name, pattern in SECTION_CATEGORIES:
        if pattern.search(section):
            return name
    return OTHER_CATEGORY


def _latest_doc_ids(summary: list[dict[str, Any]]) -> set[str]:
    return {r["doc_id"] for r in summary if r.get("doc_id")}


def _leaf_rows(items: list[Row], doc_ids: set[str]) -> list[Row]:
    """The problems (``leaf``: extract.records.mark_leaves) of the given documents."""
    return [r for r in items if r["doc_id"] in doc_ids and r.get("leaf", True)]


def _completion_section(summary: list[dict[str, Any]]) -> str:
    units = [r for r in summary if r.get("doc_type") == BULLETIN]
    if not units:
        return '<p class="empty">没有可比较的整改通报。</p>'
    units.sort(key=lambda r: (r.get("completion_rate_computed") is None,
                              r.get("completion_rate_computed") or 0.0, r.get("unit_key") or ""))
    labels = [r.get("unit_key") or r.get("unit") or f"（未识别单位 {r['doc_id']}）" for r in units]
    computed = [r.get("completion_rate_computed") or 0.0 for r in units]
    declared = [r.get("completion_rate_declared") for r in units]
    chart = hbar_chart(labels, [("计算完成率", RATE_COLOR, computed)], 100.0, "%",
                       markers=declared, marker_name="通报完成率", chart_id="chart-completion",
                       decimals=1)
    key = legend([("计算完成率（已完成的末级问题 ÷ 提取的末级问题）", RATE_COLOR),
                  ("通报所述完成率", DECLARED_COLOR)])
    return key + chart


TREND_LABELS = {"improving": "上升", "declining": "下降", "unchanged": "持平"}


def _summary_table(summary: list[dict[str, Any]], links: SourceLinks) -> str:
    if not summary:
        return '<p class="empty">没有整改通报。</p>'
    columns = [
        ("单位", "text"), ("类型", "text"), ("通报期数", "num"), ("最新截至日期", "text"),
        ("通报问题数", "num"), ("提取问题数", "num"), ("已完成", "num"), ("基本完成", "num"),
        ("整改中", "num"), ("通报完成率(%)", "num"), ("计算完成率(%)", "num"), ("逾期", "num"),
        ("核查错误", "num"), ("核查警告", "num"), ("完成率变化", "text"), ("来源", "text"),
    ]
    head = "".join(f'<th data-type="{kind}">{e(name)}</th>' for name, kind in columns)
    body = []
    for r in summary:
        forms = r.get("unit_forms") or ""
        trend = r.get("completion_rate_trend")
        trend_text = f"{trend}（{TREND_LABELS.get(r.get('trend') or '', '')}）" if trend else ""
        cells = [
            f'<td title="{e(forms)}">{e(r.get("unit_key") or r.get("unit") or "（未识别单位）")}</td>',
            f"<td>{e(DOC_TYPE_LABELS.get(r.get('doc_type') or '', r.get('doc_type')))}</td>",
        ]
        for key in ("bulletins",):
            cells.append(f'<td class="num">{e(r.get(key))}</td>')
        cells.append(f"<td>{e(r.get('as_of_date'))}</td>")
        for key in ("problems_declared", "problems_extracted", "completed", "partial",
                    "in_progress"):
            cells.append(f'<td class="num">{e(r.get(key))}</td>')
        for key in ("completion_rate_declared", "completion_rate_computed"):
            value = r.get(key)
            cells.append(f'<td class="num" data-sort="{"" if value is None else value}">'
                         f"{_fmt_num(value)}</td>")
        for key in ("overdue_items", "checks_error", "checks_warning"):
            cells.append(f'<td class="num">{e(r.get(key))}</td>')
        cells.append(f"<td>{e(trend_text)}</td>")
        cells.append(f"<td>{_source_cell(links, r.get('source_path'), None)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<div class="scroll"><table class="sortable" id="summary-table"><thead><tr>'
        f'{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
        '<p class="note">每个单位一行，取其最新一期通报；单位名称的不同写法已归并（鼠标悬停可见原写法）。'
        "轮次汇总通报单列一行，不与单位通报合并。</p>"
    )


def _status_section(items: list[dict[str, Any]], summary: list[dict[str, Any]]) -> str:
    leaves = _leaf_rows(items, _latest_doc_ids(summary))
    if not leaves:
        return '<p class="empty">没有提取到问题条目。</p>'
    per_category: dict[str, Counter[str]] = {}
    for row in leaves:
        per_category.setdefault(_category(row.get("section_title")), Counter())[row["status"]] += 1
    ranked = sorted(per_category.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    if len(ranked) > MAX_CATEGORIES:
        rest: Counter[str] = Counter()
        for _, counts in ranked[MAX_CATEGORIES - 1 :]:
            rest.update(counts)
        ranked = ranked[: MAX_CATEGORIES - 1] + [("其他", rest)]
    labels = [name for name, _ in ranked]
    series = [
        (STATUS_LABELS[s], STATUS_COLORS[s], [float(c[s]) for _, c in ranked])
        for s in (COMPLETED, PARTIAL, IN_PROGRESS, UNKNOWN)
    ]
    max_total = max(sum(c.values()) for _, c in ranked)
    key = legend([(STATUS_LABELS[s], STATUS_COLORS[s]) for s in STATUS_LABELS])
    note = ('<p class="note">各通报的大类标题各不相同，按关键词归入巡视巡察通常的几个方面；'
            "只计末级问题（有子问题的条目按子问题计）。</p>")
    return key + hbar_chart(labels, series, count_axis_max(max_total),
                               chart_id="chart-status") + note


def _deadline_month(deadline: str | None) -> str | None:
    if not deadline:
        return None
    return deadline[:7] if len(deadline) >= 7 else f"{deadline[:4]}-12"


def _overdue_section(incomplete: list[dict[str, Any]]) -> str:
    current = [r for r in incomplete if not r.get("superseded")]
    months: dict[str, Counter[str]] = {}
    for row in current:
        month = _deadline_month(row.get("deadline"))
        if month:
            months.setdefault(month, Counter())["overdue" if row.get("overdue") else "due"] += 1
    undated = sum(1 for r in current if not _deadline_month(r.get("deadline")))
    note = f'<p class="note">另有 {undated} 个未完成问题未写明整改时限（或为长期坚持）。</p>'
    if not months:
        return '<p class="empty">没有写明整改时限的未完成问题。</p>' + note
    labels = sorted(months)
    series = [
        ("已逾期", OVERDUE_COLOR, [months[m]["overdue"] for m in labels]),
        ("未到期", NOT_DUE_COLOR, [months[m]["due"] for m in labels]),
    ]
    key = legend([("已逾期", OVERDUE_COLOR), ("未到期", NOT_DUE_COLOR)])
    return key + vbar_chart(labels, series, chart_id="chart-overdue") + note


def _themes_section(themes: list[dict[str, Any]]) -> str:
    if not themes:
        return '<p class="empty">没有可归类的问题。</p>'
    shown = themes[:MAX_THEMES]
    chart = hbar_chart([r["theme"] for r in shown],
                       [("涉及单位数", THEME_COLOR, [float(r["units_affected"]) for r in shown])],
                       count_axis_max(max(r["units_affected"] for r in shown)),
                       chart_id="chart-themes")
    rows = "".join(
        f"<tr><td>{e(r['theme'])}</td><td class=num>{e(r['units_affected'])}</td>"
        f"<td class=num>{e(r['items'])}</td><td class=num>{_fmt_num(r['share_of_units'])}</td>"
        f"<td>{e(r.get('keywords'))}</td><td>{e(r.get('example_titles'))}</td></tr>"
        for r in themes
    )
    table = (
        '<table class="sortable" id="themes-table"><thead><tr>'
        '<th data-type="text">主题</th><th data-type="num">涉及单位数</th>'
        '<th data-type="num">问题数</th><th data-type="num">单位占比(%)</th>'
        '<th data-type="text">关键词</th><th data-type="text">问题示例</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )
    return chart + table


def _source_cell(links: SourceLinks, source_path: str | None, page: int | None) -> str:
    href = links.href(source_path, page)
    text = e(source_path) + (f"（第{page}页）" if page else "")
    if href is None:
        return text
    return f'<a href="{e(href)}">{text}</a>'


def _incomplete_section(incomplete: list[dict[str, Any]], links: SourceLinks) -> str:
    statuses = sorted({r["status"] for r in incomplete}, key=lambda s: list(STATUS_LABELS).index(s)
                      if s in STATUS_LABELS else 99)
    options = "".join(
        f'<option value="{e(s)}">{e(STATUS_LABELS.get(s, s))}</option>' for s in statuses
    )
    controls = (
        '<div class="controls">'
        '<label>筛选：<input type="search" id="incomplete-filter" '
        'placeholder="输入单位、问题或类别中的文字"></label>'
        f'<label>状态：<select id="incomplete-status"><option value="">全部</option>{options}'
        "</select></label>"
        '<label><input type="checkbox" id="incomplete-overdue"> 只看已逾期</label>'
        '<label><input type="checkbox" id="incomplete-current"> 只看各单位最新通报</label>'
        f'<span id="incomplete-count">显示 {len(incomplete)} / {len(incomplete)} 条</span>'
        "</div>"
    )
    body = []
    for r in incomplete:
        days = r.get("days_overdue")
        classes = []
        if r.get("overdue"):
            classes.append("late")
        if r.get("superseded"):
            classes.append("old")
        unit = r.get("unit") or "（未识别单位）"
        superseded = '<span class="tag">已有更新通报</span>' if r.get("superseded") else ""
        body.append(
            f'<tr class="{" ".join(classes)}" data-status="{e(r["status"])}" '
            f'data-overdue="{"1" if r.get("overdue") else "0"}" '
            f'data-superseded="{"1" if r.get("superseded") else "0"}">'
            f"<td>{e(unit)}{superseded}</td>"
            f"<td>{e(r.get('section'))}</td>"
            f"<td>{e(r.get('item_no'))}</td>"
            f"<td>{e(r.get('title'))}</td>"
            f'<td data-sort="{e(r["status"])}">{e(STATUS_LABELS.get(r["status"], r["status"]))}'
            f'<div class="sub">{e(r.get("status_text"))}</div></td>'
            f'<td data-sort="{e(r.get("deadline") or "")}">{e(r.get("deadline_text") or r.get("deadline"))}</td>'
            f'<td class="num" data-sort="{"" if days is None else days}">'
            f"{'—' if days is None else days}</td>"
            f"<td>{_source_cell(links, r.get('source_path'), r.get('page'))}</td>"
            "</tr>"
        )
    table = (
        '<table class="sortable" id="incomplete-table"><thead><tr>'
        '<th data-type="text">单位</th><th data-type="text">问题类别</th>'
        '<th data-type="text">序号</th><th data-type="text">问题</th>'
        '<th data-type="text">整改状态</th><th data-type="text">完成时限</th>'
        '<th data-type="num">逾期天数</th><th data-type="text">来源（页码）</th>'
        f'</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )
    return controls + table


def _checks_section(checks: list[dict[str, Any]], documents: list[dict[str, Any]],
                    links: SourceLinks) -> str:
    if not checks:
        return '<p class="empty">核查未发现问题。</p>'
    docs = {d["doc_id"]: d for d in documents}
    order = {s: i for i, s in enumerate(SEVERITY_LABELS)}
    rows = []
    for c in sorted(checks, key=lambda c: (order.get(c["severity"], 9), c["doc_id"])):
        doc = docs.get(c["doc_id"], {})
        rows.append(
            f'<tr class="sev-{e(c["severity"])}"><td>{e(doc.get("unit") or "（未识别单位）")}</td>'
            f'<td data-sort="{order.get(c["severity"], 9)}">'
            f"{e(SEVERITY_LABELS.get(c['severity'], c['severity']))}</td>"
            f"<td>{e(CHECKS[c['check']].label if c['check'] in CHECKS else c['check'])}"
            f'<div class="sub">{e(c["check"])}</div></td><td>{e(c.get("item_no"))}</td>'
            f"<td>{e(c.get('expected'))}</td><td>{e(c.get('found'))}</td>"
            f"<td>{e(c.get('message'))}</td>"
            f"<td>{_source_cell(links, doc.get('source_path'), None)}</td></tr>"
        )
    return (
        '<table class="sortable" id="checks-table"><thead><tr>'
        '<th data-type="text">单位</th><th data-type="num">严重程度</th><th data-type="text">核查项</th>'
        '<th data-type="text">问题序号</th><th data-type="text">应为</th><th data-type="text">实际</th>'
        '<th data-type="text">说明</th><th data-type="text">来源</th>'
        f'</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _errors_section(errors: list[dict[str, Any]]) -> str:
    if not errors:
        return '<p class="empty">所有文件均已读取。</p>'
    rows = "".join(
        f"<tr><td>{e(r.get('source_path'))}</td><td>{e(r.get('error'))}</td>"
        f"<td>{e(r.get('message'))}</td></tr>"
        for r in errors
    )
    return (
        '<table id="errors-table"><thead><tr><th>文件</th><th>错误类型</th><th>说明</th></tr>'
        f"</thead><tbody>{rows}</tbody></table>"
    )


def _run_summary(tables: Mapping[str, list[Row]]) -> str:
    documents = _rows(tables, "documents")
    summary = _rows(tables, "summary")
    incomplete = _rows(tables, "incomplete")
    items = _rows(tables, "items")
    current = [r for r in incomplete if not r.get("superseded")]
    by_type = Counter(d.get("doc_type") for d in documents if not d.get("duplicate_of"))
    by_parse = Counter(d.get("parse_status") for d in documents)
    leaves = _leaf_rows(items, _latest_doc_ids(summary))
    as_of = next((r["as_of"] for r in incomplete if r.get("as_of")), None)
    copies = sum(1 for d in documents if d.get("duplicate_of"))
    followed = {r["problem_key"] for r in _rows(tables, "history") if r.get("still_open")}
    cards = [
        ("输入文档", len(documents)),
        ("其中重复副本（只计一次）", copies),
        ("读取失败", len(_rows(tables, "errors"))),
        (DOC_TYPE_LABELS[BULLETIN], by_type.get(BULLETIN, 0)),
        (DOC_TYPE_LABELS[ROUND_SUMMARY], by_type.get(ROUND_SUMMARY, 0)),
        (DOC_TYPE_LABELS["not_bulletin"], by_type.get("not_bulletin", 0)),
        ("单位", sum(1 for r in summary if r.get("doc_type") == BULLETIN)),
        ("问题（各单位最新通报，末级）", len(leaves)),
        ("未完成问题", len(current)),
        ("已逾期", sum(1 for r in current if r.get("overdue"))),
        ("跨期未完成问题", len(followed)),
        ("核查发现", len(_rows(tables, "checks"))),
    ]
    html = '<div class="cards">' + "".join(
        f'<div class="card"><b>{e(v)}</b><span>{e(k)}</span></div>' for k, v in cards
    ) + "</div>"
    parse = "、".join(f"{e(k)} {v}" for k, v in sorted(by_parse.items(), key=lambda kv: str(kv[0])))
    html += (
        f'<p class="note">逾期基准日期：{e(as_of or "—")}；解析状态：{parse or "—"}。'
        "“未完成问题”与“已逾期”只计各单位最新一期通报；清单中也列出被更新通报取代的旧条目（灰色）。</p>"
    )
    return html


# ---------------------------------------------------------------- the page

def _asset(name: str) -> str:
    return (DATA_DIR / name).read_text(encoding="utf-8")


def render(tables: Mapping[str, list[Row]], links: SourceLinks, generated: datetime | None = None) -> str:
    """The whole page as a string, from the tables' rows (documents, items, checks, errors,
    summary, incomplete, themes, history)."""
    summary = _rows(tables, "summary")
    incomplete = _rows(tables, "incomplete")
    generated = generated or datetime.now()
    sections = [
        ("run-summary", "运行概况", _run_summary(tables)),
        ("completion", "各单位整改完成率", _completion_section(summary)),
        ("status-mix", "按问题类别的整改状态（各单位最新通报）",
         _status_section(_rows(tables, "items"), summary)),
        ("overdue", "按整改时限月份的未完成问题", _overdue_section(incomplete)),
        ("themes", "问题主题（跨单位复现）", _themes_section(_rows(tables, "themes"))),
        ("summary", "单位汇总", _summary_table(summary, links)),
        ("timeline", "各单位历次通报的整改状态",
         timeline_section(_rows(tables, "history"), STATUS_LABELS, STATUS_COLORS)),
        ("open-across", "跨期未完成问题",
         open_problems_section(_rows(tables, "history"), incomplete, STATUS_LABELS,
                               lambda path, page: _source_cell(links, path, page))),
        ("incomplete", "未完成问题清单", _incomplete_section(incomplete, links)),
        ("checks", "一致性核查发现",
         _checks_section(_rows(tables, "checks"), _rows(tables, "documents"), links)),
        ("errors", "无法读取的文件", _errors_section(_rows(tables, "errors"))),
    ]
    body = "".join(
        f'<section id="{sid}"><h2>{e(title)}</h2>{content}</section>'
        for sid, title, content in sections
    )
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="icon" href="data:,"><title>{e(REPORT_TITLE)}</title>'
        f"<style>{_asset(CSS_FILE)}</style></head><body>"
        f"<header><h1>{e(REPORT_TITLE)}</h1>"
        f"<p>由 zhenggai 生成于 {e(generated.strftime('%Y-%m-%d %H:%M'))}，"
        "可离线打开，图表与数据均内嵌于本文件。</p></header>"
        f"<main>{body}</main><script>{_asset(JS_FILE)}</script></body></html>\n"
    )


def write_report(out_dir: Path, tables: Mapping[str, list[Row]], source_roots: Sequence[Path] = (),
                 link_dir: Path | None = None) -> Path:
    """Write ``out_dir/report.html`` from the tables' rows (under a hidden name, then renamed).

    ``source_roots``: the run's input folders, to link source files; when
    empty they are guessed (see the module docstring). ``link_dir``: the folder
    the report will be read from, when it is written elsewhere first (staging).
    """
    out_dir = Path(out_dir)
    paths = [r.get("source_path") for r in _rows(tables, "documents")]
    links = SourceLinks(Path(link_dir or out_dir), [p for p in paths if p],
                        [Path(r) for r in source_roots])
    path = out_dir / FILE_NAME
    tmp = path.with_name(f"{TEMP_PREFIX}{FILE_NAME}")
    tmp.write_text(render(tables, links), encoding="utf-8")
    tmp.replace(path)
    return path


#: The tables the report reads.
REPORT_TABLES = ("documents", "items", "checks", "errors", "summary", "incomplete", "themes",
                 "history")


class HtmlSink:
    """Writes report.html when the run finishes, from what the run found."""

    needs_records = False
    needs_checks = True
    needs_analysis = True

    def __init__(self, out_dir: Path, source_roots: Sequence[Path] = (),
                 link_dir: Path | None = None) -> None:
        self.out_dir = Path(out_dir)
        self.source_roots = list(source_roots)
        self.link_dir = link_dir

    def document(self, row: DocumentRow) -> None:
        pass  # the report is drawn from the run's tables at the end

    def error(self, row: ErrorRow) -> None:
        pass

    def finish(self, tables: RunTables) -> list[Path]:
        data = {name: tables.rows(name) for name in REPORT_TABLES}
        return [write_report(self.out_dir, data, self.source_roots or tables.source_roots,
                             self.link_dir)]

    def discard(self) -> None:
        pass


def write(out_dir: Path, source_roots: Sequence[Path] = ()) -> Path:
    """Write ``out_dir/report.html`` from the CSV tables an earlier run left in ``out_dir``
    (``zhenggai report DIR``)."""
    from extract.writers.tables import read_tables

    tables = read_tables(Path(out_dir))
    data = {name: tables[name].rows() if name in tables else [] for name in REPORT_TABLES}
    return write_report(Path(out_dir), data, source_roots)
