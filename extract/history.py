"""A unit's bulletins in sequence, and each problem followed from one bulletin to the next.

A unit publishes several times about one inspection: after the concentrated
rectification, a later progress report, a last one. Here:

* :func:`sequences`: a unit's bulletins (folded unit name, copies left out:
  :func:`extract.units.group_documents`) split by inspection — the same feedback
  date, else the same round, else the same inspection start — oldest first;
* :func:`follow`: the problems (leaf items) of each bulletin matched to those of the
  earlier ones by title, over jieba tokens without the words every problem title
  uses (:data:`TITLE_STOPWORDS`), with ``rapidfuzz``'s token-set ratio
  (:func:`title_similarity`); a problem may skip a bulletin, a list may be
  renumbered (the number only breaks ties);
* :class:`Problem`: one problem's appearances, with the flags ``still_open``,
  ``reopened`` and ``deadline_moved``;
* :func:`history_table`: history.csv, one row per problem and bulletin, for
  sequences of two bulletins or more; :meth:`History.first_reported` and
  :meth:`History.days_open` for incomplete.csv.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import regex

from extract.dates import days_past, period_end
from extract.records import BULLETIN, COMPLETED, IN_PROGRESS, PARTIAL, DocumentFields, Item
from extract.themes import tokenize, tokenizer_ready
from extract.units import UnitGroup, group_documents

#: Least title similarity (rapidfuzz token-set ratio, 0–100, over jieba tokens without
#: TITLE_STOPWORDS) for one problem in two bulletins of a unit. Measured by
#: scripts/measure_title_threshold.py on the hand annotations: the same problem across the
#: series samples (62 pairs: reworded, shortened, renumbered) scores 85–100; two different
#: problems of one unit (5,928 pairs: of one sequence, or of one bulletin over all annotated
#: texts) at most 76.2, and 99.9 % of them under 57.1.
TITLE_MATCH_MIN = 80.0
#: Words that say nothing about which problem it is (every title has some): left out of
#: the comparison, as punctuation is.
TITLE_STOPWORDS = frozenset(
    "关于 的 问题 存在 方面 情况 等 和 及 与 了 仍 有 不够 不 到位 不到位 不规范 不严格 不深入 "
    "不及时 不力 不实 不足 不强 不高 较 偏 仍然 部分 个别 一些 有的".split())
_PUNCTUATION = regex.compile(r"^[\p{P}\p{S}\s]+$")
#: A problem not completed in two bulletins at least this many calendar months apart (the
#: later its latest) is ``still_open``: half a year, the usual gap between the bulletin after
#: the concentrated rectification and the next progress report.
STILL_OPEN_MONTHS = 6
#: Statuses of a problem reported as not finished (unknown is not a report either way).
OPEN_STATUSES = (IN_PROGRESS, PARTIAL)
#: Joins the parts of a problem key.
KEY_SEPARATOR = "·"
#: Decimals of match_score.
SCORE_DECIMALS = 1
#: Threads of rapidfuzz's cdist: one (a bulletin's matrix, ~26 × 26, is done before more
#: threads would start).
SIMILARITY_THREADS = 1

HISTORY_COLUMNS: list[tuple[str, type]] = [
    ("unit_key", str),
    ("unit", str),
    ("inspection", str),
    ("problem_key", str),
    ("step", int),
    ("bulletins", int),
    ("doc_id", str),
    ("source_path", str),
    ("report_date", str),
    ("item_no", str),
    ("parent_no", str),
    ("title", str),
    ("status", str),
    ("status_text", str),
    ("deadline_text", str),
    ("deadline", str),
    ("match_score", float),
    ("first_reported", str),
    ("last_reported", str),
    ("appearances", int),
    ("still_open", bool),
    ("reopened", bool),
    ("deadline_moved", bool),
]

Row = dict[str, Any]
Table = tuple[list[str], list[Row]]


def report_date(doc: DocumentFields) -> str | None:
    """The date a bulletin reports for: its as_of date (截至…), else its publish date."""
    return doc.as_of_date or doc.publish_date


# ------------------------------------------------------------------ sequences

#: What tells one inspection of a unit from another, in the order asked.
INSPECTION_FIELDS = ("feedback_date", "round", "inspection_start")


def _agree(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def same_inspection(a: DocumentFields, b: DocumentFields) -> bool | None:
    """Whether two bulletins of a unit report on one inspection: the first of feedback date,
    round, inspection start that both give decides; None when they give none in common."""
    for name in INSPECTION_FIELDS:
        x, y = getattr(a, name), getattr(b, name)
        if x and y:
            return _agree(x, y)
    return None


@dataclass
class UnitSequence:
    """The bulletins of one unit about one inspection, oldest first."""

    unit_key: str | None
    docs: list[DocumentFields]

    @property
    def inspection(self) -> str | None:
        """The inspection, as the bulletins name it: feedback date, round or start."""
        for name in INSPECTION_FIELDS:
            for doc in self.docs:
                if getattr(doc, name):
                    return str(getattr(doc, name))
        return None


def sequences(documents: Iterable[DocumentFields],
              groups: Sequence[UnitGroup] | None = None) -> list[UnitSequence]:
    """Every unit's bulletins, split by inspection (:func:`same_inspection`), oldest first.

    A bulletin that names no inspection joins its unit's only sequence; with several, it
    stands alone."""
    out: list[UnitSequence] = []
    for group in group_documents(documents) if groups is None else groups:
        if group.doc_type != BULLETIN:
            continue
        runs: list[list[DocumentFields]] = []
        unplaced: list[DocumentFields] = []
        for doc in group.docs:  # oldest first
            run = next((r for r in runs if any(same_inspection(doc, d) for d in r)), None)
            if run is not None:
                run.append(doc)
            elif any(getattr(doc, name) for name in INSPECTION_FIELDS):
                runs.append([doc])
            else:
                unplaced.append(doc)
        if len(runs) == 1:
            joined = {id(d) for d in runs[0]} | {id(d) for d in unplaced}
            runs[0] = [d for d in group.docs if id(d) in joined]
        elif not runs and unplaced:
            runs = [unplaced]
        else:
            runs.extend([d] for d in unplaced)
        out.extend(UnitSequence(group.key, run) for run in runs)
    return out


# ------------------------------------------------------------------ titles


@lru_cache(maxsize=65536)  # a title recurs in each bulletin of its unit
def title_tokens(title: str) -> str:
    """A title's jieba tokens without punctuation and TITLE_STOPWORDS, space-joined."""
    return " ".join(t for t in tokenize(title)
                    if t not in TITLE_STOPWORDS and not _PUNCTUATION.match(t))


def prepare_titles(items: Sequence[Any]) -> None:
    """Cut the leaf titles of these items now (:func:`title_tokens` remembers them): a run
    calls this, while it waits for its workers, for the bulletins of units it has seen
    more than once. Until the tokenizer is ready (it loads in the background) they are
    left for the end: this must not wait for it."""
    if not tokenizer_ready():
        return
    for item in items:
        if item.leaf:
            title_tokens(item.title)


def title_similarity(a: str, b: str) -> float:
    """How alike two problem titles are, 0–100 (rapidfuzz token-set ratio on their tokens):
    100 when one's words are all in the other (a title shortened or extended)."""
    from rapidfuzz import fuzz

    return float(fuzz.token_set_ratio(title_tokens(a), title_tokens(b)))


def best_similarities(problems: Sequence[Problem], leaves: Sequence[Any]) -> list[tuple[int, int, float]]:
    """(problem, leaf, score) for every pair at least TITLE_MATCH_MIN alike: the score is
    :func:`title_similarity` of the leaf's title and the most alike of the problem's
    titles so far. One rapidfuzz ``cdist`` call a bulletin (the same scorer, in C)
    instead of one Python call a pair: a unit's second bulletin of 26 problems is 676
    pairs, 2.5 µs each that way."""
    import numpy as np
    from rapidfuzz import fuzz, process

    starts: list[int] = []
    titles: list[str] = []
    for problem in problems:
        starts.append(len(titles))
        titles.extend(dict.fromkeys(a.item.title for a in problem.appearances))
    matrix = process.cdist([title_tokens(t) for t in titles],
                           [title_tokens(item.title) for item in leaves],
                           scorer=fuzz.token_set_ratio, dtype=np.float64,
                           workers=SIMILARITY_THREADS)
    best = np.maximum.reduceat(matrix, starts, axis=0)  # a row per problem
    rows, columns = np.nonzero(best >= TITLE_MATCH_MIN)
    return [(int(p), int(i), float(best[p, i])) for p, i in zip(rows, columns, strict=True)]


# ------------------------------------------------------------------ problems


@dataclass
class Appearance:
    """A problem in one bulletin of its sequence."""

    step: int  # 1-based position of the bulletin in the sequence
    doc: DocumentFields
    item: Any  # Item or KeptItem
    score: float | None  # title similarity to the problem's previous appearance


def _label(item: Any) -> str:
    return f"{item.parent_no}{item.item_no}" if item.parent_no else str(item.item_no)


def _months(iso: str) -> int:
    return int(iso[:4]) * 12 + (int(iso[5:7]) if len(iso) >= 7 else 12)


@dataclass
class Problem:
    """One problem followed through the bulletins of a sequence."""

    sequence: UnitSequence
    appearances: list[Appearance] = field(default_factory=list)
    key: str = ""

    @property
    def first_reported(self) -> str | None:
        return next((d for a in self.appearances if (d := report_date(a.doc))), None)

    @property
    def last_reported(self) -> str | None:
        return next((d for a in reversed(self.appearances) if (d := report_date(a.doc))), None)

    @property
    def still_open(self) -> bool:
        """Not completed in its latest bulletin, nor in one at least STILL_OPEN_MONTHS before."""
        last = self.appearances[-1]
        last_date = report_date(last.doc)
        if last.item.status not in OPEN_STATUSES or not last_date:
            return False
        return any(a.item.status in OPEN_STATUSES and (d := report_date(a.doc))
                   and _months(last_date) - _months(d) >= STILL_OPEN_MONTHS
                   for a in self.appearances[:-1])

    @property
    def reopened(self) -> bool:
        """Reported completed, then not completed in a later bulletin."""
        done = False
        for a in self.appearances:
            if a.item.status == COMPLETED:
                done = True
            elif done and a.item.status in OPEN_STATUSES:
                return True
        return False

    @property
    def deadline_moved(self) -> bool:
        """Two bulletins promise different deadlines (compared at the end of the period
        written: 2024年底 and 2024年12月 are one deadline)."""
        ends = {period_end(a.item.deadline) for a in self.appearances if a.item.deadline}
        ends.discard(None)
        return len(ends) > 1

    def closed_on(self) -> str | None:
        """The report date of the first bulletin after its last open one that reports it
        completed, when its latest appearance is completed."""
        if self.appearances[-1].item.status != COMPLETED:
            return None
        closed = None
        for a in reversed(self.appearances):
            if a.item.status != COMPLETED:
                break
            closed = report_date(a.doc)
        return closed


def follow(sequence: UnitSequence, leaves_by_doc: dict[str, list[Any]]) -> list[Problem]:
    """The problems of a sequence: each bulletin's leaf items matched to the problems of the
    bulletins before (:data:`TITLE_MATCH_MIN`), best matches first, the same number breaking
    ties; an item matched to none is a new problem."""
    problems: list[Problem] = []
    for step, doc in enumerate(sequence.docs, start=1):
        leaves = leaves_by_doc.get(doc.doc_id, [])
        candidates = []
        scores = best_similarities(problems, leaves) if problems and leaves else []
        for p_index, i_index, score in scores:
            last = problems[p_index].appearances[-1].item
            candidates.append((-score, _label(last) != _label(leaves[i_index]),
                               abs(p_index - i_index), p_index, i_index))
        candidates.sort()
        taken_problems: set[int] = set()
        matched: dict[int, tuple[int, float]] = {}
        for neg_score, _, _, p_index, i_index in candidates:
            if p_index in taken_problems or i_index in matched:
                continue
            taken_problems.add(p_index)
            matched[i_index] = (p_index, -neg_score)
        for i_index, item in enumerate(leaves):
            if i_index in matched:
                p_index, score = matched[i_index]
                problems[p_index].appearances.append(
                    Appearance(step, doc, item, round(score, SCORE_DECIMALS)))
            else:
                problems.append(Problem(sequence, [Appearance(step, doc, item, None)]))
    _name(problems)
    return problems


def _name(problems: Sequence[Problem]) -> None:
    """problem_key: unit · inspection · first report date · number there (unique)."""
    seen: dict[str, int] = defaultdict(int)
    for problem in problems:
        first = problem.appearances[0]
        seq = problem.sequence
        key = KEY_SEPARATOR.join([seq.unit_key or first.doc.doc_id, seq.inspection or "?",
                                  report_date(first.doc) or first.doc.doc_id, _label(first.item)])
        seen[key] += 1
        problem.key = key if seen[key] == 1 else f"{key}#{seen[key]}"


@dataclass
class History:
    """Every sequence's problems, and where each leaf item of a bulletin belongs."""

    sequences: list[UnitSequence]
    problems: list[Problem]
    _by_item: dict[tuple[str, int], Problem] = field(default_factory=dict, repr=False)

    def problem_of(self, doc_id: str, item_index: int) -> Problem | None:
        return self._by_item.get((doc_id, item_index))

    def first_reported(self, doc_id: str, item_index: int) -> str | None:
        problem = self.problem_of(doc_id, item_index)
        return problem.first_reported if problem is not None else None

    def days_open(self, doc_id: str, item_index: int, as_of: date) -> int | None:
        """Days from the problem's first report to the bulletin reporting it completed, or to
        ``as_of`` while it is not (at the end of the period written, as days overdue)."""
        problem = self.problem_of(doc_id, item_index)
        first = problem.first_reported if problem is not None else None
        if problem is None or not first:
            return None
        closed = period_end(problem.closed_on())
        return days_past(first, closed if closed is not None else as_of)


def build(documents: Sequence[DocumentFields], items: Iterable[Item],
          groups: Sequence[UnitGroup] | None = None) -> History:
    """Sequences and their problems from a run's documents (copies are left out) and items
    (``groups``: :func:`extract.units.group_documents` of the documents, when known)."""
    seqs = sequences(documents, groups)
    wanted = {d.doc_id for s in seqs for d in s.docs}
    leaves_by_doc: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        if item.leaf and item.doc_id in wanted:
            leaves_by_doc[item.doc_id].append(item)
    for leaves in leaves_by_doc.values():
        leaves.sort(key=lambda it: it.item_index)
    history = History(seqs, [])
    for seq in seqs:
        for problem in follow(seq, leaves_by_doc):
            history.problems.append(problem)
            for a in problem.appearances:
                history._by_item[(a.doc.doc_id, a.item.item_index)] = problem
    return history


def history_table(history: History) -> Table:
    """history.csv: one row per problem and bulletin it appears in, for the sequences of two
    bulletins or more; by unit, inspection, problem (in order of first appearance), step."""
    rows: list[Row] = []
    for problem in history.problems:
        seq = problem.sequence
        if len(seq.docs) < 2:
            continue
        flags = {"first_reported": problem.first_reported, "last_reported": problem.last_reported,
                 "appearances": len(problem.appearances), "still_open": problem.still_open,
                 "reopened": problem.reopened, "deadline_moved": problem.deadline_moved}
        inspection = seq.inspection
        for a in problem.appearances:
            it = a.item
            rows.append({
                "unit_key": seq.unit_key, "unit": a.doc.unit, "inspection": inspection,
                "problem_key": problem.key, "step": a.step, "bulletins": len(seq.docs),
                "doc_id": a.doc.doc_id, "source_path": a.doc.source_path,
                "report_date": report_date(a.doc), "item_no": it.item_no, "parent_no": it.parent_no,
                "title": it.title, "status": it.status, "status_text": it.status_text,
                "deadline_text": it.deadline_text, "deadline": it.deadline,
                "match_score": a.score, **flags,
            })
    return [name for name, _ in HISTORY_COLUMNS], rows
