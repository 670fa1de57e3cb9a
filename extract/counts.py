"""Declared figures: how many problems, groups, measures, tasks, completed, in progress, the
stated rate, rules made, clues, people handled.

Counts are read only from the document's own narrative (:func:`extract.fields.narrative_scope`:
the preamble, the progress summary, the parts that are not problem items), so
that numbers inside items — people handled in one case, money, meetings — are
never taken for the declared totals. Each count is read by a named pattern
(``count_*`` in :mod:`extract.patterns`) with the context rules written next to it:
subsets and other units' problems (``context_subset``), tasks that are not
problems (``context_task``), an overall figure after a per-category breakdown
(``context_total``).
"""

from __future__ import annotations

import regex

from extract.fields import Scope, search
from extract.normalize import NormalizedText
from extract.numerals import to_int
from extract.patterns import P
from extract.records import LEVEL_CATEGORY, LEVEL_ITEM
from extract.segment import Segmented

#: Characters before a problem count that are searched for its context.
COUNT_CONTEXT = 24

#: Words before a problem count that make it the declared total.
DECLARED_CONTEXT = P("context_declared")
#: Words before a count that make it a subset or somebody else's problems.
SUBSET_CONTEXT = P("context_subset")
TASK_CONTEXT = P("context_task")


def _n(m: regex.Match[str], *groups: str) -> int | None:
    for g in groups:
        if m.group(g):
            return to_int(m.group(g))
    return None


def find_counts(seg: Segmented, scope: Scope, n_categories: int,
                n_items: int = 0) -> dict[str, int | float | str | None]:
    """Declared figures. ``items_declared`` is the number of groups the problems are declared
    in: the 项 of 24项56个具体问题, or else the 方面 of 3个方面11个问题 (also counted in
    ``categories_declared``); ``n_categories``/``n_items`` are the category sections and
    numbered problems found, which tell whether a 项 count means 方面."""
    nt = seg.nt
    spans = scope.spans
    out: dict[str, int | float | str | None] = {k: None for k in (
        "items_declared", "problems_declared", "measures_declared", "problems_completed",
        "problems_in_progress", "completion_rate", "rules_made", "clues_received", "people_handled",
        "tasks_declared", "tasks_completed", "task_completion_rate", "categories_declared",
        "items_declared_level")}
    aspects: int | None = None  # 方面 under 大类 (3大类11个方面): the groups right above problems
    for m in search("count_categories", nt, spans):
        before = nt.match[max(0, m.start() - COUNT_CONTEXT):m.start()]
        if SUBSET_CONTEXT.search(before):
            continue
        if m["major"]:
            out["categories_declared"], aspects = to_int(m["major"]), to_int(m["n"])
        else:
            out["categories_declared"] = to_int(m["n"])
        break
    for m in search("count_categories_problems", nt, spans):
        out["categories_declared"] = to_int(m["cats"])
        out["problems_declared"] = to_int(m["problems"])
        break
    for m in search("count_items_problems", nt, spans):
        if out["problems_declared"] is not None:
            break
        before = nt.match[max(0, m.start() - COUNT_CONTEXT):m.start()]
        if SUBSET_CONTEXT.search(before[-8:]):
            continue
        items, problems = to_int(m["items"]), to_int(m["problems"])
        means_categories = items is not None and (
            (items == (n_categories or out["categories_declared"]) and items <= 12)
            or 0 < items < n_items  # more numbered problems than 项: the 项 are categories
            or bool(P("context_category_word").search(nt.match, m.start(), m.end())))
        if means_categories:
            out["categories_declared"] = out["categories_declared"] or items
        out["items_declared"] = items
        out["items_declared_level"] = LEVEL_CATEGORY if means_categories else LEVEL_ITEM
        out["problems_declared"] = problems
        break
    if out["problems_declared"] is None:
        out["problems_declared"], grouped = _declared_problems(nt, spans)
        if grouped is not None and out["items_declared"] is None:
            out["items_declared"] = grouped  # 反馈问题4项 … 具体问题17个: the 项 are groups
            out["items_declared_level"] = LEVEL_ITEM
    if out["items_declared"] is None and out["categories_declared"] is not None:
        out["items_declared"] = aspects if aspects is not None else out["categories_declared"]
        out["items_declared_level"] = LEVEL_CATEGORY
    out["measures_declared"] = _first_count(nt, spans, "count_measures")
    out["tasks_declared"] = _first_count(nt, spans, "count_tasks")
    out["tasks_completed"] = _first_count(nt, spans, "count_tasks_completed")
    _status_counts(nt, spans, out)
    problem_rates = []
    for m in search("completion_rate", nt, spans):
        ctx = _clause_before(nt, m.start()) + nt.match[m.start():m.end()]
        if P("context_not_completion").search(ctx):
            continue
        rate = float(m["rate"] or m["rate2"])
        if TASK_CONTEXT.search(ctx) and "问题" not in ctx:
            out["task_completion_rate"] = out["task_completion_rate"] or rate
            continue
        problem_rates.append(m)
    chosen_rate = _prefer_total(nt, problem_rates)
    if chosen_rate is not None:
        out["completion_rate"] = float(chosen_rate["rate"] or chosen_rate["rate2"])
    for m in search("count_rules", nt, spans):
        before = nt.match[max(0, m.start() - 80):m.start()]
        if P("context_rule_verb").search(before + nt.match[m.start():m.end()]):
            out["rules_made"] = to_int(m["n"])
            break
    out["clues_received"] = _first_count(nt, spans, "count_clues")
    out["people_handled"] = _first_count(nt, spans, "count_people_handled")
    return out


def _first_count(nt: NormalizedText, spans: list[tuple[int, int]], pattern: str) -> int | None:
    """The number of the first match of a count pattern (groups ``n`` or ``n2``), not inside
    the idiom 完成一项、销号一项."""
    for m in search(pattern, nt, spans):
        if _in_idiom(nt, m):
            continue
        return _n(m, "n", "n2")
    return None


def _in_idiom(nt: NormalizedText, m: regex.Match[str]) -> bool:
    idiom = P("count_idiom").search(nt.match, max(0, m.start() - 8), m.end() + 8)
    return idiom is not None and idiom.start() <= m.end() and m.start() <= idiom.end()


def _clause_before(nt: NormalizedText, pos: int) -> str:
    """The text of the sentence before ``pos`` back to the previous clause that names a count."""
    start = max(nt.match.rfind("。", 0, pos), nt.match.rfind(";", 0, pos), nt.match.rfind("\n", 0, pos)) + 1
    return nt.match[start:pos]


def _since_break(nt: NormalizedText, pos: int) -> str:
    """The text from the last comma, bracket or sentence end before ``pos``."""
    start = max(nt.match.rfind(c, 0, pos) for c in ",(;。\n") + 1
    return nt.match[start:pos]


def _declared_problems(nt: NormalizedText, spans: list[tuple[int, int]]) -> tuple[int | None, int | None]:
    """The declared number of problems, and the number of 项 they were grouped in when the
    text also breaks them into specific problems (反馈问题4项 … 形成具体问题17个)."""
    fallback = None
    found = None
    for m in search("count_problems", nt, spans):
        before = nt.match[max(0, m.start() - COUNT_CONTEXT):m.start()]
        after = nt.match[m.end():m.end() + 6]
        completed_after = P("context_completed_after").match(after)
        partial_completion = completed_after and not any(c.isdigit() for c in after) and "全部" not in after
        if SUBSET_CONTEXT.search(before[-10:]) or partial_completion or before[-1:] in ("每", "第"):
            continue
        if DECLARED_CONTEXT.search(before):
            found = m
            break
        fallback = fallback or m
    found = found or fallback
    if found is None:
        for m in search("count_specific_problems", nt, spans):
            return _n(m, "n", "n2"), None
        return None, None
    n = _n(found, "n", "n2")
    if "项" in found.group() and "具体" not in found.group():
        para_end = nt.match.find("\n", found.end())
        para_end = len(nt.match) if para_end < 0 else para_end
        specific = P("count_specific_problems").search(nt.match, found.end(), para_end)
        if specific:
            return _n(specific, "n", "n2"), n
    return n, None


def _prefer_total(nt: NormalizedText, matches: list[regex.Match[str]]) -> regex.Match[str] | None:
    """The first match, unless a later one in the same paragraph is marked as the overall
    figure (…各方面分别…；以上合计已完成10个): per-category breakdowns come first."""
    if not matches:
        return None
    first = matches[0]
    para_end = nt.match.find("\n", first.start())
    para_end = len(nt.match) if para_end < 0 else para_end
    for m in matches[1:]:
        if m.start() > para_end:
            break
        if P("context_total").search(_clause_before(nt, m.start())):
            return m
    return first


def _status_counts(nt: NormalizedText, spans: list[tuple[int, int]], out: dict[str, int | float | str | None]) -> None:
    anchor: tuple[int, int] | None = None
    candidates = []
    for m in search("count_completed", nt, spans):
        ctx = nt.match[max(0, m.start() - 12):m.end() + 4]
        if TASK_CONTEXT.search(ctx) and "问题" not in ctx:
            continue
        candidates.append(m)
    chosen = _prefer_total(nt, candidates)
    if chosen is not None:
        out["problems_completed"] = _n(chosen, "n", "n2", "n3")
        anchor = _sentence_of(nt, chosen.start())
    total = 0
    found = False
    search_spans = [anchor] if anchor else spans
    for m in search("count_in_progress", nt, search_spans):
        ctx = nt.match[max(0, m.start() - 12):m.end()]
        if TASK_CONTEXT.search(ctx) and "问题" not in ctx:
            continue
        if "其中" in _since_break(nt, m.start()):
            continue  # a subset of the count before it: 尚在整改2个(其中基本完成1个)
        total += _n(m, "n", "n2") or 0
        found = True
        if anchor is None:
            break
    if found:
        out["problems_in_progress"] = total


def _sentence_of(nt: NormalizedText, pos: int) -> tuple[int, int]:
    start = max(nt.match.rfind("。", 0, pos), nt.match.rfind("\n", 0, pos)) + 1
    end_candidates = [i for i in (nt.match.find("。", pos), nt.match.find("\n", pos)) if i >= 0]
    end = min(end_candidates) if end_candidates else len(nt.match)
    return start, end


def count_categories(seg: Segmented) -> int:
    return sum(1 for n in seg.nodes if n.role == "category")


def count_items(seg: Segmented) -> int:
    """Numbered problems found (items, not their sub-problems)."""
    return sum(1 for n in seg.nodes if n.role == "item")
