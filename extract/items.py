"""Problem entries: number, title, status, deadline, responsibility and measures.

Works on the role-annotated tree of :mod:`extract.segment`: every ``item``
and ``subitem`` node becomes one :class:`extract.records.Item`; its body
paragraphs yield the status line, the deadline line and the measures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.normalize import NormalizedText
from extract.numerals import to_int
from extract.patterns import P
from extract.records import UNKNOWN, Item, Measure, Section, mark_leaves
from extract.segment import LABEL, TEXT, Node, Para, Segmented, closing_status, title_status
from extract.status import (
    TRAILING,
    after_bracketed_status,
    classify_status,
    is_long_term,
    parse_deadline,
    status_phrase,
)

#: An unlabelled first measure needs at least this many Han characters.
MIN_MEASURE_HAN = 4


def _may_open_ar_dot(first: str) -> bool:
    """Whether ``first`` may be the digit heading_ar_dot opens with (\\d after spaces): any
    but a character of the basic CJK block or an ASCII character other than a digit."""
    return first.isdigit() or (first >= "\x80" and not "\u4e00" <= first <= "\u9fff")


#: Inline numbered measures inside one paragraph: 1.加强…；2.完善… / （1）…（2）… / ①…②…, each
#: rule with a test of the first character after spaces that it needs (a rule is tried
#: only where that character may open it).
INLINE_NUMBERED = ((P("heading_ar_dot"), _may_open_ar_dot),
                   (P("heading_ar_paren"), lambda first: first == "("),
                   (P("heading_circled"), lambda first: "①" <= first <= "⑳"))


@dataclass
class ItemParts:
    """What is read from one item node before it becomes a record."""

    node: Node
    status: str = UNKNOWN
    status_text: str | None = None
    deadline_text: str | None = None
    deadline: str | None = None
    long_term: bool = False
    leader: str | None = None
    unit: str | None = None
    measures: list[tuple[str | None, int, int]] = field(default_factory=list)  # label, start, end


def _clean(nt: NormalizedText, start: int, end: int) -> tuple[int, int]:
    while start < end and nt.match[start] in " ":
        start += 1
    while end > start and nt.match[end - 1] in TRAILING:
        end -= 1
    return start, end


def read_item(seg: Segmented, node: Node) -> ItemParts:
    nt = seg.nt
    parts = ItemParts(node)
    pieces: list[tuple[int, int, bool]] = []  # measure-bearing text: start, end, starts_new_measure
    for para in node.body:
        if para.kind == LABEL:
            _read_label(seg, para, parts, pieces)
        elif para.kind == TEXT:
            if para.demoted:
                pieces.append((para.start, para.end, True))
                continue
            m = P("status_phrase_start").match(nt.match, para.start, para.end) if (
                parts.status_text is None and not pieces) else None
            if m:
                stop, phrase = status_phrase(nt, para.start, para.end)
                _set_status(nt, parts, para.start, stop)
                rest = _skip_punct(nt, stop, para.end)
                if rest < para.end:
                    pieces.append((rest, para.end, False))
                continue
            pieces.append((para.start, para.end, P("heading_bullet").match(nt.match, para.start, para.end) is not None))
    for child in node.children:
        if child.role == "measure" and child.para is not None:
            pieces.append((child.para.start, child.end(), True))
    if parts.status_text is None:
        closing = closing_status(nt, node)
        if closing:
            _set_status(nt, parts, *closing)
    if parts.status_text is None:
        bracket = title_status(nt, node)
        if bracket:
            _set_status(nt, parts, *bracket)
    if parts.deadline_text is None and parts.status_text is not None:
        _inline_deadline(seg, node, parts)
    parts.measures = _split_measures(nt, pieces)
    if parts.status_text and is_long_term(parts.status_text):
        parts.long_term = True
    return parts


def _skip_punct(nt: NormalizedText, pos: int, end: int) -> int:
    while pos < end and nt.match[pos] in TRAILING:
        pos += 1
    return pos


def _set_status(nt: NormalizedText, parts: ItemParts, start: int, stop: int) -> None:
    s, e = _clean(nt, start, stop)
    parts.status_text = nt.text[s:e]
    parts.status = classify_status(nt.match[s:e])


def _read_label(seg: Segmented, para: Para, parts: ItemParts, pieces: list[tuple[int, int, bool]]) -> None:
    nt = seg.nt
    kind = para.label_kind
    start, end = para.body_start, para.end
    if kind == "status":
        stop, phrase = seg.label_status_phrase(para)
        if parts.status_text is None and classify_status(phrase) != UNKNOWN:
            _set_status(nt, parts, start, stop)
            rest = _skip_punct(nt, stop, end)
        else:
            rest = start
        if rest < end:
            pieces.append((rest, end, False))
    elif kind == "measures":
        if start < end:
            pieces.append((start, end, False))
    elif kind == "deadline":
        s, e = _clean(nt, start, end)
        if parts.deadline_text is None and e > s:
            parts.deadline_text = nt.text[s:e]
            parts.deadline, long_term = parse_deadline(nt.match[s:e])
            parts.long_term = parts.long_term or long_term
    elif kind == "leader":
        s, e = _clean(nt, start, end)
        parts.leader = parts.leader or (nt.text[s:e] or None)
    elif kind == "unit":
        s, e = _clean(nt, start, end)
        if parts.unit is None and e > s and para.label in ("责任单位", "责任部门", "责任股室", "责任科室",
                                                          "牵头单位", "牵头部门", "责任处室"):
            parts.unit = nt.text[s:e]


def _inline_deadline(seg: Segmented, node: Node, parts: ItemParts) -> None:
    nt = seg.nt
    for para in node.body:
        m = P("deadline_inline").search(nt.match, para.start, para.end)
        if m:
            parts.deadline_text = nt.text[m.start("date"):m.end("date")]
            parts.deadline, _ = parse_deadline(m["date"])
            return


def _split_measures(nt: NormalizedText, pieces: list[tuple[int, int, bool]]) -> list[tuple[str | None, int, int]]:
    """Measures from the measure-bearing text of an item, in order.

    A 一是/二是 label opens a measure (a repeated label opens another); text
    before the first label opens an unlabelled measure; a numbered or bulleted
    line opens one; other text continues the current measure.
    """
    measures: list[tuple[str | None, int, int]] = []
    enum = P("enumeration")
    for start, end, new in pieces:
        labels = [(m["label"], m.start()) for m in enum.finditer(nt.match, start, end)]
        if not labels and not new:
            labels = _inline_numbered(nt, start, end)
        head_end = labels[0][1] if labels else end
        if new:
            measures.append((_marker(nt, start, end), start, head_end))
        elif _has_han(nt.match, start, head_end, MIN_MEASURE_HAN):
            if measures:
                label, s, _ = measures[-1]
                measures[-1] = (label, s, head_end)
            else:
                measures.append((None, start, head_end))
        for i, (label, pos) in enumerate(labels):
            stop = labels[i + 1][1] if i + 1 < len(labels) else end
            measures.append((label, pos, stop))
    return [(label, *_clean(nt, s, e)) for label, s, e in measures]


def _inline_numbered(nt: NormalizedText, start: int, end: int) -> list[tuple[str, int]]:
    """1.加强…；2.完善… or （1）…（2）… inside one paragraph: numbered from 1, consecutive."""
    # Where a number may start: the paragraph's start and right after a break.
    text = nt.match
    candidates = [start] + [m.end() for m in P("inline_number_break").finditer(text, start, end)
                            if m.end() < end]
    firsts = [_first_after_spaces(text, pos, end) for pos in candidates]
    for rx, may_open in INLINE_NUMBERED:
        found: list[tuple[str, int]] = []
        expected = 1
        for pos, first in zip(candidates, firsts, strict=True):
            if not may_open(first):
                continue  # (most breaks are commas before a character: no rule can match there)
            m = rx.match(text, pos, end)
            if m and to_int(m["no"]) == expected:
                found.append((nt.text[m.start():m.end()].strip(), pos))
                expected += 1
        if len(found) >= 2:
            return found
    return []


def _first_after_spaces(text: str, pos: int, end: int) -> str:
    """The first character of ``text[pos:end]`` that is not a space ("" if none). Python's
    spaces include every character ``\\s`` matches: no rule's first character is skipped."""
    while pos < end and text[pos].isspace():
        pos += 1
    return text[pos] if pos < end else ""


def _marker(nt: NormalizedText, start: int, end: int) -> str | None:
    for rule in ("heading_ar_dot", "heading_ar_paren", "heading_cn_paren", "heading_circled", "heading_bullet"):
        m = P(rule).match(nt.match, start, end)
        if m:
            return nt.text[m.start():m.end()].strip() or None
    return None


def _has_han(text: str, start: int, end: int, n: int) -> bool:
    """Whether ``text[start:end]`` holds at least ``n`` Han characters (counted up to n)."""
    if n <= 0:
        return True
    for found, _ in enumerate(P("han_basic").finditer(text, start, end), start=1):
        if found >= n:
            return True
    return False


# --- records --------------------------------------------------------------------


def item_no_of(node: Node) -> str:
    """1, 24 for items; (19) for sub-problems (circled ① written as (1))."""
    if node.role != "subitem":
        return node.number
    number = str(to_int(node.number)) if node.htype == "circled" else node.number
    return f"({number})"


def _ancestor(node: Node, roles: tuple[str, ...]) -> Node | None:
    cur = node.parent
    while cur is not None:
        if cur.role in roles:
            return cur
        cur = cur.parent
    return None


def section_title(seg: Segmented, node: Node) -> tuple[str, int | None, int | None]:
    """Category title without its declared-count parenthesis, and the counts."""
    from extract.numerals import to_int

    title = seg.title(node)
    m = P("section_counts").search(seg.nt.match, node.title_start, node.title_end)
    if m and (m["items"] or m["problems"]):
        s, e = _clean(seg.nt, node.title_start, m.start())
        return seg.nt.text[s:e], to_int(m["items"] or ""), to_int(m["problems"] or "")
    return title, None, None


def build_records(seg: Segmented, doc_id: str, unit: str | None
                  ) -> tuple[list[Section], list[Item], list[Measure]]:
    """Sections, items and measures of a segmented text (undated: ``overdue`` is set by
    extract/dated.py)."""
    nt = seg.nt
    sections: list[Section] = []
    section_of: dict[int, Section] = {}
    items: list[Item] = []
    measures: list[Measure] = []
    for node in seg.nodes:
        if node.role == "category":
            title, n_items, n_problems = section_title(seg, node)
            new_section = Section(doc_id, unit, node.number, title, n_items, n_problems,
                                  page=nt.page_at(node.start), char_start=node.title_start,
                                  char_end=node.title_end)
            sections.append(new_section)
            section_of[id(node)] = new_section
        if node.role not in ("item", "subitem"):
            continue
        parts = read_item(seg, node)
        category = _ancestor(node, ("category",))
        sec = section_of.get(id(category)) if category else None
        parent = _ancestor(node, ("item", "subitem")) if node.role == "subitem" else None
        t_start, t_end = _clean(nt, after_bracketed_status(nt, node.title_start, node.title_end),
                                node.title_end)
        title = _strip_title_prefix(nt.text[t_start:t_end])
        index = len(items) + 1
        item = Item(
            doc_id=doc_id, unit=unit, item_index=index,
            section_no=sec.section_no if sec else None, section_title=sec.title if sec else None,
            item_no=item_no_of(node), parent_no=item_no_of(parent) if parent else None,
            title=title, status=parts.status, status_text=parts.status_text,
            long_term=parts.long_term, deadline_text=parts.deadline_text, deadline=parts.deadline,
            measures_count=len(parts.measures), page=nt.page_at(node.start),
            char_start=t_start, char_end=t_end,
            responsible_leader=parts.leader, responsible_unit=parts.unit,
        )
        items.append(item)
        if sec and node.role == "item":
            sec.items_extracted += 1
        for n, (label, s, e) in enumerate(parts.measures, start=1):
            measures.append(Measure(doc_id, unit, index, item.item_no, n, label, nt.text[s:e],
                                    page=nt.page_at(s), char_start=s, char_end=e))
    mark_leaves(items)
    return sections, items, measures


def _strip_title_prefix(title: str) -> str:
    for prefix in ("问题：", "问题:", "存在问题：", "存在问题:", "反馈问题：", "反馈问题:"):
        if title.startswith(prefix):
            return title[len(prefix):].strip()
    return title
