"""Plain-text reader: encoding chosen from the bytes (BOM, UTF-8, GB18030, detection)."""

from __future__ import annotations

from pathlib import Path

from extract.document import PARAGRAPH, TABLE_ROW, Block, SourceDocument
from extract.errors import EmptyFile, UnreadableFile
from extract.readers.tables import linearize_tables

#: Form feed: a page break in text exported from paginated sources.
PAGE_BREAK = "\f"
#: Cell separators of a table pasted as text: 序号 | 反馈问题 | 整改措施 | …
CELL_SEPARATORS = ("|", "｜")
#: A line with at least this many separators is a table row.
MIN_SEPARATORS = 2


def _cells(line: str, width: int = 0) -> tuple[str, ...] | None:
    """The cells of a table row pasted as text. Right after rows of ``width`` cells, a line
    with fewer separators is the next row cut short (the text ends in it): padded to width."""
    for sep in CELL_SEPARATORS:
        n = line.count(sep)
        if n >= MIN_SEPARATORS or (width and n >= 1):
            cells = [c.strip() for c in line.strip().strip(sep).split(sep)]
            return tuple(cells + [""] * (width - len(cells)))
    return None


def decode_text(data: bytes) -> str:
    """Decode bytes of unknown encoding: BOM first, then UTF-8, GB18030, detection."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnreadableFile("无法判断文本编码")
    return str(best)


def read(path: Path, data: bytes) -> SourceDocument:
    text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyFile("文本文件没有内容")
    blocks: list[Block] = []
    pages = text.split(PAGE_BREAK)
    paginated = len(pages) > 1
    has_separators = any(sep in text for sep in CELL_SEPARATORS)
    width = 0  # cells of the table row just read (0: not in a table)
    for page_no, page_text in enumerate(pages, start=1):
        for line in page_text.split("\n"):
            if line.strip():
                page = page_no if paginated else None
                cells = _cells(line, width) if has_separators else None
                if cells is not None:
                    blocks.append(Block(line, page=page, kind=TABLE_ROW, cells=cells))
                    width = len(cells)
                else:
                    blocks.append(Block(line, page=page, kind=PARAGRAPH))
                    width = 0
    blocks = linearize_tables(blocks)
    return SourceDocument(
        path=str(path),
        source_format="txt",
        blocks=blocks,
        page_count=len(pages) if paginated else None,
    )
