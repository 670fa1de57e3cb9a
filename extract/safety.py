"""Cheap checks on untrusted bytes before a parser sees them.

* :func:`check_zip` – a ZIP container (docx) whose members would inflate past a
  limit ("zip bomb"), or has absurdly many members, or a suspicious ratio.
  :mod:`zipfile` never inflates a member past its declared size, so summing the
  declared sizes bounds what any zipfile-based reader (python-docx) will inflate.
* :func:`check_xml_entities` – an XML/HTML document that declares entities
  (``<!ENTITY``): the "billion laughs" expansion. Office XML and HTML never
  need entity declarations, so any is refused.
* :func:`check_input` – both, chosen from the leading bytes; the batch runner
  calls it in the worker before :func:`extract.pipeline.parse_file`.
* :func:`check_format_size` – a file larger than any bulletin of its format
  (:data:`FORMAT_SIZE_LIMITS`), told from its first bytes before the rest is read:
  a 150 MB one-line text drove a worker to 4.5 GB for 139 s. Readers of
  ZIP/XML formats should call :func:`check_zip` / :func:`check_xml_entities`
  themselves too, so a direct ``parse_file`` is protected as well.
"""

from __future__ import annotations

import io
import zipfile

from extract.errors import RunLimit, TooLarge, UnreadableFile, format_size
from extract.readers.detect import OLE2_MAGIC, SNIFF_BYTES, detect_format

#: Default bound on the total uncompressed size of a ZIP container, in bytes (512 MiB).
ZIP_UNCOMPRESSED_LIMIT = 512 * 1024 * 1024
#: More members than this is not an office document, in members.
ZIP_MAX_MEMBERS = 10_000
#: Compression ratio (uncompressed/compressed) above which a large member is a bomb.
#: Deflate tops out near 1032:1; real Office XML is 5–30:1.
ZIP_MAX_RATIO = 200
#: Members smaller than this (bytes) are never judged by ratio (1 MiB).
ZIP_RATIO_MIN_BYTES = 1024 * 1024
#: Bytes of each XML member (and of an HTML file) searched for entity declarations (1 MiB).
ENTITY_SCAN_BYTES = 1024 * 1024

#: The largest file of each kind a bulletin can be, in bytes; what --max-size (200 MB by
#: default) allows applies to the rest (PDF, images: a scan is large). Text and web pages:
#: a long bulletin is 50 KB, a page with its markup 500 KB; parsing text costs about 30
#: times its size in memory, so 20 MB (~600 MB) stays far from a worker's memory limit.
#: Word, Excel and OFD packages: a bulletin with scanned attachments may reach tens of MB.
#: An explicit --max-size replaces these with one limit for every kind
#: (``per_format=False``).
FORMAT_SIZE_LIMITS = {"text": 20 * 1024 * 1024, "package": 100 * 1024 * 1024}
#: What a kind is called in a message.
FORMAT_KIND_LABELS = {"text": "文本、网页或 csv 文件", "package": "Word、Excel 或 OFD 文件"}
#: Formats (detect_format names) of each kind; a ZIP or OLE2 container is a package whatever
#: it holds (its kind needs the whole file to tell).
TEXT_FORMATS = frozenset({"txt", "html", "csv"})
SIZE_ADVICE = ("该上限按整改通报的常见大小设定（文本/网页 {text}，Word/Excel/OFD {package}）；"
               "确需处理时可用 --max-size 指定统一的大小上限（如 --max-size 300MB，它同时取代各格式的默认上限），"
               "或拆分文件后再试。")

ZIP_MAGIC = b"PK\x03\x04"
#: ``<!ENTITY`` in the encodings an XML/HTML file may use (case-insensitive for ASCII).
ENTITY_MARKERS = (b"<!entity", "<!ENTITY".encode("utf-16-le"), "<!ENTITY".encode("utf-16-be"))

ENTITY_ADVICE = "文件含有 XML 实体声明（可能是恶意构造的“实体膨胀”文件），已拒绝处理；请用原软件打开后另存一份再试。"
ZIP_ADVICE = "文件解压后体积异常（疑似“压缩炸弹”），已拒绝处理；如确属正常文件，请用原软件打开后另存一份再试。"


def check_zip(data: bytes, limit: int = ZIP_UNCOMPRESSED_LIMIT) -> None:
    """Raise TooLarge if the ZIP in ``data`` would inflate past ``limit`` bytes.

    Also raises TooLarge for more than :data:`ZIP_MAX_MEMBERS` members or a
    member over :data:`ZIP_RATIO_MIN_BYTES` compressed more than
    :data:`ZIP_MAX_RATIO`:1. Raises UnreadableFile if an XML member declares
    entities. A damaged ZIP is left for the reader to report.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > ZIP_MAX_MEMBERS:
                raise TooLarge(f"压缩包内有 {len(infos)} 个文件", advice=ZIP_ADVICE)
            total = 0
            for info in infos:
                total += info.file_size
                if total > limit:
                    raise TooLarge(f"解压后超过 {limit // (1024 * 1024)} MB", advice=ZIP_ADVICE)
                if (info.file_size > ZIP_RATIO_MIN_BYTES
                        and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1)):
                    raise TooLarge(f"{info.filename} 压缩比超过 {ZIP_MAX_RATIO}:1", advice=ZIP_ADVICE)
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    with zf.open(info) as member:
                        check_xml_entities(member.read(ENTITY_SCAN_BYTES))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError,
            RuntimeError):  # RuntimeError: an encrypted member (zipfile wants a password)
        return  # damaged, encrypted or exotic ZIP: the reader names the problem


def check_xml_entities(data: bytes) -> None:
    """Raise UnreadableFile if the head of an XML/HTML document declares entities."""
    head = data[:ENTITY_SCAN_BYTES]
    lowered = head.lower()
    if ENTITY_MARKERS[0] in lowered or any(m in head for m in ENTITY_MARKERS[1:]):
        raise UnreadableFile("文件中有 <!ENTITY> 声明", advice=ENTITY_ADVICE)


def check_input(data: bytes, zip_limit: int = ZIP_UNCOMPRESSED_LIMIT, name: str = "") -> str | None:
    """The checks that apply to ``data``, chosen from its leading bytes. Returns the
    format detect_format gives when it was needed to choose (None for zip files);
    ``name``, the file name, only tells OLE2 kinds apart (see detect_format)."""
    if data.startswith(ZIP_MAGIC):
        check_zip(data, zip_limit)
        return None
    fmt = detect_format(data, name)
    if fmt == "html":
        check_xml_entities(data)
    return fmt


def size_kind(head: bytes, name: str = "") -> str | None:
    """The kind of FORMAT_SIZE_LIMITS a file with these first bytes is, or None (PDF, images,
    anything else: --max-size alone bounds them)."""
    if head.startswith((ZIP_MAGIC, OLE2_MAGIC)) or head.startswith(b"{\\rtf"):
        return "package"
    return "text" if detect_format(head[:SNIFF_BYTES], name) in TEXT_FORMATS else None


def check_format_size(head: bytes, size: int, name: str = "", per_format: bool = True) -> None:
    """Raise RunLimit when a file of ``size`` bytes starting with ``head`` is larger than its
    kind allows (FORMAT_SIZE_LIMITS); nothing without ``per_format`` (an explicit --max-size)."""
    if not per_format:
        return
    kind = size_kind(head, name)
    if kind is None or size <= FORMAT_SIZE_LIMITS[kind]:
        return
    limits = {k: format_size(v) for k, v in FORMAT_SIZE_LIMITS.items()}
    raise RunLimit(f"{FORMAT_KIND_LABELS[kind]} {format_size(size)}，超过该类文件的大小上限 "
                   f"{limits[kind]}", advice=SIZE_ADVICE.format(**limits))
