"""Output writers, one module per format.

* ``csv``    – the contract tables, streamed, UTF-8 with BOM, atomic rename (always written);
* ``jsonl``  – documents.jsonl, one nested record per document, streamed, atomic;
* ``xlsx``, ``sqlite``, ``html`` – read the CSV files already in the output
  folder and write results.xlsx / results.sqlite / report.html
  (each ``write(out_dir, **options) -> Path``).
"""

from __future__ import annotations

#: Output formats accepted by ``--format``; csv is always written.
FORMATS = ("csv", "xlsx", "sqlite", "jsonl", "html")
