"""What depends on the run's date (``--as-of``), applied after the parse.

A parse does not depend on the day it runs: only whether a problem is overdue
does (``items.csv`` ``overdue``, and the ``overdue_items`` finding of
``checks.csv``). So a worker parses *undated* and the cache keeps that, whatever
``--as-of``: a daily run over an unchanged archive is all cache hits. The
writing process dates each document as it emits it:

* the worker renders ``items.csv`` rows with a mark in the ``overdue`` cell of
  every problem that could ever be overdue (not completed, with a deadline):
  :func:`marked`; the others say ``false``;
* :func:`fill` replaces each mark by ``true`` or ``false`` for the run's date,
  from the status and deadline the brief carries, and gives the overdue
  problems, from which :func:`extract.checks.overdue_items` makes the finding
  (the document's last);
* records (for JSONL, xlsx, SQLite, the library's frames) are dated in place by
  :func:`date_parsed`, the same rule: :func:`extract.dates.is_overdue`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from extract import checks
from extract.dates import days_past, is_overdue
from extract.records import COMPLETED, Check, Item, ParsedDocument
from extract.serialize import ANALYSIS_ITEM_FIELDS

#: Private-use characters around an item's index: the mark of an ``overdue`` cell to fill.
MARK_START, MARK_END = "\ue000", "\ue001"
_MARK = re.compile(f"{MARK_START}(\\d+){MARK_END}")
#: Where the brief's item lists hold what the date decides on.
_INDEX = ANALYSIS_ITEM_FIELDS.index("item_index")
_NO = ANALYSIS_ITEM_FIELDS.index("item_no")
_STATUS = ANALYSIS_ITEM_FIELDS.index("status")
_DEADLINE = ANALYSIS_ITEM_FIELDS.index("deadline")
#: A date after every deadline: whether a deadline can ever have passed.
_LATEST = date.max


def may_be_overdue(status: str, deadline: str | None) -> bool:
    """Whether some day the problem is overdue: not completed, with a usable deadline."""
    return status != COMPLETED and days_past(deadline, _LATEST) is not None


@contextmanager
def marked(items: Sequence[Item]) -> Iterator[None]:
    """Within the block, the ``overdue`` of each problem that may be overdue is its mark
    (rendered into items.csv rows as text); restored afterwards."""
    saved = [(item, item.overdue) for item in items if may_be_overdue(item.status, item.deadline)]
    for item, _ in saved:
        item.overdue = f"{MARK_START}{item.item_index}{MARK_END}"  # type: ignore[assignment]
    try:
        yield
    finally:
        for item, value in saved:
            item.overdue = value


def overdue_of(brief_items: Sequence[Sequence[Any]], as_of: date) -> list[Sequence[Any]]:
    """The brief's items overdue on ``as_of``, in order."""
    return [it for it in brief_items if is_overdue(it[_STATUS], it[_DEADLINE], as_of)]


def fill(rendered_items: str, overdue: Sequence[Sequence[Any]]) -> str:
    """items.csv rows with every mark filled: ``true`` for the ``overdue`` brief items
    (:func:`overdue_of`), ``false`` for the others."""
    if MARK_START not in rendered_items:
        return rendered_items
    late = {str(it[_INDEX]) for it in overdue}
    return _MARK.sub(lambda m: "true" if m[1] in late else "false", rendered_items)


def overdue_check(doc_id: str, overdue: Sequence[Sequence[Any]]) -> Check | None:
    """The ``overdue_items`` finding of a document's overdue brief items (None without)."""
    return checks.overdue_items(doc_id, [it[_NO] for it in overdue]) if overdue else None


def date_parsed(parsed: ParsedDocument, as_of: date) -> ParsedDocument:
    """Date a parse in place: each item's ``overdue``, and the finding (the last check)."""
    late = []
    for item in parsed.items:
        item.overdue = is_overdue(item.status, item.deadline, as_of)
        if item.overdue:
            late.append(item.item_no)
    if late:
        parsed.checks.append(checks.overdue_items(parsed.document.doc_id, late))
    return parsed
