"""Format detection from a file's leading bytes (magic numbers) and structure."""

from __future__ import annotations

import csv
import io
import zipfile

from .tables import header_roles
from .txt import TEXT_CODECS, decode_repaired

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.ppt container
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"
IMAGE_MAGICS = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"II*\x00",  # TIFF little-endian
    b"MM\x00*",  # TIFF big-endian
    b"BM",  # BMP
    b"GIF87a",
    b"GIF89a",
)
#: OLE2 directory names (UTF-16LE) that tell what a compound file holds.
OLE_WORD_STREAM = "WordDocument".encode("utf-16-le")
OLE_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # password-protected .docx/.xlsx


def _ole_entry(name: str) -> bytes:
    """The first 66 bytes of the OLE2 directory entry of stream ``name``: its UTF-16LE name
    NUL-padded to 64 bytes, then the name's length in bytes with the terminator. Matching the
    whole entry, not the bare name, keeps a short name like ``Book`` from matching file data."""
    raw = name.encode("utf-16-le")
    return raw + b"\0" * (64 - len(raw)) + (len(raw) + 2).to_bytes(2, "little")


#: Directory entries of an Excel workbook stream: ``Workbook`` (BIFF8, Excel 97 and later,
#: also what WPS 表格 and LibreOffice write into an .et) and ``Book`` (BIFF5, Excel 5/95).
OLE_WORKBOOK_ENTRIES = (_ole_entry("Workbook"), _ole_entry("Book"))
#: File name extensions used only to tell OLE2 kinds apart when the streams do not:
#: a password-protected OOXML file (EncryptedPackage) is a workbook or a Word file, and
#: an OLE2 file without a workbook stream named .et/.ett may be a WPS 表格 file.
SHEET_EXTENSIONS = (".xlsx", ".xlsm", ".xltx", ".xls", ".xlt", ".et", ".ett")
WPS_SHEET_EXTENSIONS = (".et", ".ett")
#: Delimiters of a ledger exported as text (comma-separated, tab-separated).
CSV_DELIMITERS = (",", "\t")
#: A csv ledger has at least this many columns in every row, the header row included.
CSV_MIN_COLUMNS = 3
#: Lines searched for the ledger's header row (title rows may come first), in lines.
CSV_HEADER_LINES = 10
#: Longest cell of a header row, quotes and spaces included (characters).
CSV_MAX_LABEL_CHARS = 24
#: Rows, from the header on, that must all have the header's number of cells (notes rows
#: further down may be ragged in a hand-written file).
CSV_CONSISTENT_ROWS = 10
#: The entry file of an OFD package (GB/T 33190), as its name appears in a ZIP header (lower-cased).
OFD_ENTRY = b"ofd.xml"
HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<p>", b"<p ")
_HTML_MARKER_TEXTS = tuple(m.decode() for m in HTML_MARKERS)
#: How many leading bytes are inspected for text/HTML detection.
SNIFF_BYTES = 4096
#: Share of control bytes above which a file is binary, not text.
BINARY_CONTROL_SHARE = 0.10
#: NUL bytes the head of a text may hold (a stray byte of a bad copy; the text reader removes
#: them). Binaries hold far more: uniform random bytes 16 in 4 KiB, UTF-16 without BOM one in
#: every other byte.
MAX_TEXT_NULS = 4


def detect_format(data: bytes, name: str = "") -> str:
    """Return txt, docx, doc, pdf, html, image, ofd, xlsx, xls, et, csv, or an ``unknown:…`` label.

    ``name`` (the file name) only chooses between OLE2 kinds that the content leaves open."""
    head = data[:SNIFF_BYTES]
    if head.startswith(PDF_MAGIC) or PDF_MAGIC in head[:1024]:
        return "pdf"
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(data)
    if head.startswith(OLE2_MAGIC):
        return _ole_kind(data, name)
    if any(head.startswith(m) for m in IMAGE_MAGICS) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if head.startswith(b"{\\rtf"):
        return "doc"  # RTF saved as .doc: LibreOffice converts it like a .doc
    text_head = _decode_head(head)
    if text_head is None:
        return "unknown:binary"
    if b"<" in head:  # every HTML marker opens with <
        window = text_head.lower().lstrip("\ufeff \t\r\n")[:2048]
        if any(m in window for m in _HTML_MARKER_TEXTS):
            return "html"
    if (b"," in head or b"\t" in head) and is_csv_ledger(text_head, complete=len(data) <= SNIFF_BYTES):
        return "csv"
    return "txt"


def is_csv_ledger(text: str, complete: bool = False) -> bool:
    """Whether ``text`` (the head of a file, ``complete`` if it is the whole file) is a
    ledger table saved as csv: see :func:`csv_delimiter`."""
    if not complete and "\n" in text:
        text = text[: text.rindex("\n")]  # drop a line cut at the sniff boundary
    return csv_delimiter(text) is not None


def csv_delimiter(text: str) -> str | None:
    """The delimiter of a ledger saved as csv, or None if ``text`` is not one: a row with
    ledger vocabulary (序号, 反馈问题, 整改措施, 完成时限…) within the first lines, and it
    and the rows after it (the first CSV_CONSISTENT_ROWS) with the same number (at least 3)
    of comma- or tab-separated cells. Prose with commas has no such header row, so it
    stays txt."""
    lines = text.lstrip("\ufeff").splitlines()
    for delimiter in CSV_DELIMITERS:
        if not any(_could_be_header(line, delimiter) for line in lines[:CSV_HEADER_LINES]):
            continue  # the cheap test: prose lines have long pieces between their commas
        try:
            rows = [r for r in csv.reader(lines, delimiter=delimiter) if any(c.strip() for c in r)]
        except csv.Error:
            continue
        for index, row in enumerate(rows[:CSV_HEADER_LINES]):
            if len(row) < CSV_MIN_COLUMNS or header_roles(row) is None:
                continue
            if all(len(r) == len(row) for r in rows[index:index + CSV_CONSISTENT_ROWS]):
                return delimiter
            break
    return None


def _could_be_header(line: str, delimiter: str) -> bool:
    """A line that may be a header row: enough cells, each as short as a label."""
    if line.count(delimiter) < CSV_MIN_COLUMNS - 1:
        return False
    return all(len(cell) <= CSV_MAX_LABEL_CHARS for cell in line.split(delimiter))


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        head = data[:2048]
        if b"word/" in head:
            return "docx"
        return "xlsx" if b"xl/" in head else "ofd" if OFD_ENTRY in head.lower() else "unknown:zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if any(name.lower() == "ofd.xml" for name in names):
        return "ofd"  # GB/T 33190 package: OFD.xml at the root, in any case
    if "content.xml" in names and b"opendocument.text" in data[:200]:
        return "doc"  # OpenDocument text: LibreOffice converts it like a .doc
    return "unknown:zip"


def _ole_kind(data: bytes, name: str = "") -> str:
    """A compound (OLE2) file: Word .doc, Excel .xls, an encrypted .docx/.xlsx, a WPS .et,
    or something else (ppt…)."""
    suffix = name[name.rfind("."):].lower() if "." in name else ""
    if OLE_ENCRYPTED_PACKAGE in data:  # the docx or sheet reader reports it as encrypted
        return "xlsx" if suffix in SHEET_EXTENSIONS else "docx"
    if OLE_WORD_STREAM in data:
        return "doc"
    if any(entry in data for entry in OLE_WORKBOOK_ENTRIES):
        return "xls"
    if suffix in WPS_SHEET_EXTENSIONS:
        return "et"  # no stream tells: the sheet reader lets LibreOffice try it
    return "unknown:ole"


#: Control bytes other than tab, newlines and form feed (binary files are full of them).
CONTROL_BYTES = bytes(b for b in range(32) if not 9 <= b <= 13)


def _decode_head(head: bytes) -> str | None:
    """Decode the head as text if it looks like text in any common encoding."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    if not head:
        return None
    nuls = head.count(0)
    if nuls > MAX_TEXT_NULS:
        return None  # text in any 8-bit or multibyte Chinese encoding holds no NUL
    if nuls:
        head = head.replace(b"\0", b"")
    controls = len(head) - len(head.translate(None, CONTROL_BYTES))
    if controls / len(head) > BINARY_CONTROL_SHARE:
        return None
    for encoding in TEXT_CODECS:
        try:
            return head.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start > len(head) - 4:  # cut mid-character at the sniff boundary
                return head[: exc.start].decode(encoding)
    for encoding in TEXT_CODECS:  # a few bad bytes (the text reader leaves them out too)
        repaired = decode_repaired(head, encoding)
        if repaired is not None:
            return repaired.text
    return head.decode("latin-1")
