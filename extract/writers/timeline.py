"""The report's view of a unit's bulletins over time (history.csv, :mod:`extract.history`).

Two sections of report.html: 各单位历次通报的整改状态 (a stacked bar per bulletin
of each unit's sequence: its problems by status) and 跨期未完成问题 (one row per
problem followed across bulletins that stayed open, was reopened, or whose deadline
moved; sortable and filterable like the list of incomplete problems).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from extract.records import COMPLETED, IN_PROGRESS, PARTIAL, UNKNOWN
from extract.writers.charts import count_axis_max, e, hbar_chart, legend

Row = dict[str, Any]
#: Bulletins drawn in the timeline; beyond, the units with most problems still open first.
MAX_TIMELINE_BARS = 60
#: Flags of a problem followed across bulletins: (column, Chinese label, filter id).
FLAGS = (("still_open", "跨期未完成", "history-still-open"),
         ("reopened", "完成后又未完成", "history-reopened"),
         ("deadline_moved", "时限调整", "history-deadline-moved"))
#: Separates the steps of a status or deadline path.
PATH_ARROW = " → "


def _problems(history: Sequence[Row]) -> dict[str, list[Row]]:
    """problem_key → its rows, by step."""
    by_key: dict[str, list[Row]] = defaultdict(list)
    for row in history:
        by_key[row["problem_key"]].append(row)
    for rows in by_key.values():
        rows.sort(key=lambda r: r.get("step") or 0)
    return by_key


def timeline_section(history: Sequence[Row], status_labels: dict[str, str],
                     status_colors: dict[str, str]) -> str:
    """A stacked bar per bulletin of each unit's sequence: its problems by status."""
    if not history:
        return ('<p class="empty">没有同一单位就同一次巡察发布的多期通报，无法比较前后变化。</p>')
    bulletins: dict[tuple[str, str, int], Counter[str]] = defaultdict(Counter)
    dates: dict[tuple[str, str, int], str] = {}
    open_by_unit: Counter[str] = Counter()
    for row in history:
        unit = row.get("unit_key") or row.get("unit") or "（未识别单位）"
        key = (unit, row.get("inspection") or "", row.get("step") or 0)
        bulletins[key][row["status"]] += 1
        dates[key] = row.get("report_date") or "日期不详"
        if row["status"] != COMPLETED and row.get("still_open"):
            open_by_unit[unit] += 1
    keys = sorted(bulletins)
    note = ""
    if len(keys) > MAX_TIMELINE_BARS:
        units = sorted({k[0] for k in keys}, key=lambda u: (-open_by_unit[u], u))
        shown: list[tuple[str, str, int]] = []
        for unit in units:
            mine = [k for k in keys if k[0] == unit]
            if len(shown) + len(mine) > MAX_TIMELINE_BARS:
                break
            shown.extend(mine)
        note = (f'<p class="note">共 {len(keys)} 期通报，仅显示跨期未完成问题最多的单位的 '
                f"{len(shown)} 期；完整数据见 history.csv。</p>")
        keys = sorted(shown)
    labels = [f"{unit} · 第{step}期 {dates[(unit, insp, step)]}" for unit, insp, step in keys]
    statuses = (COMPLETED, PARTIAL, IN_PROGRESS, UNKNOWN)
    series = [(status_labels[s], status_colors[s], [float(bulletins[k][s]) for k in keys])
              for s in statuses]
    largest = max(sum(c.values()) for c in bulletins.values())
    key_html = legend([(status_labels[s], status_colors[s]) for s in statuses])
    explain = ('<p class="note">同一单位就同一次巡察（反馈日期相同）发布的各期通报，按通报日期排列；'
               "每条为该期通报所列问题的整改状态（只计末级问题；同一通报的不同副本只计一次）。</p>")
    return key_html + hbar_chart(labels, series, count_axis_max(largest),
                                 chart_id="chart-timeline") + explain + note


def open_problems_section(history: Sequence[Row], incomplete: Sequence[Row],
                          status_labels: dict[str, str],
                          source_cell: Callable[[str | None, int | None], str]) -> str:
    """Problems followed across bulletins with a flag, one row each, sortable and filterable."""
    problems = [rows for rows in _problems(history).values()
                if any(rows[0].get(flag) for flag, _, _ in FLAGS)]
    if not problems:
        return '<p class="empty">没有跨期未完成、完成后又未完成或调整整改时限的问题。</p>'
    days_open = {(r.get("doc_id"), r.get("item_no"), r.get("parent_no")): r.get("days_open")
                 for r in incomplete}
    problems.sort(key=lambda rows: (not rows[0].get("still_open"), rows[0].get("unit_key") or "",
                                    rows[0]["problem_key"]))
    checks = "".join(f'<label><input type="checkbox" id="{fid}"> 只看{e(label)}</label>'
                     for _, label, fid in FLAGS)
    controls = (
        '<div class="controls">'
        '<label>筛选：<input type="search" id="history-filter" placeholder="输入单位或问题中的文字">'
        f"</label>{checks}"
        f'<span id="history-count">显示 {len(problems)} / {len(problems)} 个</span></div>'
    )
    body = []
    for rows in problems:
        first, last = rows[0], rows[-1]
        flags = " ".join(f'data-{flag.replace("_", "-")}="{"1" if first.get(flag) else "0"}"'
                         for flag, _, _ in FLAGS)
        tags = "".join(f'<span class="tag">{e(label)}</span>' for flag, label, _ in FLAGS
                       if first.get(flag))
        status_path: list[str] = [status_labels.get(r["status"], str(r["status"])) for r in rows]
        statuses = PATH_ARROW.join(status_path)
        deadlines = PATH_ARROW.join(r.get("deadline") or "—" for r in rows)
        days = days_open.get((last.get("doc_id"), last.get("item_no"), last.get("parent_no")))
        body.append(
            f"<tr {flags}><td>{e(first.get('unit_key') or first.get('unit'))}</td>"
            f"<td>{e(last.get('title'))}{tags}<div class=\"sub\">{e(first['problem_key'])}</div></td>"
            f"<td>{e(first.get('first_reported'))}</td><td>{e(first.get('last_reported'))}</td>"
            f'<td class="num">{e(first.get("appearances"))}</td>'
            f'<td data-sort="{e(last["status"])}">{e(statuses)}</td><td>{e(deadlines)}</td>'
            f'<td class="num" data-sort="{"" if days is None else days}">'
            f"{'—' if days is None else days}</td>"
            f"<td>{source_cell(last.get('source_path'), None)}</td></tr>"
        )
    table = (
        '<table class="sortable" id="history-table"><thead><tr>'
        '<th data-type="text">单位</th><th data-type="text">问题（最近一期的写法）</th>'
        '<th data-type="text">首次通报</th><th data-type="text">最近通报</th>'
        '<th data-type="num">期数</th><th data-type="text">历次整改状态</th>'
        '<th data-type="text">历次完成时限</th><th data-type="num">未完成天数</th>'
        '<th data-type="text">最近一期来源</th>'
        f'</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )
    note = ('<p class="note">跨期未完成：最近一期仍未完成，且相隔至少半年的更早一期也未完成；'
            "完成后又未完成：曾报告已完成，后一期又列为未完成；时限调整：各期承诺的完成时限不同。"
            "同一问题按标题相似度在各期通报间对应（序号可能重新编排）。</p>")
    return controls + table + note
