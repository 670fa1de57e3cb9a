"""Cheap checks on untrusted bytes before a parser sees them.

* :func:`check_zip` – a ZIP container (docx) whose members would inflate past a
  limit ("zip bomb"), or has absurdly many members, or a suspicious ratio.
  :mod:`zipfile` never inflates a member past its declared size, so summing the
  declared sizes bounds what any zipfile-based reader (python-docx) will inflate.
* :func:`check_xml_entities` – an XML/HTML document that declares entities
  (``<!ENTITY``): the "billion laughs" expansion. Office XML and HTML never
  need entity declarations, so any is refused.
* :func:`check_input` – both, chosen from the leading bytes; the batch runner
  calls it in the worker before :func:`extract.pipeline.parse_file`. Readers of
  ZIP/XML formats should call :func:`check_zip` / :func:`check_xml_entities`
  themselves too, so a direct ``parse_file`` is protected as well.
"""

from __future__ import annotations

import io
import zipfile

from extract.errors import TooLarge, UnreadableFile
from extract.readers.detect import detect_format

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
