"""Document-level fields: title, unit, inspection, dates, declared counts.

Counts are read only from the document's own narrative (the preamble, the
progress summary, the parts that are not problem items), so that numbers
inside items — people handled in one case, money, meetings — are never taken
for the declared totals. Each field is read by a named pattern
(:mod:`extract.patterns`) and a small context rule written next to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from extract import dates
from extract.normalize import NormalizedText, fold_width
from extract.numerals import to_int
from extract.patterns import PATTERNS, P
from extract.segment import HEADING, Para, Segmented

#: How many leading paragraphs may hold the title (page chrome may come first).
TITLE_SEARCH_PARAS = 15
#: A title line is at most this long (characters).
MAX_TITLE = 90
#: Page chrome labels before a title: 文件名称：… / 标题：…
TITLE_LABEL = regex.compile(r"^(?:文件名称|标题|名称|题名)\s*[:：]\s*")
#: How many trailing paragraphs may hold the signature and its date.
SIGNATURE_SEARCH_PARAS = 8
#: Characters before a 巡察组 anchor searched for the start of the group's name,
#: and after it for a second group (第一巡察组、第六巡察组).
INSPECTOR_WINDOW = 40
INSPECTOR_TAIL = 16
#: A clause this short before the feedback clause may hold its date alone (12月中旬，).
LEAD_DATE_CLAUSE = 12
#: Characters before a problem count that are searched for its context.
COUNT_CONTEXT = 24


@dataclass
class Scope:
    """Paragraph spans outside problem items, in reading order."""

    spans: list[tuple[int, int]]
    preamble: list[tuple[int, int]]  # before the first heading


def narrative_scope(seg: Segmented) -> Scope:
    inside: set[int] = set()
    category_titles: set[int] = set()
    for node in seg.nodes:
        if node.role in ("item", "subitem"):
            for n in node.walk():
                if n.para is not None:
                    inside.add(id(n.para))
                inside.update(id(p) for p in n.body)
        elif node.role == "category" and node.para is not None:
            # A category's title and its own text (本方面反馈问题3个，已完成3个) describe the
            # category, not the document: they are never read as the declared totals.
            category_titles.add(id(node.para))
            category_titles.update(id(p) for p in node.body)
    spans: list[tuple[int, int]] = []
    preamble: list[tuple[int, int]] = []
    seen_heading = False
    for para in seg.paras:
        if para.kind == HEADING:
            seen_heading = True
        if id(para) in inside or id(para) in category_titles:
            continue
        spans.append((para.start, para.end))
        if not seen_heading:
            preamble.append((para.start, para.end))
    # heading remainders are stored as body paras of nodes: include those outside items
    return Scope(spans, preamble or spans[:3])


def _search(name: str, nt: NormalizedText, spans: list[tuple[int, int]]) -> Iterator[regex.Match[str]]:
    """Matches of the named pattern in each span, in order; spans holding none of the
    pattern's literals are skipped (a substring test is ~10× cheaper than the scan)."""
    rx = P(name)
    literals = PATTERNS[name].literals
    text = nt.match
    for start, end in spans:
        if end - start <= 1:
            continue
        for word in literals:
            if text.find(word, start, end) >= 0:
                break
        else:
            if literals:
                continue
        yield from rx.finditer(text, start, end)


# --- title and unit ---------------------------------------------------------------


def find_title(seg: Segmented, hint: str | None) -> str | None:
    nt = seg.nt
    if hint:
        h = P("whitespace").sub("", hint)
        h = P("page_title_site_suffix").split(h)[0]
        if P("title_line").search(h.translate({0xFF08: 0x28, 0xFF09: 0x29})) and len(h) <= MAX_TITLE:
            return h
    paras = seg.paras[:TITLE_SEARCH_PARAS]
    for i, para in enumerate(paras):
        line = nt.text[para.start:para.end]
        line = TITLE_LABEL.sub("", line)
        if i == 0 and len(line) > MAX_TITLE and " " in line[:MAX_TITLE]:
            line = line[:line.index(" ")]  # a flattened text: the title runs into the body
        if len(line) > MAX_TITLE or "。" in line or "，" in line or para.kind == HEADING:
            continue
        if P("title_line").search(fold_width(line)) and not line.startswith("当前位置"):
            title = P("whitespace").sub("", line)
            if title.startswith("关于") and i > 0:
                prev = nt.text[paras[i - 1].start:paras[i - 1].end]
                if len(prev) <= 40 and P("unit_suffix").search(prev) and "。" not in prev:
                    title = P("whitespace").sub("", prev) + title
            return title
    return None


#: What follows a unit's name in 对…及所属部分单位开展了巡察.
UNIT_TAIL = regex.compile(r"(?:及|和|以及|暨)(?:其)?(?:所属|下属|直属|部分|有关)[^,，。]*$")


def reporting_unit(seg: Segmented, title: str | None) -> str | None:
    """The reporting body of a round summary: the title's prefix or the signature."""
    if title:
        m = P("title_unit_prefix").match(title)
        if m:
            return m["unit"]
    return _signature_unit(seg)


def _fold_unit(name: str) -> str:
    name = P("unit_party_prefix").sub("", name)
    return P("unit_party_suffix").sub("", name)


def _same_unit(a: str, b: str) -> bool:
    """Two names of one unit: one contains the other, or abbreviates it (明州城投集团 ⊂ 明州市城市建设投资集团)."""
    fa, fb = _fold_unit(a), _fold_unit(b)
    if not fa or not fb:
        return False
    short, long_ = sorted((fa, fb), key=len)
    return short in long_ or (short[:2] == long_[:2] and _is_subsequence(short, long_))


def _is_subsequence(short: str, long_: str) -> bool:
    it = iter(long_)
    return all(c in it for c in short)


def find_unit(seg: Segmented, title: str | None, scope: Scope) -> str | None:
    nt = seg.nt
    title_unit = None
    if title:
        m = P("title_unit_prefix").match(title)
        if m and P("unit_suffix").search(m["unit"]):
            title_unit = m["unit"]
    body_unit = None
    for m in _search("unit_object", nt, scope.preamble + scope.spans[:6]):
        candidate = nt.text[m.start("unit"):m.end("unit")].strip()
        candidate = P("unit_inspector_prefix").sub("", candidate)
        candidate = UNIT_TAIL.sub("", candidate)
        if P("self_reference").match(candidate) or not candidate:
            continue
        body_unit = candidate
        break
    if title_unit and (body_unit is None or _same_unit(title_unit, body_unit)):
        return title_unit
    if body_unit:
        return body_unit
    return _signature_unit(seg)


def _signature_unit(seg: Segmented) -> str | None:
    nt = seg.nt
    for para in reversed(seg.paras[-SIGNATURE_SEARCH_PARAS:]):
        line = nt.text[para.start:para.end].strip()
        if 3 <= len(line) <= 40 and "。" not in line and "，" not in line and "：" not in line and ":" not in line \
                and P("unit_suffix").search(line) \
                and not P("title_line").search(line):
            return line
    return None


# --- inspection -------------------------------------------------------------------


def find_inspection(seg: Segmented, title: str | None, scope: Scope) -> dict[str, str | None]:
    nt = seg.nt
    head_spans = scope.preamble + scope.spans[:4]
    out: dict[str, str | None] = {"inspector": None, "round": None, "inspection_kind": None,
                                  "inspection_type": None}
    for anchor in _search("inspector_anchor", nt, head_spans):
        window = max(0, anchor.start() - INSPECTOR_WINDOW)
        m = P("inspector").search(nt.match, window, anchor.end() + INSPECTOR_TAIL)
        if m:
            s, e = m.span("inspector")
            if nt.match[s] == "第":  # a bare group after its round: 十届区委第六轮巡察第三巡察组
                r = P("round_before_group").search(nt.match, max(0, s - INSPECTOR_WINDOW), s)
                if r:
                    s = r.start()
            out["inspector"] = nt.text[s:e]
            break
    if out["inspector"] is None:
        for m in _search("inspector_body", nt, head_spans):
            out["inspector"] = nt.text[m.start("body"):m.end("body")]
            break
    for m in _search("round", nt, head_spans):
        out["round"] = nt.text[m.start("round"):m.end("round")]
        break
    if out["round"] is None and title:
        m = P("round").search(title)
        out["round"] = m["round"] if m else None
    head_text = (title or "") + "".join(nt.match[s:e] for s, e in head_spans)
    kinds = P("inspection_kind").findall(head_text) or P("inspection_kind").findall(nt.match)
    if kinds:
        first_inspector_kind = P("inspection_kind").search(out["inspector"] or "")
        out["inspection_kind"] = first_inspector_kind[0] if first_inspector_kind else kinds[0]
    for text in (out["inspector"] or "", title or "", head_text):
        m = P("inspection_type").search(text)
        if m:
            out["inspection_type"] = m["type"] or "回头看"
            break
    return out


# --- dates -------------------------------------------------------------------------


def _pd(m: regex.Match[str], prefix: str) -> dates.PartialDate:
    return dates.make(m[prefix + "y"], m[prefix + "m"], m[prefix + "d"])


def _pieces(nt: NormalizedText, spans: list[tuple[int, int]], breaker: str):  # type: ignore[no-untyped-def]
    """Split spans at the matches of the pattern named ``breaker`` (clauses, sentences)."""
    for start, end in spans:
        pos = start
        for m in P(breaker).finditer(nt.match, start, end):
            yield pos, m.end()
            pos = m.end()
        if pos < end:
            yield pos, end


def _clauses(nt: NormalizedText, spans: list[tuple[int, int]]):  # type: ignore[no-untyped-def]
    return _pieces(nt, spans, "clause_break")


def first_year(nt: NormalizedText, spans: list[tuple[int, int]]) -> int | None:
    for m in _search("year_mention", nt, spans):
        return int(m[1])
    return None


def find_dates(seg: Segmented, scope: Scope, publish_hint: str | None) -> dict[str, str | None]:
    nt = seg.nt
    out: dict[str, str | None] = {"inspection_start": None, "inspection_end": None,
                                  "feedback_date": None, "as_of_date": None, "publish_date": None}
    # The preamble is usually among the first spans: each paragraph once, or a short date
    # clause at its end would be taken for the lead of a 反馈 clause met again after it.
    head = list(dict.fromkeys(scope.preamble + scope.spans[:4]))
    context_year = first_year(nt, head) or first_year(nt, scope.spans)
    range_end_pos = None
    sentences = [(s, e) for s, e in _clauses_sentences(nt, head)
                 if P("inspection_sentence").search(nt.match, s, e)]
    for start, end in sentences:
        m = (P("date_range").search(nt.match, start, end) or P("date_range_iso").search(nt.match, start, end)
             or P("date_range_lost_separators").search(nt.match, start, end))
        if m:
            s = _pd(m, "s")
            e = _pd(m, "e") if m.group("em") else dates.PartialDate(None, None, to_int(m.groupdict().get("eday") or ""))
            out["inspection_start"], out["inspection_end"] = dates.resolve_range(s, e, context_year)
            range_end_pos = m.end()
            break
    else:
        for start, end in sentences:
            m = P("date").search(nt.match, start, end)
            if m and "反馈" not in nt.match[start:m.start()]:
                out["inspection_start"] = _pd(m, "").resolve(context_year).iso()
                range_end_pos = m.end()
                break
    ref = out["inspection_end"] or out["inspection_start"]
    prev_clause: tuple[int, int] | None = None
    for start, end in _clauses(nt, head + scope.spans[4:8]):
        if range_end_pos is not None and start < range_end_pos <= end:
            start = range_end_pos
        clause = nt.match[start:end]
        idx = clause.find("反馈")
        if idx < 0:
            prev_clause = (start, end)
            continue
        m = P("date").search(nt.match, start, start + idx) or P("date").search(nt.match, start + idx, end)
        if m is None and prev_clause and prev_clause[1] - prev_clause[0] <= LEAD_DATE_CLAUSE:
            m = P("date").search(nt.match, *prev_clause)  # 12月中旬，巡察组向…反馈了意见
        if m:
            out["feedback_date"] = _after(_pd(m, ""), ref, context_year)
            break
        prev_clause = (start, end)
    ref2 = out["feedback_date"] or ref
    for m in _search("as_of", nt, scope.spans):
        if m["now"]:
            break
        if m["iy"]:
            out["as_of_date"] = dates.make(m["iy"], m["im"], m["id"]).iso()
        else:
            out["as_of_date"] = _after(_pd(m, ""), ref2, context_year)
        break
    out["publish_date"] = publish_hint or find_publish_date(seg)
    return out


def _clauses_sentences(nt: NormalizedText, spans: list[tuple[int, int]]):  # type: ignore[no-untyped-def]
    return _pieces(nt, spans, "sentence_break")


def _after(pd: dates.PartialDate, ref: str | None, context_year: int | None) -> str | None:
    """Resolve a date without a year as the first such date on or after ``ref``."""
    if pd.year is not None:
        return pd.iso()
    if ref:
        ref_year, ref_month = int(ref[:4]), int(ref[5:7]) if len(ref) >= 7 else 1
        year = ref_year + (1 if pd.month is not None and pd.month < ref_month else 0)
        return pd.resolve(year).iso()
    return pd.resolve(context_year).iso()


def find_publish_date(seg: Segmented) -> str | None:
    nt = seg.nt
    stamps = list(_search("publish_stamp", nt, [(0, len(nt.match))]))
    stamps.sort(key=lambda s: (not s.group(0).startswith("发布"), s.start()))
    m = stamps[0] if stamps else None
    if m:
        if m["iy"]:
            return dates.make(m["iy"], m["im"], m["id"]).iso()
        return dates.make(m["y"], m["m"], m["d"]).iso()
    for para in seg.paras[:TITLE_SEARCH_PARAS] + seg.paras[-SIGNATURE_SEARCH_PARAS:]:
        m = P("timestamp_line").match(nt.match, para.start, para.end)
        if m:
            return dates.make(m["y"], m["m"], m["d"]).iso()
    for para in reversed(seg.paras[-SIGNATURE_SEARCH_PARAS:]):
        m = P("signature_date_line").match(nt.match, para.start, para.end)
        if m:
            year = m["y"] or str(to_int(m["cy"]))
            return dates.make(year, m["m"], m["d"]).iso()
        m = P("signature_date_iso_line").match(nt.match, para.start, para.end)
        if m:
            return dates.make(m["y"], m["m"], m["d"]).iso()
    if seg.paras:
        last = seg.paras[-1]
        m = P("signature_date_tail").search(nt.match, last.start, last.end)
        if m:
            return dates.make(m["y"], m["m"], m["d"]).iso()
    return None


# --- counts -------------------------------------------------------------------------

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


def find_counts(seg: Segmented, scope: Scope, n_categories: int) -> dict[str, int | float | None]:
    nt = seg.nt
    spans = scope.spans
    out: dict[str, int | float | None] = {k: None for k in (
        "items_declared", "problems_declared", "measures_declared", "problems_completed",
        "problems_in_progress", "completion_rate", "rules_made", "clues_received", "people_handled",
        "tasks_declared", "tasks_completed", "task_completion_rate", "categories_declared")}
    for m in _search("count_categories", nt, spans):
        before = nt.match[max(0, m.start() - COUNT_CONTEXT):m.start()]
        if SUBSET_CONTEXT.search(before):
            continue
        out["categories_declared"] = to_int(m["n"])
        break
    for m in _search("count_categories_problems", nt, spans):
        out["categories_declared"] = to_int(m["cats"])
        out["problems_declared"] = to_int(m["problems"])
        break
    for m in _search("count_items_problems", nt, spans):
        if out["problems_declared"] is not None:
            break
        before = nt.match[max(0, m.start() - COUNT_CONTEXT):m.start()]
        if SUBSET_CONTEXT.search(before[-8:]):
            continue
        items, problems = to_int(m["items"]), to_int(m["problems"])
        means_categories = (
            items is not None and items == (n_categories or out["categories_declared"]) and items <= 12
        ) or bool(P("context_category_word").search(nt.match, m.start(), m.end()))
        if means_categories:
            out["categories_declared"] = out["categories_declared"] or items
        else:
            out["items_declared"] = items
        out["problems_declared"] = problems
        break
    if out["problems_declared"] is None:
        out["problems_declared"] = _declared_problems(nt, spans)
    out["measures_declared"] = _first_count(nt, spans, "count_measures")
    out["tasks_declared"] = _first_count(nt, spans, "count_tasks")
    out["tasks_completed"] = _first_count(nt, spans, "count_tasks_completed")
    _status_counts(nt, spans, out)
    problem_rates = []
    for m in _search("completion_rate", nt, spans):
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
    for m in _search("count_rules", nt, spans):
        before = nt.match[max(0, m.start() - 80):m.start()]
        if P("context_rule_verb").search(before + nt.match[m.start():m.end()]):
            out["rules_made"] = to_int(m["n"])
            break
    out["clues_received"] = _first_count(nt, spans, "count_clues")
    out["people_handled"] = _first_count(nt, spans, "count_people_handled")
    return out


def _first_count(nt: NormalizedText, spans: list[tuple[int, int]], pattern: str) -> int | None:
    """The number of the first match of a count pattern (groups ``n`` or ``n2``)."""
    for m in _search(pattern, nt, spans):
        return _n(m, "n", "n2")
    return None


def _clause_before(nt: NormalizedText, pos: int) -> str:
    """The text of the sentence before ``pos`` back to the previous clause that names a count."""
    start = max(nt.match.rfind("。", 0, pos), nt.match.rfind(";", 0, pos), nt.match.rfind("\n", 0, pos)) + 1
    return nt.match[start:pos]


def _since_break(nt: NormalizedText, pos: int) -> str:
    """The text from the last comma, bracket or sentence end before ``pos``."""
    start = max(nt.match.rfind(c, 0, pos) for c in ",(;。\n") + 1
    return nt.match[start:pos]


def _declared_problems(nt: NormalizedText, spans: list[tuple[int, int]]) -> int | None:
    fallback = None
    for m in _search("count_problems", nt, spans):
        before = nt.match[max(0, m.start() - COUNT_CONTEXT):m.start()]
        after = nt.match[m.end():m.end() + 6]
        completed_after = P("context_completed_after").match(after)
        partial_completion = completed_after and not any(c.isdigit() for c in after) and "全部" not in after
        if SUBSET_CONTEXT.search(before[-10:]) or partial_completion or before[-1:] in ("每", "第"):
            continue
        n = _n(m, "n", "n2")
        if DECLARED_CONTEXT.search(before):
            return n
        fallback = fallback if fallback is not None else n
    return fallback


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


def _status_counts(nt: NormalizedText, spans: list[tuple[int, int]], out: dict[str, int | float | None]) -> None:
    anchor: tuple[int, int] | None = None
    candidates = []
    for m in _search("count_completed", nt, spans):
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
    for m in _search("count_in_progress", nt, search_spans):
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


__all__ = ["Scope", "narrative_scope", "find_title", "find_unit", "find_inspection", "find_dates",
           "find_counts", "count_categories", "Para"]
