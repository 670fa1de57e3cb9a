"""Web-page chrome around a bulletin: which lines go, what they say (extract/chrome.py)."""

from __future__ import annotations

from datetime import date

import pytest

from extract import chrome
from extract.document import Block, SourceDocument
from extract.normalize import normalize_text
from extract.pipeline import parse_source

PAGE = """平川县纪委监委网站
清风平川 廉洁平川
首页 | 工作动态 | 巡察工作 | 审查调查 | 党纪法规
字号：大 中 小
当前位置：首页 > 巡察工作 > 整改公示
信息索引号：11341523MB0J7X2Q5A/2025-01267　　发布机构：中共平川县交通运输局党组
成文日期：2025-03-16　　文号：平交党〔2025〕12号
文件名称：中共平川县交通运输局党组关于县委巡察整改进展情况的通报

【巡察整改】关于县委巡察整改进展情况的通报

来源：平川县纪委监委  发布时间：2025-03-18 10:20  浏览次数：356

根据县委统一部署，2024年9月9日至10月25日，县委第三巡察组对县交通运输局党组开展了常规巡察。现将巡察整改进展情况予以公布。
一、整改工作总体情况
局党组高度重视。
中共平川县交通运输局党组
2025年3月18日
【打印本页】　【关闭窗口】
相关链接
关于县财政局巡察整改进展情况的通报　2024-11-15
上一篇：关于县水利局巡察整改进展情况的通报
主办单位：平川县纪委监委　　网站标识码：3611000012
赣ICP备12345678号
http://www.pcjw.gov.cn/art/2025/3/18/art_1.html"""

BODY = """关于县委巡察整改进展情况的通报
根据县委统一部署，2024年9月9日至10月25日，县委第三巡察组对县交通运输局党组开展了常规巡察。现将巡察整改进展情况予以公布。
一、整改工作总体情况
局党组高度重视。
中共平川县交通运输局党组
2025年3月18日"""


def test_a_saved_page_keeps_only_the_bulletin() -> None:
    assert normalize_text(PAGE) == BODY


def test_what_the_chrome_said_is_kept() -> None:
    lines = [line for line in PAGE.split("\n") if line]
    _, meta = chrome.strip(lines)
    assert meta.title == "中共平川县交通运输局党组关于县委巡察整改进展情况的通报"
    assert meta.publish_date == "2025-03-18"  # 发布时间 wins over 成文日期
    assert meta.publisher == "中共平川县交通运输局党组"
    assert meta.removed == len(lines) - len(BODY.split("\n"))


def test_the_page_title_and_date_reach_the_document() -> None:
    src = SourceDocument("page.txt", "txt", [Block(line) for line in PAGE.split("\n") if line])
    doc = parse_source(src, "0" * 16, "page.txt", date(2026, 11, 27)).document
    # The body's own title has no unit: the disclosure block's full title is the fuller form.
    assert doc.title == "关于县委巡察整改进展情况的通报"
    assert doc.unit == "中共平川县交通运输局党组"
    assert doc.publish_date == "2025-03-18"
    assert doc.doc_type == "bulletin"


@pytest.mark.parametrize(("line", "kind"), [
    ("当前位置：首页 > 巡察工作 > 整改公示", "chrome_breadcrumb"),
    ("您现在的位置：首页 > 新闻中心 > 集团要闻", "chrome_breadcrumb"),
    ("信息索引号：11341523MB0J7X2Q5A/2025-01267", "chrome_disclosure"),
    ("发布时间：2024-04-18 10:02　　来源：集团纪委　　浏览次数：862", "chrome_stamp"),
    ("2025-02-18 16:40:11　来源：省委巡视办　【字体：大 中 小】", "chrome_stamp"),
    ("作者：李明　审核：王芳　点击数：1234", "chrome_stamp"),
    ("分享到：微信 微博 QQ空间", "chrome_widget"),
    ("【打印本页】【关闭窗口】", "chrome_widget"),
    ("阅读 1234", "chrome_widget"),
    ("网站标识码：3608000012　　赣ICP备05004321号-1", "chrome_footer"),
    ("http://wjw.hcs-zf.gov.cn/xxgk/t20241108_3186254.shtml", "chrome_url"),
    ("相关链接", "chrome_related"),
    ("原创 清风平川 2024-06-12 09:15 发表于江西", "chrome_wechat"),
    ("原创 清风梧桐 清风梧桐 2025年01月10日 18:30 浙江", "chrome_wechat"),
])
def test_chrome_lines_by_their_own_words(line: str, kind: str) -> None:
    assert chrome.chrome_kind(line) == kind


@pytest.mark.parametrize("line", [
    "根据县委统一部署，2024年9月9日至10月25日，县委第三巡察组对县交通运输局党组开展了常规巡察。",
    "一、整改工作总体情况",
    "整改情况：已完成整改。",
    "中共平川县交通运输局党组",
    "2025年3月18日",
    "联系电话：0797-6128315；邮政信箱：平川县政务中心。",
    "中共平川县委 2024年11月15日",
])
def test_bulletin_lines_are_not_chrome(line: str) -> None:
    assert chrome.chrome_kind(line) is None


def test_site_names_and_slogans_go_only_before_the_body() -> None:
    lines = ["平川县纪委监委网站", "清风平川 廉洁平川", "根据县委统一部署，县委第三巡察组对县交通运输局党组开展了巡察。",
             "一是加强 二是完善 三是健全 四是落实"]
    kept, _ = chrome.strip(lines)
    assert [text for _, text in kept] == lines[2:]


def test_an_index_page_keeps_its_list() -> None:
    lines = ["桐溪区人民政府门户网站", "巡察整改公开",
             "关于十届区委第五轮巡察集中整改进展情况的通报　　2024-11-15",
             "中共桐溪区发展和改革局党组关于区委巡察整改进展情况的通报　　2024-10-28"]
    kept, _ = chrome.strip(lines)
    assert [text for _, text in kept] == lines[1:]


def test_a_column_tag_before_the_headline_goes() -> None:
    kept, _ = chrome.strip(["【巡察整改】中共XX局党组关于巡察整改情况的通报", "根据县委统一部署，县委巡察组开展了巡察。"])
    assert kept[0][1] == "中共XX局党组关于巡察整改情况的通报"


def test_a_disclosure_table_read_as_cells() -> None:
    lines = ["索引号 | 11341523MB0J7X2Q5A/2025-01267 | 发布机构 | 平川县交通运输局",
             "成文日期 | 2025-03-16 | 发布日期 | 2025-03-18",
             "文件名称 | 中共平川县交通运输局党组关于县委巡察整改进展情况的通报",
             "根据县委统一部署，县委第三巡察组对我局开展了巡察。"]
    kept, meta = chrome.strip(lines)
    assert [text for _, text in kept] == lines[3:]
    assert (meta.title, meta.publish_date, meta.publisher) == (
        "中共平川县交通运输局党组关于县委巡察整改进展情况的通报", "2025-03-18", "平川县交通运输局")


def test_one_literal_scan_finds_every_chrome_line():
    """strip tries each pattern only on the lines its literals' scan found: the same lines
    as trying every pattern on every line (the samples' lines, and lines glued from the
    patterns' examples so that literals overlap and share lines)."""
    import random
    from pathlib import Path

    from extract.patterns import PATTERNS
    from extract.width import fold_width

    lines = PAGE.split("\n")
    for path in sorted((Path(__file__).resolve().parents[1] / "samples").glob("*.txt")):
        lines += path.read_text(encoding="utf-8").split("\n")
    examples = [e for p in PATTERNS.values() for e in (*p.examples, *p.counter_examples)]
    rng = random.Random(15)
    lines += ["".join(rng.choice(examples)[rng.randint(0, 3):] for _ in range(rng.randint(1, 3)))
              for _ in range(3000)]
    folds = [fold_width(line) for line in lines]
    # every pattern on every line, no literal skipped
    expected = [any(PATTERNS[name].regex.search(f) for name in chrome.CHROME_PATTERNS) for f in folds]
    assert sum(expected) > 100
    assert chrome._chrome_lines(folds) == expected
