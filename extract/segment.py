"""Segmentation: normalized text → a heading tree with roles.

Paragraphs are classified by a fixed precedence of heading rules
(:data:`extract.patterns.HEADING_RULES`): ``问题1：``, ``（一）``, ``(1)``,
``一、``, ``1.``, ``①``; label paragraphs (``整改情况：``, ``完成时限：`` …);
and running text. Heading types nest in order of first appearance: a type
already open closes everything below it (the usual reading of Chinese
official documents, whatever the absolute order of marker styles).

Roles are then assigned from content, not from marker style, because the
same marker means different things in different bulletins:

* ``region``   – a top-level part that holds problem items (``二、集中整改完成情况``)
* ``category`` – a problem category over items (``（一）政治建设方面的问题``)
* ``item``     – a problem entry (the level whose entries carry statuses)
* ``subitem``  – a sub-problem under an item that carries its own status (``(19)``)
* ``measure``  – a numbered measure inside an item
* ``other``    – everything else (``三、下一步打算`` and what is below it)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

from extract.normalize import NormalizedText
from extract.numerals import to_int
from extract.patterns import HEADING_FIRST_CHARS, HEADING_RULES, LABEL_KINDS, P
from extract.records import UNKNOWN
from extract.status import bracketed_status, classify_status, status_phrase, strip_end
from extract.status import closing_status as closing_status_in

HEADING = "heading"
LABEL = "label"
TEXT = "text"

#: A document with fewer heading paragraphs than this but longer than
#: FLAT_MIN_CHARS is treated as flattened onto few lines: headings are split inline.
FLAT_MAX_HEADINGS = 3
FLAT_MIN_CHARS = 400
#: Longest heading title kept whole when it has no sentence end (characters).
MAX_TITLE_NO_STOP = 120



@dataclass(slots=True)
class Para:
    start: int
    end: int
    kind: str = TEXT
    htype: str | None = None  # heading type (problem, cn_paren, ar_paren, cn_dun, ar_dot, circled)
    number: str | None = None  # as written: 一, 19
    value: int | None = None
    body_start: int = 0  # where the text after the marker/label begins
    label: str | None = None
    label_kind: str | None = None  # status, deadline, measures, leader, unit
    demoted: bool = False  # a numbered measure inside an item's measure list


@dataclass(slots=True)
class Node:
    htype: str
    number: str = ""
    value: int | None = None
    para: Para | None = None
    title_start: int = 0
    title_end: int = 0
    body: list[Para] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False)
    role: str = "other"

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def start(self) -> int:
        return self.para.start if self.para else 0

    def end(self) -> int:
        last = self
        while True:
            ends = [p.end for p in last.body]
            if last.para:
                ends.append(last.para.end)
            if last.children:
                last = last.children[-1]
                continue
            return max(ends) if ends else 0


@dataclass
class Segmented:
    nt: NormalizedText
    paras: list[Para]
    root: Node
    #: Every node in document order (the tree's shape is fixed once built; roles change).
    nodes: list[Node] = field(default_factory=list)
    _status_phrases: dict[tuple[int, int], tuple[int, str]] = field(default_factory=dict, repr=False)

    def title(self, node: Node) -> str:
        return self.nt.text[node.title_start:node.title_end]

    def label_status_phrase(self, para: Para) -> tuple[int, str]:
        """:func:`status_phrase` after a label (asked when roles are assigned, and again
        when the item is read)."""
        key = (para.body_start, para.end)
        found = self._status_phrases.get(key)
        if found is None:
            found = self._status_phrases[key] = status_phrase(self.nt, *key)
        return found


# --- paragraphs ------------------------------------------------------------------


def split_spans(nt: NormalizedText) -> list[tuple[int, int]]:
    """Paragraph spans, split at inline labels (and inline headings when flattened)."""
    flattened = len(nt.text) > FLAT_MIN_CHARS and not _has_headings(nt, FLAT_MAX_HEADINGS)
    label_rx = P("inline_label")
    splitters = [label_rx] + ([P("inline_heading")] if flattened else [])
    spans: list[tuple[int, int]] = []
    for start, end in nt.paragraphs:
        cuts = {start, end}
        for rx in splitters:
            if rx is label_rx and not may_hold_inline_label(nt.match, start, end):
                continue  # most paragraphs: a label only at the start, or none
            for m in rx.finditer(nt.match, start, end):
                if start < m.end() < end:
                    cuts.add(m.end())
        if len(cuts) == 2 and not nt.match[start].isspace() and not nt.match[end - 1].isspace():
            spans.append((start, end))  # the usual paragraph: nothing to split or trim
            continue
        points = sorted(cuts)
        for a, b in zip(points, points[1:], strict=False):
            while a < b and nt.match[a].isspace():
                a += 1
            e = b
            while e > a and nt.match[e - 1].isspace():
                e -= 1
            if e > a:
                spans.append((a, e))
    return spans


def may_hold_inline_label(match: str, start: int, end: int) -> bool:
    """Whether ``inline_label`` may match in ``match[start:end]`` (width-folded): only after
    a sentence end (。;!?) that the ':' after a label or the '【' before one follows (tests
    check it on the examples and every sample paragraph). A scan of the paragraph by the
    pattern costs ~2 µs; these searches (written out: this runs on every paragraph), less."""
    last = max(match.rfind(":", start, end), match.rfind("【", start, end))
    return last > start and (match.find("。", start, last) >= 0 or match.find(";", start, last) >= 0
                             or match.find("!", start, last) >= 0 or match.find("?", start, last) >= 0)


def _has_headings(nt: NormalizedText, n: int) -> bool:
    """Whether at least ``n`` paragraphs start with a heading (stops at the n-th)."""
    found = 0
    for start, end in nt.paragraphs:
        if _heading_at(nt.match, start, end) is not None:
            found += 1
            if found >= n:
                return True
    return False


#: First character (after spaces) → the heading rules it allows, in precedence order.
_HEADING_RULES_BY_FIRST: dict[str, tuple[tuple[regex.Pattern[str], str], ...]] = {
    ch: tuple((P(rule), htype) for rule, htype in HEADING_RULES if ch in HEADING_FIRST_CHARS[rule])
    for ch in "".join(HEADING_FIRST_CHARS.values())
}


def _heading_at(match: str, start: int, end: int) -> tuple[str, str, int] | None:
    pos = start
    while pos < end and match[pos] == " ":
        pos += 1
    if pos >= end:
        return None
    for rx, htype in _HEADING_RULES_BY_FIRST.get(match[pos], ()):
        m = rx.match(match, start, end)
        if m:
            if m.end() >= end and htype != "problem":
                return None  # a bare number line
            return htype, m["no"], m.end()
    return None


def classify(nt: NormalizedText, spans: list[tuple[int, int]]) -> list[Para]:
    paras: list[Para] = []
    label_rx = P("label")
    for start, end in spans:
        para = Para(start, end, body_start=start)
        lm = label_rx.match(nt.match, start, end)
        if lm:
            para.kind = LABEL
            para.label = lm["label"]
            para.label_kind = _label_kind(lm["label"])
            para.body_start = lm.end()
        else:
            h = _heading_at(nt.match, start, end)
            if h:
                para.kind = HEADING
                para.htype, para.number, para.body_start = h
                para.value = to_int(para.number)
        paras.append(para)
    _demote_measure_lists(paras)
    return paras


_LABEL_KIND_CACHE: dict[str, str] = {}


def _label_kind(label: str) -> str:
    """status / deadline / measures / leader / unit for a label such as 整改情况."""
    kind = _LABEL_KIND_CACHE.get(label)
    if kind is None:
        import regex

        kind = next(k for k, alternation in LABEL_KINDS if regex.fullmatch(alternation, label))
        _LABEL_KIND_CACHE[label] = kind
    return kind


def _demote_measure_lists(paras: list[Para]) -> None:
    """Numbered lines right after ``整改措施：`` are measures, not new items.

    The list runs while numbers go 1, 2, 3 … in one marker style, and ends at
    the next label paragraph or heading of another style.
    """
    in_list = False
    list_type: str | None = None
    expected = 1
    for para in paras:
        if para.kind == LABEL:
            in_list = para.label_kind == "measures"
            list_type, expected = None, 1
            continue
        if not in_list:
            continue
        if para.kind == HEADING:
            if (list_type in (None, para.htype)) and para.value == expected:
                para.kind = TEXT
                para.demoted = True
                list_type = para.htype
                expected += 1
                continue
            in_list = False


# --- tree --------------------------------------------------------------------------


def build_tree(nt: NormalizedText, paras: list[Para]) -> Node:
    root = Node("root")
    stack: list[Node] = [root]
    for para in paras:
        if para.kind == TEXT and not para.demoted and P("closing_remarks").match(nt.match, para.start, para.end):
            del stack[1:]  # the closing words belong to no heading
        if para.kind != HEADING:
            stack[-1].body.append(para)
            continue
        open_types = [n.htype for n in stack]
        if para.htype in open_types:
            del stack[open_types.index(para.htype):]
        node = Node(para.htype or "", para.number or "", para.value, para, parent=stack[-1])
        node.title_start, node.title_end, rest = _title_span(nt, para)
        if rest < para.end:
            node.body.append(Para(rest, para.end, body_start=rest))
        stack[-1].children.append(node)
        stack.append(node)
    return root


def _title_span(nt: NormalizedText, para: Para) -> tuple[int, int, int]:
    """Title of a heading: after the marker up to the first sentence end outside quotes."""
    text = nt.match
    start = para.body_start
    stop = _sentence_end(text, start, para.end)
    if stop is not None:
        return start, strip_end(text, start, stop), stop + 1
    if para.end - start > MAX_TITLE_NO_STOP:
        # No sentence end: the title is the first clause.
        comma = text.find(",", start, para.end)
        if comma >= 0:
            return start, comma, comma + 1
    return start, strip_end(text, start, para.end), para.end


def _sentence_end(text: str, start: int, end: int) -> int | None:
    """Position of the first 。;!? outside quotes and brackets, or None."""
    first = P("sentence_stop").search(text, start, end)
    if first is None:
        return None
    if P("quote_open").search(text, start, first.start()) is None:
        return first.start()  # the usual heading: nothing quoted before its full stop
    depth = 0
    for i in range(start, end):
        c = text[i]
        if c in "“《(":
            depth += 1
        elif c in "”》)" and depth:
            depth -= 1
        elif c in "。;!?" and depth == 0:
            return i
    return None




# --- roles --------------------------------------------------------------------------


def _body_has(seg: Segmented, node: Node, kinds: tuple[str, ...]) -> bool:
    for para in node.body:
        if para.kind == LABEL and para.label_kind in kinds:
            if para.label_kind != "status" or _is_status_value(seg, para):
                return True
    return False


def _is_status_value(seg: Segmented, para: Para) -> bool:
    return classify_status(seg.label_status_phrase(para)[1]) != UNKNOWN


def carries_status(seg: Segmented, node: Node) -> bool:
    """A node whose own body states a status or a deadline (an item's signature)."""
    if _body_has(seg, node, ("status", "deadline")):
        return True
    for para in node.body[:2]:
        if para.kind == TEXT and not para.demoted and P("status_phrase_start").match(
                seg.nt.match, para.start, para.end):
            return True
    return closing_status(seg.nt, node) is not None or title_status(seg.nt, node) is not None


def title_status(nt: NormalizedText, node: Node) -> tuple[int, int] | None:
    """Span of a bracketed status opening the node's title: 4.（已完成）机关财务报销审核不严."""
    if node.para is None:
        return None
    return bracketed_status(nt, node.title_start, node.title_end)


def closing_status(nt: NormalizedText, node: Node) -> tuple[int, int] | None:
    """Span of a status closing the node's own text (目前，该问题已整改完成)."""
    for para in reversed(node.body[-2:]):
        if para.kind == TEXT:
            found = closing_status_in(nt, para.start, para.end)
            if found:
                return found
    return None


def carries_measures(seg: Segmented, node: Node) -> bool:
    if _body_has(seg, node, ("measures",)):
        return True
    # 一是… in running text, or right after a status label that states no status
    # (整改情况：一是…): the measures are there either way.
    return any((p.kind == TEXT or (p.kind == LABEL and p.label_kind == "status"))
               and P("enumeration").search(seg.nt.match, p.body_start, p.end) for p in node.body)


NON_PROBLEM_KEYWORDS = ("下一步", "打算", "工作计划", "组织领导", "组织落实", "总体情况", "主要做法",
                        "基本情况", "工作开展", "整改工作开展", "下步", "工作措施", "努力方向", "工作体会",
                        "存在的不足", "巩固")
WRAPPER_KEYWORDS = ("整改情况", "完成情况", "整改落实情况", "进展情况", "落实情况")


def assign_roles(seg: Segmented) -> None:
    root = seg.root
    for signal in (carries_status, carries_measures):
        if _assign_with(seg, root, signal):
            return


def reads_as_problem(title: str) -> bool:
    """A heading that states a problem (关于…的问题 / …落实不到位), not an action (坚持… / 强化…)."""
    return P("problem_heading").search(title) is not None and P("action_heading").match(title) is None


#: Measures alone (no status anywhere) make items only when this many entries carry them.
MIN_MEASURE_ONLY_ITEMS = 2


def _assign_with(seg: Segmented, root: Node, signal) -> bool:  # type: ignore[no-untyped-def]
    bearing = {id(n) for n in seg.nodes if n is not root and signal(seg, n)}
    if not bearing or (signal is carries_measures and len(bearing) < MIN_MEASURE_ONLY_ITEMS):
        return False
    # The item type: for each top-level branch, the shallowest type among bearing nodes.
    found = False
    for branch in root.children:
        nodes = [n for n in branch.walk() if id(n) in bearing]
        if not nodes:
            continue
        title = seg.title(branch)
        if signal is carries_measures:
            # Measures alone mark items, but not in a category's own text, which may list its
            # problems as prose (（一）…方面。巡察指出，一是…的问题，二是…的问题).
            # Nor in a narrative bulletin's measure groups (二、坚持问题导向，逐条推进整改落实 /
            # 1.强化责任担当): without a status, a heading is a problem only if it reads as one.
            nodes = [n for n in nodes if not P("category_title").search(seg.nt.match, n.title_start, n.title_end)
                     and (n.htype == "problem" or reads_as_problem(seg.nt.match[n.title_start:n.title_end]))]
            if not nodes:
                continue
        weak = signal is carries_measures or id(branch) not in bearing
        if branch.htype == "cn_dun" and weak and any(k in title for k in NON_PROBLEM_KEYWORDS) \
                and not any(k in title for k in ("问题", "反馈意见")):
            continue
        item_type = _item_type(nodes)
        _mark_region(seg, branch, item_type, bearing)
        found = True
    if found:
        _continue_items(seg, root)
        _mark_categories(seg)
    return found


def _continue_items(seg: Segmented, root: Node) -> None:
    """A top-level entry numbered on from the items before it, whose title reads as a
    problem, is the next item even without status or measures: a list cut short
    (5.对员工异常行为排查不及时… at the end of an excerpt)."""
    prev: Node | None = None
    for branch in root.children:
        if (branch.role == "other" and prev is not None and prev.role == "item"
                and branch.htype == prev.htype and prev.value is not None and branch.value == prev.value + 1
                and reads_as_problem(seg.nt.match[branch.title_start:branch.title_end])):
            _mark_region(seg, branch, branch.htype, set())
        prev = branch


#: Sub-numbering styles: under an Arabic-numbered entry they number sub-problems.
SUB_TYPES = ("ar_paren", "circled")
ENTRY_TYPES = ("ar_dot", "problem")


def _item_type(bearing: list[Node]) -> str:
    """The heading type of problem items, given the nodes that carry statuses.

    The shallowest bearing type, except that (1)-numbered entries whose
    parents are 1.-numbered entries are sub-problems of those (the parents
    are the items, as in the seed's 13 → (26), (27)).
    """
    item_type = min(bearing, key=_depth).htype
    if item_type in SUB_TYPES:
        parents = [n.parent.htype for n in bearing if n.htype == item_type and n.parent is not None]
        if parents and sum(1 for t in parents if t in ENTRY_TYPES) * 2 > len(parents):
            return max(set(parents), key=parents.count)
    return item_type


def _depth(node: Node) -> int:
    d = 0
    while node.parent is not None:
        d += 1
        node = node.parent
    return d


def _mark_region(seg: Segmented, branch: Node, item_type: str, bearing: set[int]) -> None:
    def visit(node: Node, inside_item: Node | None) -> None:
        if inside_item is None:
            if node.htype == item_type:
                node.role = "item"
                for child in node.children:
                    visit(child, node)
                return
            node.role = "region"  # provisional: categories decided later
            for child in node.children:
                visit(child, None)
            return
        # Below an item: sub-problems carry their own status; the rest are measures.
        if id(node) in bearing and node.htype != item_type:
            node.role = "subitem"
        else:
            node.role = "measure"
        for child in node.children:
            visit(child, inside_item if node.role != "subitem" else node)

    visit(branch, None)


def _mark_categories(seg: Segmented) -> None:
    """Region nodes that directly group items become categories."""
    regions = [n for n in seg.nodes if n.role == "region"]
    for node in regions:
        has_item_children = any(c.role == "item" for c in node.children)
        has_region_children = any(c.role == "region" for c in node.children)
        title = seg.title(node)
        if not has_item_children:
            continue
        if has_region_children:
            continue
        is_wrapper = any(k in title for k in WRAPPER_KEYWORDS) and not any(
            k in title for k in ("方面", "领域"))
        # A top-level 一、…整改情况 that wraps the items is a region, anything else a category.
        if node.htype != "cn_dun" or not is_wrapper:
            node.role = "category"


def segment(nt: NormalizedText) -> Segmented:
    spans = split_spans(nt)
    paras = classify(nt, spans)
    root = build_tree(nt, paras)
    seg = Segmented(nt, paras, root, list(root.walk()))
    assign_roles(seg)
    return seg
