"""Golden outputs: what zhenggai extracts from every file in ``samples/``.

``tests/golden/<path in samples>.json`` holds the parsed document (fields,
sections, items, measures, checks — everything but the normalized text,
which is kept as its length and SHA-256) or the error row for a file that
cannot be read. They are regenerated only on purpose, with
``scripts/regen_golden.py``, and the diff reviewed before committing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import date
from pathlib import Path

from extract.errors import ReadError
from extract.pipeline import parse_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = ROOT / "tests" / "golden" / "samples"
#: The --as-of every golden output is computed against (fixed, so overdue flags don't drift).
AS_OF = date(2026, 11, 27)
#: Document fields decided by a run across files (extract/copies.py), never by one file's parse:
#: not part of a file's golden output.
RUN_FIELDS = ("duplicate_of", "duplicate_score")
#: Files in samples/ that are sources of generated samples or documentation, not inputs.
SKIP_SUFFIXES = (".md",)


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.suffix not in SKIP_SUFFIXES)


def golden_path(sample: Path) -> Path:
    return GOLDEN / (str(sample.relative_to(SAMPLES)) + ".json")


def items_tsv_path(sample: Path) -> Path:
    """The human-readable twin of a golden: one line per item, for review in a diff."""
    return GOLDEN / (str(sample.relative_to(SAMPLES)) + ".items.tsv")


#: Columns of the items TSV (what a reviewer checks at a glance).
TSV_COLUMNS = ("no", "parent", "status", "deadline", "title")


def items_tsv(record: dict) -> str:  # type: ignore[type-arg]
    """The items of a golden record as TSV: no, parent, status, deadline, title."""
    lines = ["\t".join(TSV_COLUMNS)]
    for item in record.get("items", []):
        values = (item["item_no"], item["parent_no"], item["status"], item["deadline"], item["title"])
        lines.append("\t".join("" if v is None else str(v).replace("\t", " ") for v in values))
    return "\n".join(lines) + "\n"


def golden_record(sample: Path) -> dict:  # type: ignore[type-arg]
    rel = str(sample.relative_to(SAMPLES))
    try:
        parsed = parse_file(sample, source_path=rel, as_of=AS_OF)
    except ReadError as exc:
        return {"source_path": rel, "error": exc.name}
    record = asdict(parsed)
    for name in RUN_FIELDS:
        record["document"].pop(name)
    record.pop("traditional")  # ranks copies of one bulletin; the text's hash covers the reading
    text = record.pop("text")
    record["text_length"] = len(text)
    record["text_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return record


def dumps(record: dict) -> str:  # type: ignore[type-arg]
    return json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
