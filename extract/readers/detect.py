"""Format detection from a file's leading bytes (magic numbers) and structure."""

from __future__ import annotations

import io
import zipfile

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
OLE_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # password-protected .docx
#: The entry file of an OFD package (GB/T 33190), as its name appears in a ZIP header (lower-cased).
OFD_ENTRY = b"ofd.xml"
HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<p>", b"<p ")
_HTML_MARKER_TEXTS = tuple(m.decode() for m in HTML_MARKERS)
#: How many leading bytes are inspected for text/HTML detection.
SNIFF_BYTES = 4096
#: Share of control bytes above which a file is binary, not text.
BINARY_CONTROL_SHARE = 0.10


def detect_format(data: bytes, name: str = "") -> str:
    """Return txt, docx, doc, pdf, html, image, ofd, or an ``unknown:…`` label."""
    head = data[:SNIFF_BYTES]
    if head.startswith(PDF_MAGIC) or PDF_MAGIC in head[:1024]:
        return "pdf"
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(data)
    if head.startswith(OLE2_MAGIC):
        return _ole_kind(data)
    if any(head.startswith(m) for m in IMAGE_MAGICS) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if head.startswith(b"{\\rtf"):
        return "doc"  # RTF saved as .doc: LibreOffice converts it like a .doc
    text_head = _decode_head(head)
    if text_head is None:
        return "unknown:binary"
    if b"<" not in head:
        return "txt"  # every HTML marker opens with <
    window = text_head.lower().lstrip("\ufeff \t\r\n")[:2048]
    if any(m in window for m in _HTML_MARKER_TEXTS):
        return "html"
    return "txt"


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        if b"word/" in data[:2048]:
            return "docx"
        return "ofd" if OFD_ENTRY in data[:2048].lower() else "unknown:zip"
    if "word/document.xml" in names:
        return "docx"
    if any(name.lower() == "ofd.xml" for name in names):
        return "ofd"  # GB/T 33190 package: OFD.xml at the root, in any case
    if "content.xml" in names and b"opendocument.text" in data[:200]:
        return "doc"  # OpenDocument text: LibreOffice converts it like a .doc
    return "unknown:zip"


def _ole_kind(data: bytes) -> str:
    """A compound (OLE2) file: Word .doc, an encrypted .docx, or something else (xls, ppt)."""
    if OLE_ENCRYPTED_PACKAGE in data:
        return "docx"  # the docx reader reports it as encrypted
    if OLE_WORD_STREAM in data:
        return "doc"
    return "unknown:ole"


#: Control bytes other than tab, newlines and form feed (binary files are full of them).
CONTROL_BYTES = bytes(b for b in range(32) if not 9 <= b <= 13)


def _decode_head(head: bytes) -> str | None:
    """Decode the head as text if it looks like text in any common encoding."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    if not head:
        return None
    if b"\x00" in head:
        return None  # text in any 8-bit or multibyte Chinese encoding never holds a NUL
    controls = len(head) - len(head.translate(None, CONTROL_BYTES))
    if controls / len(head) > BINARY_CONTROL_SHARE:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start > len(head) - 4:  # cut mid-character at the sniff boundary
                return head[: exc.start].decode(encoding)
    return head.decode("latin-1")
