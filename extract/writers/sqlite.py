"""results.sqlite: every CSV table of the output folder, ready for SQL and Datasette.

* one table per CSV (documents, items, …, summary, incomplete, themes), typed
  columns (TEXT / INTEGER / REAL; booleans as 0/1), NULL for empty cells;
* indexes on ``doc_id``, ``unit`` and ``unit_key`` where a table has them;
* view ``incomplete_items``: items not completed, with their document;
  left out: items of not_bulletin documents and parents of status unknown
  whose sub-problems are listed (the same items as incomplete.csv);
* full-text search with FTS5 ``tokenize='trigram'`` (any Chinese substring of
  three or more characters is found): ``items_fts`` over item titles and
  ``measures_fts`` over measure texts, external-content tables declared the
  way Datasette recognises (its table pages then show a search box).

Browse it with ``datasette outputs/results.sqlite``. Example::

    SELECT i.unit, i.item_no, i.title FROM items_fts
    JOIN items i ON i.rowid = items_fts.rowid
    WHERE items_fts MATCH '"意识形态"';
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from extract.writers.tables import Table, read_tables

FILE_NAME = "results.sqlite"
SQL_TYPES = {bool: "INTEGER", int: "INTEGER", float: "REAL", str: "TEXT"}
#: Columns indexed wherever a table has them.
INDEXED_COLUMNS = ("doc_id", "unit", "unit_key")
#: Full-text tables: name → (content table, indexed text columns).
FTS_TABLES = {
    "items_fts": ("items", ("title",)),
    "measures_fts": ("measures", ("text",)),
}
INCOMPLETE_VIEW = "incomplete_items"
INCOMPLETE_VIEW_SQL = f"""
CREATE VIEW {INCOMPLETE_VIEW} AS
SELECT i.*, d.source_path, d.as_of_date AS doc_as_of_date
FROM items AS i
LEFT JOIN documents AS d ON d.doc_id = i.doc_id
WHERE i.status <> 'completed'
  AND COALESCE(d.doc_type, '') <> 'not_bulletin'
  AND NOT (
    i.status = 'unknown'
    AND EXISTS (SELECT 1 FROM items AS c WHERE c.doc_id = i.doc_id AND c.parent_no = i.item_no)
  )
"""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _create_table(conn: sqlite3.Connection, table: Table) -> None:
    columns = ", ".join(f"{_quote(c)} {SQL_TYPES[table.types[c]]}" for c in table.columns)
    conn.execute(f"CREATE TABLE {_quote(table.name)} ({columns})")
    placeholders = ", ".join("?" for _ in table.columns)
    bool_columns = [i for i, c in enumerate(table.columns) if table.types[c] is bool]
    rows = table.tuples()
    if bool_columns:
        rows = [
            tuple(int(v) if i in bool_columns and v is not None else v for i, v in enumerate(row))
            for row in rows
        ]
    conn.executemany(f"INSERT INTO {_quote(table.name)} VALUES ({placeholders})", rows)
    for column in INDEXED_COLUMNS:
        if column in table.columns:
            conn.execute(
                f"CREATE INDEX {_quote(f'idx_{table.name}_{column}')} "
                f"ON {_quote(table.name)} ({_quote(column)})"
            )


def _create_fts(conn: sqlite3.Connection, tables: dict[str, Table]) -> None:
    for fts_name, (content, columns) in FTS_TABLES.items():
        table = tables.get(content)
        if table is None or not all(c in table.columns for c in columns):
            continue
        cols = ", ".join(_quote(c) for c in columns)
        # content="items" in double quotes: the form Datasette's FTS detection matches.
        conn.execute(
            f"CREATE VIRTUAL TABLE {_quote(fts_name)} USING fts5({cols}, "
            f'content="{content}", tokenize=\'trigram\')'
        )
        conn.execute(f"INSERT INTO {_quote(fts_name)}({_quote(fts_name)}) VALUES ('rebuild')")


def write(out_dir: Path) -> Path:
    """Write ``out_dir/results.sqlite`` from the CSV tables in ``out_dir`` (replacing it)."""
    out_dir = Path(out_dir)
    tables = read_tables(out_dir)
    path = out_dir / FILE_NAME
    tmp = path.with_name(f".tmp-{FILE_NAME}")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    try:
        with conn:
            for table in tables.values():
                _create_table(conn, table)
            _create_fts(conn, tables)
            if "items" in tables and "documents" in tables:
                conn.execute(INCOMPLETE_VIEW_SQL)
        conn.execute("VACUUM")
    finally:
        conn.close()
    tmp.replace(path)
    return path
