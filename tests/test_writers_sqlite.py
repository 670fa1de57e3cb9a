"""results.sqlite, written by the run's sqlite sink, matches the CSV tables of the same run;
FTS trigram and the view work."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from test_analysis_fixtures import fixture_run, write_output_dir

from extract.writers import sqlite as sqlite_writer
from extract.writers.tables import read_tables


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, sqlite3.Connection]:
    out = write_output_dir(tmp_path_factory.mktemp("run"), formats=("sqlite",))
    path = out / "results.sqlite"
    assert path.exists() and not list(out.glob(".tmp-*"))
    conn = sqlite3.connect(path)
    yield out, conn
    conn.close()


def test_tables_match_csv(db: tuple[Path, sqlite3.Connection]) -> None:
    out, conn = db
    for name, table in read_tables(out).items():
        cursor = conn.execute(f'SELECT * FROM "{name}" ORDER BY rowid')
        assert [d[0] for d in cursor.description] == table.columns
        expected = [tuple(int(v) if isinstance(v, bool) else v for v in (r[c] for c in table.columns))
                    for r in table.rows()]
        assert cursor.fetchall() == expected, name


def test_column_types_and_indexes(db: tuple[Path, sqlite3.Connection]) -> None:
    _, conn = db
    types = {row[1]: row[2] for row in conn.execute("PRAGMA table_info(items)")}
    assert (types["item_no"], types["item_index"], types["overdue"]) == ("TEXT", "INTEGER", "INTEGER")
    summary_types = {row[1]: row[2] for row in conn.execute("PRAGMA table_info(summary)")}
    assert summary_types["completion_rate_declared"] == "REAL"
    assert summary_types["bulletins"] == "INTEGER"
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    for expected in ("idx_items_doc_id", "idx_items_unit", "idx_summary_unit_key",
                     "idx_summary_unit", "idx_incomplete_doc_id", "idx_checks_doc_id"):
        assert expected in indexes
    plan = " ".join(str(r) for r in conn.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM items WHERE doc_id = 'a2'"))
    assert "idx_items_doc_id" in plan


def test_fts_trigram_finds_chinese_substrings(db: tuple[Path, sqlite3.Connection]) -> None:
    _, conn = db
    hits = conn.execute(
        "SELECT i.doc_id, i.item_no FROM items_fts JOIN items i ON i.rowid = items_fts.rowid "
        "WHERE items_fts MATCH ? ORDER BY i.doc_id, i.item_index", ['"八项规定"']).fetchall()
    assert hits == [("b2", "2")]
    hits = conn.execute(
        "SELECT m.doc_id, m.measure_no FROM measures_fts JOIN measures m "
        "ON m.rowid = measures_fts.rowid WHERE measures_fts MATCH ? ORDER BY 1, 2",
        ['"三重一大"']).fetchall()
    assert hits == [("c1", 1)]
    assert conn.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH '\"第一议题\"'"
                        ).fetchone()[0] == 2  # a1 and a2
    # The Datasette-detectable declaration.
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name='items_fts'").fetchone()[0]
    assert 'content="items"' in sql and "trigram" in sql


def test_incomplete_items_view(db: tuple[Path, sqlite3.Connection]) -> None:
    out, conn = db
    rows = conn.execute(
        "SELECT doc_id, item_no, source_path FROM incomplete_items ORDER BY doc_id, item_index"
    ).fetchall()
    # Same items as incomplete.csv (which sorts differently).
    expected = sorted((r["doc_id"], r["item_no"], r["source_path"])
                      for r in read_tables(out)["incomplete"].rows())
    assert sorted(rows) == expected
    assert ("a2", "13", "a2.txt") not in rows  # parent of (26), (27), status unknown


def test_rewrite_replaces_the_file(tmp_path: Path) -> None:
    out = write_output_dir(tmp_path, formats=("sqlite",))
    write_output_dir(tmp_path, formats=("sqlite",))
    with sqlite3.connect(out / "results.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 10


def test_an_interrupted_database_leaves_the_previous_one(tmp_path: Path) -> None:
    write_output_dir(tmp_path, formats=("sqlite",))
    before = (tmp_path / "results.sqlite").read_bytes()
    memory, _ = fixture_run()
    sink = sqlite_writer.SqliteSink(tmp_path)
    memory.replay([sink])
    sink.discard()
    assert (tmp_path / "results.sqlite").read_bytes() == before
    assert not list(tmp_path.glob(".tmp-*"))
