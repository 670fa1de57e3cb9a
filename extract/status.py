"""What a status phrase means and where it stands, and what a deadline says: one room.

The segmenter asks which headings carry statuses (their level is the problem
level); the item reader asks for each item's status phrase and deadline. Both
ask here:

* :func:`classify_status` — ``completed`` / ``partial`` / ``in_progress`` /
  ``unknown`` from a phrase as written (已完成整改，并长期坚持 → completed);
* :func:`status_phrase` — the phrase after a label, up to 。/； or the first 一是;
* :func:`bracketed_status` — a status in brackets opening a title (（已完成）…);
* :func:`closing_status` — a status sentence or bracket closing a paragraph
  (目前，该问题已整改完成 / …。（持续推进）);
* :func:`parse_deadline` — an ISO deadline at the precision written, and
  whether it says long-term (长期坚持).

Whether a deadline has passed is a question of dates (:func:`extract.dates.is_overdue`).
"""

from __future__ import annotations

from functools import lru_cache

from extract import dates
from extract.normalize import NormalizedText
from extract.numerals import MEMO_SIZE
from extract.patterns import P
from extract.records import COMPLETED, IN_PROGRESS, PARTIAL, UNKNOWN

#: Punctuation and spaces that end a phrase or title and are not part of it.
TRAILING = " 。;:,!?、"


@lru_cache(maxsize=MEMO_SIZE)  # status phrases repeat across items and documents
def classify_status(phrase: str) -> str:
    """Status vocabulary from a status phrase as written (width-folded)."""
    if not phrase:
        return UNKNOWN
    if P("status_partial").search(phrase):
        return PARTIAL
    if P("status_in_progress").search(phrase):
        return IN_PROGRESS
    if P("status_partial_progress").search(phrase):
        return PARTIAL
    if P("status_completed").search(phrase):
        return COMPLETED
    return UNKNOWN


def is_long_term(text: str) -> bool:
    """The work continues long-term: 长期坚持 / 常态化 …"""
    return P("long_term").search(text) is not None


def strip_end(text: str, start: int, end: int) -> int:
    """``end`` moved back over trailing punctuation and spaces."""
    while end > start and text[end - 1] in TRAILING:
        end -= 1
    return end


def status_phrase(nt: NormalizedText, start: int, end: int) -> tuple[int, str]:
    """The status phrase starting at ``start``: up to 。/；, or the first 一是 measure.
    Returns where it stops and the phrase (width-folded)."""
    stops = [i for i in (nt.match.find("。", start, end), nt.match.find(";", start, end)) if i >= 0]
    stop = min(stops, default=end)
    em = P("enumeration").search(nt.match, start, stop)
    if em and em.start() > start:
        stop = em.start()
    stop = strip_end(nt.match, start, stop)
    return stop, nt.match[start:stop]


def bracketed_status(nt: NormalizedText, start: int, end: int) -> tuple[int, int] | None:
    """Span of a bracketed status opening a title: 4.（已完成）机关财务报销审核不严."""
    m = P("status_bracket_start").match(nt.match, start, end)
    return m.span("phrase") if m else None


def after_bracketed_status(nt: NormalizedText, start: int, end: int) -> int:
    """Where a title starts once a bracketed status before it (（已完成）) is skipped."""
    m = P("status_bracket_start").match(nt.match, start, end)
    return m.end() if m else start


def closing_status(nt: NormalizedText, start: int, end: int) -> tuple[int, int] | None:
    """Span of a status closing the paragraph ``start:end``: a bracket (…。（持续推进）) or a
    sentence (目前，该问题已整改完成), to the end of its sentence (已完成整改，并将长期坚持)."""
    bracket = P("status_bracket_end").search(nt.match, start, end)
    if bracket:
        return bracket.span("phrase")
    found = None
    for m in P("status_sentence").finditer(nt.match, start, end):
        found = m.span("phrase")
    if found is None:
        return None
    stops = [i for i in (nt.match.find("。", found[0], end), nt.match.find(";", found[0], end)) if i >= 0]
    return found[0], min(stops, default=end)


@lru_cache(maxsize=MEMO_SIZE)  # deadlines repeat across items and documents (2024年12月底前)
def parse_deadline(text: str) -> tuple[str | None, bool]:
    """ISO deadline at the precision written, and whether it says long-term."""
    m = P("deadline_date").search(text)
    long_term = not m and bool(P("deadline_long_term").search(text))
    if not m:
        iso = P("deadline_iso").search(text)
        if iso:
            return dates.make(iso["y"], iso["m"], iso["d"]).iso(), is_long_term(text)
        return None, long_term or is_long_term(text)
    if m["d"] and m["m"]:
        date_iso = dates.make(m["y"], m["m"], m["d"]).iso()
    elif m["m"]:
        date_iso = dates.make(m["y"], m["m"]).iso()
    else:
        date_iso = m["y"]
    return date_iso, is_long_term(text)
