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

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)
