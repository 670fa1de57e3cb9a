"""Document type from the voice of the text: bulletin, round_summary or not_bulletin.

A bulletin is a unit reporting its own rectification: it says so in its own
voice (``现将巡察整改情况予以公布``, ``对我局党组开展了巡察``) or under a title
that names the report (``…关于…巡察整改进展情况的通报``), with or without
figures and items — most real bulletins are narrative, and many pages are seen
only in part. A round summary reports a whole round over many units with
completion figures, often as a news item by a 巡察办. Look-alikes are
third-person news (a launch, a feedback meeting, a supervision visit, a spot
check), notices, plans, summaries and index pages: full of the same words and
numbers, but never a unit publishing its own rectification.

The decision is a small table of named signals with weights (:data:`SIGNALS`),
each read by a named pattern (``signal_*`` in :mod:`extract.patterns`) or from
the structure. Their sum decides; a sum close to the line keeps the document
(a ``doc_type_uncertain`` finding says so) rather than wiping its fields.
``reason`` names the signals that decided, for ``doc_type_reason``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from extract.normalize import NormalizedText
from extract.patterns import P
from extract.records import BULLETIN, NOT_BULLETIN, ROUND_SUMMARY, Item

#: Items with a stated status from which the text lists its own problems' progress.
MIN_STATUS_ITEMS = 2
#: Title-like lines (…通报 with a date, or a list bullet) from which a text is an index page.
INDEX_TITLES = 3
#: An index line is at most this long (characters).
INDEX_LINE_MAX = 90
#: Paragraphs (after the title) that frame the document: its genre is read there.
HEAD_PARAGRAPHS = 4
#: Roll-up mentions (被巡察党组织, 对12个党组织, 4个巡察组, 本轮巡察) that make a round summary.
MIN_ROLL_UP = 2
#: Distinct rectification-report phrases (整改台账, 整改任务, 针对…反馈…问题 …) that make a
#: rectification narrative, and a rich one (worth a second point: an excerpt without opening).
NARRATIVE_WORDS = 3
RICH_NARRATIVE_WORDS = 5
#: Distinct news markers from which a text reads as third-person news.
MIN_NEWS_MARKERS = 2
#: Score from which a text is a bulletin without doubt; from UNCERTAIN_MIN it is kept as a
#: bulletin with a doc_type_uncertain finding; below, it is not a bulletin.
BULLETIN_MIN = 3
UNCERTAIN_MIN = 1


@dataclass(frozen=True)
class Evidence:
    """What the text says, read once: the inputs of every signal."""

    text: str  # the width-folded text
    head: str  # the title and the first paragraphs
    title: str | None
    status_items: int
    has_figures: bool
    index_lines: int

    # Read over the whole text, each by two signals (and the roll-up once more by decide):
    # counted once, when first asked.
    @cached_property
    def roll_ups(self) -> int:
        """Roll-up mentions (signal_roll_up), counted in the lines that may hold one (its
        matches never cross a line: the same count as over the whole text)."""
        rx = P("signal_roll_up")
        return sum(len(rx.findall(line)) for line in self.text.split("\n") if may_roll_up(line))

    @cached_property
    def narrative_words(self) -> int:
        """Distinct rectification-report phrases (signal_progress)."""
        return len({m.group() for m in P("signal_progress").finditer(self.text)})


def may_roll_up(line: str) -> bool:
    """Whether signal_roll_up may match in ``line``: each of its alternatives holds 被巡,
    对 and 个 or 家, 巡察组 or 巡视组, 本轮, or 轮巡察 (tests check it on the examples and the
    samples). Scanning a whole bulletin takes the pattern ~0.16 ms; these tests, the lines
    of a few."""
    return ("被巡" in line or "巡察组" in line or "巡视组" in line or "本轮" in line or "轮巡察" in line
            or ("对" in line and ("个" in line or "家" in line)))


@dataclass(frozen=True)
class Signal:
    name: str  # written into doc_type_reason
    weight: int
    fires: Callable[[Evidence], bool]
    doc: str


def _search(pattern: str, where: str = "text") -> Callable[[Evidence], bool]:
    def fires(ev: Evidence) -> bool:
        return P(pattern).search(getattr(ev, where)) is not None
    return fires


def _news(ev: Evidence) -> bool:
    return len({m.group() for m in P("signal_news").finditer(ev.head)}) >= MIN_NEWS_MARKERS


def _roll_up(ev: Evidence) -> bool:
    return ev.roll_ups >= MIN_ROLL_UP


def _title(ev: Evidence) -> bool:
    return ev.title is not None and P("signal_title").search(ev.title.replace(" ", "")) is not None


def _narrative_words(ev: Evidence) -> int:
    return ev.narrative_words


#: The signals, strongest first. Positive weights speak for a bulletin, negative against.
SIGNALS: tuple[Signal, ...] = (
    Signal("self_report", 4, _search("signal_self_report"),
           "the unit publishes its own rectification: 现将巡察整改情况予以公布"),
    Signal("status_items", 4, lambda ev: ev.status_items >= MIN_STATUS_ITEMS,
           "problems listed with their own statuses"),
    Signal("title", 3, _title, "a title naming the report: …关于…巡察整改进展情况的通报"),
    Signal("unit_voice", 2, _search("signal_unit_voice"), "the unit speaks of itself: 对我局党组开展了巡察"),
    Signal("progress_figures", 1, lambda ev: ev.has_figures, "completion figures: 已完成整改53个 / 整改完成率"),
    Signal("rectification_narrative", 1, lambda ev: _narrative_words(ev) >= NARRATIVE_WORDS,
           "the words of a rectification report: 整改工作开展情况 / 集中整改 / 整改台账"),
    Signal("rectification_narrative_rich", 1, lambda ev: _narrative_words(ev) >= RICH_NARRATIVE_WORDS,
           "many of them: a text about its own rectification even without an opening (an excerpt)"),
    Signal("round_news", -3, lambda ev: _roll_up(ev) and not ev.has_figures,
           "news about a round over many units without its completion figures: a supervision visit, "
           "a spot check, a feedback meeting"),
    Signal("third_person_news", -4, _news,
           "third-person news: a launch (进驻, 动员会), a feedback meeting, a supervision visit, a spot check"),
    Signal("notice", -4, _search("signal_notice", "head"),
           "an arrival notice (举报电话, 来信来电来访), a petition tally or a meeting notice"),
    Signal("other_genre", -4, _search("signal_other_genre", "head"),
           "a rectification plan, a work summary, feedback findings, typical cases, a notice"),
)


@dataclass(frozen=True)
class Verdict:
    doc_type: str
    reason: str  # the signals that decided, joined by "+"
    uncertain: bool = False
    score: int = 0


def evidence(nt: NormalizedText, title: str | None, items: list[Item], has_figures: bool) -> Evidence:
    text = nt.match
    head_paras = [text[s:e] for s, e in nt.paragraphs[:HEAD_PARAGRAPHS + 1]]
    index_lines = 0
    for start, end in nt.paragraphs:
        if end - start >= INDEX_LINE_MAX:
            continue
        line = text[start:end]
        if P("title_line").search(line.rstrip("0123456789-: ")) and (
                P("date_iso").search(line) or "[" in line or line.lstrip().startswith(("·", "•"))):
            index_lines += 1
    return Evidence(text=text, head=(title or "") + "\n" + "\n".join(head_paras), title=title,
                    status_items=sum(1 for i in items if i.status_text),
                    has_figures=has_figures, index_lines=index_lines)


def decide(ev: Evidence) -> Verdict:
    if ev.index_lines >= INDEX_TITLES and ev.status_items < MIN_STATUS_ITEMS:
        return Verdict(NOT_BULLETIN, "index_page")
    fired = [s for s in SIGNALS if s.fires(ev)]
    score = sum(s.weight for s in fired)
    positive = [s.name for s in fired if s.weight > 0]
    negative = [s.name for s in fired if s.weight < 0]
    own_voice = any(s.name in ("unit_voice", "status_items") for s in fired)
    if _roll_up(ev) and ev.has_figures and not own_voice and not negative:
        return Verdict(ROUND_SUMMARY, "+".join(["roll_up_figures", *positive]), score=score)
    if score >= BULLETIN_MIN:
        return Verdict(BULLETIN, "+".join(positive), score=score)
    if score >= UNCERTAIN_MIN and positive:
        return Verdict(BULLETIN, "+".join(positive + negative), uncertain=True, score=score)
    return Verdict(NOT_BULLETIN, "+".join(negative) or "no_bulletin_signal", score=score)
