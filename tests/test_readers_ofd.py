"""OFD reader: the real samples of ../shared/data/ofd (ofdrw, Apache-2.0), the package rules
(paths, namespaces, encodings, encryption, hostile XML), and the geometry of text objects.

Synthetic packages are built with the writer of scripts/make_ofd_samples.py.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from extract.document import PARAGRAPH
from extract.errors import EncryptedFile, NoTextLayer, TooLarge, UnreadableFile, UnsupportedFormat
from extract.pipeline import parse_file
from extract.readers import read_file
from extract.readers.detect import detect_format
from extract.readers.ofd import creation_date_if_written
from extract.readers.ofd_package import Package
from extract.readers.ofd_page import (
    IDENTITY,
    MM_TO_PT,
    compose,
    direction,
    expand_deltas,
    object_matrix,
)

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ROOT / "samples" / "formats"
REAL = ROOT.parent / "shared" / "data" / "ofd"
sys.path.insert(0, str(ROOT / "scripts"))

from make_ofd_samples import (  # noqa: E402
    NS,
    PUBLIC_RES,
    document_xml,
    ofd_xml,
    package,
    page_xml,
)

needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/ofd not present")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def real(name: str) -> Path:
    return REAL / f"ofdrw_{name}.ofd"


def text_obj(text: str, x: float, y: float, size: float = 5.6, attrs: str = "",
             code_attrs: str = "") -> str:
    """A TextObject with its Boundary origin at (x, y) mm and the baseline ``size`` below it."""
    return (f'<ofd:TextObject ID="1" Boundary="{x} {y} 150 {size * 1.2}" Size="{size}"{attrs}>'
            f'<ofd:TextCode X="0" Y="{size}"{code_attrs}>{text}</ofd:TextCode></ofd:TextObject>')


def one_page(objects: list[str], **extra: str | bytes) -> bytes:
    """A one-page OFD: OFD.xml → Doc_0/Document.xml → Doc_0/Pages/Page_0/Content.xml."""
    return package({
        "OFD.xml": ofd_xml("Doc_0/Document.xml"),
        "Doc_0/Document.xml": document_xml(["Pages/Page_0/Content.xml"]),
        "Doc_0/PublicRes.xml": PUBLIC_RES,
        "Doc_0/Pages/Page_0/Content.xml": page_xml(objects),
        **extra,
    })


def read_bytes(data: bytes) -> list[str]:
    return [b.text for b in read_file("x.ofd", data).blocks]


# --- the real samples -----------------------------------------------------------------------

@needs_real
def test_gongwen_pages_text_and_page_numbers() -> None:
    doc = read_file(real("n_gongwen"))
    assert doc.source_format == "ofd" and doc.page_count == 2
    texts = [b.text for b in doc.blocks]
    assert texts[:4] == ["测试符路桥区卫生局文件", "路卫发〔2011〕76号", "关于同意张阿三同志辞职的批复",
                         "区中医院："]
    assert texts[4] == "你院《关于给张阿三同志辞职的请示》（路中医发〔2011〕10号）收悉。"
    assert len(texts) == 10 and texts[5].startswith("张阿三，男，1978年2月出生")
    assert texts[6].startswith("该同志由于家庭、籍贯等原因") and texts[6].endswith("同意张阿三同志辞职。")
    assert [b.text for b in doc.blocks if b.page == 2] == [
        "测试符路桥区卫生局办公室", "2011年3月10日", "测试符路桥区卫生局办公室 2011年3月10日印发"]
    # SOURCE.md counts 320 non-space characters with the page numbers "— 1 —" and "— 2 —"
    # (3 each); they are page furniture (below the text block, GB/T 9704), so 314 remain.
    assert len(squeeze(doc.text)) == 314
    assert "—" not in doc.text
    assert doc.title is None and doc.publish_date is None  # CreationDate 2020-01-25 is not written


@needs_real
def test_gongwen_parses_without_page_numbers() -> None:
    parsed = parse_file(real("n_gongwen"))
    assert parsed.document.source_format == "ofd" and parsed.document.page_count == 2
    assert parsed.text.endswith("测试符路桥区卫生局办公室2011年3月10日印发")


@needs_real
@pytest.mark.parametrize("name", ["chinese_dir", "namespace_no_std"])
def test_minimal_packages(name: str) -> None:
    doc = read_file(real(name))
    assert [b.text for b in doc.blocks] == ["你好呀，OFD Reader&Writer！"]  # space kept between Latin words


@needs_real
def test_prose_page_rebuilds_paragraphs() -> None:
    doc = read_file(real("prose_page"))
    texts = [b.text for b in doc.blocks]
    assert texts[:2] == ["拿来主义", "鲁迅"]
    assert texts[2].startswith("中国一向是所谓“闭关主义”，自己不去，别人也不许来。自从给枪炮打破了大门之后")
    assert texts[2].endswith("也可以算得显出一点进步了。")
    assert texts[3] == "但我们没有人根据了“礼尚往来”的仪节，说道：拿来！"
    assert len(texts) == 13 and len(squeeze(doc.text)) == 1285
    assert texts[-1].endswith("没有拿来的，文艺不能自成为新文艺。")


@needs_real
def test_invoice_template_labels_and_confirmed_date() -> None:
    doc = read_file(real("invoice_templates"))
    text = doc.text
    for label in ("重庆增值税电子普通发票", "发票代码：050001700111", "开票日期：2020年10月10日",
                  "价税合计（大写）叁佰壹拾捌圆整（小写）¥318.00", "收款人：张一诺复核：张嘉诺开票人：任盈盈"):
        assert label in text  # labels from the template page, values from the page
    assert "机器编号：016000351595" in text  # one DeltaX value repeated for every digit
    assert len(squeeze(text)) == 561
    # CreationDate 2020-10-10 is written on the page (开票日期): it is the document's date
    assert doc.publish_date == "2020-10-10"


@needs_real
def test_watermark_annotation_and_private_use_glyphs() -> None:
    with pytest.raises(NoTextLayer) as info:
        read_file(real("ano_private_use_glyphs"))
    assert "第2、3页" in info.value.detail and "私用区" in info.value.detail


@needs_real
def test_private_use_sample_first_page_has_text_but_no_watermark() -> None:
    from extract.readers.ofd import read_pages
    from extract.readers.ofd_package import open_package

    with zipfile.ZipFile(real("ano_private_use_glyphs")) as zf:
        notes: list[str] = []
        result = read_pages(open_package(Package(zf)), notes)
    assert [ln.text for ln in result.pages[0].lines] == ["可信安全浏览器", "Web应用开发指南", "（常用手册）"]
    assert result.unreadable == [2, 3]
    assert notes == ["已略去水印文字 648 字"]  # "保密资料" tiled 81 times on pages 1 and 3


@needs_real
def test_composite_objects_give_their_text() -> None:
    doc = read_file(real("y_composite_objects"))
    assert doc.page_count == 3
    assert doc.blocks[0].text.startswith("数字档案室建设是《关于加强和改进新形势下档案工作的意见》")
    assert "勇立潮头真抓实干建设新时代海关数字档案室" in doc.text
    # the running header 专题·数字档案室建设与实践 and the folios (30, 2019·3) are furniture
    assert "专题·数字档案室建设与实践" not in doc.text and len(squeeze(doc.text)) == 4750


@needs_real
def test_upper_case_templates_and_fake_bold_read_once() -> None:
    doc = read_file(real("zsbk_templates_fakebold"))
    texts = [b.text for b in doc.blocks]
    assert doc.page_count == 2
    # page 2's template (TPLS/TPL_1) draws every label twice at the same place (fake bold)
    assert [b.text for b in doc.blocks if b.page == 2] == [
        "建筑工程施工许可证附件",
        "工程名称：中华监测中心保障部施工许可证编号： 420000202012390111",
        "建设单位：中华监测中心建设单位项目负责人：王麻子",
        "建设地址：某某省某某市某某区某某路001号（中华监测中心园区）",
        "建筑工程项目明细单", "名称建筑面积或长度（平方米/米）层数", "地上地下地上地下",
        "中华观测中心1 # 楼 2202.7 2202.7 0 3 0", "中华观测中心2 # 楼 1898.3 1898.3 0 3 0",
        "总建筑面积：4101.0 地上建筑面积：4101.0 地下建筑面积：0", "备注：",
        "1、本附件随《建筑工程施工许可证》一并核发", "2、本附件与《建筑工程施工许可证》同时使用方可有效"]
    assert "中华人民共和国工程名称中华监测有限公司保障园区项目" in texts  # template TPLS/TPL_0 + page
    assert len(squeeze(doc.text)) == 828


@needs_real
def test_rotated_characters_read_in_order() -> None:
    doc = read_file(real("rotated_per_char"))
    # four runs of one-character objects: "121212" and "一二三四" turned 90°, "一二三四"
    # turned -90° (read bottom to top), and "一二三四" whose glyphs are each turned but
    # laid side by side (read as upright text); each comes out in order, never interleaved
    assert [b.text for b in doc.blocks] == ["一二三四", "一二三四", "一二三四121212"]


@needs_real
def test_image_only_pages_are_ocrd() -> None:
    doc = read_file(real("image_only"))
    assert doc.source_format == "ofd" and doc.page_count == 2
    # a photo of a screen: the stylised title is mostly lost, the English subtitle is read
    assert [b.page for b in doc.blocks if "MY PEOPLE" in b.text and "COUNTRY" in b.text] == [1, 2]
    assert doc.notes == ["2 页没有可用文字，已对页面图片 OCR"]


@needs_real
def test_every_real_sample_gives_text_or_a_named_error() -> None:
    outcomes = {}
    for path in sorted(REAL.glob("*.ofd")):
        if "image_only" in path.name:
            continue  # OCR'd above; slow
        try:
            outcomes[path.stem] = len(squeeze(read_file(path).text))
        except NoTextLayer:
            outcomes[path.stem] = "no_text_layer"
    assert outcomes == {
        "ofdrw_ano_private_use_glyphs": "no_text_layer", "ofdrw_chinese_dir": 21,
        "ofdrw_invoice_templates": 561, "ofdrw_n_gongwen": 314, "ofdrw_namespace_no_std": 21,
        "ofdrw_prose_page": 1285, "ofdrw_rotated_per_char": 18, "ofdrw_y_composite_objects": 4750,
        "ofdrw_zsbk_templates_fakebold": 828,
    }


@needs_real
@pytest.mark.parametrize("name", ["n_gongwen", "prose_page", "chinese_dir", "invoice_templates"])
def test_same_characters_as_ofdkit(name: str) -> None:
    """Cross-check with an independent reader (test-only dependency): the same characters,
    page numbers (which zhenggai drops as furniture) aside."""
    ofdkit = pytest.importorskip("ofdkit")
    theirs = Counter(squeeze(ofdkit.extract_text(str(real(name)))))
    ours = Counter(squeeze(read_file(real(name)).text))
    if name == "n_gongwen":
        theirs -= Counter("—1——2—")
    assert ours == theirs


@pytest.mark.parametrize("name", ["seed_lines.ofd", "seed_chars_shuffled.ofd",
                                  "short_bulletin_template.ofd"])
def test_generated_samples_readable_by_ofdkit(name: str) -> None:
    """The writer's packages are valid OFD for another reader too: it finds every character
    of the twin (plus the furniture and the watermark zhenggai leaves out)."""
    ofdkit = pytest.importorskip("ofdkit")
    twin = (ROOT / "samples" / "000_14f26a7ea3be1e8c.txt") if name.startswith("seed") \
        else FORMATS / "src" / "short_bulletin.txt"
    theirs = Counter(squeeze(ofdkit.extract_text(str(FORMATS / name))))
    assert not Counter(squeeze(twin.read_text("utf-8"))) - theirs


# --- generated samples ------------------------------------------------------------------------

def test_generated_samples_detected_and_paginated() -> None:
    for name, pages in (("seed_lines.ofd", 17), ("seed_chars_shuffled.ofd", 17),
                        ("short_bulletin_template.ofd", 2)):
        data = (FORMATS / name).read_bytes()
        assert detect_format(data, "misleading.pdf") == "ofd"
        doc = read_file(FORMATS / name, data)
        assert doc.source_format == "ofd" and doc.page_count == pages
        assert all(b.kind == PARAGRAPH for b in doc.blocks)


def test_seed_lines_title_hidden_text_and_fake_bold() -> None:
    doc = read_file(FORMATS / "seed_lines.ofd")
    title = "中共洛阳市委外事工作委员会办公室关于市委巡察整改进展情况的通报"
    assert doc.title == title  # DocInfo/Title
    assert doc.blocks[0].text == title  # drawn twice (fake bold), over two lines, read once
    assert "草稿" not in doc.text and "校对稿" not in doc.text  # Visible="false", zero CTM
    assert doc.publish_date is None  # CreationDate 2024-05-10 is not written in the bulletin


def test_template_furniture_and_watermark_left_out() -> None:
    doc = read_file(FORMATS / "short_bulletin_template.ofd")
    assert "政务公开" not in doc.text and "发布" not in doc.text  # header/footer (template)
    assert "— 1 —" not in doc.text and "内部资料" not in doc.text  # page number, watermark
    assert doc.notes == ["已略去水印文字 8 字"]


def test_shuffled_characters_read_like_lines() -> None:
    lines = [b.text for b in read_file(FORMATS / "seed_lines.ofd").blocks]
    assert [b.text for b in read_file(FORMATS / "seed_chars_shuffled.ofd").blocks] == lines


# --- DeltaX/DeltaY, CTM, geometry -----------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("g 3 5 2", [5.0, 5.0, 5.0, 2.0]),
    ("1.59", [1.59]),
    ("g 4 1.59 3.17 g 2 1.59", [1.59] * 4 + [3.17, 1.59, 1.59]),
    ("g 27 2.5 -67.5", [2.5] * 27 + [-67.5]),
    ("3 g 2 4", [3.0, 4.0, 4.0]),
    ("", []), (None, []), ("g x 1 2", [1.0, 2.0]),
])
def test_delta_expansion(value: str | None, expected: list[float]) -> None:
    assert expand_deltas(value) == expected


def chars_of(data: bytes) -> list[tuple[str, float, float]]:
    """(character, x0, top) of every glyph on page 1, in points."""
    from extract.readers.ofd_package import open_package
    from extract.readers.ofd_page import page_scan

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        doc = open_package(Package(zf))[0]
        glyphs = page_scan(doc, doc.pages[0]).glyphs[0]
        return [(g.text, round(g.x0, 2), round(g.top, 2)) for g in glyphs]


def test_delta_x_positions_compressed_and_repeated() -> None:
    data = one_page([text_obj("一二三四五", 10, 20, size=4, code_attrs=' DeltaX="g 2 5 6"')])
    xs = [x for _, x, _ in chars_of(data)]
    expected = [10, 15, 20, 26, 32]  # g 2 5 → 5, 5; then 6; the last value repeats
    assert xs == [round(v * MM_TO_PT, 2) for v in expected]


def test_delta_y_without_delta_x_stacks_characters() -> None:
    data = one_page([text_obj("购买方", 10, 20, size=3, code_attrs=' DeltaY="6 6"')])
    got = chars_of(data)
    assert {x for _, x, _ in got} == {round(10 * MM_TO_PT, 2)}
    assert [t for _, _, t in got] == sorted(t for _, _, t in got)


def test_ctm_scales_and_translates() -> None:
    # Size 1 scaled 5× by the CTM and moved 3 mm right: the same place as Size 5 at x = 13 mm
    plain = chars_of(one_page([text_obj("整改", 13, 20, size=5, code_attrs=' DeltaX="5"')]))
    scaled = chars_of(one_page([
        '<ofd:TextObject ID="1" Boundary="10 20 50 8" Size="1" CTM="5 0 0 5 3 0">'
        '<ofd:TextCode X="0" Y="1" DeltaX="1">整改</ofd:TextCode></ofd:TextObject>']))
    assert scaled == plain


def test_matrix_helpers() -> None:
    from lxml import etree

    el = etree.fromstring('<TextObject Boundary="10 20 5 5" CTM="0 1 -1 0 2 3"/>')
    assert object_matrix(el) == (0.0, 1.0, -1.0, 0.0, 12.0, 23.0)
    assert compose(IDENTITY, object_matrix(el)) == object_matrix(el)
    assert compose((2, 0, 0, 2, 1, 1), (1, 0, 0, 1, 3, 4)) == (2, 0, 0, 2, 7, 9)
    assert direction((0, 1, -1, 0, 0, 0)) == 90  # y points down: x axis turned clockwise
    assert direction((0, -1, 1, 0, 0, 0)) == 270
    assert direction((-1, 0, 0, -1, 0, 0)) == 180
    assert direction((0.7071, 0.7071, -0.7071, 0.7071, 0, 0)) == -1  # diagonal
    assert direction((1, 0.05, 0, 1, 0, 0)) == 0  # within the tolerance


def test_rotated_line_reads_along_its_direction() -> None:
    # a whole line turned 90° clockwise: it runs down the page and reads top to bottom
    rotated = ('<ofd:TextObject ID="1" Boundary="100 30 10 100" Size="5" CTM="0 1 -1 0 0 0">'
               '<ofd:TextCode X="0" Y="0" DeltaX="g 3 5">整改落实</ofd:TextCode></ofd:TextObject>')
    body = [text_obj("根据市委统一部署，巡察组进行了反馈，现通报如下", 20, 40 + 8 * k, size=5,
                     code_attrs=' DeltaX="g 22 5"') for k in range(3)]
    texts = read_bytes(one_page([rotated, *body]))
    assert "整改落实" in texts
    assert all("整" not in t or t == "整改落实" for t in texts)


def test_reading_order_by_position_not_xml_order() -> None:
    objs = [text_obj("第二行。", 20, 60), text_obj("第一行。", 20, 40)]
    assert "".join(read_bytes(one_page(objs))) == "第一行。第二行。"


@pytest.mark.parametrize("attrs", [' Visible="false"', ' CTM="0 0 0 0 0 0"', ' CTM="0.01 0 0 0.01 0 0"'])
def test_invisible_text_dropped(attrs: str) -> None:
    objs = [text_obj("可见的正文内容在这里", 20, 40), text_obj("隐藏", 20, 80, attrs=attrs)]
    assert read_bytes(one_page(objs)) == ["可见的正文内容在这里"]


def test_zero_size_text_dropped() -> None:
    objs = [text_obj("可见的正文内容在这里", 20, 40), text_obj("隐藏", 20, 80, size=0)]
    assert read_bytes(one_page(objs)) == ["可见的正文内容在这里"]


def test_fake_bold_of_a_long_line_far_apart_in_the_file() -> None:
    line = "一二三四五六七八九十百千万亿兆京"  # longer than dedupe_overprint's window
    objs = [text_obj(line, 20, 40, code_attrs=' DeltaX="g 15 5.6"'), text_obj("别的内容", 20, 80),
            text_obj(line, 20.15, 40, code_attrs=' DeltaX="g 15 5.6"')]
    assert "".join(read_bytes(one_page(objs))) == line + "别的内容"


def test_nested_page_blocks_and_composite_objects() -> None:
    unit = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
            '<ofd:CompositeGraphicUnits><ofd:CompositeGraphicUnit ID="50" Width="100" Height="20">'
            '<ofd:Content><ofd:TextObject ID="51" Boundary="0 0 100 10" Size="1" CTM="5 0 0 5 0 0">'
            '<ofd:TextCode X="0" Y="1" DeltaX="g 5 1">复合对象文字</ofd:TextCode></ofd:TextObject>'
            '</ofd:Content></ofd:CompositeGraphicUnit></ofd:CompositeGraphicUnits></ofd:Res>')
    objs = [f'<ofd:PageBlock ID="2"><ofd:PageBlock ID="3">{text_obj("嵌套块文字", 20, 40)}'
            '</ofd:PageBlock></ofd:PageBlock>',
            '<ofd:CompositeObject ID="4" Boundary="20 60 100 20" ResourceID="50"/>']
    data = package({
        "OFD.xml": ofd_xml("Doc_0/Document.xml"),
        "Doc_0/Document.xml": document_xml(["Pages/Page_0/Content.xml"], document_res="DocumentRes.xml"),
        "Doc_0/PublicRes.xml": PUBLIC_RES, "Doc_0/DocumentRes.xml": unit,
        "Doc_0/Pages/Page_0/Content.xml": page_xml(objs),
    })
    assert read_bytes(data) == ["嵌套块文字", "复合对象文字"]


def test_composite_unit_drawing_itself_is_not_followed() -> None:
    loop = (f'<ofd:Res xmlns:ofd="{NS}"><ofd:CompositeGraphicUnits>'
            '<ofd:CompositeGraphicUnit ID="50" Width="10" Height="10"><ofd:Content>'
            f'{text_obj("循环", 0, 0)}'
            '<ofd:CompositeObject ID="6" Boundary="0 10 10 10" ResourceID="50"/>'
            '<ofd:CompositeObject ID="7" Boundary="0 20 10 10" ResourceID="50"/>'
            '</ofd:Content></ofd:CompositeGraphicUnit></ofd:CompositeGraphicUnits></ofd:Res>')
    data = package({
        "OFD.xml": ofd_xml("Doc_0/Document.xml"),
        "Doc_0/Document.xml": document_xml(["Pages/Page_0/Content.xml"], document_res="Res.xml"),
        "Doc_0/PublicRes.xml": PUBLIC_RES, "Doc_0/Res.xml": loop,
        "Doc_0/Pages/Page_0/Content.xml": page_xml([
            '<ofd:CompositeObject ID="4" Boundary="20 60 100 20" ResourceID="50"/>']),
    })
    assert read_bytes(data) == ["循环"]  # drawn once, not 2^32 times


def annotation_package(annot: str) -> bytes:
    body = [text_obj("正文第一段的内容在这里。", 20, 40)]
    return package({
        "OFD.xml": ofd_xml("Doc_0/Document.xml"),
        "Doc_0/Document.xml": document_xml(["Pages/Page_0/Content.xml"], annotations="Annots.xml"),
        "Doc_0/PublicRes.xml": PUBLIC_RES,
        "Doc_0/Pages/Page_0/Content.xml": page_xml(body),
        "Doc_0/Annots.xml": (f'<ofd:Annotations xmlns:ofd="{NS}"><ofd:Page PageID="100">'
                             '<ofd:FileLoc>/Doc_0/Annot_0.xml</ofd:FileLoc></ofd:Page></ofd:Annotations>'),
        "Doc_0/Annot_0.xml": f'<ofd:PageAnnot xmlns:ofd="{NS}">{annot}</ofd:PageAnnot>',
    })


@pytest.mark.parametrize(("annot_attrs", "text_attrs", "kept"), [
    ('Type="Stamp"', "", True),  # visible annotation text is read
    ('Type="Stamp" Visible="false"', "", False),
    ('Type="Watermark"', "", False),  # watermark annotations are furniture
    ('Type="Stamp"', ' Alpha="51"', False),  # translucent annotation text: a watermark
    ('Type="Stamp"', ' CTM="0.7071 0.7071 -0.7071 0.7071 0 0"', False),  # diagonal
])
def test_annotation_text_only_when_visible(annot_attrs: str, text_attrs: str, kept: bool) -> None:
    annot = (f'<ofd:Annot ID="9" {annot_attrs}><ofd:Appearance Boundary="20 100 150 20">'
             f'{text_obj("批注文字", 0, 0, attrs=text_attrs)}</ofd:Appearance></ofd:Annot>')
    text = "".join(read_bytes(annotation_package(annot)))
    assert text == ("正文第一段的内容在这里。批注文字" if kept else "正文第一段的内容在这里。")


def test_background_and_foreground_templates_are_read() -> None:
    page = page_xml([text_obj("正文内容", 20, 60)], templates=[("7", "Background"), ("8", "Foreground")])
    data = package({
        "OFD.xml": ofd_xml("Doc_0/Document.xml"),
        "Doc_0/Document.xml": document_xml(["Pages/Page_0/Content.xml"],
                                           templates=[("7", "Tpl/A.xml"), ("8", "/Doc_0/Tpl/B.xml")]),
        "Doc_0/PublicRes.xml": PUBLIC_RES,
        "Doc_0/Tpl/A.xml": page_xml([text_obj("模板标签：", 20, 40)]),
        "Doc_0/Tpl/B.xml": page_xml([text_obj("前景文字", 20, 80)]),
        "Doc_0/Pages/Page_0/Content.xml": page,
    })
    assert "".join(read_bytes(data)) == "模板标签：正文内容前景文字"  # by position, any ZOrder


# --- package: paths, namespaces, encodings -------------------------------------------------------

def test_paths_absolute_relative_case_and_chinese() -> None:
    data = package({
        "OFD.xml": ofd_xml("/文档/主文档.xml"),
        "文档/主文档.xml": document_xml(["页面/第一页.XML", "/文档/页面/第二页.xml"],
                                     public_res="../文档/资源.xml"),
        "文档/资源.xml": PUBLIC_RES,
        "文档/页面/第一页.xml": page_xml([text_obj("第一页的文字。", 20, 40)]),  # named in upper case
        "文档/页面/第二页.xml": page_xml([text_obj("第二页的文字。", 20, 40)]),
    })
    doc = read_file("x.ofd", data)
    assert [(b.page, b.text) for b in doc.blocks] == [(1, "第一页的文字。"), (2, "第二页的文字。")]


def test_package_resolve() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in ("OFD.xml", "Doc_0/Document.xml", "Doc_0/Pages/Page_0/Content.xml",
                     "Doc_0/资源/图片.png"):
            zf.writestr(name, "<x/>")
    pkg = Package(zipfile.ZipFile(buf))
    assert pkg.resolve("/Doc_0/Document.xml") == "doc_0/document.xml"
    assert pkg.resolve("pages/page_0/CONTENT.xml", "doc_0") == "doc_0/pages/page_0/content.xml"
    assert pkg.resolve("Pages\\Page_0\\Content.xml", "doc_0") == "doc_0/pages/page_0/content.xml"
    assert pkg.resolve("../资源/图片.png", "doc_0/pages") == "doc_0/资源/图片.png"
    assert pkg.resolve("Doc_0/Document.xml", "elsewhere") == "doc_0/document.xml"  # from the root
    assert pkg.resolve("missing.xml", "doc_0") is None and pkg.resolve("  ") is None


class GbkName(zipfile.ZipInfo):
    """A member name stored as GBK bytes without the UTF-8 flag, as Windows zip tools do."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 - zipfile's name
        return self.filename.encode("gbk"), self.flag_bits


def test_gbk_encoded_member_names_without_the_utf8_flag() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        files = {"OFD.xml": ofd_xml("文档/Document.xml"),
                 "文档/Document.xml": document_xml(["页/Content.xml"]),
                 "文档/PublicRes.xml": PUBLIC_RES,
                 "文档/页/Content.xml": page_xml([text_obj("中文目录名。", 20, 40)])}
        for name, content in files.items():
            zf.writestr(GbkName(name), content.encode("utf-8"))
    data = buf.getvalue()
    assert b"\xce\xc4\xb5\xb5" in data and detect_format(data) == "ofd"  # 文档 in GBK
    assert read_bytes(data) == ["中文目录名。"]


def test_gbk_declared_xml() -> None:
    page = page_xml([text_obj("国标编码的页面文字。", 20, 40)]).replace('encoding="UTF-8"', 'encoding="GBK"')
    data = one_page([], **{"Doc_0/Pages/Page_0/Content.xml": page.encode("gbk")})
    assert read_bytes(data) == ["国标编码的页面文字。"]


def test_gbk_bytes_without_declaration() -> None:
    page = page_xml([text_obj("没有声明编码的页面。", 20, 40)]).split("\n", 1)[1]
    data = one_page([], **{"Doc_0/Pages/Page_0/Content.xml": page.encode("gb18030")})
    assert read_bytes(data) == ["没有声明编码的页面。"]


def test_non_standard_namespace_and_no_prefix() -> None:
    page = page_xml([text_obj("非标准命名空间。", 20, 40)]).replace(NS, "http://example.com/ofd")
    bare = re.sub(r"</?ofd:", lambda m: m.group(0).replace("ofd:", ""), page)
    bare = bare.replace(' xmlns:ofd="http://example.com/ofd"', "")
    for content in (page, bare):
        data = one_page([], **{"Doc_0/Pages/Page_0/Content.xml": content})
        assert read_bytes(data) == ["非标准命名空间。"]


def test_docinfo_title_and_creation_date_rule() -> None:
    data = package({
        "OFD.xml": ofd_xml("Doc_0/Document.xml", title="关于整改进展情况的通报", creation_date="2024-05-10"),
        "Doc_0/Document.xml": document_xml(["Pages/Page_0/Content.xml"]),
        "Doc_0/PublicRes.xml": PUBLIC_RES,
        "Doc_0/Pages/Page_0/Content.xml": page_xml([text_obj("某某局办公室", 100, 200),
                                                    text_obj("2024年5月10日", 100, 210)]),
    })
    doc = read_file("x.ofd", data)
    assert doc.title == "关于整改进展情况的通报" and doc.publish_date == "2024-05-10"
    assert creation_date_if_written("2024-05-10", "印发时间2024年05月10日") == "2024-05-10"
    assert creation_date_if_written("D:20240510093000+08'00'", "2024年5月10日") == "2024-05-10"
    assert creation_date_if_written("2024-05-10T09:00:00", "2024年5月11日") is None  # not written
    assert creation_date_if_written("2024-13-40", "2024年13月40日") is None
    assert creation_date_if_written(None, "") is None


# --- errors ------------------------------------------------------------------------------------

def test_encrypted_package_file() -> None:
    data = one_page([text_obj("机密", 20, 40)], **{"Encryptions.xml": "<Encryptions/>"})
    with pytest.raises(EncryptedFile):
        read_file("x.ofd", data)


def test_encryption_declared_in_ofd_xml() -> None:
    data = one_page([text_obj("机密", 20, 40)], **{
        "OFD.xml": ofd_xml("Doc_0/Document.xml", extra="<ofd:Encryptions>Enc/Enc.xml</ofd:Encryptions>")})
    with pytest.raises(EncryptedFile):
        read_file("x.ofd", data)


def test_zip_level_encrypted_member() -> None:
    data = bytearray(one_page([text_obj("机密", 20, 40)]))
    central = data.index(b"PK\x01\x02")  # first central directory entry: OFD.xml
    data[central + 8] |= 0x1  # its "encrypted" flag (zipfile cannot write encrypted members)
    with pytest.raises(EncryptedFile):
        read_file("x.ofd", bytes(data))


def test_entity_expansion_refused() -> None:
    page = ('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "整改整改整改"><!ENTITY b "&a;&a;&a;">]>'
            f'<ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer>'
            f'{text_obj("&b;", 20, 40)}</ofd:Layer></ofd:Content></ofd:Page>')
    data = one_page([], **{"Doc_0/Pages/Page_0/Content.xml": page})
    with pytest.raises(UnreadableFile) as info:
        read_file("x.ofd", data)
    assert "实体" in info.value.message


def test_dtd_refused() -> None:
    page = page_xml([text_obj("文字", 20, 40)]).replace(
        "?>\n", '?>\n<!DOCTYPE ofd:Page SYSTEM "http://example.com/ofd.dtd">\n', 1)
    data = one_page([], **{"Doc_0/Pages/Page_0/Content.xml": page})
    with pytest.raises(UnreadableFile) as info:
        read_file("x.ofd", data)
    assert "DTD" in info.value.message


def test_zip_bomb_refused() -> None:
    data = one_page([text_obj("文字", 20, 40)], **{"Doc_0/Res/pad.bin": b"\0" * (4 * 1024 * 1024)})
    with pytest.raises(TooLarge):
        read_file("x.ofd", data)


def test_broken_packages() -> None:
    good = one_page([text_obj("文字", 20, 40)])
    with pytest.raises(UnreadableFile):
        read_file("x.ofd", good[: len(good) // 2])  # truncated
    with pytest.raises(UnreadableFile):  # a page that is not XML
        read_file("x.ofd", one_page([], **{"Doc_0/Pages/Page_0/Content.xml": "<ofd:Page"}))
    with pytest.raises(UnreadableFile):  # DocRoot points nowhere
        read_file("x.ofd", one_page([], **{"OFD.xml": ofd_xml("Doc_9/Document.xml")}))
    with pytest.raises(UnreadableFile):  # a page file missing
        read_file("x.ofd", package({"OFD.xml": ofd_xml("D/Document.xml"),
                                    "D/Document.xml": document_xml(["P/1.xml"])}))


def test_no_text_at_all() -> None:
    path = ('<ofd:PathObject ID="2" Boundary="20 20 100 1"><ofd:AbbreviatedData>M 0 0 L 100 0'
            '</ofd:AbbreviatedData></ofd:PathObject>')
    with pytest.raises(NoTextLayer):
        read_file("x.ofd", one_page([path]))


def test_private_use_text_without_images_has_no_text_layer() -> None:
    pua = "".join(chr(0xE100 + k) for k in range(20))
    with pytest.raises(NoTextLayer):
        read_file("x.ofd", one_page([text_obj(pua, 20, 40)]))


def test_private_use_page_ocrs_its_image() -> None:
    """A page of glyph codes with a picture of its text: the picture is OCR'd."""
    font_path = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
    if not font_path.exists():
        pytest.skip("WenQuanYi Zen Hei font not installed")
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1200, 160), 255)
    ImageDraw.Draw(image).text((40, 40), "整改情况：已完成整改。", font=ImageFont.truetype(str(font_path), 64),
                               fill=0)
    png = io.BytesIO()
    image.save(png, "PNG")
    media = (f'<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:MultiMedias><ofd:MultiMedia ID="60" '
             'Type="Image" Format="PNG"><ofd:MediaFile>scan.png</ofd:MediaFile></ofd:MultiMedia>'
             '</ofd:MultiMedias></ofd:Res>')
    pua = "".join(chr(0xE100 + k) for k in range(11))
    objs = ['<ofd:ImageObject ID="5" Boundary="20 30 150 20" CTM="150 0 0 20 0 0" ResourceID="60"/>',
            text_obj(pua, 20, 35, size=8)]
    data = package({
        "OFD.xml": ofd_xml("Doc_0/Document.xml"),
        "Doc_0/Document.xml": document_xml(["Pages/Page_0/Content.xml"], document_res="DocumentRes.xml"),
        "Doc_0/PublicRes.xml": PUBLIC_RES, "Doc_0/DocumentRes.xml": media,
        "Doc_0/res/SCAN.PNG": png.getvalue(),  # stored in another case than named
        "Doc_0/Pages/Page_0/Content.xml": page_xml(objs),
    })
    doc = read_file("x.ofd", data)
    text = squeeze(doc.text)  # OCR: exact here, but allowed a stray mark on other CPUs
    assert text.startswith("整改情况") and "已完成整改" in text and len(text) <= 12
    assert doc.notes == ["1 页没有可用文字，已对页面图片 OCR"]


def test_detection_and_advice() -> None:
    data = one_page([text_obj("文字", 20, 40)])
    assert detect_format(data, "bulletin.zip") == "ofd"
    lower = package({"ofd.xml": ofd_xml("Doc_0/Document.xml")})
    assert detect_format(lower) == "ofd"
    assert detect_format(data[:200]) == "ofd"  # a truncated package is still an OFD (reported broken)
    assert "ofd" in UnsupportedFormat().advice
    assert "OFD" in NoTextLayer().advice
