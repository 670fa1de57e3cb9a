"""Web-page chrome in a document's lines: what the site put around the bulletin.

Users save or paste the text of web pages, print pages to PDF, and readers of
HTML cannot always tell the article from the page. Around the bulletin then
stand site names, navigation bars, breadcrumbs (``当前位置：首页 > …``), the
disclosure block of a government site (``信息索引号``, ``发布机构``,
``成文日期``, ``文件名称``), article stamps (``来源``, ``发布时间``,
``浏览次数``), widgets (``字号：大 中 小``, ``分享到``, ``打印本页``, ``朗读``),
related-article lists and footers. None of it is the bulletin, but some of it
says what the bulletin itself may not: its title (``文件名称：…``), its
publication date and the publishing body. :func:`strip` removes the chrome
lines and keeps what they say as :class:`PageMeta`.

Three rules, each on named patterns (:mod:`extract.patterns`, ``chrome_*``):

1. A line that is chrome by its own words (breadcrumb, disclosure label, stamp,
   widget, footer, address, WeChat header) is removed wherever it stands.
2. Before the body — the first title line, sentence, heading or salutation —
   site names, slogans and navigation bars are page head.
3. After a related-articles marker (``相关链接``, ``上一篇：``) that follows the
   body, lines without a full stop are the list and the footer; after the
   body's last sentence, navigation bars and site names are the footer.

Lines are matched width-folded and already converted to Simplified characters
(the normalizer calls this after :func:`extract.normalize.to_simplified`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

import regex

from extract import dates
from extract.patterns import PATTERNS, P
from extract.width import fold_width

#: A line this long with a comma or full stop is running text: the body has started.
BODY_SENTENCE_MIN = 20
#: A salutation line (``县委巡察工作领导小组办公室：``) is at most this long.
SALUTATION_MAX = 40
#: Labels whose value is the document's title, its date, its publishing body (in preference order).
TITLE_LABELS = ("文件名称", "标题", "信息名称")
DATE_LABELS = ("发布日期", "发布时间", "发表时间", "公开日期", "日期", "时间", "成文日期", "发文日期", "生成日期",
               "更新时间")
PUBLISHER_LABELS = ("发布机构", "发文机关", "发文单位", "发文机构", "所属机构", "来源", "信息来源", "文章来源",
                    "稿件来源", "供稿")

#: Line kinds: chrome by its own words (rule 1).
CHROME_PATTERNS = ("chrome_breadcrumb", "chrome_disclosure", "chrome_stamp", "chrome_widget",
                   "chrome_footer", "chrome_url", "chrome_related", "chrome_wechat")
#: Chrome only where no body can be: the page head and tail (rules 2 and 3).
EDGE_PATTERNS = ("chrome_site_name", "chrome_nav")
#: Chrome only above the body (a slogan's few words look like a cut measure list below it).
HEAD_PATTERNS = (*EDGE_PATTERNS, "chrome_slogan")


@dataclass
class PageMeta:
    """What the chrome said about the page."""

    title: str | None = None  # 文件名称：… / 标题：…
    publish_date: str | None = None  # ISO, from 发布日期/发布时间/成文日期 or a WeChat header
    publisher: str | None = None  # 发布机构 / 来源
    removed: int = 0  # chrome lines removed
    date_label: str | None = None  # the label publish_date was read from (a better one wins)


def chrome_kind(line: str) -> str | None:
    """The name of the pattern that makes ``line`` chrome by its own words, or None."""
    return _chrome_kind(fold_width(line))


def _chrome_kind(folded: str) -> str | None:
    """:func:`chrome_kind` of a width-folded line. A pattern with literals (see
    :class:`extract.patterns.registry.Pattern`) runs only on a line holding one of them."""
    for name, literals, rx in _chrome_checks():
        if literals and not any(word in folded for word in literals):
            continue
        if rx.search(folded):
            return name
    return None


def _chrome_lines(folds: Sequence[str]) -> list[bool]:
    """Whether each width-folded line is chrome by its own words (``_chrome_kind(line) is
    not None``), trying each pattern only on the lines holding one of its literals: one
    scan of all lines finds them (~0.15 ms a bulletin, where 8 searches a line took ~0.7)."""
    scan = _literal_scan()
    if scan is None:  # a pattern without literals: every line is tried
        return [_chrome_kind(folded) is not None for folded in folds]
    words, patterns_of = scan
    text = "\n".join(folds)
    starts = list(accumulate((len(line) + 1 for line in folds[:-1]), initial=0))
    tries: dict[int, set[int]] = {}
    pos = 0
    # From every position a literal starts at (not only after the last one found: a
    # literal may overlap another), the longest literal there.
    while (m := words.search(text, pos)) is not None:
        tries.setdefault(bisect_right(starts, m.start()) - 1, set()).update(patterns_of[m.group()])
        pos = m.start() + 1
    found = [False] * len(folds)
    checks = _chrome_checks()
    for i, kinds in tries.items():
        found[i] = any(checks[k][2].search(folds[i]) for k in sorted(kinds))
    return found


@lru_cache(maxsize=1)
def _chrome_checks() -> tuple[tuple[str, tuple[str, ...], regex.Pattern[str]], ...]:
    """(name, literals, compiled pattern) of each CHROME_PATTERNS entry, looked up once
    (they are tried on every line of every document)."""
    return tuple((name, PATTERNS[name].literals, P(name)) for name in CHROME_PATTERNS)


@lru_cache(maxsize=1)
def _literal_scan() -> tuple[re.Pattern[str], dict[str, tuple[int, ...]]] | None:
    """A scan for the literals of all CHROME_PATTERNS, longest first (``re``: it skips to
    their first characters, ~3× faster than ``regex`` here), and for each literal the
    patterns (indexes in :func:`_chrome_checks`) one of whose literals starts it: all
    the literals found where it is found. None when a pattern has no literals."""
    checks = _chrome_checks()
    if any(not literals for _, literals, _ in checks):
        return None
    words = sorted({w for _, literals, _ in checks for w in literals}, key=len, reverse=True)
    patterns_of = {w: tuple(k for k, (_, literals, _) in enumerate(checks)
                            if any(w.startswith(lit) for lit in literals)) for w in words}
    return re.compile("|".join(map(re.escape, words))), patterns_of


def _edge_chrome(folded: str, patterns: tuple[str, ...] = EDGE_PATTERNS) -> bool:
    return any(P(name).search(folded) for name in patterns)


def is_title_like(line: str) -> bool:
    """A title line, also with a list page's date after it (关于…的通报　2024-11-15)."""
    folded = fold_width(line).strip()
    folded = P("chrome_column_tag").sub("", folded)
    folded = P("chrome_date_tail").sub("", folded)
    return bool(folded) and bool(P("title_line").search(folded.replace(" ", "")))


def _starts_body(line: str) -> bool:
    folded = fold_width(line).strip()
    if is_title_like(folded):
        return True
    if len(folded) >= BODY_SENTENCE_MIN and any(c in folded for c in "。,;"):
        return True
    if P("heading_cn_dun").match(folded) or P("heading_cn_paren").match(folded):
        return True
    return len(folded) <= SALUTATION_MAX and folded.endswith(":") and not chrome_kind(folded)


def _read_meta(line: str, meta: PageMeta) -> None:
    folded = fold_width(line)
    for m in P("chrome_label_value").finditer(folded):
        label, value = m["label"], line[m.start("value"):m.end("value")].strip()
        if not value:
            continue
        if label in TITLE_LABELS and meta.title is None:
            meta.title = value.replace(" ", "").replace("\u3000", "")
        elif label in DATE_LABELS:
            iso = _iso(fold_width(value))
            rank = DATE_LABELS.index(meta.date_label) if meta.date_label else len(DATE_LABELS)
            if iso and DATE_LABELS.index(label) < rank:
                meta.publish_date, meta.date_label = iso, label
        elif label in PUBLISHER_LABELS and meta.publisher is None:
            meta.publisher = value.split()[0]
    if meta.publish_date is None:
        m = P("chrome_stamp").match(folded)
        if m and m["ty"]:  # 2025-02-18 16:40:11　来源：…
            meta.publish_date = dates.make(m["ty"], m["tm"], m["td"]).iso()
    if meta.publish_date is None:
        m = P("chrome_wechat").match(folded)
        if m:
            meta.publish_date = dates.make(m["y"], m["m"], m["d"]).iso()


def _iso(value: str) -> str | None:
    m = P("date_iso").search(value)
    if m:
        return dates.make(m["y"], m["m"], m["d"]).iso()
    m = P("date").search(value)
    if m and m["y"]:
        return dates.make(m["y"], m["m"], m["d"]).iso()
    return None


def strip(lines: Sequence[str]) -> tuple[list[tuple[int, str]], PageMeta]:
    """The lines to keep as (index, text) — a column tag before the title removed — and
    what the removed chrome said."""
    meta = PageMeta()
    folds = _fold_lines(lines)
    chrome = _chrome_lines(folds)
    for line, is_chrome in zip(lines, chrome, strict=True):
        if is_chrome:
            _read_meta(line, meta)
    body_start = next((i for i, folded in enumerate(folds)
                       if not chrome[i] and _starts_body(folded)), len(lines))
    body_end = max((i for i, line in enumerate(lines) if "。" in line), default=len(lines))
    keep: list[tuple[int, str]] = []
    in_tail = False
    for i, line in enumerate(lines):
        folded = folds[i]
        if chrome[i]:
            if i > body_start and P("chrome_related").search(folded):
                in_tail = True
            continue
        if i < body_start and _edge_chrome(folded, HEAD_PATTERNS):
            continue  # page head: site names, slogans, navigation
        if in_tail and "。" not in folded:
            continue  # the related-articles list and the footer after it
        if i > body_end and _edge_chrome(folded):
            continue  # a footer's navigation bar or site name
        keep.append((i, strip_column_tag(line) if i <= body_start else line))
    meta.removed = len(lines) - len(keep)
    return keep, meta


def _fold_lines(lines: Sequence[str]) -> list[str]:
    """Each line width-folded: the lines joined and folded at once (fold_width looks for
    what to fold with one scan, whatever the length), else (a line holding a line break)
    one by one."""
    folds = fold_width("\n".join(lines)).split("\n")
    return folds if len(folds) == len(lines) else [fold_width(line) for line in lines]


def strip_column_tag(line: str) -> str:
    """A title line without the column tag before it (【巡察整改】中共…关于…的通报)."""
    m = P("chrome_column_tag").match(fold_width(line))
    return line[m.end():] if m else line
