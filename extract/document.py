"""The document type every reader returns.

A reader turns one file into a :class:`SourceDocument`: an ordered list of
:class:`Block` (a paragraph, a heading or a table row), each with the page it
came from. Nothing downstream knows which format a document came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Kinds of block a reader may emit.
PARAGRAPH = "paragraph"  # one paragraph of running text (may still be cut at a page end)
LINE = "line"  # one visual line (PDF/OCR); normalize.py rejoins lines into paragraphs
TABLE_ROW = "table_row"  # one row of a table; ``cells`` holds the cell texts


@dataclass(slots=True)  # not frozen: a frozen __init__ costs 3× (~2.4 µs a block, 2% of a parse);
class Block:            # readers build blocks, nothing changes them afterwards
    text: str
    page: int | None = None  # 1-based page in the source; None for unpaginated sources
    kind: str = PARAGRAPH
    cells: tuple[str, ...] | None = None  # table rows only
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom (PDF points)


def text_chars(text: str) -> int:
    """Characters of ``text`` not counting whitespace (how much a file visibly holds)."""
    return sum(len(word) for word in text.split())


@dataclass
class SourceDocument:
    """What a reader hands to the pipeline."""

    path: str  # the file as given
    source_format: str  # txt, docx, doc, pdf, pdf-ocr, html, image, sheet, ofd
    blocks: list[Block]
    title: str | None = None  # from metadata (HTML <title>, a page's headline)
    publish_date: str | None = None  # ISO date from a page stamp (发布日期：2024-11-08)
    unit: str | None = None  # from the file, not the text: a ledger's 填报单位 cell, its file name
    page_count: int | None = None
    notes: list[str] = field(default_factory=list)  # reader remarks (fallback engine used, …)
    #: Bytes left out of the text: not valid in the encoding of the rest (a stray byte, a
    #: character cut at the end) or NUL. An ``encoding_repaired`` finding names the count.
    repaired_bytes: int = 0
    #: A cheap estimate, made apart from the reader's parse, of the characters (not counting
    #: whitespace) the file visibly holds; None where a format has none. The pipeline compares
    #: it with what the reader kept (``text_lost``).
    visible_chars: int | None = None
    #: Characters (not counting whitespace) the reader set aside on purpose, e.g. a web page's
    #: navigation outside the article body: counted as kept when compared with visible_chars.
    set_aside_chars: int = 0

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)
