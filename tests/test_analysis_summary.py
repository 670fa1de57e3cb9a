"""summary: one row per unit, latest bulletin, trend, leaf counts, audit counts."""

from __future__ import annotations

from test_analysis_fixtures import AS_OF, CHECKS, DOCUMENTS, ITEMS

from extract.analysis import SUMMARY_COLUMNS, summary


def _rows() -> list[dict]:
    columns, rows = summary(DOCUMENTS, ITEMS, CHECKS, AS_OF)
    assert columns == [c for c, _ in SUMMARY_COLUMNS]
    assert all(list(r) == columns for r in rows)
    return rows


def test_one_row_per_unit_in_lagging_first_order() -> None:
    rows = _rows()
    assert [(r["doc_type"], r["unit_key"], r["doc_id"]) for r in rows] == [
        ("bulletin", None, "u1"),  # 0.0, no unit: its own row
        ("bulletin", "洛阳市委统战部", "d1"),  # 0.0
        ("bulletin", "宁川县卫健局", "b2"),  # 33.3 computed
        ("bulletin", "开封市委统战部", "c1"),  # 50.0
        ("bulletin", "洛阳市委外事办", "a2"),  # 94.6 declared
        ("bulletin", "市委统战部", "e1"),  # 100.0
        ("round_summary", "桐溪区委", "r1"),  # round summaries after bulletins
    ]


def test_unit_with_two_bulletins_exact_row() -> None:
    row = next(r for r in _rows() if r["unit_key"] == "洛阳市委外事办")
    assert row == {
        "unit_key": "洛阳市委外事办",
        "unit": "洛阳市委外事办",
        "unit_forms": "洛阳市委外事办；中共洛阳市委外事工作委员会办公室",
        "doc_type": "bulletin",
        "bulletins": 2,
        "files": 2,
        "doc_id": "a2",
        "source_path": "a2.txt",
        "title": "洛阳市委外事办关于巡察整改进展情况的通报",
        "inspection_kind": None,
        "inspector": None,
        "feedback_date": None,
        "as_of_date": "2024-04-20",
        "publish_date": None,
        "problems_declared": 5,
        "problems_extracted": 5,  # item 13 has sub-problems (26), (27): not counted
        "problems_completed_declared": 4,
        "problems_in_progress_declared": 1,
        "completed": 3,
        "partial": 0,
        "in_progress": 2,
        "unknown": 0,
        "completion_rate_declared": 94.6,
        "completion_rate_computed": 60.0,
        "overdue_items": 1,  # item 3 (2024-12); (26) is due 2025-01
        "checks_error": 1,  # a1's error is not the latest bulletin's
        "checks_warning": 1,
        "checks_info": 0,
        "earlier_doc_ids": "a1",
        "earlier_as_of_dates": "2024-01-31",
        "completion_rate_trend": "60.0 → 94.6",
        "completion_rate_change": 34.6,
        "trend": "improving",
    }


def test_latest_by_publish_date_when_as_of_ties_and_computed_trend() -> None:
    row = next(r for r in _rows() if r["unit_key"] == "宁川县卫健局")
    assert (row["doc_id"], row["unit"], row["unit_forms"], row["bulletins"]) == (
        "b2", "县卫健局", "县卫健局；中共宁川县卫生健康局党组", 2)
    assert (row["problems_extracted"], row["completed"], row["partial"], row["unknown"]) == (
        3, 1, 1, 1)
    assert row["completion_rate_declared"] is None
    assert row["completion_rate_computed"] == 33.3
    assert (row["completion_rate_trend"], row["completion_rate_change"], row["trend"]) == (
        "0.0 → 33.3", 33.3, "improving")
    assert (row["overdue_items"], row["checks_info"]) == (1, 1)


def test_single_bulletin_has_no_trend_and_round_summary_row() -> None:
    rows = {r["doc_id"]: r for r in _rows()}
    assert rows["c1"]["earlier_doc_ids"] is None
    assert rows["c1"]["completion_rate_trend"] is None
    assert rows["c1"]["trend"] is None
    r1 = rows["r1"]
    assert (r1["doc_type"], r1["unit"], r1["problems_declared"], r1["problems_extracted"]) == (
        "round_summary", "中共桐溪区委", 312, 0)
    assert r1["completion_rate_declared"] == 97.76
    assert r1["completion_rate_computed"] is None
    assert "n1" not in rows  # not_bulletin documents make no row


def test_declining_trend() -> None:
    from dataclasses import replace

    docs = [replace(d, completion_rate=99.0) if d.doc_id == "a1" else d for d in DOCUMENTS]
    row = next(r for r in summary(docs, ITEMS, CHECKS, AS_OF)[1] if r["doc_id"] == "a2")
    assert (row["completion_rate_trend"], row["completion_rate_change"], row["trend"]) == (
        "99.0 → 94.6", -4.4, "declining")


def test_copies_of_one_bulletin_count_once() -> None:
    """The same bulletin as .txt and .pdf: one bulletin, two files, its items once."""
    from dataclasses import replace

    from extract.analysis import incomplete

    copy = replace(next(d for d in DOCUMENTS if d.doc_id == "a2"), doc_id="a2pdf",
                   source_path="a2.pdf", source_format="pdf", unit="中共洛阳市委外事工作委员会办公室")
    copy_items = [replace(it, doc_id="a2pdf") for it in ITEMS if it.doc_id == "a2"][:3]
    docs, items = [*DOCUMENTS, copy], [*ITEMS, *copy_items]
    row = next(r for r in summary(docs, items, CHECKS, AS_OF)[1] if r["unit_key"] == "洛阳市委外事办")
    assert (row["doc_id"], row["bulletins"], row["files"], row["completion_rate_trend"]) == (
        "a2", 2, 3, "60.0 → 94.6")
    assert row["unit_forms"] == "洛阳市委外事办；中共洛阳市委外事工作委员会办公室"
    open_rows = incomplete(docs, items, AS_OF)[1]
    assert not any(r["doc_id"] == "a2pdf" for r in open_rows)


def test_build_tables_rows_are_json_able_and_typed() -> None:
    import json

    from extract.analysis import TABLE_COLUMNS, build_tables

    tables = build_tables(DOCUMENTS, ITEMS, CHECKS, AS_OF)
    assert list(tables) == ["summary", "incomplete", "themes", "history"]
    for name, (columns, rows) in tables.items():
        json.dumps(rows, ensure_ascii=False)
        types = dict(TABLE_COLUMNS[name])
        assert columns == list(types)
        for row in rows:
            for column, value in row.items():
                assert value is None or type(value) is types[column], (name, column, value)


def test_copies_agree_loosely_on_dates_but_not_on_figures() -> None:
    from dataclasses import replace

    from extract.units import same_bulletin

    txt = next(d for d in DOCUMENTS if d.doc_id == "a2")
    html_copy = replace(txt, doc_id="h", source_format="html", publish_date="2024-05-10")
    ocr_copy = replace(txt, doc_id="o", feedback_date="2023-11", source_format="image")
    txt = replace(txt, feedback_date="2023-11-03")
    assert same_bulletin(txt, html_copy) and same_bulletin(txt, ocr_copy)
    assert not same_bulletin(txt, replace(txt, doc_id="x", as_of_date="2024-06-30"))
    assert not same_bulletin(txt, replace(txt, doc_id="x", as_of_date=None))
    assert not same_bulletin(txt, replace(txt, doc_id="x", completion_rate=96.0))
    assert not same_bulletin(txt, replace(txt, doc_id="x", feedback_date="2023-12-01"))
    docs = [*DOCUMENTS, html_copy, ocr_copy]
    row = next(r for r in summary(docs, ITEMS, CHECKS, AS_OF)[1] if r["unit_key"] == "洛阳市委外事办")
    assert (row["doc_id"], row["bulletins"], row["files"]) == ("a2", 2, 4)
