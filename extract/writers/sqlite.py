"""results.sqlite: every table of a run, ready for SQL and Datasette, filled as the run goes.

* one table per output table (documents, items, …, summary, incomplete, themes,
  history; documents inserted when the run finishes, when ``duplicate_of`` is known),
  typed columns (TEXT / INTEGER / REAL; booleans as 0/1), NULL for a value the
  document does not state;
* indexes on ``doc_id``, ``unit`` and ``unit_key`` where a table has them;
* view ``incomplete_items``: items not completed, with their document; left
  out: items of not_bulletin documents, items that are not problems
  themselves (``leaf`` false: a heading over sub-problems) and items of a file that
  is a copy of another (``duplicate_of``: each bulletin once, and one row per item
  where files with the same bytes share a doc_id) — the same items as incomplete.csv;
* full-text search with FTS5 ``tokenize='trigram'`` (any Chinese substring of
  three or more characters is found): ``items_fts`` over item titles and
  ``measures_fts`` over measure texts, external-content tables declared the
  way Datasette recognises (its table pages then show a search box).

The database is built under a hidden name and renamed into place when the run
finishes. Browse it with ``datasette outputs/results.sqlite``. Example::

    SELECT i.unit, i.item_no, i.title FROM items_fts
    JOIN items i ON i.rowid = items_fts.rowid
    WHERE items_fts MATCH '"意识形态"';
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from extract.records import ErrorRow
from extract.results import DocumentRow, RunTables
from extract.writers.atomic import TEMP_PREFIX
from extract.writers.tables import (
    TABLE_ORDER,
    closing_rows,
    column_types,
    document_rows,
    known_columns,
    record_values,
)

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
  AND i.leaf = 1
  AND COALESCE(d.doc_type, '') <> 'not_bulletin'
  AND d.duplicate_of IS NULL
"""
#: Rows inserted per statement batch (one transaction for the whole run).
INSERT_BATCH = 500


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class _Table:
    """One table being filled: rows collected and inserted in batches."""

    def __init__(self, conn: sqlite3.Connection, name: str) -> None:
        self.conn = conn
        self.name = name
        self.columns = known_columns(name)
        types = column_types(name)
        self.bools = [i for i, c in enumerate(self.columns) if types.get(c, str) is bool]
        columns = ", ".join(f"{_quote(c)} {SQL_TYPES[types.get(c, str)]}" for c in self.columns)
        conn.execute(f"CREATE TABLE {_quote(name)} ({columns})")
        self.insert = (f"INSERT INTO {_quote(name)} VALUES ({', '.join('?' for _ in self.columns)})")
        self.pending: list[Sequence[Any]] = []

    def add(self, values: Sequence[Any]) -> None:
        if self.bools:
            values = list(values)
            for i in self.bools:
                if values[i] is not None:
                    values[i] = int(values[i])
        self.pending.append(values)
        if len(self.pending) >= INSERT_BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.conn.executemany(self.insert, self.pending)
            self.pending.clear()

    def index(self) -> None:
        self.flush()
        for column in INDEXED_COLUMNS:
            if column in self.columns:
                self.conn.execute(f"CREATE INDEX {_quote(f'idx_{self.name}_{column}')} "
                                  f"ON {_quote(self.name)} ({_quote(column)})")


class SqliteSink:
    """Fills ``out_dir/results.sqlite`` as the run goes (renamed into place on finish)."""

    needs_records = True
    needs_checks = False
    needs_analysis = True

    def __init__(self, out_dir: Path) -> None:
        self.path = Path(out_dir) / FILE_NAME
        self.tmp = self.path.with_name(f"{TEMP_PREFIX}{FILE_NAME}")
        self.tmp.unlink(missing_ok=True)
        self.conn = sqlite3.connect(self.tmp)
        self.conn.execute("BEGIN")
        self.tables = {name: _Table(self.conn, name) for name in TABLE_ORDER}

    def document(self, row: DocumentRow) -> None:
        for name, values in document_rows(row):
            self.tables[name].add(values)

    def error(self, row: ErrorRow) -> None:
        self.tables["errors"].add(record_values(row))

    def finish(self, tables: RunTables) -> list[Path]:
        for name, values in closing_rows(tables):
            self.tables[name].add(values)
        try:
            for table in self.tables.values():
                table.index()
            self._create_fts()
            self.conn.execute(INCOMPLETE_VIEW_SQL)
            self.conn.commit()
            self.conn.execute("VACUUM")
        finally:
            self.conn.close()
        self.tmp.replace(self.path)
        return [self.path]

    def _create_fts(self) -> None:
        for fts_name, (content, columns) in FTS_TABLES.items():
            cols = ", ".join(_quote(c) for c in columns)
            # content="items" in double quotes: the form Datasette's FTS detection matches.
            self.conn.execute(f"CREATE VIRTUAL TABLE {_quote(fts_name)} USING fts5({cols}, "
                              f'content="{content}", tokenize=\'trigram\')')
            self.conn.execute(f"INSERT INTO {_quote(fts_name)}({_quote(fts_name)}) VALUES ('rebuild')")

    def discard(self) -> None:
        """Drop the unfinished database; a previous results.sqlite stays."""
        try:
            self.conn.close()
        finally:
            self.tmp.unlink(missing_ok=True)
