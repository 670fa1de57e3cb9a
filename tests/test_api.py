"""The library at the centre: the README's notebook example runs as written; frames carry the
contract's dtypes; and one figure agrees with itself in every output of one run."""

from __future__ import annotations

import csv
import re
import shutil
import sqlite3
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from openpyxl import load_workbook

from extract import parse_file, parse_folder

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
AS_OF = date(2026, 11, 27)
#: A mixed folder: bulletins (one with a parent item that has its own status), a round
#: summary, a look-alike, a copy of the seed in another format, an unreadable file.
MIXED = ("000_14f26a7ea3be1e8c.txt", "001_county_health_bureau.txt", "038_street_committee_status_at_end.txt",
         "015_round_summary_tongxi.txt", "026_notice_arrival_city.txt", "formats/seed.docx",
         "formats/corrupt.pdf", "082_split_title_county_natres_round_group_per_item_status_cut.txt")


def _readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Python API"):]
    return section[section.index("```python") + len("```python"):section.index("```\n", 10)]


def test_the_readme_notebook_example_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "通报"
    folder.mkdir()
    for name in ("000_14f26a7ea3be1e8c.txt", "001_county_health_bureau.txt"):
        shutil.copy(SAMPLES / name, folder / name)
    monkeypatch.chdir(tmp_path)
    scope: dict[str, object] = {}
    exec(compile(_readme_example(), "README.md", "exec"), scope)  # noqa: S102 - the documented example
    items = scope["items"]
    assert len(items) == 27 + 15 and str(items["item_index"].dtype) == "Int64"  # type: ignore[attr-defined]
    assert set(scope["open_items"]["status"]) <= {"in_progress", "partial", "unknown"}  # type: ignore[index]
    assert len(scope["summary"]) == 2  # type: ignore[arg-type]
    written = {p.name for p in (tmp_path / "结果").iterdir()}
    assert {"documents.csv", "items.csv", "summary.csv", "results.xlsx", "results.sqlite",
            "report.html"} <= written


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mixed") / "in"
    folder.mkdir()
    for name in MIXED:
        shutil.copy(SAMPLES / name, folder / Path(name).name)
    return folder


@pytest.fixture(scope="module")
def streamed(mixed: Path) -> Path:
    out = mixed.parent / "out"
    parse_folder(mixed, out=out, formats=("csv", "xlsx", "sqlite", "html", "jsonl"), as_of=AS_OF,
                 workers=2, cache=False)
    return out


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_frames_have_the_contract_dtypes_and_the_csv_values(mixed: Path, streamed: Path) -> None:
    run = parse_folder(mixed, as_of=AS_OF, workers=1)
    frames = run.frames()
    assert list(frames) == ["documents", "sections", "items", "measures", "checks", "errors"]
    docs = frames["documents"]
    assert str(docs["problems_declared"].dtype) == "Int64"
    assert str(docs["completion_rate"].dtype) == "Float64"
    assert str(frames["items"]["overdue"].dtype) == "boolean"
    assert str(docs["unit"].dtype) == "string"
    for name, frame in frames.items():
        rows = _csv(streamed / f"{name}.csv")
        assert list(frame.columns) == list(rows[0]) if rows else True
        assert len(frame) == len(rows), name
        as_text = frame.astype(object).where(frame.notna(), None)
        for got, want in zip(as_text.to_dict("records"), rows, strict=True):
            for column, value in want.items():
                shown = "" if got[column] is None else (
                    ("true" if got[column] else "false") if isinstance(got[column], bool)
                    else repr(got[column]) if isinstance(got[column], float) else str(got[column]))
                assert shown == value, (name, column)
    summary = run.analysis()["summary"]
    assert list(summary["doc_id"]) == [r["doc_id"] for r in _csv(streamed / "summary.csv")]


def test_one_figure_agrees_in_every_output(streamed: Path) -> None:
    """Problems extracted, completed, in progress and the computed completion rate of each unit:
    the same in documents.csv, summary.csv, results.xlsx, results.sqlite and report.html."""
    documents = {r["doc_id"]: r for r in _csv(streamed / "documents.csv")}
    summary = _csv(streamed / "summary.csv")
    units = [r for r in summary if r["doc_type"] == "bulletin"]
    assert len(units) >= 3
    seed = next(r for r in units if r["unit_key"] == "洛阳市委外事办")
    assert seed["problems_extracted"] == documents[seed["doc_id"]]["problems_extracted"] == "26"
    for row in units:
        assert row["problems_extracted"] == documents[row["doc_id"]]["problems_extracted"], row["unit_key"]
    figures = ("problems_extracted", "completed", "in_progress", "completion_rate_computed")

    def number(value: object) -> float | None:
        return None if value in (None, "") else float(value)  # type: ignore[arg-type]

    want = {r["doc_id"]: tuple(number(r[f]) for f in figures) for r in summary}

    book = load_workbook(streamed / "results.xlsx")
    sheet = book["summary"]
    head = [c.value for c in sheet[1]]
    got_xlsx = {}
    for values in sheet.iter_rows(min_row=2, values_only=True):
        row = dict(zip(head, values, strict=True))
        got_xlsx[row["doc_id"]] = tuple(number(row[f]) for f in figures)
    assert got_xlsx == want
    docs_sheet = book["documents"]
    head = [c.value for c in docs_sheet[1]]
    for values in docs_sheet.iter_rows(min_row=2, values_only=True):
        row = dict(zip(head, values, strict=True))
        assert str(row["problems_extracted"]) == documents[row["doc_id"]]["problems_extracted"]

    with sqlite3.connect(streamed / "results.sqlite") as conn:
        got_sql = {r[0]: tuple(number(v) for v in r[1:])
                   for r in conn.execute(f"SELECT doc_id, {', '.join(figures)} FROM summary")}
        per_doc = dict(conn.execute("SELECT doc_id, problems_extracted FROM documents"))
    assert got_sql == want
    assert {k: str(v) for k, v in per_doc.items()} == {k: d["problems_extracted"] for k, d in documents.items()}

    page = (streamed / "report.html").read_text(encoding="utf-8")
    table = page[page.index('id="summary-table"'):]
    table = table[:table.index("</table>")]
    for unit in units:
        label = unit["unit_key"]
        row = next(r for r in re.findall(r"<tr>(.*?)</tr>", table) if f">{label}<" in unescape(r))
        cells = [unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        # 单位, 类型, 期数, 截至, 通报问题数, 提取问题数, 已完成, 基本完成, 整改中, 通报完成率, 计算完成率 …
        assert cells[5] == unit["problems_extracted"] and cells[6] == unit["completed"]
        assert cells[8] == unit["in_progress"]
        rate = unit["completion_rate_computed"]
        assert cells[10] == (f"{float(rate):.1f}" if rate else "—")


def test_every_input_is_accounted_for_once(streamed: Path) -> None:
    names = [r["source_path"] for r in _csv(streamed / "documents.csv")] + \
        [r["source_path"] for r in _csv(streamed / "errors.csv")]
    assert sorted(names) == sorted(Path(n).name for n in MIXED)


def test_parse_file_gives_one_document() -> None:
    parsed = parse_file(SAMPLES / "000_14f26a7ea3be1e8c.txt", as_of=AS_OF)
    assert parsed.document.problems_extracted == 26 and len(parsed.items) == 27
    assert [i.item_no for i in parsed.items if not i.leaf] == ["13"]


def test_a_streamed_run_keeps_no_frames(mixed: Path, tmp_path: Path) -> None:
    run = parse_folder(mixed, out=tmp_path / "out", as_of=AS_OF, workers=1, cache=False)
    assert (tmp_path / "out" / "summary.csv").exists()
    assert not run.analysis()["summary"].empty
    with pytest.raises(RuntimeError, match="parse_folder"):
        run.frames()
