"""Document-level fields: title, unit, inspection (group, round, kind, type), dates, and
whether the text is cut short. The declared counts are :mod:`extract.counts`.

Fields are read from the document's own narrative (:func:`narrative_scope`: the
preamble, the progress summary, the parts that are not problem items), so that
what is said inside one item is never taken for the document. Each field is
read by a named pattern (:mod:`extract.patterns`) and a small context rule
written next to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from extract import dates
from extract.chrome import PageMeta
from extract.normalize import NormalizedText, fold_width
from extract.numerals import to_int
from extract.patterns import PATTERNS, P
from extract.segment import HEADING, Para, Segmented
from extract.units import fullness, same_unit

#: How many leading paragraphs may hold the title (page chrome may come first).
TITLE_SEARCH_PARAS = 15
#: A title line is at most this long (characters).
MAX_TITLE = 90
#: A news headline standing as the title is at most this long (characters).
MAX_HEADLINE = 40
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
#: A signature or date line closing a text is at most this long (characters).
SIGNATURE_LINE_MAX = 40
#: Characters at the end of a text searched for an opening that announces what follows.
CUT_TAIL = 40


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


def search(name: str, nt: NormalizedText, spans: list[tuple[int, int]]) -> Iterator[regex.Match[str]]:
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
    """The document's title: a title line in the text (the fuller form, joined with the
    unit's name on the line above it), else the reader's or the page chrome's title, else a
    news headline opening the text."""
    body = _body_title(seg)
    if body:
        return body
    if hint:
        h = P("whitespace").sub("", hint)
        h = P("page_title_site_suffix").split(h)[0]
        if P("title_line").search(h.translate({0xFF08: 0x28, 0xFF09: 0x29})) and len(h) <= MAX_TITLE:
            return h
    return _headline(seg)


def _body_title(seg: Segmented) -> str | None:
    nt = seg.nt
    paras = seg.paras[:TITLE_SEARCH_PARAS]
    for i, para in enumerate(paras):
        line = nt.text[para.start:para.end]
        line = TITLE_LABEL.sub("", line)
        if i == 0 and len(line) > MAX_TITLE and " " in line[:MAX_TITLE]:
            line = line[:line.index(" ")]  # a flattened text: the title runs into the body
        if len(line) > MAX_TITLE or "。" in line or "，" in line or para.kind == HEADING:
            continue
        if P("title_line").search(fold_width(line)):
            title = P("whitespace").sub("", line)
            if title.startswith("关于") and i > 0:
                prev = nt.text[paras[i - 1].start:paras[i - 1].end]
                if len(prev) <= 40 and P("unit_suffix").search(prev) and "。" not in prev:
                    title = P("whitespace").sub("", prev) + title
            return title
    return None


def _headline(seg: Segmented) -> str | None:
    """A news headline on the first line (十届区委第三轮巡察集中整改取得阶段性成效): short,
    no sentence punctuation, about an inspection or rectification, running text after it."""
    if len(seg.paras) < 2 or seg.paras[0].kind == HEADING:
        return None
    first, second = seg.paras[0], seg.paras[1]
    line = seg.nt.match[first.start:first.end]
    if (len(line) <= MAX_HEADLINE and P("headline_topic").search(line) and not P("headline_stop").search(line)
            and second.end - second.start > len(line)):
        return P("whitespace").sub("", seg.nt.text[first.start:first.end])
    return None


#: What follows a unit's name in 对…及所属部分单位开展了巡察 / 对市文化和旅游局和6个局属单位….
UNIT_TAIL = regex.compile(r"(?:及|和|以及|暨)(?:其)?(?:所属|下属|直属|部分|有关|\d+\s*(?:个|家|所)|[一二三四五六七八九十]+(?:个|家|所))"
                          r"[^,，。]*$")


def reporting_unit(seg: Segmented, title: str | None, scope: Scope) -> str | None:
    """The reporting body of a round summary: the title's prefix, the signature, the committee
    whose round it is as the text names it (鹿鸣区委坚持…), or the 巡察办 that reports it."""
    if title:
        m = P("title_unit_prefix").match(title)
        if m:
            return m["unit"]
    signature = _signature_unit(seg)
    if signature:
        return signature
    for pattern in ("round_committee", "inspection_office"):
        for m in search(pattern, seg.nt, scope.spans):
            return seg.nt.text[m.start("body"):m.end("body")]
    return None


def _title_unit(title: str | None) -> str | None:
    if title:
        m = P("title_unit_prefix").match(title)
        if m and P("unit_suffix").search(m["unit"]):
            return m["unit"]
    return None


def _object_unit(seg: Segmented, scope: Scope) -> str | None:
    """The inspected unit as the object of 对…开展了巡察 (not a self-reference: 对我局 / 对院党委)."""
    nt = seg.nt
    for m in search("unit_object", nt, scope.preamble + scope.spans[:6]):
        candidate = nt.text[m.start("unit"):m.end("unit")].strip()
        candidate = _drop_alias(candidate)
        candidate = P("unit_inspector_prefix").sub("", candidate)
        candidate = UNIT_TAIL.sub("", candidate)
        if candidate and not P("self_reference").match(fold_width(candidate)):
            return candidate
    return None


def find_unit(seg: Segmented, title: str | None, scope: Scope, page: PageMeta | None = None) -> str | None:
    """The inspected unit, in the fullest form the document gives (a title, the signature, a
    unit line at the top, the page's 文件名称 or 发布机构) of the name it uses: the object of
    对…开展了巡察, else the title's unit, the signature, the page's publisher when the text
    names itself only as 我局, or the body that acts in a text without an opening (an excerpt)."""
    page = page or PageMeta()
    title_unit = _title_unit(title)
    object_unit = _object_unit(seg, scope)
    signature = _signature_unit(seg)
    unit = object_unit or title_unit or signature
    if unit is None and page.publisher and _names_self(seg, page.publisher):
        unit = page.publisher
    if unit is None:
        unit = _acting_body(seg, scope)
    if unit is None:
        return None
    forms = (title_unit, signature, _title_unit(page.title), page.publisher, *_unit_lines(seg))
    fuller = [c for c in forms if c and same_unit(c, unit) and fullness(c) > fullness(unit)]
    return max(fuller, key=fullness) if fuller else unit


def _unit_lines(seg: Segmented) -> list[str]:
    """A unit's name standing alone at the top (a red header 中共XX局党组文件, a name above
    the title)."""
    nt = seg.nt
    out = []
    for para in seg.paras[:TITLE_SEARCH_PARAS]:
        line = P("whitespace").sub("", nt.text[para.start:para.end])
        line = P("document_header_suffix").sub("", line)
        if 3 <= len(line) <= SIGNATURE_LINE_MAX and para.kind != HEADING and P("unit_suffix").search(line) \
                and not P("sentence_or_clause").search(fold_width(line)) and not P("title_line").search(line):
            out.append(line)
    return out


def _drop_alias(name: str) -> str:
    """A unit's name without the alias given after it: …委员会（以下简称市委政法委）."""
    m = P("unit_alias").search(fold_width(name))
    return name[:m.start()] + name[m.end():] if m else name


def _names_self(seg: Segmented, publisher: str) -> bool:
    """The text calls itself 我局/本院… and the page's publisher is an organ of that kind."""
    m = P("self_mention").search(seg.nt.match)
    return bool(m) and P("unit_suffix").search(publisher) is not None and publisher.endswith(m["organ"])


def _acting_body(seg: Segmented, scope: Scope) -> str | None:
    """A party body opening a sentence of the text's own narrative (外国语学院党委修订完善…)."""
    for m in search("acting_body", seg.nt, scope.spans + [(p.start, p.end) for p in seg.paras]):
        if not P("self_reference").match(m["body"]):
            return seg.nt.text[m.start("body"):m.end("body")]
    return None


def _signature_paras(seg: Segmented) -> list[Para]:
    """The paragraphs after the text's last sentence (where a signature and its date stand)."""
    nt = seg.nt
    last = max((i for i, p in enumerate(seg.paras) if "。" in nt.text[p.start:p.end]), default=-1)
    return seg.paras[last + 1:][-SIGNATURE_SEARCH_PARAS:]


def _signature_unit(seg: Segmented) -> str | None:
    nt = seg.nt
    for para in reversed(_signature_paras(seg)):
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
    out["inspector"] = _inspector(seg, head_spans)
    out["round"] = _round(seg, head_spans)
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


def _round(seg: Segmented, spans: list[tuple[int, int]]) -> str | None:
    """The round as the opening names it, in its fullest form: 十五届县委第六轮 rather than the
    headline's 宁川县委第六轮 (the same 第N轮; a round named first decides which)."""
    nt = seg.nt
    rounds = [nt.text[m.start("round"):m.end("round")] for m in search("round", nt, spans)]
    if not rounds:
        return None
    ordinal = P("round_ordinal").search(rounds[0])
    same = [r for r in rounds if ordinal and P("round_ordinal").search(r)[0] == ordinal[0]]
    return max(same or rounds[:1], key=lambda r: ("届" in r, P("round_committee_word").search(r) is not None,
                                                  len(r)))


def _inspector(seg: Segmented, spans: list[tuple[int, int]]) -> str | None:
    """The inspecting group as the opening names it: the first group, unless it is named
    generically (市委巡察组) and a numbered or themed group of the same committee follows;
    else a body (学校党委对…开展了巡察, 市委巡察机构)."""
    nt = seg.nt
    found: list[str] = []
    last_end = 0
    for anchor in search("inspector_anchor", nt, spans):
        window = max(last_end, anchor.start() - INSPECTOR_WINDOW)  # not the group found before
        m = P("inspector").search(nt.match, window, anchor.end() + INSPECTOR_TAIL)
        if not m:
            continue
        s, e = m.span("inspector")
        if nt.match[s] == "第":  # a bare group after its round: 十届区委第六轮巡察第三巡察组
            r = P("round_before_group").search(nt.match, max(0, s - INSPECTOR_WINDOW), s)
            if r:
                s = r.start()
        last_end = e
        lead = P("inspector_lead").match(nt.match, s, e)
        if lead:
            s = lead.end()  # 现就落实|县委第二巡察组: the verb before the committee is not the name
        name = nt.text[s:e]
        if name not in found:
            found.append(name)
    if found:
        generic = P("inspector_generic").match(fold_width(found[0]))
        if generic:
            committee = generic["committee"] or ""
            specific = next((f for f in found[1:] if f.startswith(committee)
                             and not P("inspector_generic").match(fold_width(f))), None)
            return specific or found[0]
        return found[0]
    for pattern in ("inspector_body", "inspector_agency"):
        for m in search(pattern, nt, spans):
            return nt.text[m.start("body"):m.end("body")]
    return None


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
    for m in search("year_mention", nt, spans):
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
    for m in search("as_of", nt, scope.spans):
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
    stamps = list(search("publish_stamp", nt, [(0, len(nt.match))]))
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
    for para in seg.paras[:TITLE_SEARCH_PARAS]:
        m = P("dateline").match(nt.match, para.start, para.end)
        if m and m["y"]:  # （2024年4月26日） under the title: the document's own date
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


def looks_cut(seg: Segmented) -> bool:
    """Whether the text stops early: in mid-sentence, on a heading with nothing under it, or
    right after the opening that announces the report (…现将整改进展情况予以公布。) — a web
    excerpt, the first page of a PDF. Its declared figures cannot be checked against what
    was listed."""
    if not seg.paras:
        return False
    last = seg.paras[-1]
    text = seg.nt.match[last.start:last.end].rstrip()
    if not text:
        return False
    if P("signature_date_tail").search(text) or P("signature_date_line").search(text):
        return False  # a flattened text closing with its signature and date
    if text.endswith(":") or (last.kind == HEADING and not P("sentence_end").search(text)):
        return True  # a heading with nothing under it, a list announced and not given
    tail = text[-CUT_TAIL:]
    if P("signal_self_report").search(tail) and text.endswith("。"):
        return True
    if len(text) <= SIGNATURE_LINE_MAX and not P("sentence_or_clause").search(text):
        return False  # a signature, a date, a title
    return not P("sentence_end").search(text[-1])


__all__ = ["Scope", "narrative_scope", "search", "find_title", "find_unit", "find_inspection",
           "find_dates", "reporting_unit", "looks_cut"]
