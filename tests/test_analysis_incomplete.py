"""incomplete: open items across units, days overdue, sort order, exclusions."""

from __future__ import annotations

from test_analysis_fixtures import AS_OF, DOCUMENTS, ITEMS, TRICKY_TITLE

from extract.analysis import INCOMPLETE_COLUMNS, incomplete


def _rows() -> list[dict]:
    columns, rows = incomplete(DOCUMENTS, ITEMS, AS_OF)
    assert columns == [c for c, _ in INCOMPLETE_COLUMNS]
    assert all(list(r) == columns for r in rows)
    return rows


def test_order_and_days_overdue() -> None:
    got = [(r["doc_id"], r["item_no"], r["superseded"], r["overdue"], r["days_overdue"])
           for r in _rows()]
    assert got == [
        ("b2", "1", False, True, 321),  # 2024-02 ends on the 29th (leap year)
        ("d1", "1", False, True, 46),  # 2024-11-30
        ("c1", "1", False, True, 15),  # 2024 ends Dec 31; 开封… sorts before 洛阳…
        ("a2", "3", False, True, 15),  # 2024-12 ends Dec 31
        ("a2", "(26)", False, False, 0),  # 2025-01: month not over
        ("u1", "1", False, False, None),  # no deadline: after dated ones; no unit first
        ("b2", "2", False, False, None),  # status unknown, but a leaf: listed
        ("a1", "2", True, True, 381),  # superseded by a2: after the current ones
        ("b1", "1", True, True, 199),
        ("a1", "3", True, False, None),
    ]


def test_exclusions() -> None:
    rows = _rows()
    assert not any(r["doc_id"] == "a2" and r["item_no"] == "13" for r in rows)  # parent, unknown
    assert not any(r["doc_id"] == "n1" for r in rows)  # not a bulletin
    assert not any(r["status"] == "completed" for r in rows)


def test_exact_row() -> None:
    row = next(r for r in _rows() if r["doc_id"] == "c1")
    assert row == {
        "unit_key": "开封市委统战部",
        "unit": "中共開封市委統戰部",
        "doc_id": "c1",
        "source_path": "c1.txt",
        "doc_as_of_date": "2024-03",
        "superseded": False,
        "section_no": "一",
        "section": "政治建设方面的问题",
        "item_no": "1",
        "parent_no": None,
        "title": TRICKY_TITLE,
        "status": "in_progress",
        "status_text": "持续整改中",
        "deadline_text": "2024前",
        "deadline": "2024",
        "overdue": True,
        "days_overdue": 15,
        "as_of": "2025-01-15",
        "page": 1,
        "first_reported": "2024-03",  # its unit's only bulletin: the month it reports for
        "days_open": 290,  # 2024-03-31 to 2025-01-15
    }


def test_sub_problem_keeps_parent_no() -> None:
    row = next(r for r in _rows() if r["item_no"] == "(26)")
    assert (row["parent_no"], row["unit_key"], row["unit"]) == ("13", "洛阳市委外事办", "洛阳市委外事办")
