"""Word .docx reader: auto-numbering, text boxes, tables, headers/footers left out."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from extract.document import PARAGRAPH, TABLE_ROW
from extract.errors import EncryptedFile, UnreadableFile
from extract.readers import read_file
from extract.readers.docx import chinese_counting, format_number

FORMATS = Path(__file__).resolve().parents[1] / "samples" / "formats"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
WPS = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
V = 'xmlns:v="urn:schemas-microsoft-com:vml"'


def make_docx(body: str, numbering: str = "", styles: str = "") -> bytes:
    """A minimal .docx from body XML (and optional numbering.xml / styles.xml content)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml",
                    f'<w:document {W} {MC} {WPS} {V}><w:body>{body}</w:body></w:document>')
        zf.writestr("word/header1.xml", f'<w:hdr {W}><w:p><w:r><w:t>页眉文字</w:t></w:r></w:p></w:hdr>')
        if numbering:
            zf.writestr("word/numbering.xml", f"<w:numbering {W}>{numbering}</w:numbering>")
        if styles:
            zf.writestr("word/styles.xml", f"<w:styles {W}>{styles}</w:styles>")
    return buf.getvalue()


def p(text: str, num: int | None = None, ilvl: int = 0, style: str | None = None) -> str:
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if num is not None:
        ppr += f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr>'
    return f"<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"


def lvl(ilvl: int, fmt: str, text: str, extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{extra}'
            f'<w:lvlText w:val="{text}"/></w:lvl>')


NUMBERING = (
    '<w:abstractNum w:abstractNumId="0">'
    + lvl(0, "chineseCounting", "%1、") + lvl(1, "chineseCounting", "（%2）")
    + lvl(2, "decimal", "%3.", '<w:lvlRestart w:val="0"/>') + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="1">' + lvl(0, "decimal", "(%1)") + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="2">' + lvl(0, "ideographTraditional", "%1.") + "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="1"/>'
    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    '<w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>'
)


def test_number_formats() -> None:
    assert [chinese_counting(n) for n in (1, 10, 11, 20, 21, 100, 105, 110)] == [
        "一", "十", "十一", "二十", "二十一", "一百", "一百零五", "一百一十"]
    assert format_number(3, "chineseCountingThousand") == "三"
    assert format_number(2, "ideographTraditional") == "乙"
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(12, "decimalFullWidth") == "１２"
    assert format_number(4, "upperRoman") == "IV"
    assert format_number(2, "chineseLegalSimplified") == "贰"


def test_auto_numbering_counters_and_restarts() -> None:
    body = "".join([
        p("总体情况", 1, 0), p("组织领导", 1, 1), p("问题甲", 1, 2), p("问题乙", 1, 2),
        p("具体问题", 1, 0), p("政治建设", 1, 1), p("问题丙", 1, 2),  # level 2 never restarts
        p("子问题", 2), p("子问题", 2), p("另一列表", 3),  # startOverride restarts the list
        p("天干", 4), p("天干", 4), p("未编号"),
    ])
    blocks = read_file("x.docx", make_docx(body, NUMBERING)).blocks
    assert [b.text for b in blocks] == [
        "一、总体情况", "（一）组织领导", "1.问题甲", "2.问题乙", "二、具体问题", "（一）政治建设",
        "3.问题丙", "(1)子问题", "(2)子问题", "(1)另一列表", "甲.天干", "乙.天干", "未编号"]


def test_numbering_from_paragraph_style() -> None:
    styles = ('<w:style w:type="paragraph" w:styleId="H1"><w:pPr><w:numPr><w:numId w:val="1"/>'
              '</w:numPr></w:pPr></w:style><w:style w:type="paragraph" w:styleId="H1b">'
              '<w:basedOn w:val="H1"/></w:style>')
    body = p("第一部分", style="H1") + p("第二部分", style="H1b")
    assert [b.text for b in read_file("x.docx", make_docx(body, NUMBERING, styles)).blocks] == [
        "一、第一部分", "二、第二部分"]


def test_text_box_read_once_and_line_breaks_split() -> None:
    box = ("<w:p><w:r><w:t>锚点</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\">"
           "<w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>文本框内容</w:t></w:r></w:p>"
           "</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>"
           "<w:txbxContent><w:p><w:r><w:t>文本框内容</w:t></w:r></w:p></w:txbxContent>"
           "</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>")
    brk = "<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t></w:r><w:del><w:r><w:delText>删</w:delText></w:r></w:del></w:p>"
    blocks = read_file("x.docx", make_docx(box + brk)).blocks
    assert [b.text for b in blocks] == ["锚点", "文本框内容", "第一行", "第二行"]


def test_seed_docx_auto_numbered_headings() -> None:
    doc = read_file(FORMATS / "seed.docx")
    texts = [b.text for b in doc.blocks]
    assert doc.source_format == "docx"
    assert texts[0] == "中共洛阳市委外事工作委员会办公室 关于市委巡察整改进展情况的通报"
    assert "一、领导班子组织落实整改情况" in texts
    assert "（一）政治建设方面的问题（7 项 12 个具体问题）" in texts
    assert "1.学习贯彻习近平总书记重要讲话精神和党的创新理论不及时、不扎实。" in texts
    assert "24.存在边改边犯问题。" in texts
    assert "三、下一步打算" in texts
    # （一） restarts under 三、 (Word's default restart after a higher level)
    assert any(t.startswith("（一）进一步加强理论学习") for t in texts)
    assert "(19) 关于“未开展全市对外工作干部队伍业务培训”问题。" in texts  # typed, kept
    assert not any("页眉" in t or "页脚" in t for t in texts)


def test_table_docx_linearized() -> None:
    doc = read_file(FORMATS / "table_bulletin.docx")
    texts = [b.text for b in doc.blocks]
    assert all(b.kind == PARAGRAPH for b in doc.blocks)
    start = texts.index("（一）贯彻落实党的路线方针政策方面的问题")
    assert texts[start + 1: start + 6] == [
        "1. 学习贯彻习近平总书记关于交通运输工作重要论述不深入",
        "整改情况：已完成整改，并长期坚持",
        "整改措施：一是将相关重要论述列入党组理论学习中心组年度学习计划，开展专题研讨2次；"
        "二是组织干部职工集中学习4次，编印学习资料200册。",
        "完成时限：2024年8月",
        "责任单位：办公室",
    ]
    # merged category cells: one heading per category, numbers from Word auto-numbering
    assert [t for t in texts if t.startswith("（")] == [
        "（一）贯彻落实党的路线方针政策方面的问题", "（二）全面从严治党方面的问题",
        "（三）基层党组织建设方面的问题"]
    assert "8. 干部队伍年龄结构老化，后备力量不足" in texts


def test_non_problem_table_rows_kept() -> None:
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    tbl = ("<w:tbl>" + "".join("<w:tr>" + cell.format(a) + cell.format(b) + "</w:tr>"
                               for a, b in (("姓名", "职务"), ("张三", "组长"))) + "</w:tbl>")
    blocks = read_file("x.docx", make_docx(p("名单") + tbl)).blocks
    assert [(b.kind, b.text, b.cells) for b in blocks[1:]] == [
        (TABLE_ROW, "姓名 | 职务", ("姓名", "职务")), (TABLE_ROW, "张三 | 组长", ("张三", "组长"))]


def test_corrupt_and_encrypted_docx() -> None:
    with pytest.raises(UnreadableFile):
        read_file(FORMATS / "corrupt.docx")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(EncryptedFile):
        read_file("locked.docx", ole + b"\0" * 500)
    with pytest.raises(UnreadableFile):
        read_file("x.docx", make_docx("<w:p><w:r><w:t>未闭合"))


def test_entity_expansion_not_resolved() -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", bomb + f"<w:document {W}><w:body><w:p><w:r><w:t>正文&b;"
                    "</w:t></w:r></w:p></w:body></w:document>")
    doc = read_file("x.docx", buf.getvalue())
    assert "哈" not in doc.text
    assert doc.blocks[0].text.startswith("正文")
