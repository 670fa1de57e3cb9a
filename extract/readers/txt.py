"""Plain-text reader: encoding chosen from the bytes (BOM, UTF-8, GB18030, detection)."""

from __future__ import annotations

import codecs
import threading
from dataclasses import dataclass
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


#: Bytes a decoding may leave out and still be taken for the encoding the rest of the text is
#: in: a stray byte from a bad copy, a download cut mid-character. 0.1 % of the file (one in
#: a thousand: a 26 KB bulletin may lose 26), and at least REPAIR_MIN_BYTES in a short one.
REPAIR_MAX_SHARE = 0.001
REPAIR_MIN_BYTES = 8
#: Valid non-ASCII bytes needed per byte left out: the evidence that the rest really is in
#: that encoding. GBK read as UTF-8 has almost none (nearly every GBK byte pair is invalid
#: UTF-8), a UTF-8 bulletin with one bad byte has thousands.
REPAIR_EVIDENCE = 20
#: Codecs tried in order: UTF-8 first (a GBK text is never valid UTF-8, the reverse happens).
TEXT_CODECS = ("utf-8", "gb18030")
#: Every byte with the high bit set (what a multi-byte character is made of).
NON_ASCII_BYTES = bytes(range(128, 256))


@dataclass(frozen=True)
class Decoded:
    """A text and how many of its bytes were left out: not valid in the encoding of the rest,
    or NUL. They are dropped, not turned into U+FFFD: a stray byte then costs nothing (the text
    is what it was before the byte got in), and a damaged character costs that character,
    while a U+FFFD would also break the pattern it stands in (``�整改情况：`` is no status
    line). The ``encoding_repaired`` finding tells the reader it happened."""

    text: str
    repaired: int = 0


class _TooDamaged(Exception):
    """More bytes left out than the decoding may (stops it early)."""


#: The count and the limit of the decoding running in this thread (see _leave_out).
_REPAIRS = threading.local()
#: The codecs error handler that leaves an invalid byte run out and counts it: one pass in
#: C, the handler called once per run (retrying the decode after each error would be
#: quadratic: 22 s for 20 MB with 0.1 % bad bytes).
LEAVE_OUT = "zhenggai-leave-out"


def _leave_out(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    state = _REPAIRS.state
    state[0] += exc.end - exc.start
    if state[0] > state[1]:
        raise _TooDamaged
    return "", exc.end


codecs.register_error(LEAVE_OUT, _leave_out)


def decode_lenient(data: bytes, codec: str, limit: int) -> Decoded | None:
    """``data`` in ``codec`` without its invalid bytes; None as soon as more than ``limit``
    bytes would be left out."""
    _REPAIRS.state = [0, limit]
    try:
        text = data.decode(codec, errors=LEAVE_OUT)
    except _TooDamaged:
        return None
    return Decoded(text, _REPAIRS.state[0])


def repair_limit(data: bytes) -> int:
    """The most bytes of ``data`` a decoding may leave out (see REPAIR_MAX_SHARE)."""
    return max(REPAIR_MIN_BYTES, int(len(data) * REPAIR_MAX_SHARE))


def decode_repaired(data: bytes, codec: str) -> Decoded | None:
    """``data`` in ``codec`` when only a few bytes are not (see REPAIR_MAX_SHARE) and the
    rest shows that it is ``codec`` (see REPAIR_EVIDENCE); else None."""
    decoded = decode_lenient(data, codec, repair_limit(data))
    if decoded is None or not decoded.repaired:
        return decoded
    non_ascii = len(data) - len(data.translate(None, NON_ASCII_BYTES))
    if non_ascii - decoded.repaired < REPAIR_EVIDENCE * decoded.repaired:
        return None
    return decoded


def without_nuls(data: bytes) -> tuple[bytes, int]:
    """``data`` without its NUL bytes (no text in an 8-bit or multi-byte Chinese encoding holds
    one: a stray byte of a bad copy), and how many there were. UTF-16 (BOM) is left alone."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data, 0
    nuls = data.count(0)
    return (data.replace(b"\0", b""), nuls) if nuls else (data, 0)


def decode(data: bytes) -> Decoded:
    """Decode bytes of unknown encoding: BOM first, then UTF-8, GB18030 (strict, then with a
    few bad bytes left out), detection. NUL bytes are left out and counted too."""
    data, nuls = without_nuls(data)
    decoded = _decode(data)
    return Decoded(decoded.text, decoded.repaired + nuls)


def _decode(data: bytes) -> Decoded:
    if data.startswith(b"\xef\xbb\xbf"):  # declared: every bad byte left out
        return decode_lenient(data[3:], "utf-8", len(data)) or Decoded("")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(data.decode("utf-16", errors="replace"))
    for codec in TEXT_CODECS:
        try:
            return Decoded(data.decode(codec))
        except UnicodeDecodeError:
            pass
    for codec in TEXT_CODECS:
        repaired = decode_repaired(data, codec)
        if repaired is not None:
            return repaired
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnreadableFile("无法判断文本编码")
    return Decoded(str(best))


def decode_text(data: bytes) -> str:
    """The text of bytes of unknown encoding (see :func:`decode`)."""
    return decode(data).text


def read(path: Path, data: bytes) -> SourceDocument:
    decoded = decode(data)
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
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
        repaired_bytes=decoded.repaired,
    )
