"""A folder mixing series of bulletins, their copies and unrelated bulletins, against what a
careful reader wrote by hand (tests/golden/history/): summary, incomplete and history agree,
and each bulletin counts once."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest

from extract import parse_folder

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "history"
AS_OF = date(2026, 6, 30)
#: The copies in the folder (another site's chrome, Traditional with pinyin, WeChat, PDF, HTML)
#: and the file kept for each.
COPIES = {
    "162_water_bureau_second_reposted_discipline_site.txt": "151_county_water_bureau_series_second.txt",
    "163_urban_management_second_traditional_pinyin_mirror.txt":
        "154_city_urban_management_series_second.txt",
    "164_county_hospital_second_wechat_repost.txt": "157_county_hospital_series_second.txt",
    "formats/hist_152_attachment.pdf": "152_county_water_bureau_series_third.txt",
    "formats/hist_152_page.html": "152_county_water_bureau_series_third.txt",
    "formats/hist_160_page.html": "160_township_series_second.txt",
}


def _inputs() -> list[str]:
    lines = (GOLDEN / "inputs.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mixed")
    for rel in _inputs():
        target = folder / Path(rel).relative_to("samples")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, target)
    out = tmp_path_factory.mktemp("out")
    parse_folder(folder, out=out, as_of=AS_OF, workers=2, cache=False, formats=("csv", "html"))
    return out


def _project(rows: list[dict[str, str]], columns: list[str]) -> list[tuple[str, ...]]:
    return sorted(tuple(r[c] for c in columns) for r in rows)


@pytest.mark.parametrize("table", ["summary", "incomplete", "history"])
def test_the_run_agrees_with_the_hand_goldens(out: Path, table: str) -> None:
    want = _read(GOLDEN / f"{table}.csv")
    columns = list(want[0])
    got = _project(_read(out / f"{table}.csv"), columns)
    expected = _project(want, columns)
    missing = [r for r in expected if r not in got]
    extra = [r for r in got if r not in expected]
    assert not missing and not extra, (columns, missing, extra)


def test_each_bulletin_counts_once(out: Path) -> None:
    documents = _read(out / "documents.csv")
    assert len(documents) == len(_inputs())
    by_path = {d["source_path"]: d for d in documents}
    for copy, kept in COPIES.items():
        assert by_path[copy]["duplicate_of"] == by_path[kept]["doc_id"], copy
        assert float(by_path[copy]["duplicate_score"]) >= 0.8
    assert sorted(p for p, d in by_path.items() if d["duplicate_of"]) == sorted(COPIES)
    counted = [d for d in documents if not d["duplicate_of"] and d["doc_type"] == "bulletin"]
    summary = _read(out / "summary.csv")
    assert sum(int(r["bulletins"]) for r in summary) == len(counted) == 16
    assert sum(int(r["files"]) for r in summary) == len(counted) + len(COPIES)
    for table in ("incomplete", "history"):
        paths = {r["source_path"] for r in _read(out / f"{table}.csv")}
        assert not paths & set(COPIES), table
    near = [c for c in _read(out / "checks.csv") if c["check"] == "near_duplicate"]
    assert sorted(by_path_of(documents, c["doc_id"]) for c in near) == sorted(COPIES)
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "其中重复副本（只计一次）" in report and 'id="chart-timeline"' in report
    # the open-across table: one row per flagged problem of the hand golden
    flagged = {r["problem_key"] for r in _read(GOLDEN / "history.csv")
               if "true" in (r["still_open"], r["reopened"], r["deadline_moved"])}
    body = report.split('id="history-table"')[1].split("</table>")[0]
    assert body.count("<tr data-still-open=") == len(flagged) == 9


def by_path_of(documents: list[dict[str, str]], doc_id: str) -> str:
    return next(d["source_path"] for d in documents if d["doc_id"] == doc_id)


def test_incomplete_order_current_first_most_overdue_first(out: Path) -> None:
    rows = _read(out / "incomplete.csv")
    superseded = [r["superseded"] == "true" for r in rows]
    assert superseded == sorted(superseded)
    current = [int(r["days_overdue"]) if r["days_overdue"] else -1 for r in rows
               if r["superseded"] == "false"]
    assert current == sorted(current, reverse=True)


def test_the_open_across_table_sorts_and_filters_in_headless_chromium(out: Path,
                                                                      tmp_path: Path) -> None:
    from test_writers_html import _browser_or_skip

    make_driver = _browser_or_skip()
    from selenium.webdriver.common.by import By

    profile = tmp_path / "profile"
    driver = make_driver(str(profile))
    try:
        driver.get((out / "report.html").resolve().as_uri())
        timeline = driver.find_element(By.ID, "chart-timeline")
        assert timeline.size["height"] > 0 and timeline.find_elements(By.TAG_NAME, "rect")

        def visible() -> list:  # type: ignore[type-arg]
            rows = driver.find_elements(By.CSS_SELECTOR, "#history-table tbody tr")
            return [r for r in rows if r.is_displayed()]

        count = driver.find_element(By.ID, "history-count")
        assert len(visible()) == 9 and count.text == "显示 9 / 9 个"
        still = driver.find_element(By.ID, "history-still-open")
        still.click()  # 青岑 6, 澜川 3 and 7, 桐川 5, 岭西 1
        assert len(visible()) == 5
        driver.find_element(By.ID, "history-deadline-moved").click()  # and moved: not 岭西 1
        assert len(visible()) == 4
        driver.find_element(By.ID, "history-deadline-moved").click()
        still.click()
        driver.find_element(By.ID, "history-reopened").click()
        assert sorted(r.find_elements(By.TAG_NAME, "td")[0].text for r in visible()) == [
            "柘岩县岭西镇", "青岑县水利局"]
        driver.find_element(By.ID, "history-reopened").click()
        box = driver.find_element(By.ID, "history-filter")
        box.send_keys("户外广告")  # the renumbered 155 item 1, titled as in its latest bulletin
        [row] = visible()
        assert "出现反弹" in row.text and "整改中 → 整改中 → 整改中" in row.text
        assert count.text == "显示 1 / 9 个"
        box.clear()
        box.send_keys(" ")
        header = driver.find_element(By.XPATH, "//table[@id='history-table']//th[.='未完成天数']")
        header.click()
        days = [r.find_elements(By.TAG_NAME, "td")[7].text for r in visible()]
        assert days == sorted(days, key=lambda d: (d == "—", int(d) if d != "—" else 0))
        assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
