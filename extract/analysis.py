"""Across units: summary, incomplete items and recurring problem themes.

Pure functions on the typed records of ``extract.records``: no files are
read except the vocabulary in ``extract/data/`` (jieba user dictionary, theme
map, unit-name abbreviations). The batch run calls :func:`build_tables` once
at the end and writes the three tables as summary.csv, incomplete.csv and
themes.csv.

Conventions
-----------
* A *unit* is the folded unit name (:func:`unit_key`): ``中共洛阳市委外事工作
  委员会办公室`` and ``洛阳市委外事办`` are one unit; a short form without a
  place name (``市委外事办``) joins the one longer form that ends with it, and
  stays on its own when several would fit.
* Only ``bulletin`` documents make unit rows. A ``round_summary`` (one body
  reporting over a whole round) makes its own row with ``doc_type =
  round_summary``; it is never merged with bulletins of the same body.
  ``not_bulletin`` documents are left out.
* A *leaf* item is one without sub-problems: an item is a parent when another
  item of the same document has ``parent_no`` equal to its ``item_no``.
  Problem counts and computed completion rates count leaf items only.
* The *latest* bulletin of a unit is the greatest (as_of_date, publish_date,
  feedback_date, doc_id); ISO dates at any precision compare as text.
"""

from __future__ import annotations

import calendar
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from extract.records import (
    BULLETIN,
    COMPLETED,
    IN_PROGRESS,
    OK,
    PARTIAL,
    ROUND_SUMMARY,
    UNKNOWN,
    Check,
    DocumentFields,
    Item,
)
from extract.units import merge_short_keys, unit_key

DATA_DIR = Path(__file__).parent / "data"
USERDICT_PATH = DATA_DIR / "userdict.txt"
THEMES_PATH = DATA_DIR / "themes.tsv"

#: Joins lists inside one CSV cell (unit forms, example titles, history).
LIST_SEPARATOR = "；"
#: Arrow between successive values of a trend.
TREND_ARROW = " → "
#: Example titles shown per theme.
THEME_EXAMPLES = 3
#: Keywords at least this long also match as plain substrings of a title
#: (shorter ones must be a whole jieba token, so 作风 does not match 工作风险).
SUBSTRING_KEYWORD_MIN_LEN = 4
#: Theme row for titles that match no theme.
UNMATCHED_THEME = "其他（未归类）"
#: Decimals of percentages (completion rates, shares).
RATE_DECIMALS = 1
#: Severities of checks.csv, counted per unit.
SEVERITIES = ("error", "warning", "info")
#: Document types that make rows of summary.csv, in row-group order.
SUMMARY_DOC_TYPES = (BULLETIN, ROUND_SUMMARY)
#: Document types whose items are analysed.
ITEM_DOC_TYPES = (BULLETIN, ROUND_SUMMARY)

# Column specs: (name, type) with type one of str, int, float, bool.
# extract/writers/tables.py reads these to type the CSV columns.
SUMMARY_COLUMNS: list[tuple[str, type]] = [
    ("unit_key", str),
    ("unit", str),
    ("unit_forms", str),
    ("doc_type", str),
    ("bulletins", int),
    ("files", int),
    ("doc_id", str),
    ("source_path", str),
    ("title", str),
    ("inspection_kind", str),
    ("inspector", str),
    ("feedback_date", str),
    ("as_of_date", str),
    ("publish_date", str),
    ("problems_declared", int),
    ("problems_extracted", int),
    ("problems_completed_declared", int),
    ("problems_in_progress_declared", int),
    ("completed", int),
    ("partial", int),
    ("in_progress", int),
    ("unknown", int),
    ("completion_rate_declared", float),
    ("completion_rate_computed", float),
    ("overdue_items", int),
    ("checks_error", int),
    ("checks_warning", int),
    ("checks_info", int),
    ("earlier_doc_ids", str),
    ("earlier_as_of_dates", str),
    ("completion_rate_trend", str),
    ("completion_rate_change", float),
    ("trend", str),
]
INCOMPLETE_COLUMNS: list[tuple[str, type]] = [
    ("unit_key", str),
    ("unit", str),
    ("doc_id", str),
    ("source_path", str),
    ("doc_as_of_date", str),
    ("superseded", bool),
    ("section_no", str),
    ("section", str),
    ("item_no", str),
    ("parent_no", str),
    ("title", str),
    ("status", str),
    ("status_text", str),
    ("deadline_text", str),
    ("deadline", str),
    ("overdue", bool),
    ("days_overdue", int),
    ("as_of", str),
    ("page", int),
]
THEMES_COLUMNS: list[tuple[str, type]] = [
    ("theme", str),
    ("units_affected", int),
    ("items", int),
    ("share_of_units", float),
    ("keywords", str),
    ("example_titles", str),
]
TABLE_COLUMNS: dict[str, list[tuple[str, type]]] = {
    "summary": SUMMARY_COLUMNS,
    "incomplete": INCOMPLETE_COLUMNS,
    "themes": THEMES_COLUMNS,
}

# Trend words of summary.csv.
TREND_UP = "improving"
TREND_DOWN = "declining"
TREND_FLAT = "unchanged"

Row = dict[str, Any]
Table = tuple[list[str], list[Row]]


# ------------------------------------------------------------ dates, leaves


def deadline_end(deadline: str | None) -> date | None:
    """Last day of a deadline written at year, month or day precision.

    ``2024`` → 2024-12-31, ``2024-02`` → 2024-02-29, ``2024-05-10`` → that day;
    anything else → None.
    """
    if not deadline:
        return None
    parts = deadline.strip().split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) == 1:
            return date(numbers[0], 12, 31)
        if len(numbers) == 2:
            year, month = numbers
            return date(year, month, calendar.monthrange(year, month)[1])
        if len(numbers) == 3:
            return date(*numbers)
    except ValueError:
        return None
    return None


def days_overdue(deadline: str | None, as_of: date) -> int | None:
    """Days from the end of the deadline period to ``as_of``; 0 when not yet
    past, None when there is no usable deadline."""
    end = deadline_end(deadline)
    if end is None:
        return None
    return max(0, (as_of - end).days)


def parent_keys(items: Iterable[Item]) -> set[tuple[str, str]]:
    """(doc_id, item_no) of every item that has sub-problems in its document."""
    return {(it.doc_id, it.parent_no) for it in items if it.parent_no}


def leaf_items(items: Sequence[Item]) -> list[Item]:
    """Items that are problems themselves (no sub-problems listed)."""
    parents = parent_keys(items)
    return [it for it in items if (it.doc_id, it.item_no) not in parents]


def _doc_order_key(doc: DocumentFields) -> tuple[str, str, str, str]:
    return (doc.as_of_date or "", doc.publish_date or "", doc.feedback_date or "", doc.doc_id)


def _as_float(value: float | None) -> float | None:
    return None if value is None else float(value)


def _rate(numerator: int, denominator: int) -> float | None:
    if denominator <= 0:
        return None
    return round(100.0 * numerator / denominator, RATE_DECIMALS)


# ------------------------------------------------------------------ grouping


@dataclass
class UnitGroup:
    """The bulletins of one unit (one doc_type), oldest first, and the files
    that are copies of one of them (the same bulletin in another format)."""

    doc_type: str
    key: str | None
    docs: list[DocumentFields]
    copies: list[DocumentFields]

    @property
    def latest(self) -> DocumentFields:
        return self.docs[-1]


#: Figures two copies of one bulletin state alike (when both state them).
COPY_FIGURES = ("problems_declared", "items_declared", "completion_rate", "problems_completed")
#: Dates two copies state alike, or one leaves out (a web page adds its own
#: publish stamp) or gives less precisely (OCR: 2023-12 for 2023-12-05).
COPY_DATES = ("publish_date", "feedback_date", "inspection_start", "inspection_end")


def _dates_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def same_bulletin(a: DocumentFields, b: DocumentFields) -> bool:
    """Whether two files of one unit are copies of one bulletin (other formats).

    The as_of dates must both be missing or agree; stated figures must be
    equal where both state them; other dates must agree where both give them.
    """
    if (a.as_of_date is None) != (b.as_of_date is None):
        return False
    if not _dates_agree(a.as_of_date, b.as_of_date):
        return False
    for name in COPY_FIGURES:
        x, y = getattr(a, name), getattr(b, name)
        if x is not None and y is not None and x != y:
            return False
    return all(_dates_agree(getattr(a, name), getattr(b, name)) for name in COPY_DATES)


def _best_copy_key(doc: DocumentFields) -> tuple[int, int, int, str]:
    """The copy whose parse found the most, then plain text, then doc_id."""
    return (-doc.items_extracted, doc.parse_status != OK, doc.source_format != "txt", doc.doc_id)


def group_documents(documents: Iterable[DocumentFields]) -> list[UnitGroup]:
    """Group bulletins (and, separately, round summaries) by folded unit name.

    Documents without a unit each make their own group (key None). Files of
    one unit that agree on their dates and stated figures (:func:`same_bulletin`)
    are copies of one bulletin: the best parsed one represents it, the others
    go to ``copies``.
    """
    docs = [d for d in documents if d.doc_type in SUMMARY_DOC_TYPES]
    raw_keys = {d.doc_id: unit_key(d.unit) for d in docs}
    mapping = merge_short_keys(k for k in raw_keys.values() if k)
    groups: dict[tuple[str, str], list[DocumentFields]] = defaultdict(list)
    for doc in docs:
        key = raw_keys[doc.doc_id]
        group_id = mapping[key] if key else "\0" + doc.doc_id
        groups[(doc.doc_type, group_id)].append(doc)
    result = []
    for (doc_type, group_id), members in groups.items():
        key = None if group_id.startswith("\0") else group_id
        editions: list[list[DocumentFields]] = []
        for doc in sorted(members, key=_best_copy_key):
            edition = next((e for e in editions if all(same_bulletin(doc, d) for d in e)), None)
            if edition is None:
                editions.append([doc])
            else:
                edition.append(doc)
        kept, copies = [], []
        for files in editions:
            files.sort(key=_best_copy_key)
            kept.append(files[0])
            copies.extend(files[1:])
        result.append(UnitGroup(doc_type, key, sorted(kept, key=_doc_order_key),
                                sorted(copies, key=lambda d: d.doc_id)))
    return sorted(result, key=lambda g: (g.doc_type, g.key or "", g.latest.doc_id))


def _unit_forms(group: UnitGroup) -> str | None:
    forms: list[str] = []
    for doc in [*reversed(group.docs), *group.copies]:
        if doc.unit and doc.unit not in forms:
            forms.append(doc.unit)
    return LIST_SEPARATOR.join(forms) if forms else None


def _doc_index(groups: Sequence[UnitGroup]) -> dict[str, tuple[UnitGroup, bool]]:
    """doc_id → (its group, whether a later document of the group exists)."""
    index = {}
    for group in groups:
        for doc in group.docs:
            index[doc.doc_id] = (group, doc is not group.latest)
    return index


# ------------------------------------------------------------------- summary


def _fmt_rate(rate: float | None) -> str:
    return "?" if rate is None else f"{rate:.{RATE_DECIMALS}f}"


def summary(
    documents: Sequence[DocumentFields], items: Sequence[Item], checks: Sequence[Check], as_of: date
) -> Table:
    """One row per unit from its latest bulletin, with the trend over its earlier ones.

    Rows: bulletin units first, then round summaries; within each, the lowest
    completion rate (declared, else computed) first, units without a rate last,
    then by unit_key.
    """
    groups = group_documents(documents)
    leaves_by_doc: dict[str, list[Item]] = defaultdict(list)
    for it in leaf_items(items):
        leaves_by_doc[it.doc_id].append(it)
    checks_by_doc: dict[str, Counter[str]] = defaultdict(Counter)
    for chk in checks:
        checks_by_doc[chk.doc_id][chk.severity] += 1

    def computed_rate(doc: DocumentFields) -> float | None:
        leaves = leaves_by_doc.get(doc.doc_id, [])
        return _rate(sum(it.status == COMPLETED for it in leaves), len(leaves))

    def effective_rate(doc: DocumentFields) -> float | None:
        declared = _as_float(doc.completion_rate)
        return declared if declared is not None else computed_rate(doc)

    rows: list[Row] = []
    for group in groups:
        doc = group.latest
        leaves = leaves_by_doc.get(doc.doc_id, [])
        status_counts = Counter(it.status for it in leaves)
        overdue = sum(
            1
            for it in leaves
            if it.status != COMPLETED and (days_overdue(it.deadline, as_of) or 0) > 0
        )
        earlier = group.docs[:-1]
        history = [effective_rate(d) for d in group.docs]
        change = None
        trend = None
        if earlier and history[-1] is not None and history[-2] is not None:
            change = round(history[-1] - history[-2], RATE_DECIMALS)
            trend = TREND_UP if change > 0 else TREND_DOWN if change < 0 else TREND_FLAT
        severity_counts = checks_by_doc.get(doc.doc_id, Counter())
        rows.append(
            {
                "unit_key": group.key,
                "unit": doc.unit,
                "unit_forms": _unit_forms(group),
                "doc_type": group.doc_type,
                "bulletins": len(group.docs),
                "files": len(group.docs) + len(group.copies),
                "doc_id": doc.doc_id,
                "source_path": doc.source_path,
                "title": doc.title,
                "inspection_kind": doc.inspection_kind,
                "inspector": doc.inspector,
                "feedback_date": doc.feedback_date,
                "as_of_date": doc.as_of_date,
                "publish_date": doc.publish_date,
                "problems_declared": doc.problems_declared,
                "problems_extracted": len(leaves),
                "problems_completed_declared": doc.problems_completed,
                "problems_in_progress_declared": doc.problems_in_progress,
                "completed": status_counts[COMPLETED],
                "partial": status_counts[PARTIAL],
                "in_progress": status_counts[IN_PROGRESS],
                "unknown": status_counts[UNKNOWN],
                "completion_rate_declared": _as_float(doc.completion_rate),
                "completion_rate_computed": computed_rate(doc),
                "overdue_items": overdue,
                "checks_error": severity_counts["error"],
                "checks_warning": severity_counts["warning"],
                "checks_info": severity_counts["info"],
                "earlier_doc_ids": LIST_SEPARATOR.join(d.doc_id for d in earlier) or None,
                "earlier_as_of_dates": LIST_SEPARATOR.join(d.as_of_date or "?" for d in earlier)
                or None,
                "completion_rate_trend": TREND_ARROW.join(_fmt_rate(r) for r in history)
                if earlier
                else None,
                "completion_rate_change": change,
                "trend": trend,
            }
        )

    def row_order(row: Row) -> tuple[int, int, float, str, str]:
        rate = row["completion_rate_declared"]
        if rate is None:
            rate = row["completion_rate_computed"]
        return (
            SUMMARY_DOC_TYPES.index(row["doc_type"]),
            rate is None,
            rate if rate is not None else 0.0,
            row["unit_key"] or "",
            row["doc_id"],
        )

    rows.sort(key=row_order)
    return [name for name, _ in SUMMARY_COLUMNS], rows


# ---------------------------------------------------------------- incomplete


def incomplete(
    documents: Sequence[DocumentFields], items: Sequence[Item], as_of: date
) -> Table:
    """Every item not completed, across all units and bulletins.

    Left out: parents with status unknown whose sub-problems are listed
    (the sub-problems carry the statuses), items of not_bulletin documents
    and of files that are copies of a listed bulletin (same bulletin in
    another format, see :func:`group_documents`). ``superseded`` marks items of a bulletin that a later bulletin
    of the same unit replaces; they sort after the current ones. Order:
    current before superseded, most days overdue first (no deadline last),
    then unit_key, document, item order.
    """
    groups = group_documents(documents)
    index = _doc_index(groups)
    copies = {d.doc_id for g in groups for d in g.copies} - set(index)
    docs_by_id = {d.doc_id: d for d in documents}
    parents = parent_keys(items)
    keyed: list[tuple[tuple[Any, ...], Row]] = []
    for it in items:
        if it.status == COMPLETED or it.doc_id in copies:
            continue
        if it.status == UNKNOWN and (it.doc_id, it.item_no) in parents:
            continue
        doc = docs_by_id.get(it.doc_id)
        if doc is not None and doc.doc_type not in ITEM_DOC_TYPES:
            continue
        group, superseded = index.get(it.doc_id, (None, False))
        key = group.key if group else unit_key(it.unit)
        late = days_overdue(it.deadline, as_of)
        row = {
            "unit_key": key,
            "unit": (doc.unit if doc else None) or it.unit,
            "doc_id": it.doc_id,
            "source_path": doc.source_path if doc else None,
            "doc_as_of_date": doc.as_of_date if doc else None,
            "superseded": superseded,
            "section_no": it.section_no,
            "section": it.section_title,
            "item_no": it.item_no,
            "parent_no": it.parent_no,
            "title": it.title,
            "status": it.status,
            "status_text": it.status_text,
            "deadline_text": it.deadline_text,
            "deadline": it.deadline,
            "overdue": bool(late),
            "days_overdue": late,
            "as_of": as_of.isoformat(),
            "page": it.page,
        }
        sort_key = (
            superseded,
            late is None,
            -(late or 0),
            key or "",
            (doc.as_of_date or "") if doc else "",
            it.doc_id,
            it.item_index,
        )
        keyed.append((sort_key, row))
    keyed.sort(key=lambda kr: kr[0])
    return [name for name, _ in INCOMPLETE_COLUMNS], [row for _, row in keyed]


# -------------------------------------------------------------------- themes


@dataclass(frozen=True)
class Theme:
    name: str
    keywords: tuple[str, ...]


def load_themes(path: Path = THEMES_PATH) -> list[Theme]:
    """Read the theme map: ``theme<TAB>kw、kw、…`` per line, # comments."""
    themes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, words = line.partition("\t")
        keywords = tuple(w.strip() for w in words.split("、") if w.strip())
        themes.append(Theme(name.strip(), keywords))
    return themes


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(USERDICT_PATH))
    return tokenizer


def tokenize(text: str) -> list[str]:
    """jieba tokens of a title, with the inspection vocabulary loaded."""
    return [t for t in _tokenizer().lcut(text) if t.strip()]


def match_themes(title: str, themes: Sequence[Theme]) -> dict[str, list[str]]:
    """Theme name → keywords of that theme found in the title (theme-map order)."""
    tokens = set(tokenize(title))
    found: dict[str, list[str]] = {}
    for theme in themes:
        hits = [
            kw
            for kw in theme.keywords
            if kw in tokens or (len(kw) >= SUBSTRING_KEYWORD_MIN_LEN and kw in title)
        ]
        if hits:
            found[theme.name] = hits
    return found


def themes(
    documents: Sequence[DocumentFields],
    items: Sequence[Item],
    theme_map: Sequence[Theme] | None = None,
) -> Table:
    """Recurring problem types across units, from the leaf item titles of each
    unit's latest bulletin. An item may count under several themes; titles
    matching none are counted under 其他（未归类）, the last row.

    share_of_units is a percentage of the units that have any leaf item.
    Order: units_affected, then items, descending; then theme-map order.
    """
    theme_map = list(theme_map) if theme_map is not None else load_themes()
    groups = [g for g in group_documents(documents) if g.doc_type == BULLETIN]
    latest = {g.latest.doc_id: g for g in groups}
    leaves = sorted(
        (it for it in leaf_items(items) if it.doc_id in latest),
        key=lambda it: (latest[it.doc_id].key or "", it.doc_id, it.item_index),
    )
    units_total = len({latest[it.doc_id].latest.doc_id for it in leaves})
    order = [t.name for t in theme_map] + [UNMATCHED_THEME]
    units: dict[str, set[str]] = defaultdict(set)
    counts: Counter[str] = Counter()
    keyword_counts: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[str, list[tuple[str, str]]] = defaultdict(list)
    matches: dict[str, dict[str, list[str]]] = {}  # titles repeat across units
    for it in leaves:
        group_id = latest[it.doc_id].key or it.doc_id
        if it.title not in matches:
            matches[it.title] = match_themes(it.title, theme_map) or {UNMATCHED_THEME: []}
        matched = matches[it.title]
        for name, hits in matched.items():
            units[name].add(group_id)
            counts[name] += 1
            keyword_counts[name].update(hits)
            examples[name].append((group_id, it.title))
    rows = []
    for name in sorted(counts, key=lambda n: (-len(units[n]), -counts[n], order.index(n))):
        rows.append(
            {
                "theme": name,
                "units_affected": len(units[name]),
                "items": counts[name],
                "share_of_units": _rate(len(units[name]), units_total),
                "keywords": LIST_SEPARATOR.join(
                    f"{kw}({n})"
                    for kw, n in sorted(keyword_counts[name].items(), key=lambda kv: (-kv[1], kv[0]))
                )
                or None,
                "example_titles": LIST_SEPARATOR.join(_pick_examples(examples[name])),
            }
        )
    unmatched = [r for r in rows if r["theme"] == UNMATCHED_THEME]
    rows = [r for r in rows if r["theme"] != UNMATCHED_THEME] + unmatched
    return [name for name, _ in THEMES_COLUMNS], rows


def _pick_examples(candidates: Sequence[tuple[str, str]]) -> list[str]:
    """Up to THEME_EXAMPLES distinct titles, from different units first."""
    picked: list[str] = []
    seen_units: set[str] = set()
    for group_id, title in candidates:
        if group_id not in seen_units and title not in picked:
            picked.append(title)
            seen_units.add(group_id)
        if len(picked) == THEME_EXAMPLES:
            return picked
    for _, title in candidates:
        if title not in picked:
            picked.append(title)
        if len(picked) == THEME_EXAMPLES:
            break
    return picked


# --------------------------------------------------------------------- entry


def build_tables(
    documents: list[DocumentFields], items: list[Item], checks: list[Check], as_of: date
) -> dict[str, Table]:
    """The three cross-unit tables: {"summary", "incomplete", "themes"} →
    (column names, rows with JSON-able values)."""
    return {
        "summary": summary(documents, items, checks, as_of),
        "incomplete": incomplete(documents, items, as_of),
        "themes": themes(documents, items),
    }
