"""Web page reader: the article body of a government site page, as blocks.

1. ``decode_html``: charset from the BOM, then ``<meta charset>`` /
   ``http-equiv``, then UTF-8, then detection (GBK pages are common; gb2312 and
   gbk are read as their superset gb18030).
2. ``parse`` (:mod:`extract.readers.html_tree`): lxml's HTML parser, huge trees
   allowed, or a capped tree of our own when the markup nests deeper than libxml2
   takes (unclosed ``<div>``s of a broken template); no walk below recurses, so any
   depth is read whole.
3. ``strip_chrome``: scripts, styles, navigation, headers/footers, share bars,
   breadcrumbs and widgets are removed by tag, by class/id hints and by text.
4. ``find_body``: the element holding most paragraph text (class/id hints such
   as ``TRS_Editor``/``zoom``/``article`` win ties).
5. ``element_to_blocks``: block structure kept — p, div, li, h1–h6, br and
   table rows start new blocks. Chrome lines left inside the body
   (``当前位置：首页 >``, ``字号：大 中 小``, ``分享到``, ``打印本页``, ICP lines …)
   are removed by :mod:`extract.chrome` when the text is normalized, as for
   every format.

``visible_chars`` (a regex estimate over the raw markup) and ``set_aside_chars``
(the parsed text outside the article body) let the pipeline tell a parse that lost
text (``text_lost``) from a page that is mostly chrome.

The headline becomes ``SourceDocument.title`` (and the first block when the body
does not start with it); a ``发布时间：2024-11-08`` stamp becomes ``publish_date``.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from extract.chrome import chrome_kind
from extract.document import PARAGRAPH, TABLE_ROW, Block, SourceDocument, text_chars
from extract.errors import EmptyFile, ReadError, UnreadableFile
from extract.readers.html_tree import drop, parse, tree_chars, visible_chars
from extract.readers.txt import Decoded, decode, decode_repaired, without_nuls

from .tables import linearize_tables, row_text

#: Bytes searched for a charset declaration.
META_SNIFF_BYTES = 8192
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
#: Declared names mapped to the codec that reads them best.
CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                   "utf8": "utf-8", "big5": "big5hkscs"}

#: Tags never part of the article.
DROP_TAGS = ("script", "style", "noscript", "iframe", "nav", "header", "footer", "form", "button",
             "select", "input", "textarea", "svg", "object", "embed", "template", "head", "aside")
#: class/id fragments of chrome containers.
CHROME_HINTS = re.compile(
    r"(^|[\s_-])(nav|menu|breadcrumb|crumb|position|location|weizhi|dqwz|share|bdshare|fenxiang|"
    r"footer|foot|bottom|copyright|banquan|header|topbar|top|toolbar|tools|print|related|xgwz|"
    r"xgxx|relate|sidebar|side|fontsize|zihao|font-size|search|login|qrcode|ewm|comment|pager)"
    r"([\s_-]|\d|$)", re.I)
#: class/id fragments of article bodies (a bonus when choosing the body).
BODY_HINTS = re.compile(r"TRS_Editor|zoom|article|content|detail|main-?text|con_?text|"
                        r"zw|view|pages_content|wenzhang|neirong", re.I)
#: Block-level tags: each starts a new block.
BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
              "blockquote", "pre", "ul", "ol", "dl", "dt", "dd", "center", "table", "tbody",
              "thead", "tfoot", "caption", "figure", "figcaption", "address", "main", "hr"}
#: A date stamp near 发布时间/发布日期/时间.
PUBLISH_DATE = re.compile(
    r"(?P<label>发布(?:时间|日期)|发文日期|成文日期|日期|时间)\s*[:：]?\s*"
    r"(?P<y>\d{4})\s*[-年/.]\s*(?P<m>\d{1,2})\s*[-月/.]\s*(?P<d>\d{1,2})")
#: Site names appended to <title> after one of these separators.
TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||-{1,2}|—{1,2}|｜|－)\s*")
WHITESPACE = re.compile(r"[ \t\r\n\u00a0\u3000\u2002\u2003\u200b\ufeff]+")


def decode_html(data: bytes) -> str:
    """Text of a page (see :func:`decode_page`)."""
    return decode_page(data).text


def decode_page(data: bytes) -> Decoded:
    """Text of a page: BOM, declared charset (a few bad bytes left out), then as any text
    (UTF-8, GB18030, detection; see :func:`extract.readers.txt.decode`). NUL bytes are
    left out and counted too."""
    data, nuls = without_nuls(data)
    decoded = _decode_declared(data) or decode(data)
    return Decoded(decoded.text, decoded.repaired + nuls)


def _decode_declared(data: bytes) -> Decoded | None:
    """The page in its declared charset (a few bad bytes left out), or None."""
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        match = META_CHARSET.search(data[:META_SNIFF_BYTES])
        if match:
            name = match.group(1).decode("ascii", errors="ignore").lower()
            codec = CHARSET_ALIASES.get(name, name)
            try:
                return Decoded(data.decode(codec))
            except LookupError:
                pass  # an unknown name: detection decides
            except UnicodeDecodeError:
                repaired = decode_repaired(data, codec)
                if repaired is not None:
                    return repaired
                # a wrong declaration is common; fall through to detection
    return None


def _hint(el: etree._Element) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}"


def extract_title(root: etree._Element) -> str | None:
    """The headline: h1 (or a title-like class), else <title> without the site name."""
    page_title = clean(root.findtext(".//title") or "")
    candidates = root.xpath("//meta[@name='ArticleTitle']/@content")
    for meta in candidates:
        if clean(meta):
            return clean(meta)
    for el in root.xpath("//h1|//h2|//*[contains(@class,'title') or contains(@id,'title')]"):
        text = clean(el.text_content())
        if 6 <= len(text) <= 120 and chrome_kind(text) is None:
            if not page_title or text in page_title or page_title in text or el.tag == "h1":
                return text
    if page_title:
        parts = [p for p in TITLE_SEPARATORS.split(page_title) if p]
        return max(parts, key=len) if parts else page_title
    return None


def extract_publish_date(root: etree._Element) -> str | None:
    for name in ("PubDate", "pubdate", "publishdate", "firstpublishedtime"):
        for value in root.xpath(f"//meta[@name='{name}']/@content"):
            m = re.match(r"\s*(\d{4})\D(\d{1,2})\D(\d{1,2})", value)
            if m:
                return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
    text = clean(root.text_content())
    # 发布日期 over 成文日期 (a disclosure block gives both: the page was published later).
    found = [(m["label"].startswith("发布"), -m.start(), m) for m in PUBLISH_DATE.finditer(text)]
    if found:
        m = max(found, key=lambda f: f[:2])[2]
        return f"{int(m['y']):04d}-{int(m['m']):02d}-{int(m['d']):02d}"
    return None


def clean(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip()


def strip_chrome(root: etree._Element) -> None:
    """Remove elements that are never article text."""
    for el in root.xpath("|".join(f"//{t}" for t in DROP_TAGS)):
        drop(el)
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        hint = _hint(el)
        if hint.strip() and CHROME_HINTS.search(hint) and not BODY_HINTS.search(hint):
            drop(el)


#: Elements whose own text counts as paragraph text when choosing the body.
SCORED_TAGS = frozenset({"p", "div", "td", "li", "span", "font"})
#: Elements that may be the body.
BODY_CANDIDATE_TAGS = frozenset({"div", "td", "article", "section", "main"})
#: Share of the page's paragraph text the body must hold.
BODY_TEXT_SHARE = 0.6
#: Rank a body hint (class/id such as ``TRS_Editor``) adds, in levels of depth.
BODY_HINT_BONUS = 5
CJK = re.compile(r"[\u4e00-\u9fff]")


def _own_score(el: etree._Element) -> int:
    """CJK characters in an element's own text (its text and its children's tails)."""
    return len(CJK.findall(el.text or "")) + sum(len(CJK.findall(c.tail or "")) for c in el)


def text_scores(top: etree._Element) -> tuple[list[etree._Element], dict[etree._Element, int],
                                              dict[etree._Element, int]]:
    """Every element under ``top`` in document order, the paragraph text each holds (CJK
    characters in the own text of SCORED_TAGS elements at or below it) and its depth below
    ``top``: one pass down and one up, so a page nested 10,000 deep costs what a flat one does."""
    elements = list(top.iter())
    depth: dict[etree._Element, int] = {top: 0}
    score: dict[etree._Element, int] = {}
    for el in elements:
        if el is not top:
            depth[el] = depth[el.getparent()] + 1
        score[el] = _own_score(el) if el.tag in SCORED_TAGS else 0
    for el in reversed(elements[1:]):
        score[el.getparent()] += score[el]
    return elements, score, depth


def find_body(root: etree._Element) -> etree._Element:
    """The smallest element that still holds most of the page's paragraph text."""
    body = root.find("body")
    if body is None:
        body = root
    elements, score, depth = text_scores(body)
    total = score[body]
    if total == 0:
        return body
    base = sum(1 for _ in body.iterancestors())
    best = body
    best_rank = -1
    for el in elements:
        if el is body or el.tag not in BODY_CANDIDATE_TAGS or score[el] < total * BODY_TEXT_SHARE:
            continue
        # Prefer the deepest element holding ≥ 60 % of the text; hints break ties.
        rank = base + depth[el] + (BODY_HINT_BONUS if BODY_HINTS.search(_hint(el)) else 0)
        if rank > best_rank:
            best, best_rank = el, rank
    return best


def element_to_blocks(el: etree._Element) -> list[Block]:
    """Blocks in document order; table rows become TABLE_ROW blocks."""
    blocks: list[Block] = []
    buf: list[str] = []

    def flush() -> None:
        text = clean("".join(buf))
        buf.clear()
        if text:  # chrome lines (breadcrumbs, stamps, widgets) are removed by extract.chrome
            blocks.append(Block(text, page=None, kind=PARAGRAPH))

    # Depth first without recursion (a page may nest thousands deep): (node, entering).
    stack: list[tuple[etree._Element, bool]] = [(el, True)]
    while stack:
        node, entering = stack.pop()
        tag = node.tag if isinstance(node.tag, str) else ""
        if not entering:  # leaving: after the children
            if tag in BLOCK_TAGS:
                flush()
            if node.tail and node is not el:
                buf.append(node.tail)
            continue
        if tag == "tr":
            flush()
            cells = [clean(c.text_content()) for c in node if isinstance(c.tag, str)
                     and c.tag in ("td", "th")]
            if any(cells):
                blocks.append(Block(row_text(cells), page=None, kind=TABLE_ROW, cells=tuple(cells)))
            if node.tail:
                buf.append(node.tail)
            continue
        if tag == "br" or tag in BLOCK_TAGS:
            flush()
        if node.text and tag:
            buf.append(node.text)
        stack.append((node, False))
        stack.extend((child, True) for child in reversed(node))
    flush()
    return blocks


def read(path: Path, data: bytes) -> SourceDocument:
    try:
        return _read(path, data)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - no lxml exception may escape a reader
        raise UnreadableFile(f"网页读取失败（{type(exc).__name__}: {exc}）") from exc


def _read(path: Path, data: bytes) -> SourceDocument:
    decoded = decode_page(data)
    root = parse(decoded.text)
    title = extract_title(root)
    publish_date = extract_publish_date(root)
    parsed_chars = tree_chars(root)  # before the chrome goes: what the parse holds
    strip_chrome(root)
    body = find_body(root)
    blocks = element_to_blocks(body)
    if title and not any(clean(b.text).replace(" ", "") == title.replace(" ", "")
                         for b in blocks[:3]):
        blocks.insert(0, Block(title, page=None, kind=PARAGRAPH))
    blocks = linearize_tables(blocks)
    if not any(b.text.strip() for b in blocks):
        raise EmptyFile("网页中没有正文文字")
    kept = text_chars("\n".join(b.text for b in blocks))
    return SourceDocument(path=str(path), source_format="html", blocks=blocks, title=title,
                          publish_date=publish_date, repaired_bytes=decoded.repaired,
                          visible_chars=visible_chars(decoded.text),
                          set_aside_chars=max(0, parsed_chars - kept))
