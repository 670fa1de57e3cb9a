"""report.html: one self-contained page to read a run in a browser, offline.

Built from the CSV tables of the output folder (``extract.writers.tables``).
No network at all: the charts are SVG drawn here, CSS and JavaScript are
inline, no fonts or scripts are fetched. Every text from the data is escaped.

Sections (Chinese labels): 运行概况 (run summary), 各单位整改完成率 (bar
chart), 按问题类别的整改状态 (stacked bars), 按整改时限月份的未完成问题
(overdue over time), 问题主题 (recurring themes), 单位汇总 (per-unit table),
未完成问题清单 (sortable, filterable table linking to the source file and
page), 一致性核查发现 (audit findings) and 无法读取的文件 (errors).

Links to source files are relative to the report. ``source_path`` in the
tables is relative to the input folder the file was found in, so the writer
needs that folder: pass ``source_roots`` (the run's input folders), or it
looks in the current directory, the output folder's parent and their
immediate subfolders for the folder holding most of the sources; when none
holds them the path is shown without a link.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from extract.records import BULLETIN, COMPLETED, IN_PROGRESS, PARTIAL, ROUND_SUMMARY, UNKNOWN
from extract.writers.tables import Table, read_tables
from extract.writers.xlsx import display_width

FILE_NAME = "report.html"
REPORT_TITLE = "巡视巡察整改进展分析报告"

STATUS_LABELS = {COMPLETED: "已完成", PARTIAL: "基本完成", IN_PROGRESS: "整改中", UNKNOWN: "未说明"}
STATUS_COLORS = {COMPLETED: "#4c9a6a", PARTIAL: "#e0b040", IN_PROGRESS: "#d9703c", UNKNOWN: "#9aa4ae"}
CHECK_LABELS = {
    "section_items_mismatch": "类别条目数不符",
    "problems_sum_mismatch": "问题数合计不符",
    "completion_rate_mismatch": "完成率不符",
    "numbering_gap": "序号缺漏",
    "numbering_duplicate": "序号重复",
    "enumeration_duplicate": "措施编号重复",
    "in_progress_count_mismatch": "整改中数量不符",
    "overdue_items": "逾期未完成",
}
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
DOC_TYPE_LABELS = {BULLETIN: "整改通报", ROUND_SUMMARY: "轮次汇总通报", "not_bulletin": "非整改通报"}
OVERDUE_COLOR = "#c0392b"
NOT_DUE_COLOR = "#7f9cc0"
RATE_COLOR = "#3b78b0"
DECLARED_COLOR = "#1d2b3a"
THEME_COLOR = "#8e6bb0"

#: Chart geometry, in CSS pixels.
CHART_WIDTH = 760
BAR_HEIGHT = 18
BAR_GAP = 6
LABEL_MAX_PX = 260
#: Pixels per display-width unit of label text (13px font: CJK ≈ 13, Latin ≈ 6.5).
PX_PER_WIDTH_UNIT = 6.5
AXIS_HEIGHT = 24
#: Count-axis steps above this are rounded to half powers of ten (5, 10, 50 …).
NICE_STEP_FROM = 10
#: Problem categories shown in the status chart; the rest are pooled as 其他.
MAX_CATEGORIES = 15
#: Themes shown in the theme chart.
MAX_THEMES = 15
#: Subfolders looked at per candidate folder when guessing the input folder.
MAX_ROOT_CANDIDATES = 200
#: Source paths tried per candidate folder.
ROOT_PROBE_PATHS = 25
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


def _e(value: Any) -> str:
    """Escaped text of a value; '' for None."""
    return "" if value is None else escape(str(value), quote=True)


def _fmt_num(value: Any, decimals: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{decimals}f}"
    return str(value)


def _truncate(label: str, max_px: float) -> str:
    if display_width(label) * PX_PER_WIDTH_UNIT <= max_px:
        return label
    out = ""
    for ch in label:
        if display_width(out + ch + "…") * PX_PER_WIDTH_UNIT > max_px:
            break
        out += ch
    return out + "…"


def _label_width(labels: Sequence[str]) -> float:
    widest = max((display_width(label) for label in labels), default=4) * PX_PER_WIDTH_UNIT
    return min(LABEL_MAX_PX, widest + 8)


def _rows(tables: dict[str, Table], name: str) -> list[dict[str, Any]]:
    return tables[name].rows() if name in tables else []


# ------------------------------------------------------------------- charts


def hbar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float]]],
    max_value: float,
    unit: str = "",
    markers: Sequence[float | None] | None = None,
    marker_name: str = "",
    chart_id: str = "",
    decimals: int = 0,
) -> str:
    """Horizontal (stacked) bars as inline SVG.

    ``series``: (name, colour, one value per label); stacked left to right.
    ``markers``: an optional value per label drawn as a dark tick (e.g. the
    declared rate beside the computed one). ``decimals``: of the values shown.
    """
    label_w = _label_width(labels)
    plot_w = CHART_WIDTH - label_w - 60
    height = len(labels) * (BAR_HEIGHT + BAR_GAP) + AXIS_HEIGHT
    scale = plot_w / max_value if max_value > 0 else 0.0
    parts = [
        f'<svg class="chart" id="{_e(chart_id)}" role="img" width="{CHART_WIDTH}" height="{height}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, label in enumerate(labels):
        y = i * (BAR_HEIGHT + BAR_GAP)
        parts.append(
            f'<text x="{label_w - 6:.0f}" y="{y + BAR_HEIGHT - 5}" text-anchor="end" class="lbl">'
            f"<title>{_e(label)}</title>{_e(_truncate(label, label_w - 10))}</text>"
        )
        x = label_w
        total = 0.0
        for name, color, values in series:
            value = values[i] or 0.0
            width = value * scale
            if width > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                    f'fill="{color}"><title>{_e(label)}：{_e(name)} {value:.{decimals}f}{unit}</title></rect>'
                )
            x += width
            total += value
        text = f"{total:.{decimals}f}{unit}"
        parts.append(f'<text x="{x + 4:.1f}" y="{y + BAR_HEIGHT - 5}" class="val">{_e(text)}</text>')
        if markers is not None and markers[i] is not None:
            mx = label_w + (markers[i] or 0.0) * scale
            parts.append(
                f'<rect x="{mx - 1.5:.1f}" y="{y - 2}" width="3" height="{BAR_HEIGHT + 4}" '
                f'fill="{DECLARED_COLOR}"><title>{_e(label)}：{_e(marker_name)} '
                f"{markers[i]:.{decimals}f}{unit}</title></rect>"
            )
    axis_y = len(labels) * (BAR_HEIGHT + BAR_GAP) + 4
    parts.append(
        f'<line x1="{label_w}" y1="{axis_y}" x2="{label_w + plot_w:.1f}" y2="{axis_y}" class="axis"/>'
    )
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        tx = label_w + plot_w * fraction
        tick_text = f"{max_value * fraction:.0f}"
        parts.append(
            f'<text x="{tx:.1f}" y="{axis_y + 16}" text-anchor="middle" class="tick">'
            f"{_e(tick_text)}{_e(unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def vbar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[int]]],
    chart_id: str = "",
) -> str:
    """Vertical stacked bars (counts per period) as inline SVG."""
    height = 260
    left, bottom, top = 40, 46, 12
    plot_h = height - bottom - top
    plot_w = CHART_WIDTH - left - 10
    totals = [sum(s[2][i] for s in series) for i in range(len(labels))]
    max_total = count_axis_max(max(totals, default=0))
    step = plot_w / max(1, len(labels))
    bar_w = max(4.0, min(40.0, step * 0.7))
    parts = [
        f'<svg class="chart" id="{_e(chart_id)}" role="img" width="{CHART_WIDTH}" height="{height}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        gy = top + plot_h * (1 - fraction)
        parts.append(f'<line x1="{left}" y1="{gy:.1f}" x2="{left + plot_w}" y2="{gy:.1f}" class="grid"/>')
        parts.append(
            f'<text x="{left - 4}" y="{gy + 4:.1f}" text-anchor="end" class="tick">'
            f"{max_total * fraction:.0f}</text>"
        )
    label_every = max(1, int(len(labels) / 16) + 1) if len(labels) > 16 else 1
    for i, label in enumerate(labels):
        cx = left + step * i + step / 2
        y: float = top + plot_h
        for name, color, values in series:
            value = values[i]
            if value <= 0:
                continue
            h = plot_h * value / max_total
            y -= h
            parts.append(
                f'<rect x="{cx - bar_w / 2:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{color}"><title>{_e(label)}：{_e(name)} {value} 个</title></rect>'
            )
        if totals[i]:
            parts.append(
                f'<text x="{cx:.1f}" y="{y - 3:.1f}" text-anchor="middle" class="val">{totals[i]}</text>'
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{cx:.1f}" y="{top + plot_h + 16}" text-anchor="middle" class="tick">'
                f"{_e(label)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def count_axis_max(largest: float) -> float:
    """A maximum for a count axis whose quarter marks are whole numbers."""
    step = max(1, math.ceil(largest / 4))
    if step > NICE_STEP_FROM:
        magnitude = 10 ** int(math.log10(step))
        step = math.ceil(step / (magnitude / 2)) * (magnitude // 2 or 1)
    return float(step * 4)


def _legend(entries: Sequence[tuple[str, str]]) -> str:
    return '<div class="legend">' + "".join(
        f'<span><i style="background:{color}"></i>{_e(name)}</span>' for name, color in entries
    ) + "</div>"


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


def _leaf_rows(items: list[dict[str, Any]], doc_ids: set[str]) -> list[dict[str, Any]]:
    parents = {(r["doc_id"], r["parent_no"]) for r in items if r.get("parent_no")}
    return [r for r in items if r["doc_id"] in doc_ids and (r["doc_id"], r["item_no"]) not in parents]


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
    legend = _legend([("计算完成率（已完成的末级问题 ÷ 提取的末级问题）", RATE_COLOR),
                      ("通报所述完成率", DECLARED_COLOR)])
    return legend + chart


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
    head = "".join(f'<th data-type="{kind}">{_e(name)}</th>' for name, kind in columns)
    body = []
    for r in summary:
        forms = r.get("unit_forms") or ""
        trend = r.get("completion_rate_trend")
        trend_text = f"{trend}（{TREND_LABELS.get(r.get('trend') or '', '')}）" if trend else ""
        cells = [
            f'<td title="{_e(forms)}">{_e(r.get("unit_key") or r.get("unit") or "（未识别单位）")}</td>',
            f"<td>{_e(DOC_TYPE_LABELS.get(r.get('doc_type') or '', r.get('doc_type')))}</td>",
        ]
        for key in ("bulletins",):
            cells.append(f'<td class="num">{_e(r.get(key))}</td>')
        cells.append(f"<td>{_e(r.get('as_of_date'))}</td>")
        for key in ("problems_declared", "problems_extracted", "completed", "partial",
                    "in_progress"):
            cells.append(f'<td class="num">{_e(r.get(key))}</td>')
        for key in ("completion_rate_declared", "completion_rate_computed"):
            value = r.get(key)
            cells.append(f'<td class="num" data-sort="{"" if value is None else value}">'
                         f"{_fmt_num(value)}</td>")
        for key in ("overdue_items", "checks_error", "checks_warning"):
            cells.append(f'<td class="num">{_e(r.get(key))}</td>')
        cells.append(f"<td>{_e(trend_text)}</td>")
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
    legend = _legend([(STATUS_LABELS[s], STATUS_COLORS[s]) for s in STATUS_LABELS])
    note = ('<p class="note">各通报的大类标题各不相同，按关键词归入巡视巡察通常的几个方面；'
            "只计末级问题（有子问题的条目按子问题计）。</p>")
    return legend + hbar_chart(labels, series, count_axis_max(max_total),
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
    legend = _legend([("已逾期", OVERDUE_COLOR), ("未到期", NOT_DUE_COLOR)])
    return legend + vbar_chart(labels, series, chart_id="chart-overdue") + note


def _themes_section(themes: list[dict[str, Any]]) -> str:
    if not themes:
        return '<p class="empty">没有可归类的问题。</p>'
    shown = themes[:MAX_THEMES]
    chart = hbar_chart([r["theme"] for r in shown],
                       [("涉及单位数", THEME_COLOR, [float(r["units_affected"]) for r in shown])],
                       count_axis_max(max(r["units_affected"] for r in shown)),
                       chart_id="chart-themes")
    rows = "".join(
        f"<tr><td>{_e(r['theme'])}</td><td class=num>{_e(r['units_affected'])}</td>"
        f"<td class=num>{_e(r['items'])}</td><td class=num>{_fmt_num(r['share_of_units'])}</td>"
        f"<td>{_e(r.get('keywords'))}</td><td>{_e(r.get('example_titles'))}</td></tr>"
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


class SourceLinks:
    """Relative links from the report to source files.

    ``source_path`` is relative to the input folder a file was found in, and
    a run may have several: each path is looked up in the roots in turn
    (given ones, or guessed ones ranked by how many sources they hold).
    """

    def __init__(self, out_dir: Path, source_paths: Sequence[str], roots: Sequence[Path]) -> None:
        self.out_dir = out_dir.resolve()
        self.roots = self._rank_roots(source_paths, roots)
        self._cache: dict[str, Path | None] = {}

    @property
    def root(self) -> Path | None:
        """The folder holding most of the sources (None when none does)."""
        return self.roots[0] if self.roots else None

    def _rank_roots(self, source_paths: Sequence[str], roots: Sequence[Path]) -> list[Path]:
        if roots:
            return [Path(r).resolve() for r in roots]
        probe = [p for p in dict.fromkeys(source_paths) if p][:ROOT_PROBE_PATHS]
        if not probe:
            return []
        candidates: list[Path] = []
        for base in (Path.cwd(), self.out_dir.parent):
            candidates.append(base)
            try:
                subdirs = sorted(p for p in base.iterdir() if p.is_dir())
            except OSError:
                subdirs = []
            candidates.extend(subdirs[:MAX_ROOT_CANDIDATES])
        scored = []
        for order, root in enumerate(dict.fromkeys(c.resolve() for c in candidates)):
            hits = sum(1 for p in probe if (root / p).is_file())
            if hits:
                scored.append((-hits, order, root))
        return [root for _, _, root in sorted(scored)]

    def _locate(self, source_path: str) -> Path | None:
        if source_path not in self._cache:
            found = next((r / source_path for r in self.roots if (r / source_path).is_file()), None)
            self._cache[source_path] = found
        return self._cache[source_path]

    def href(self, source_path: str | None, page: int | None = None) -> str | None:
        """URL of the source relative to the report (``#page=N`` for PDFs), or None."""
        if not source_path:
            return None
        target = self._locate(source_path)
        if target is None:
            return None
        link = quote(Path(os.path.relpath(target, self.out_dir)).as_posix())
        if page and target.suffix.lower() == ".pdf":
            link += f"#page={page}"
        return link


def _source_cell(links: SourceLinks, source_path: str | None, page: int | None) -> str:
    href = links.href(source_path, page)
    text = _e(source_path) + (f"（第{page}页）" if page else "")
    if href is None:
        return text
    return f'<a href="{_e(href)}">{text}</a>'


def _incomplete_section(incomplete: list[dict[str, Any]], links: SourceLinks) -> str:
    statuses = sorted({r["status"] for r in incomplete}, key=lambda s: list(STATUS_LABELS).index(s)
                      if s in STATUS_LABELS else 99)
    options = "".join(
        f'<option value="{_e(s)}">{_e(STATUS_LABELS.get(s, s))}</option>' for s in statuses
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
            f'<tr class="{" ".join(classes)}" data-status="{_e(r["status"])}" '
            f'data-overdue="{"1" if r.get("overdue") else "0"}" '
            f'data-superseded="{"1" if r.get("superseded") else "0"}">'
            f"<td>{_e(unit)}{superseded}</td>"
            f"<td>{_e(r.get('section'))}</td>"
            f"<td>{_e(r.get('item_no'))}</td>"
            f"<td>{_e(r.get('title'))}</td>"
            f'<td data-sort="{_e(r["status"])}">{_e(STATUS_LABELS.get(r["status"], r["status"]))}'
            f'<div class="sub">{_e(r.get("status_text"))}</div></td>'
            f'<td data-sort="{_e(r.get("deadline") or "")}">{_e(r.get("deadline_text") or r.get("deadline"))}</td>'
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
            f'<tr class="sev-{_e(c["severity"])}"><td>{_e(doc.get("unit") or "（未识别单位）")}</td>'
            f'<td data-sort="{order.get(c["severity"], 9)}">'
            f"{_e(SEVERITY_LABELS.get(c['severity'], c['severity']))}</td>"
            f"<td>{_e(CHECK_LABELS.get(c['check'], c['check']))}"
            f'<div class="sub">{_e(c["check"])}</div></td><td>{_e(c.get("item_no"))}</td>'
            f"<td>{_e(c.get('expected'))}</td><td>{_e(c.get('found'))}</td>"
            f"<td>{_e(c.get('message'))}</td>"
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
        f"<tr><td>{_e(r.get('source_path'))}</td><td>{_e(r.get('error'))}</td>"
        f"<td>{_e(r.get('message'))}</td></tr>"
        for r in errors
    )
    return (
        '<table id="errors-table"><thead><tr><th>文件</th><th>错误类型</th><th>说明</th></tr>'
        f"</thead><tbody>{rows}</tbody></table>"
    )


def _run_summary(tables: dict[str, Table]) -> str:
    documents = _rows(tables, "documents")
    summary = _rows(tables, "summary")
    incomplete = _rows(tables, "incomplete")
    items = _rows(tables, "items")
    current = [r for r in incomplete if not r.get("superseded")]
    by_type = Counter(d.get("doc_type") for d in documents)
    by_parse = Counter(d.get("parse_status") for d in documents)
    leaves = _leaf_rows(items, _latest_doc_ids(summary))
    as_of = next((r["as_of"] for r in incomplete if r.get("as_of")), None)
    cards = [
        ("输入文档", len(documents)),
        ("读取失败", len(_rows(tables, "errors"))),
        (DOC_TYPE_LABELS[BULLETIN], by_type.get(BULLETIN, 0)),
        (DOC_TYPE_LABELS[ROUND_SUMMARY], by_type.get(ROUND_SUMMARY, 0)),
        (DOC_TYPE_LABELS["not_bulletin"], by_type.get("not_bulletin", 0)),
        ("单位", sum(1 for r in summary if r.get("doc_type") == BULLETIN)),
        ("问题（各单位最新通报，末级）", len(leaves)),
        ("未完成问题", len(current)),
        ("已逾期", sum(1 for r in current if r.get("overdue"))),
        ("核查发现", len(_rows(tables, "checks"))),
    ]
    html = '<div class="cards">' + "".join(
        f'<div class="card"><b>{_e(v)}</b><span>{_e(k)}</span></div>' for k, v in cards
    ) + "</div>"
    parse = "、".join(f"{_e(k)} {v}" for k, v in sorted(by_parse.items(), key=lambda kv: str(kv[0])))
    html += (
        f'<p class="note">逾期基准日期：{_e(as_of or "—")}；解析状态：{parse or "—"}。'
        "“未完成问题”与“已逾期”只计各单位最新一期通报；清单中也列出被更新通报取代的旧条目（灰色）。</p>"
    )
    return html


# ---------------------------------------------------------------- the page

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:0;color:#1d2b3a;background:#f6f7f9;font-size:14px}
header{background:#1d2b3a;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}
header p{margin:6px 0 0;color:#c9d3de}main{padding:8px 28px 40px;max-width:1400px}
section{background:#fff;border:1px solid #dde2e8;border-radius:6px;margin:16px 0;padding:12px 18px}
h2{font-size:17px;margin:4px 0 10px}.chart{display:block;max-width:100%;height:auto}
.chart .lbl,.chart .val,.chart .tick{font-size:12px;fill:#1d2b3a}.chart .tick{fill:#66727f}
.chart .axis,.chart .grid{stroke:#c9d0d8;stroke-width:1}
.legend span{margin-right:16px;font-size:12px}.legend i{display:inline-block;width:11px;height:11px;
margin-right:4px;vertical-align:-1px}
.cards{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid #dde2e8;border-radius:6px;
padding:8px 14px;min-width:96px}.card b{display:block;font-size:22px}.card span{color:#66727f;font-size:12px}
.scroll{overflow-x:auto}#summary-table th{white-space:normal;min-width:3em}
#summary-table td:first-child{min-width:11em}#summary-table td:nth-child(2),#summary-table td:nth-child(4){white-space:nowrap}
#summary-table td:last-child{word-break:break-all}table{border-collapse:collapse;width:100%;font-size:13px}th{white-space:nowrap}th,td{border-bottom:1px solid #e6e9ed;
padding:5px 6px;text-align:left;vertical-align:top}th{background:#eef1f5;position:sticky;top:0}
table.sortable th{cursor:pointer;user-select:none}th[aria-sort=ascending]::after{content:" ▲"}
th[aria-sort=descending]::after{content:" ▼"}td.num{text-align:right;white-space:nowrap}
tr.late td:nth-child(7){color:#c0392b;font-weight:bold}tr.old{color:#8a949e}
.tag{font-size:11px;background:#eef1f5;border-radius:3px;padding:0 4px;margin-left:4px}
.sub{color:#66727f;font-size:12px}.controls{display:flex;flex-wrap:wrap;gap:14px;align-items:center;
margin-bottom:8px}.controls input[type=search]{width:260px;padding:4px}
.note,.empty{color:#66727f;font-size:12px}tr.sev-error td:nth-child(2){color:#c0392b;font-weight:bold}
"""

JS = """
(function () {
  function cellKey(row, i, numeric) {
    var cell = row.cells[i];
    var raw = cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent;
    if (numeric) { var n = parseFloat(raw); return isNaN(n) ? null : n; }
    return raw.trim();
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, i) {
      th.addEventListener('click', function () {
        var numeric = th.getAttribute('data-type') === 'num';
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellKey(a, i, numeric), y = cellKey(b, i, numeric);
          if (x === null && y === null) return 0;
          if (x === null) return 1;
          if (y === null) return -1;
          var c = numeric ? x - y : x.localeCompare(y, 'zh-Hans-CN');
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  var table = document.getElementById('incomplete-table');
  if (!table) return;
  var box = document.getElementById('incomplete-filter');
  var status = document.getElementById('incomplete-status');
  var overdue = document.getElementById('incomplete-overdue');
  var current = document.getElementById('incomplete-current');
  var count = document.getElementById('incomplete-count');
  function apply() {
    var q = box.value.trim().toLowerCase();
    var rows = table.tBodies[0].rows, shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var ok = (!q || r.textContent.toLowerCase().indexOf(q) !== -1)
        && (!status.value || r.getAttribute('data-status') === status.value)
        && (!overdue.checked || r.getAttribute('data-overdue') === '1')
        && (!current.checked || r.getAttribute('data-superseded') === '0');
      r.hidden = !ok;
      if (ok) shown++;
    }
    count.textContent = '显示 ' + shown + ' / ' + rows.length + ' 条';
  }
  [box, status, overdue, current].forEach(function (el) {
    el.addEventListener('input', apply);
    el.addEventListener('change', apply);
  });
})();
"""


def render(tables: dict[str, Table], links: SourceLinks, generated: datetime | None = None) -> str:
    """The whole page as a string."""
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
        ("incomplete", "未完成问题清单", _incomplete_section(incomplete, links)),
        ("checks", "一致性核查发现",
         _checks_section(_rows(tables, "checks"), _rows(tables, "documents"), links)),
        ("errors", "无法读取的文件", _errors_section(_rows(tables, "errors"))),
    ]
    body = "".join(
        f'<section id="{sid}"><h2>{_e(title)}</h2>{content}</section>'
        for sid, title, content in sections
    )
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="icon" href="data:,"><title>{_e(REPORT_TITLE)}</title>'
        f"<style>{CSS}</style></head><body>"
        f"<header><h1>{_e(REPORT_TITLE)}</h1>"
        f"<p>由 zhenggai 生成于 {_e(generated.strftime('%Y-%m-%d %H:%M'))}，"
        "可离线打开，图表与数据均内嵌于本文件。</p></header>"
        f"<main>{body}</main><script>{JS}</script></body></html>\n"
    )


def write(out_dir: Path, source_roots: Sequence[Path] = ()) -> Path:
    """Write ``out_dir/report.html`` from the CSV tables in ``out_dir``.

    ``source_roots``: the run's input folders, to link source files; when
    empty they are guessed (see the module docstring).
    """
    out_dir = Path(out_dir)
    tables = read_tables(out_dir)
    paths = [r.get("source_path") for r in _rows(tables, "documents")]
    links = SourceLinks(out_dir, [p for p in paths if p], [Path(r) for r in source_roots])
    path = out_dir / FILE_NAME
    tmp = path.with_name(f".tmp-{FILE_NAME}")
    tmp.write_text(render(tables, links), encoding="utf-8")
    tmp.replace(path)
    return path
