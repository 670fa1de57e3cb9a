"""Write a folder of hostile inputs for the batch runner (generated, never committed).

    python scripts/make_hostile_samples.py DIR

Every file is built here from a few bytes of code: a zip bomb disguised as
.docx (document.xml inflates to 2 GiB), XML entity expansion ("billion laughs")
in a .docx and an .html, an encrypted PDF (pypdf), a truncated PDF, zero-byte
files, random bytes named .pdf/.docx, a bulletin with one invalid byte, one cut
mid-character and one with a NUL byte (read, with an encoding_repaired finding), a file
over a small --max-size, an image
with no text, a good bulletin with a Chinese name with spaces, a symlink loop,
a dangling link, a FIFO, an unreadable (chmod 000) file, and junk
(.DS_Store, an Office lock file).

:func:`make_hostile_samples` returns, for each entry's source_path, what a run
with ``--max-size`` :data:`MAX_SIZE_ARG` must report: ``document`` (a
documents.csv row) or the accepted errors.csv names, and the reader module
the expectation depends on (None if it depends only on the batch runner).
"""

from __future__ import annotations

import io
import os
import random
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"

#: The --max-size the hostile run uses, and the size of the file made to exceed it.
MAX_SIZE_ARG = "4MB"
HUGE_FILE_BYTES = 5 * 1024 * 1024
#: Uncompressed size of the zip bomb's document.xml (2 GiB, under the 4 GiB ZIP32 field).
BOMB_BYTES = 2 * 1024**3
#: Zeros compressed once and repeated; each block is self-contained (full flush).
BOMB_CHUNK_BYTES = 64 * 1024 * 1024
#: Seed for the random-bytes files, so runs are reproducible.
RANDOM_SEED = 20241127

DOCUMENT = "document"


@dataclass(frozen=True)
class Expect:
    outcomes: frozenset[str]  # "document" or error names
    needs: str | None = None  # the reader module this relies on, e.g. extract.readers.pdf


def _expect(*outcomes: str, needs: str | None = None) -> Expect:
    return Expect(frozenset(outcomes), needs)


CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 b'<Default Extension="xml" ContentType="application/xml"/></Types>')
LAUGHS = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
LAUGHS_DTD = '<!ENTITY lol0 "lol">' + LAUGHS


def _zip_bomb() -> bytes:
    """A .docx whose word/document.xml declares and really holds 2 GiB of zeros."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = co.compress(b"\0" * BOMB_CHUNK_BYTES) + co.flush(zlib.Z_FULL_FLUSH)
    repeats = BOMB_BYTES // BOMB_CHUNK_BYTES
    stream = block * repeats + b"\x03\x00"  # + an empty final fixed-Huffman block
    crc = 0
    zeros = b"\0" * BOMB_CHUNK_BYTES
    for _ in range(repeats):
        crc = zlib.crc32(zeros, crc)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
    head = buf.getvalue()
    # Append word/document.xml by hand: a local header, the raw deflate stream, then
    # rebuild the central directory with both members.
    local_end = head.index(b"PK\x01\x02")
    name = b"word/document.xml"
    offset = local_end
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(stream), BOMB_BYTES,
                        len(name), 0) + name
    central_first = head[local_end:head.index(b"PK\x05\x06")]
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(stream),
                          BOMB_BYTES, len(name), 0, 0, 0, 0, 0, offset) + name
    cd_offset = offset + len(local) + len(stream)
    cd = central_first + central
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 2, 2, len(cd), cd_offset, 0)
    return head[:local_end] + local + stream + cd + end


def _laughs_docx() -> bytes:
    doc = ('<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w:document [' + LAUGHS_DTD + ']>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("word/document.xml", doc)
    return buf.getvalue()


def _laughs_html() -> bytes:
    return ("<!DOCTYPE html [" + LAUGHS_DTD + "]>\n<html><head><title>&lol9;</title></head>"
            "<body><p>&lol9;</p></body></html>\n").encode()


def _encrypted_pdf() -> bytes | None:
    try:
        from pypdf import PdfWriter
    except ImportError:
        return None
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _blank_png(width: int = 240, height: int = 120) -> bytes:
    """A white PNG: an image with no text at all."""
    raw = b"".join(b"\x00" + b"\xff" * (width * 3) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">2I5B", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def make_hostile_samples(dest: Path) -> dict[str, Expect]:
    """Write the hostile folder into ``dest``; return the expectation per source_path."""
    dest.mkdir(parents=True, exist_ok=True)
    rng = random.Random(RANDOM_SEED)
    expect: dict[str, Expect] = {}

    def put(name: str, data: bytes, outcome: Expect) -> Path:
        path = dest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expect[name] = outcome
        return path

    seed_text = (SAMPLES / "001_county_health_bureau.txt").read_bytes()
    other_text = (SAMPLES / "003_soe_transport_group.txt").read_bytes()
    put("好的 文件/关于 巡察整改 进展情况的通报.txt", seed_text, _expect(DOCUMENT))
    put("zip_bomb.docx", _zip_bomb(), _expect("too_large"))
    put("billion_laughs.docx", _laughs_docx(), _expect("unreadable"))
    put("billion_laughs.html", _laughs_html(), _expect("unreadable"))
    encrypted = _encrypted_pdf()
    if encrypted is None:  # pypdf missing: the committed sample has the same property
        encrypted = (SAMPLES / "formats" / "encrypted.pdf").read_bytes()
    put("encrypted.pdf", encrypted, _expect("encrypted", needs="extract.readers.pdf"))
    pdf = (SAMPLES / "formats" / "short_bulletin.pdf").read_bytes()
    put("truncated.pdf", pdf[: len(pdf) // 3], _expect("unreadable", "no_text_layer",
                                                        needs="extract.readers.pdf"))
    for name in ("zero.pdf", "zero.docx", "zero.txt"):
        put(name, b"", _expect("empty"))
    put("random.pdf", rng.randbytes(64 * 1024), _expect("unsupported_format"))
    put("random.docx", rng.randbytes(64 * 1024), _expect("unsupported_format"))
    middle = other_text.index("整改".encode(), len(other_text) // 2)
    put("one_bad_byte.txt", other_text[:middle] + b"\xff" + other_text[middle:], _expect(DOCUMENT))
    put("nul_byte.txt", other_text[:middle] + b"\0" + other_text[middle:], _expect(DOCUMENT))
    put("cut_mid_character.txt", other_text.rstrip(b"\n")[:-1], _expect(DOCUMENT))
    huge = ("巡察整改进展情况。" * (HUGE_FILE_BYTES // 27 + 1)).encode()[:HUGE_FILE_BYTES]
    put("huge.txt", huge, _expect("too_large"))
    put("no_text.png", _blank_png(), _expect("no_text_layer", "empty",
                                             needs="extract.readers.image"))
    put(".DS_Store", b"\0\0\0\1Bud1" + bytes(64), _expect("skipped"))
    put("~$关于整改.docx", b"\x05owner" + bytes(150), _expect("skipped"))

    locked = put("locked.txt", other_text, _expect(DOCUMENT))
    os.chmod(locked, 0)
    if not _root_reads_anyway(locked):
        expect["locked.txt"] = _expect("unreadable")

    loop = dest / "loop"
    loop.mkdir(exist_ok=True)
    os.symlink("..", loop / "back_up")  # a folder that contains itself
    expect["loop/back_up"] = _expect("unreadable")
    os.symlink("self_link", dest / "self_link")  # ELOOP
    expect["self_link"] = _expect("unreadable")
    os.symlink("nowhere.pdf", dest / "dangling.pdf")
    expect["dangling.pdf"] = _expect("unreadable")
    if hasattr(os, "mkfifo"):
        os.mkfifo(dest / "pipe.txt")  # opening it would block forever
        expect["pipe.txt"] = _expect("unsupported_format")
    return expect


def _root_reads_anyway(path: Path) -> bool:
    """chmod 000 does not stop root (CI runs as root): then the file is simply read."""
    try:
        with open(path, "rb") as f:
            f.read(1)
        return True
    except PermissionError:
        return False


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write(__doc__ or "")
        return 2
    dest = Path(argv[0])
    if dest.exists() and any(dest.iterdir()):
        sys.stderr.write(f"{dest} is not empty\n")
        return 2
    expect = make_hostile_samples(dest)
    for name, e in sorted(expect.items()):
        sys.stdout.write(f"{name}\t{','.join(sorted(e.outcomes))}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
