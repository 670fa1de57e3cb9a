"""Recurring problem themes across units: which kinds of problem many units were told of.

Leaf item titles of each unit's latest bulletin are tokenized with jieba (an
inspection vocabulary loaded, ``data/userdict.txt``) and matched against the
theme map ``data/themes.tsv`` (``theme<TAB>keyword、keyword…``). A title may
count under several themes; titles matching none are counted under
其他（未归类）, the last row.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extract.records import BULLETIN, DocumentFields, Item
from extract.units import UnitGroup, group_documents

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent / "data"
USERDICT_PATH = DATA_DIR / "userdict.txt"
THEMES_PATH = DATA_DIR / "themes.tsv"
#: Joins lists inside one CSV cell (keywords, example titles).
LIST_SEPARATOR = "；"
#: Example titles shown per theme.
THEME_EXAMPLES = 3
#: Keywords at least this long also match as plain substrings of a title
#: (shorter ones must be a whole jieba token, so 作风 does not match 工作风险).
SUBSTRING_KEYWORD_MIN_LEN = 4
#: Theme row for titles that match no theme.
UNMATCHED_THEME = "其他（未归类）"
#: Decimals of the share of units.
RATE_DECIMALS = 1
THEMES_COLUMNS: list[tuple[str, type]] = [
    ("theme", str),
    ("units_affected", int),
    ("items", int),
    ("share_of_units", float),
    ("keywords", str),
    ("example_titles", str),
]
Row = dict[str, Any]
Table = tuple[list[str], list[Row]]


def _share(numerator: int, denominator: int) -> float | None:
    return round(100.0 * numerator / denominator, RATE_DECIMALS) if denominator > 0 else None


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


#: The tokenizer, made once, under a lock: it may be warming up in a background thread
#: when the analysis asks for it.
_TOKENIZER: list[Any] = []
_TOKENIZER_LOCK = threading.Lock()
#: Entries of the prefix dictionary per piece of the snapshot (see :func:`_tokenizer`).
SNAPSHOT_CHUNK = 2_000
#: Bumped when the snapshot's layout changes.
SNAPSHOT_LAYOUT = 2


def _snapshot_path(jieba: Any) -> Path | None:
    """Where this user keeps the tokenizer's snapshot, named by what it was made from."""
    try:
        stat = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME).stat()
        userdict = hashlib.sha256(USERDICT_PATH.read_bytes()).hexdigest()[:16]
    except (OSError, AttributeError, TypeError):
        return None
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "zhenggai"
    key = f"{jieba.__version__}-{stat.st_size}-{int(stat.st_mtime)}-{userdict}-{SNAPSHOT_LAYOUT}"
    return root / f"jieba-{key}.marshal"


def _load_snapshot(path: Path, tokenizer: Any) -> bool:
    """Fill ``tokenizer`` from its snapshot, a piece at a time: one marshal.load of the
    whole prefix dictionary (500,000 entries) holds the interpreter lock for ~0.4 s, and
    the run's main thread, which feeds the workers, waits that long; a piece holds it
    ~15 ms."""
    try:
        with path.open("rb") as handle:
            total, pieces, tags = marshal.load(handle)
            freq: dict[str, int] = {}
            for _ in range(pieces):
                piece = marshal.load(handle)
                if not isinstance(piece, dict):
                    return False
                freq.update(piece)
                time.sleep(0)  # hand the lock over: without this a waiting thread still
                # waited 100–170 ms at a time (measured; Python 3.11)
    except (OSError, EOFError, ValueError, TypeError):
        return False
    tokenizer.FREQ, tokenizer.total, tokenizer.user_word_tag_tab = freq, total, tags
    tokenizer.initialized = True
    return True


def _save_snapshot(path: Path, tokenizer: Any) -> None:
    items = list(tokenizer.FREQ.items())
    pieces = [dict(items[i:i + SNAPSHOT_CHUNK]) for i in range(0, len(items), SNAPSHOT_CHUNK)]
    temp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".jieba-")
        with os.fdopen(fd, "wb") as handle:
            marshal.dump((tokenizer.total, len(pieces), tokenizer.user_word_tag_tab), handle)
            for piece in pieces:
                marshal.dump(piece, handle)
        os.replace(temp, path)
    except OSError as exc:  # a read-only home or a full disk: the next run loads jieba again
        log.debug("无法保存分词词典快照 %s：%s", path, exc)
        if temp is not None:
            Path(temp).unlink(missing_ok=True)


def _tokenizer() -> Any:
    """jieba's tokenizer with the inspection vocabulary; from this user's snapshot of it
    when there is one (made by the first run)."""
    with _TOKENIZER_LOCK:
        if not _TOKENIZER:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            snapshot = _snapshot_path(jieba)
            if snapshot is None or not _load_snapshot(snapshot, tokenizer):
                tokenizer.load_userdict(str(USERDICT_PATH))
                if snapshot is not None:
                    _save_snapshot(snapshot, tokenizer)
            _TOKENIZER.append(tokenizer)
        return _TOKENIZER[0]


def warm_up() -> None:
    """Load the tokenizer in a background thread (a run starts this while its workers
    parse: the writing process is mostly waiting then, and the analysis at the end needs
    it at once)."""
    if not _TOKENIZER:
        threading.Thread(target=_tokenizer, name="zhenggai-jieba", daemon=True).start()


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
    groups: Sequence[UnitGroup] | None = None,
) -> Table:
    """Recurring problem types across units, from the leaf item titles of each
    unit's latest bulletin. An item may count under several themes; titles
    matching none are counted under 其他（未归类）, the last row.

    share_of_units is a percentage of the units that have any leaf item.
    Order: units_affected, then items, descending; then theme-map order.
    """
    theme_map = list(theme_map) if theme_map is not None else load_themes()
    bulletins = [g for g in (group_documents(documents) if groups is None else groups)
                 if g.doc_type == BULLETIN]
    latest = {g.latest.doc_id: g for g in bulletins}
    leaves = sorted(
        (it for it in items if it.leaf and it.doc_id in latest),
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
                "share_of_units": _share(len(units[name]), units_total),
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
