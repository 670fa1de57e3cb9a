"""Format detection by content, not by extension; named errors for what cannot be read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extract.errors import EmptyFile, MissingTool, UnsupportedFormat
from extract.readers import read_file
from extract.readers.detect import detect_format

FORMATS = Path(__file__).resolve().parents[1] / "samples" / "formats"


@pytest.mark.parametrize(("name", "fmt"), [
    ("seed.docx", "docx"), ("seed.pdf", "pdf"), ("seed_scan.pdf", "pdf"), ("seed.doc", "doc"),
    ("seed_utf8.html", "html"), ("short_bulletin_gbk.html", "html"), ("short_bulletin.png", "image"),
    ("short_bulletin_2p.tiff", "image"),
])
def test_samples_detected(name: str, fmt: str) -> None:
    assert detect_format((FORMATS / name).read_bytes(), "misleading.txt") == fmt


def test_wrong_extensions_read_by_content(tmp_path: Path) -> None:
    fake_pdf = tmp_path / "bulletin.pdf"
    shutil.copy(FORMATS / "table_bulletin.docx", fake_pdf)
    doc = read_file(fake_pdf)
    assert doc.source_format == "docx"
    assert "1. 学习贯彻习近平总书记关于交通运输工作重要论述不深入" in doc.text
    fake_doc = tmp_path / "bulletin.doc"
    shutil.copy(FORMATS / "short_bulletin.pdf", fake_doc)
    assert read_file(fake_doc).source_format == "pdf"
    fake_txt = tmp_path / "page.txt"
    shutil.copy(FORMATS / "short_bulletin_gbk.html", fake_txt)
    assert read_file(fake_txt).source_format == "html"


@pytest.mark.parametrize("data", [
    b"PK\x03\x04" + b"\x00" * 100,  # a zip that is no Office file
    bytes(range(256)) * 20,  # binary noise
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,  # OLE2 without a Word stream (xls, ppt…)
])
def test_unknown_kinds_unsupported(data: bytes) -> None:
    with pytest.raises(UnsupportedFormat):
        read_file("x.pdf", data)


def test_empty_file() -> None:
    with pytest.raises(EmptyFile):
        read_file("x.docx", b"  \n")


def test_doc_without_converter_names_the_program(monkeypatch: pytest.MonkeyPatch) -> None:
    import extract.readers.doc as doc_reader

    monkeypatch.setattr(doc_reader.shutil, "which", lambda name: None)
    with pytest.raises(MissingTool) as info:
        read_file(FORMATS / "seed.doc")
    assert "soffice" in info.value.message
