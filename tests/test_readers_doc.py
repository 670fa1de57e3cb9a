"""Legacy .doc and RTF through LibreOffice (skipped where soffice is not installed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extract.readers import read_file

FORMATS = Path(__file__).resolve().parents[1] / "samples" / "formats"
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (libreoffice-writer-nogui) not installed")


@needs_soffice
def test_doc_converted_with_auto_numbering() -> None:
    doc = read_file(FORMATS / "seed.doc")
    texts = [b.text for b in doc.blocks]
    assert doc.source_format == "doc"
    assert texts[0] == "中共洛阳市委外事工作委员会办公室 关于市委巡察整改进展情况的通报"
    assert "一、领导班子组织落实整改情况" in texts
    assert "1.学习贯彻习近平总书记重要讲话精神和党的创新理论不及时、不扎实。" in texts
    assert "24.存在边改边犯问题。" in texts


@needs_soffice
def test_rtf_read_as_doc() -> None:
    rtf = (r"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil\fcharset134 SimSun;}}"
           r"\f0 \u25972?\u25913?\u24773?\u20917?\par}").encode("ascii")
    doc = read_file("legacy.rtf", rtf)
    assert doc.source_format == "doc"
    assert doc.blocks[0].text == "整改情况"
