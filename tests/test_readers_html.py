"""HTML reader: charset, article body without site chrome, title and publish date."""

from __future__ import annotations

from pathlib import Path

from extract.readers import read_file
from extract.readers.html import decode_html

FORMATS = Path(__file__).resolve().parents[1] / "samples" / "formats"
CHROME = ("当前位置", "首页", "字号", "分享到", "打印本页", "关闭窗口", "相关文章", "网站标识码",
          "ICP", "版权所有", "主办单位", "浏览次数", "统计代码", "无障碍", "关于开展2024年度巡察工作的通知")


def test_utf8_page_body_title_date() -> None:
    doc = read_file(FORMATS / "seed_utf8.html")
    assert doc.source_format == "html"
    assert doc.title == "中共洛阳市委外事工作委员会办公室 关于市委巡察整改进展情况的通报"
    assert doc.publish_date == "2024-05-10"
    texts = [b.text for b in doc.blocks]
    assert texts[0] == doc.title
    assert texts[1].startswith("根据市委统一部署")
    assert "一、领导班子组织落实整改情况" in texts
    assert texts[-1].startswith("（四）突出成果运用，助推事业发展。")
    for word in CHROME:
        assert word not in doc.text, word


def test_gbk_page_decoded() -> None:
    data = (FORMATS / "short_bulletin_gbk.html").read_bytes()
    assert b"charset=gb2312" in data
    doc = read_file(FORMATS / "short_bulletin_gbk.html", data)
    assert doc.title == "中共松溪市文化广电和旅游局党组关于市委巡察集中整改进展情况的通报"
    assert doc.publish_date == "2024-04-08"
    assert "1. 意识形态工作责任制落实不到位。" in [b.text for b in doc.blocks]
    for word in CHROME:
        assert word not in doc.text, word


def test_charset_sources() -> None:
    text = "整改进展情况"
    assert decode_html(b"\xef\xbb\xbf<p>" + text.encode() + b"</p>") == "<p>" + text + "</p>"
    assert text in decode_html(b'<meta charset="gbk"><p>' + text.encode("gbk") + b"</p>")
    assert text in decode_html(b"<p>" + text.encode("gb18030") + b"</p>")  # undeclared GBK
    # a wrong declaration falls through to what the bytes are
    assert text in decode_html(b'<meta charset="utf-8"><p>' + text.encode("gbk") + b"</p>")


def test_traditional_page_kept_for_the_normalizer() -> None:
    doc = read_file(FORMATS / "seed_trad.html")
    assert "統(tǒng)一" in doc.text
    assert doc.publish_date == "2024-05-10"


def test_block_structure_br_li_and_table_rows() -> None:
    page = ("<html><head><title>关于整改情况的通报_某县政府</title></head><body>"
            "<div class='nav'>首页 政务公开</div><div id='zoom'><p>第一段</p>第二段<br>第三段"
            "<ul><li>一是甲</li><li>二是乙</li></ul><table><tr><td>姓名</td><td>职务</td></tr></table>"
            "<p>发布日期：2023年9月8日</p></div><div class='footer'>版权所有</div></body></html>")
    doc = read_file("x.html", page.encode())
    assert [b.text for b in doc.blocks] == ["关于整改情况的通报", "第一段", "第二段", "第三段", "一是甲",
                                            "二是乙", "姓名 | 职务", "发布日期：2023年9月8日"]
    assert doc.publish_date == "2023-09-08"


def test_entity_expansion_not_resolved() -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><html><body><p>正文&b;</p></body></html>')
    doc = read_file("x.html", bomb.encode())
    assert "哈哈" not in doc.text


def test_publish_date_over_written_date(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A disclosure block gives 成文日期 and 发布日期: the page's publish date is the latter."""
    page = tmp_path / "p.html"
    page.write_text("<html><body><table><tr><td>成文日期：</td><td>2025-03-16</td><td>发布日期：</td>"
                    "<td>2025-03-18</td></tr></table><div class='TRS_Editor'><p>根据县委统一部署，"
                    "县委第三巡察组对我局开展了巡察。现将巡察整改进展情况予以公布。</p></div></body></html>",
                    encoding="utf-8")
    from extract.readers import read_file

    assert read_file(page).publish_date == "2025-03-18"
