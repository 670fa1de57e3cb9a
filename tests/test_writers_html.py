"""report.html: self-contained, escaped, charts and tables; a headless Chromium test."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from test_analysis_fixtures import TRICKY_TITLE, write_output_dir

from extract.writers import html
from extract.writers.tables import read_tables

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("report")
    inputs = base / "inputs"
    (inputs / "sub").mkdir(parents=True)
    for doc_id in ("a1", "a2", "b2", "c1"):
        (inputs / f"{doc_id}.txt").write_text("通报", encoding="utf-8")
    out = write_output_dir(base / "outputs")
    return out


@pytest.fixture(scope="module")
def page(run_dir: Path) -> str:
    path = html.write(run_dir, source_roots=[run_dir.parent / "inputs"])
    assert path == run_dir / "report.html"
    return path.read_text(encoding="utf-8")


def test_self_contained_no_network(page: str) -> None:
    assert "<script src" not in page and "<link rel=\"stylesheet\"" not in page
    assert "@import" not in page and "url(" not in page
    external = re.findall(r"(?:src|href)=\"(https?:|//)", page)
    assert external == []
    # The only URL is the SVG namespace, which is never fetched.
    assert set(re.findall(r"https?://[^\s\"']+", page)) <= {"http://www.w3.org/2000/svg"}


def test_text_is_escaped(page: str) -> None:
    assert "<b>“三重一大”</b>" not in page
    assert "&lt;b&gt;“三重一大”&lt;/b&gt;事项 &amp; 决策 &quot;不规范&quot;" in page


def test_charts_and_chinese_sections(page: str) -> None:
    for chart in ("chart-completion", "chart-status", "chart-overdue", "chart-themes",
                  "chart-timeline"):
        assert f'id="{chart}"' in page
    for heading in ("运行概况", "各单位整改完成率", "按问题类别的整改状态", "按整改时限月份的未完成问题",
                    "各单位历次通报的整改状态", "跨期未完成问题", "未完成问题清单", "一致性核查发现",
                    "无法读取的文件"):
        assert heading in page
    assert page.count("<svg") == 5


def test_incomplete_rows_and_links(page: str, run_dir: Path) -> None:
    body = page.split('id="incomplete-table"')[1].split("</table>")[0]
    assert body.count("<tr class=") == len(read_tables(run_dir)["incomplete"].rows()) == 10
    # Links are relative to the report; files not found stay plain text.
    assert 'href="../inputs/c1.txt"' in body and "（第1页）" in body
    assert 'href="../inputs/d1.txt"' not in body and "d1.txt" in body


def test_source_root_guessed_from_neighbouring_folders(run_dir: Path) -> None:
    links = html.SourceLinks(run_dir, ["a1.txt", "a2.txt", "c1.txt"], [])
    assert links.root == (run_dir.parent / "inputs").resolve()
    assert links.href("a2.txt") == "../inputs/a2.txt"
    assert links.href("missing.txt") is None


def test_empty_folder_still_renders(tmp_path: Path) -> None:
    path = html.write(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "没有可比较的整改通报" in text and "所有文件均已读取" in text


def test_count_axis_max() -> None:
    assert [html.count_axis_max(v) for v in (0, 1, 4, 9, 41)] == [4.0, 4.0, 4.0, 12.0, 60.0]


# --------------------------------------------------------------- browser

def _browser_or_skip():  # type: ignore[no-untyped-def]
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("Debian packages chromium and chromium-driver are not installed "
                    "(scripts/debian-packages.txt; `make setup` installs them)")
    pytest.importorskip("selenium", reason="PyPI package selenium is not installed")
    sys.path.insert(0, str(ROOT / "scripts"))
    from screenshot_report import make_driver

    return make_driver


def test_report_in_headless_chromium(run_dir: Path, page: str, tmp_path: Path) -> None:
    make_driver = _browser_or_skip()
    from selenium.webdriver.common.by import By

    profile = tmp_path / "profile"
    driver = make_driver(str(profile))
    try:
        driver.get((run_dir / "report.html").resolve().as_uri())
        assert driver.title == "巡视巡察整改进展分析报告"
        for chart in ("chart-completion", "chart-status", "chart-overdue", "chart-themes"):
            svg = driver.find_element(By.ID, chart)
            assert svg.tag_name == "svg" and svg.size["height"] > 0
            assert svg.find_elements(By.TAG_NAME, "rect")

        def visible_rows() -> list:  # type: ignore[type-arg]
            rows = driver.find_elements(By.CSS_SELECTOR, "#incomplete-table tbody tr")
            return [r for r in rows if r.is_displayed()]

        expected = len(read_tables(run_dir)["incomplete"].rows())
        assert len(visible_rows()) == expected == 10
        count = driver.find_element(By.ID, "incomplete-count")
        assert count.text == "显示 10 / 10 条"
        cell = driver.find_element(By.XPATH, "//table[@id='incomplete-table']//td[contains(., '三重一大')]")
        assert cell.text == TRICKY_TITLE  # escaped text shows as written
        assert not cell.find_elements(By.TAG_NAME, "b")

        box = driver.find_element(By.ID, "incomplete-filter")
        box.send_keys("党费")
        assert len(visible_rows()) == 2
        assert count.text == "显示 2 / 10 条"
        box.clear()
        box.send_keys(" ")  # clear() fires no input event; typing does
        assert len(visible_rows()) == 10

        driver.find_element(By.ID, "incomplete-overdue").click()
        assert len(visible_rows()) == 6
        driver.find_element(By.ID, "incomplete-current").click()
        assert len(visible_rows()) == 4
        driver.find_element(By.ID, "incomplete-overdue").click()
        driver.find_element(By.ID, "incomplete-current").click()

        header = driver.find_element(By.XPATH, "//table[@id='incomplete-table']//th[.='逾期天数']")
        header.click()  # ascending, rows without a deadline last
        days = [r.find_elements(By.TAG_NAME, "td")[6].text for r in visible_rows()]
        assert days == ["0", "15", "15", "46", "199", "321", "381", "—", "—", "—"]
        header.click()  # descending
        days = [r.find_elements(By.TAG_NAME, "td")[6].text for r in visible_rows()]
        assert days[:3] == ["381", "321", "199"]

        rate = driver.find_element(By.XPATH, "//table[@id='summary-table']//th[.='计算完成率(%)']")
        rate.click()
        rates = [r.find_elements(By.TAG_NAME, "td")[10].text for r in
                 driver.find_elements(By.CSS_SELECTOR, "#summary-table tbody tr")]
        assert rates == ["0.0", "0.0", "33.3", "50.0", "60.0", "100.0", "—"]

        link = driver.find_element(By.XPATH, "//a[contains(., 'c1.txt')]")
        assert link.get_attribute("href").endswith("/inputs/c1.txt")

        severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert severe == []
        shot = tmp_path / "report.png"
        driver.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_section_titles_pool_into_inspection_aspects() -> None:
    assert html._category("落实全面从严治党“两个责任”方面") == "全面从严治党"
    assert html._category("贯彻落实党中央决策部署方面的问题") == "贯彻落实党中央决策部署"
    assert html._category("落实巡视、审计等监督发现问题整改方面") == "巡视巡察和审计整改"
    assert html._category("干部队伍和基层党组织建设方面") == "组织路线与干部队伍"
    assert html._category("关于“优化营商环境”方面") == "履职尽责与业务工作"
    assert html._category(None) == "（未分类）"


def test_links_across_several_input_folders(tmp_path: Path) -> None:
    (tmp_path / "in1").mkdir()
    (tmp_path / "in2" / "sub").mkdir(parents=True)
    (tmp_path / "in1" / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "in2" / "sub" / "b c.pdf").write_text("x", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    links = html.SourceLinks(out, ["a.txt", "sub/b c.pdf"], [tmp_path / "in1", tmp_path / "in2"])
    assert links.href("a.txt") == "../in1/a.txt"
    assert links.href("sub/b c.pdf", page=3) == "../in2/sub/b%20c.pdf#page=3"
    assert links.href("a.txt", page=3) == "../in1/a.txt"  # pages only for PDFs


def test_summary_table_one_row_per_unit(page: str, run_dir: Path) -> None:
    body = page.split('id="summary-table"')[1].split("</table>")[0]
    assert body.count("<tr>") - 1 == len(read_tables(run_dir)["summary"].rows()) == 7
    assert "60.0 → 94.6（上升）" in body
    assert 'title="洛阳市委外事办；中共洛阳市委外事工作委员会办公室"' in body


# A second browser test without Selenium: Chromium's own headless command line
# (--dump-dom, --screenshot) on a copy of the report with a test script
# appended, so the page is checked in a real browser even where the PyPI
# package selenium is not installed.

HARNESS_JS = """
(function () {
  var out = {};
  out.charts = ['chart-completion', 'chart-status', 'chart-overdue', 'chart-themes'].map(
    function (id) {
      var e = document.getElementById(id);
      return !!e && e.tagName.toLowerCase() === 'svg' && e.querySelectorAll('rect').length > 0;
    });
  function rows() {
    return Array.prototype.filter.call(
      document.querySelectorAll('#incomplete-table tbody tr'), function (r) { return !r.hidden; });
  }
  out.total = rows().length;
  var box = document.getElementById('incomplete-filter');
  box.value = '党费';
  box.dispatchEvent(new Event('input'));
  out.filtered = rows().length;
  out.count = document.getElementById('incomplete-count').textContent;
  box.value = '';
  box.dispatchEvent(new Event('input'));
  var th = Array.prototype.filter.call(document.querySelectorAll('#incomplete-table th'),
    function (t) { return t.textContent === '逾期天数'; })[0];
  th.click();
  out.days = rows().map(function (r) { return r.cells[6].textContent; });
  document.body.setAttribute('data-harness', JSON.stringify(out));
})();
"""


CHROMIUM_TIMEOUT_S = 90


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    sys.path.insert(0, str(ROOT / "scripts"))
    from screenshot_report import CHROMIUM_FLAGS

    cmd = [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
           "--enable-logging=stderr", "--v=0", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT_S,
                          check=True)


def test_report_in_chromium_command_line(run_dir: Path, page: str, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian package chromium is not installed (scripts/debian-packages.txt)")
    harness = tmp_path / "report_harness.html"
    harness.write_text(page.replace("</body>", f"<script>{HARNESS_JS}</script></body>"),
                       encoding="utf-8")
    done = _chromium("--dump-dom", harness.as_uri(), profile=tmp_path / "p1")
    found = re.search(r'data-harness="([^"]*)"', done.stdout)
    assert found, done.stderr[-2000:]
    result = json.loads(unescape(found.group(1)))
    assert result["charts"] == [True, True, True, True]
    assert result["total"] == len(read_tables(run_dir)["incomplete"].rows()) == 10
    assert (result["filtered"], result["count"]) == (2, "显示 2 / 10 条")
    assert result["days"] == ["0", "15", "15", "46", "199", "321", "381", "—", "—", "—"]
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line]
    assert console == []  # no errors, no messages at all

    shot = tmp_path / "report.png"
    _chromium(f"--screenshot={shot}", "--window-size=1280,2000",
              (run_dir / "report.html").as_uri(), profile=tmp_path / "p2")
    assert shot.stat().st_size > 10_000
