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
import struct
import sys
import threading
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extract.records import BULLETIN, DocumentFields, Item
from extract.units import UnitGroup, group_documents
from extract.usercache import KEEP_DAYS, prune, user_cache_dir, write_atomic

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
_TOKENIZER: list[Vocabulary] = []
_TOKENIZER_LOCK = threading.Lock()
#: Characters of titles announced by :func:`expect` before the tokenizer was ready.
_EXPECTED: set[str] = set()
#: Bumped when the snapshot's layout changes.
SNAPSHOT_LAYOUT = 3
#: Blocks whose tokens a Vocabulary remembers (then it starts again).
BLOCK_MEMORY = 65_536
#: A run removes the other snapshots made longer ago than this (days).
SNAPSHOT_KEEP_DAYS = KEEP_DAYS
#: The snapshot's first bytes: the length of its header (little-endian, 8 bytes).
_HEADER_LENGTH = struct.Struct("<Q")


def _snapshot_path(jieba: Any) -> Path | None:
    """Where this user keeps the tokenizer's snapshot, named by what it was made from.
    (Not by the dictionary file's date: each new environment installs the same jieba
    afresh, and would leave another 9 MB file behind.)"""
    try:
        size = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME).stat().st_size
        userdict = hashlib.sha256(USERDICT_PATH.read_bytes()).hexdigest()[:16]
    except (OSError, AttributeError, TypeError):
        return None
    key = f"{jieba.__version__}-{size}-{userdict}-{SNAPSHOT_LAYOUT}"
    return user_cache_dir() / f"jieba-{key}.marshal"


class Vocabulary:
    """jieba's tokenizer whose prefix dictionary (500,000 entries) is filled from the
    snapshot one first character at a time, as the titles to cut need them.

    jieba looks up only fragments of the text it cuts (the words of the DAG, the
    unknown runs it hands to the HMM), and every fragment starts with a character of
    that text: with the entries of those characters loaded, a title is cut exactly as
    with the whole dictionary. A run over one bulletin loads a few percent of it; all
    of it, read at once, is ~0.14 s."""

    def __init__(self, tokenizer: Any, body: memoryview | None = None,
                 index: dict[str, tuple[int, int]] | None = None) -> None:
        self.tokenizer = tokenizer
        self._body = body
        self._index = index or {}
        self._loaded: set[str] = set()
        self._lock = threading.Lock()
        jieba = sys.modules[type(tokenizer).__module__]
        self._han, self._skip = jieba.re_han_default, jieba.re_skip_default
        self._block_tokens: dict[str, tuple[str, ...]] = {}

    @property
    def complete(self) -> bool:
        """Every entry is in the tokenizer's dictionary (nothing left to load)."""
        return self._body is None

    def blocks(self, text: str) -> list[str]:
        """The runs jieba cuts one by one (of ideographs, letters, digits and a few signs,
        by its own pattern); it cuts each alone, so a block's tokens are the same in any
        text around it."""
        return self._han.findall(text)

    def block_tokens(self, block: str) -> tuple[str, ...]:
        """The tokens of one block (see :meth:`blocks`), remembered: stock phrases recur
        across titles and units."""
        tokens = self._block_tokens.get(block)
        if tokens is None:
            if len(self._block_tokens) >= BLOCK_MEMORY:
                self._block_tokens.clear()
            tokens = self._block_tokens[block] = tuple(self.lcut(block))
        return tokens

    def lcut(self, text: str) -> list[str]:
        if self._body is not None:
            self.load(text)
        return self.tokenizer.lcut(text)

    def cut(self, text: str) -> list[str]:
        """jieba's tokens of ``text`` (its ``lcut``, HMM on), each block's remembered: the
        blocks cut by :meth:`block_tokens`, the text between them split as jieba splits it
        (runs of spaces whole, every other character alone)."""
        tokens: list[str] = []
        for piece in self._han.split(text):
            if not piece:
                continue
            if self._han.match(piece):
                tokens.extend(self.block_tokens(piece))
                continue
            for part in self._skip.split(piece):
                if self._skip.match(part):
                    tokens.append(part)
                else:
                    tokens.extend(part)
        return tokens

    def load(self, chars: Iterable[str]) -> None:
        """Add the entries that start with one of ``chars`` (a text, or a set of characters)."""
        missing = set(chars) - self._loaded
        if not missing or self._body is None:
            return
        with self._lock:
            freq = self.tokenizer.FREQ
            for char in missing:
                where = self._index.get(char)
                if where is not None:
                    offset, length = where
                    freq.update(marshal.loads(self._body[offset:offset + length]))
            self._loaded |= missing


def _load_snapshot(path: Path, tokenizer: Any) -> Vocabulary | None:
    """``tokenizer`` backed by its snapshot (None if it is missing or damaged). Only the
    header is decoded here; the entries are decoded as titles need them."""
    try:
        data = path.read_bytes()
        (length,) = _HEADER_LENGTH.unpack_from(data)
        start = _HEADER_LENGTH.size + length
        total, tags, checksum, index = marshal.loads(data[_HEADER_LENGTH.size:start])
        body = memoryview(data)[start:]
        if zlib.crc32(body) != checksum or not isinstance(index, dict):
            return None
    except (OSError, EOFError, ValueError, TypeError, struct.error):
        return None
    tokenizer.FREQ, tokenizer.total, tokenizer.user_word_tag_tab = {}, total, tags
    tokenizer.initialized = True
    return Vocabulary(tokenizer, body, index)


def _save_snapshot(path: Path, tokenizer: Any) -> None:
    """The tokenizer's dictionary as one marshalled dict per first character, behind a
    header (total, tags, checksum, character → where its dict lies)."""
    buckets: dict[str, dict[str, int]] = defaultdict(dict)
    for word, freq in tokenizer.FREQ.items():
        buckets[word[0]][word] = freq
    index: dict[str, tuple[int, int]] = {}
    blobs: list[bytes] = []
    offset = 0
    for char, bucket in buckets.items():
        blob = marshal.dumps(bucket)
        index[char] = (offset, len(blob))
        blobs.append(blob)
        offset += len(blob)
    body = b"".join(blobs)
    header = marshal.dumps((tokenizer.total, tokenizer.user_word_tag_tab, zlib.crc32(body), index))
    # a read-only home or a full disk: the next run loads jieba's dictionary again
    write_atomic(path, (_HEADER_LENGTH.pack(len(header)), header, body))


def _import_jieba() -> Any:
    """jieba, imported without pkg_resources: jieba imports it only to open its own data
    files (58 ms of its 74 ms import, and a deprecation warning on new setuptools) and,
    where it is missing, opens them by path, the same files."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import → ImportError
    try:
        import jieba
    finally:
        if blocked and sys.modules.get("pkg_resources", False) is None:
            del sys.modules["pkg_resources"]
    return jieba


def _tokenizer() -> Vocabulary:
    """jieba's tokenizer with the inspection vocabulary; from this user's snapshot of it
    when there is one (made by the first run)."""
    with _TOKENIZER_LOCK:
        if not _TOKENIZER:
            jieba = _import_jieba()
            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            snapshot = _snapshot_path(jieba)
            vocabulary = _load_snapshot(snapshot, tokenizer) if snapshot is not None else None
            if vocabulary is None:
                tokenizer.load_userdict(str(USERDICT_PATH))
                if snapshot is not None:
                    _save_snapshot(snapshot, tokenizer)
                vocabulary = Vocabulary(tokenizer)
            if snapshot is not None:
                # (in the background, where a run warms it up)
                prune(snapshot, "jieba-*.marshal", SNAPSHOT_KEEP_DAYS)
            vocabulary.load(_EXPECTED)
            _EXPECTED.clear()
            _TOKENIZER.append(vocabulary)
        return _TOKENIZER[0]


def warm_up() -> None:
    """Get the tokenizer ready in a background thread (a run starts this while its
    workers parse; the analysis at the end needs it at once). From a snapshot that is
    importing jieba and reading one file; the first run builds the snapshot here."""
    if not _TOKENIZER:
        threading.Thread(target=_tokenizer, name="zhenggai-jieba", daemon=True).start()


def tokenizer_ready() -> bool:
    """Whether tokenizing now would not wait for the background warm-up."""
    return bool(_TOKENIZER)


def expect(titles: Iterable[str]) -> None:
    """Titles the analysis will cut: the entries of their characters are loaded now, while
    a run's writing process mostly waits for its workers, rather than all at the end (or
    as soon as the tokenizer is ready, if it is still starting)."""
    chars = set("".join(titles))
    if not _TOKENIZER:
        with _TOKENIZER_LOCK:
            if not _TOKENIZER:
                _EXPECTED.update(chars)
                return
    _TOKENIZER[0].load(chars)


Matches = dict[str, list[str]]
#: Theme matches (by the default theme map) of the leaf titles of a run's bulletins, made
#: as each bulletin arrived (:func:`match_ahead`), by the title's kept UTF-16 bytes.
_AHEAD: dict[bytes, Matches] = {}
#: One object per distinct match, which the titles that have it share.
_SHARED: dict[tuple[tuple[str, tuple[str, ...]], ...], Matches] = {}
_DEFAULT_MATCHER: list[ThemeMatcher] = []


def default_matcher() -> ThemeMatcher:
    """The matcher of the theme map in data/themes.tsv (read once)."""
    if not _DEFAULT_MATCHER:
        _DEFAULT_MATCHER.append(ThemeMatcher(load_themes()))
    return _DEFAULT_MATCHER[0]


def new_run() -> None:
    """A run that writes the themes table begins: the tokenizer gets ready in the
    background, and the matches made ahead for an earlier run are dropped."""
    _AHEAD.clear()
    _SHARED.clear()
    warm_up()


def match_ahead(items: Sequence[Any]) -> None:
    """Match the leaf titles of one bulletin's kept items (``KeptItem``) now. A run calls
    this for the bulletins it has received while it waits for its workers, so the themes
    table at the end finds the work done (on 2,000 bulletins with their own titles it was
    ~0.9 s at the end of the run). Before the tokenizer is ready only the titles'
    characters are noted (:func:`expect`); those titles are matched at the end."""
    if not tokenizer_ready():
        expect(it.title for it in items)
        return
    matcher = default_matcher()
    for it in items:
        key = it._title
        if it.leaf and key not in _AHEAD:
            found = matcher.match(it.title) or {UNMATCHED_THEME: []}
            shared = tuple((name, tuple(hits)) for name, hits in found.items())
            _AHEAD[key] = _SHARED.setdefault(shared, found)


def tokenize(text: str) -> list[str]:
    """jieba tokens of a title, with the inspection vocabulary loaded."""
    return [t for t in _tokenizer().cut(text) if t.strip()]


class ThemeMatcher:
    """Finds a theme map's keywords in titles. A keyword of SUBSTRING_KEYWORD_MIN_LEN
    characters or more matches as a piece of the title; a shorter one must be one of its
    jieba tokens — and a token is a piece of the title, so a title is cut only when a
    short keyword is in it at all (cutting is ~47 µs a title, most of the themes table's
    time). Keywords are looked up from the title's characters (by their first one)
    rather than each tried in turn."""

    def __init__(self, themes: Sequence[Theme]) -> None:
        self.names = [theme.name for theme in themes]
        #: first character → (keyword, its theme's index, its index in the theme)
        self.by_first: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
        for t, theme in enumerate(themes):
            for k, keyword in enumerate(theme.keywords):
                if keyword:  # (an empty keyword matches nothing)
                    self.by_first[keyword[0]].append((keyword, t, k))

    def match(self, title: str) -> dict[str, list[str]]:
        """Theme name → keywords of that theme found in the title (theme-map order)."""
        inside = [entry for ch in set(title) for entry in self.by_first.get(ch, ())
                  if entry[0] in title]
        if not inside:
            return {}
        short = [kw for kw, _, _ in inside if len(kw) < SUBSTRING_KEYWORD_MIN_LEN]
        tokens: set[str] = set()
        if short:
            vocabulary = _tokenizer()
            for block in vocabulary.blocks(title):
                if any(kw in block for kw in short):
                    tokens.update(vocabulary.block_tokens(block))
        found: dict[str, list[str]] = {}
        for t, _, kw in sorted((t, k, kw) for kw, t, k in inside
                               if len(kw) >= SUBSTRING_KEYWORD_MIN_LEN or kw in tokens):
            found.setdefault(self.names[t], []).append(kw)
        return found


def match_themes(title: str, themes: Sequence[Theme]) -> dict[str, list[str]]:
    """Theme name → keywords of that theme found in the title (theme-map order)."""
    return ThemeMatcher(themes).match(title)


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
    matcher = ThemeMatcher(theme_map) if theme_map is not None else default_matcher()
    ahead = _AHEAD if theme_map is None else {}
    bulletins = [g for g in (group_documents(documents) if groups is None else groups)
                 if g.doc_type == BULLETIN]
    latest = {g.latest.doc_id: g for g in bulletins}
    leaves = sorted(
        (it for it in items if it.leaf and it.doc_id in latest),
        key=lambda it: (latest[it.doc_id].key or "", it.doc_id, it.item_index),
    )
    units_total = len({latest[it.doc_id].latest.doc_id for it in leaves})
    order = [*matcher.names, UNMATCHED_THEME]
    units: dict[str, set[str]] = defaultdict(set)
    counts: Counter[str] = Counter()
    keyword_counts: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[str, list[tuple[str, str]]] = defaultdict(list)
    matches: dict[str, Matches] = {}  # titles repeat across units
    for it in leaves:
        group_id = latest[it.doc_id].key or it.doc_id
        key: bytes | None = getattr(it, "_title", None)  # a KeptItem's
        matched = ahead.get(key) if ahead and key is not None else None
        if matched is None:
            if it.title not in matches:
                matches[it.title] = matcher.match(it.title) or {UNMATCHED_THEME: []}
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
