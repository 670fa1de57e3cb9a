"""extract.safety: zip bombs and entity declarations are refused before any parser runs."""

from __future__ import annotations

import io
import zipfile

import pytest

from extract.errors import TooLarge, UnreadableFile
from extract.safety import (
    ZIP_MAX_MEMBERS,
    check_input,
    check_xml_entities,
    check_zip,
)

DOC_XML = ('<?xml version="1.0"?><w:document xmlns:w="urn:w"><w:body><w:p><w:r><w:t>通报'
           "</w:t></w:r></w:p></w:body></w:document>")


def _zip(members: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_ordinary_docx_passes() -> None:
    check_zip(_zip({"[Content_Types].xml": "<Types/>", "word/document.xml": DOC_XML}))
    check_input(_zip({"word/document.xml": DOC_XML}))


def test_total_uncompressed_size_is_bounded() -> None:
    data = _zip({"word/document.xml": DOC_XML + " " * 5000, "word/styles.xml": "x" * 5000})
    with pytest.raises(TooLarge) as info:
        check_zip(data, limit=8000)
    assert info.value.name == "too_large" and "压缩炸弹" in info.value.message


def test_extreme_compression_ratio_is_a_bomb() -> None:
    data = _zip({"word/document.xml": b"\0" * (4 * 1024 * 1024)})  # ~1000:1
    with pytest.raises(TooLarge):
        check_zip(data)


def test_too_many_members() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for i in range(ZIP_MAX_MEMBERS + 1):
            zf.writestr(f"m{i}", b"")
    with pytest.raises(TooLarge):
        check_zip(buf.getvalue())


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
def test_entity_declarations_are_refused_in_any_encoding(encoding: str) -> None:
    xml = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><d>&b;</d>'
    with pytest.raises(UnreadableFile) as info:
        check_xml_entities(xml.encode(encoding))
    assert "实体" in info.value.message
    with pytest.raises(UnreadableFile):
        check_zip(_zip({"word/document.xml": xml.encode(encoding)}))


def test_html_with_entities_refused_plain_html_and_text_pass() -> None:
    with pytest.raises(UnreadableFile):
        check_input(b'<!DOCTYPE html [<!ENTITY x "y">]><html><body>&x;</body></html>')
    check_input("<!DOCTYPE html><html><body><p>关于整改的通报</p></body></html>".encode())
    check_input("正文提到 <!ENTITY 也无妨：这是纯文本".encode())  # txt is never expanded


def test_damaged_zip_is_left_to_the_reader() -> None:
    check_zip(b"PK\x03\x04" + b"\0" * 100)
