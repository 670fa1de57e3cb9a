"""A web page as an lxml tree, however deeply its markup nests, and how much text it shows.

Broken CMS templates leave ``<div>``s unclosed, so the article may sit hundreds or
thousands of levels deep. libxml2 stops at 256 levels (2,048 with ``huge_tree``)
and drops everything below: a bulletin would come out empty. :func:`parse` parses
with ``huge_tree`` (entities are never declared in a page that gets here:
:mod:`extract.safety` refuses them; no network either), and when libxml2 still hits
its limit it builds the tree itself (:class:`FlatBuilder`, over the standard
library's tokenizer) with nesting capped at :data:`MAX_BUILT_DEPTH`: past it a new
element closes the deepest open one, so the text and its paragraph breaks stay and
only the excess nesting goes.

:func:`visible_chars` is the reader's independent estimate of the text a page
shows (a regex over the raw markup), compared in the pipeline with what was read.
Nothing here recurses: every walk over a tree is iterative (Python's recursion
limit is 1,000 frames).
"""

from __future__ import annotations

import html as htmlentities
import re
from html.parser import HTMLParser

from lxml import etree, html

from extract.document import text_chars
from extract.errors import UnreadableFile

#: Deepest nesting FlatBuilder keeps, in elements. Real pages nest a few dozen deep; the
#: cap only has to keep the tree (and libxml2's functions over it) well-behaved.
MAX_BUILT_DEPTH = 256
#: Elements with no content and no end tag (FlatBuilder never opens them).
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                       "param", "source", "track", "wbr"})
#: Start tags that close an open element of the same name first (``<p>a<p>b``, list items,
#: table cells and rows), as browsers do, so FlatBuilder's paragraphs stay siblings.
SELF_CLOSING_SIBLINGS = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option"})
#: Characters lxml refuses in text (XML 1.0 forbids them); FlatBuilder drops them.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: An XML declaration: in a str it confuses lxml (it names an encoding the str no longer has).
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")

#: Where content a browser never shows starts (a comment, a script, a style…), dropped by the
#: estimate up to its end (INVISIBLE_ENDS), or to the end of the page when it has none, as a
#: browser does. Searched forward only, so a page of unclosed ones costs one pass.
INVISIBLE_START = re.compile(r"<!--|<(script|style|noscript|template)\b", re.I)
INVISIBLE_ENDS = {name: re.compile(rf"</{name}\s*>", re.I)
                  for name in ("script", "style", "noscript", "template")}
COMMENT_END = re.compile(r"-->")
#: Any tag (or declaration), dropped by the estimate; a ``<`` without its ``>`` stays text.
MARKUP_TAG = re.compile(r"<[^<>]*>")


def parse(text: str) -> etree._Element:
    """The page's tree: libxml2's HTML parser (huge trees allowed), or FlatBuilder when the
    markup nests deeper than libxml2 takes."""
    text = XML_DECLARATION.sub("", text)
    parser = html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                             huge_tree=True, default_doctype=False)
    try:
        root = html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableFile(f"网页无法解析（{exc}）") from exc
    if any(e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for e in parser.error_log):
        return build_flat(text)  # libxml2 dropped what lies deeper than its limit
    return root


class FlatBuilder(HTMLParser):
    """An lxml HTML tree from the standard library's tokenizer, no deeper than
    :data:`MAX_BUILT_DEPTH`. Only the browser rules the reader needs: void elements, a ``<p>``
    (list item, cell, row) closing an open one, an end tag closing what it names if open."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: etree._Element = html.Element("html")
        self.stack: list[etree._Element] = [self.root]
        self.open_tags: dict[str, int] = {}  # tag -> how many are on the stack

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            return
        if tag in SELF_CLOSING_SIBLINGS and self.open_tags.get(tag):
            self._close(tag)
        if tag == "body":
            del self.stack[1:]
            self.open_tags.clear()
        try:
            el = self.root.makeelement(tag, {})
        except ValueError:
            return  # not a name lxml takes (``o:p``): its content goes to the parent
        for name, value in attrs:
            try:
                el.set(name, XML_INVALID.sub("", value or ""))
            except ValueError:
                pass  # an attribute name lxml refuses: no text of the page is lost
        if tag not in VOID_TAGS and len(self.stack) > MAX_BUILT_DEPTH:
            self._pop()  # too deep: the new element closes the deepest open one
        self.stack[-1].append(el)
        if tag in VOID_TAGS:
            return
        self.stack.append(el)
        self.open_tags[tag] = self.open_tags.get(tag, 0) + 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and self.stack[-1].tag == tag and len(self.stack) > 1:
            self._pop()

    def handle_endtag(self, tag: str) -> None:
        if self.open_tags.get(tag):
            self._close(tag)

    def handle_data(self, data: str) -> None:
        data = XML_INVALID.sub("", data)
        if not data:
            return
        top = self.stack[-1]
        if len(top):
            last = top[-1]
            last.tail = (last.tail or "") + data
        else:
            top.text = (top.text or "") + data

    def _close(self, tag: str) -> None:
        """Close the innermost open ``tag`` and everything opened inside it."""
        while len(self.stack) > 1:
            if self._pop().tag == tag:
                return

    def _pop(self) -> etree._Element:
        el = self.stack.pop()
        self.open_tags[el.tag] -= 1
        return el


def build_flat(text: str) -> etree._Element:
    builder = FlatBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def visible_chars(text: str) -> int:
    """Characters (not counting whitespace) a browser would show for the markup ``text``:
    scripts, styles and comments dropped, tags dropped, entities decoded. A regex pass over
    the raw markup, independent of the parser, so a parser that loses text cannot hide it."""
    shown: list[str] = []
    pos = 0
    while (start := INVISIBLE_START.search(text, pos)) is not None:
        shown.append(text[pos:start.start()])
        end = (INVISIBLE_ENDS[start.group(1).lower()] if start.group(1) else COMMENT_END).search(
            text, start.end())
        if end is None:
            break
        pos = end.end()
    else:
        shown.append(text[pos:])
    return text_chars(htmlentities.unescape(MARKUP_TAG.sub(" ", " ".join(shown))))


#: Elements whose text is never shown (dropped before the tree's text is counted).
INVISIBLE_TAGS = ("script", "style", "noscript", "template")


def tree_chars(root: etree._Element) -> int:
    """Characters (not counting whitespace) of the tree's text outside INVISIBLE_TAGS (the
    parse's side of :func:`visible_chars`). Drops those elements from the tree."""
    for el in root.xpath("|".join(f"//{t}" for t in INVISIBLE_TAGS)):
        drop(el)
    return text_chars(root.text_content())


def drop(el: etree._Element) -> None:
    """Remove ``el`` and its content from the tree, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)
