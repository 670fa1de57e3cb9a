"""Document type: bulletin, round_summary or not_bulletin, from the text as a whole.

Look-alikes (arrival notices, feedback-meeting news, spot checks, index pages,
work summaries) are full of the same vocabulary and numbers; what they lack is
a unit reporting progress on its own problems: items with statuses, or a
progress statement (完成整改 N 个 / 整改完成率) in a rectification report.
"""

from __future__ import annotations

from dataclasses import dataclass

from extract.normalize import NormalizedText
from extract.patterns import P
from extract.records import BULLETIN, NOT_BULLETIN, ROUND_SUMMARY, Item

#: Items with a stated status from which a text is a bulletin whatever else it says.
MIN_STATUS_ITEMS = 2
#: Title-like lines (…通报 with a date) from which a text is an index page.
INDEX_TITLES = 3


@dataclass
class TypeSignals:
    progress: int
    round: int
    status_items: int
    has_figures: bool  # a stated completion count or rate
    self_report: bool  # 现将整改进展情况通报如下 / 予以公布
    title_progress: bool
    index_lines: int


def signals(nt: NormalizedText, title: str | None, items: list[Item], has_figures: bool) -> TypeSignals:
    text = nt.match
    status_items = sum(1 for i in items if i.status_text)
    if status_items >= MIN_STATUS_ITEMS:  # decided: the whole-text signals are not needed
        return TypeSignals(0, 0, status_items, has_figures, False, False, 0)
    index_lines = 0
    for start, end in nt.paragraphs:
        line = text[start:end]
        if len(line) < 90 and P("title_line").search(line.rstrip("0123456789-: ")) and (
                P("date_iso").search(line) or "[" in line):
            index_lines += 1
    return TypeSignals(
        progress=len(P("signal_progress").findall(text)),
        round=len(P("signal_round_summary").findall(text)),
        status_items=status_items,
        has_figures=has_figures,
        self_report=bool(P("signal_self_report").search(text)),
        title_progress=bool(title and "整改" in title and P("title_line").search(title)),
        index_lines=index_lines,
    )


def decide(s: TypeSignals) -> str:
    if s.status_items >= MIN_STATUS_ITEMS:
        return BULLETIN
    if s.index_lines >= INDEX_TITLES:
        return NOT_BULLETIN
    if not (s.title_progress or (s.self_report and s.has_figures)):
        return NOT_BULLETIN  # news, notices and summaries that merely mention rectification
    if not s.has_figures and s.progress < 2:
        return NOT_BULLETIN
    if s.round >= 2:
        return ROUND_SUMMARY
    return BULLETIN
