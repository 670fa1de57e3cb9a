"""Every output conforms to schemas/: the committed schemas equal the record types,
and a real run's CSV rows and JSONL records validate against them."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from make_schemas import all_schemas, render  # noqa: E402

from extract.writers.tables import column_types  # noqa: E402

SCHEMAS = ROOT / "schemas"
TEXT_SAMPLES = ["000_14f26a7ea3be1e8c.txt", "005_city_hospital.txt", "015_round_summary_tongxi.txt",
                "024_table_lines_shimen.txt", "029_news_feedback_meeting_city.txt",
                # two bulletins of one unit (history.csv) and a re-post of the second (a copy)
                "150_county_water_bureau_series_first.txt", "151_county_water_bureau_series_second.txt",
                "162_water_bureau_second_reposted_discipline_site.txt"]


def test_committed_schemas_are_current():
    for name, schema in all_schemas().items():
        path = SCHEMAS / name
        assert path.exists(), f"schemas/{name} missing: run scripts/make_schemas.py"
        assert path.read_text(encoding="utf-8") == render(schema), f"schemas/{name} is stale"


def test_schemas_are_valid_json_schema():
    for path in SCHEMAS.glob("*.schema.json"):
        jsonschema.Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("schema_run")
    inputs = tmp_path_factory.mktemp("inputs")
    for name in TEXT_SAMPLES:
        (inputs / name).write_bytes((ROOT / "samples" / name).read_bytes())
    (inputs / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    subprocess.run([sys.executable, "-m", "extract", "extract", str(inputs), "--out", str(out),
                    "--as-of", "2026-11-27", "--format", "csv,jsonl", "--workers", "1", "--quiet"],
                   check=True, cwd=ROOT)
    return out


def _typed(table: str, row: dict[str, str]) -> dict[str, object]:
    types = column_types(table)
    out: dict[str, object] = {}
    for key, cell in row.items():
        kind = types.get(key, str)
        if cell == "":
            out[key] = None
        elif kind is bool:
            assert cell in ("true", "false"), (table, key, cell)
            out[key] = cell == "true"
        elif kind is int:
            out[key] = int(cell)
        elif kind is float:
            out[key] = float(cell)
        else:
            out[key] = cell
    return out


@pytest.mark.parametrize("table", ["documents", "sections", "items", "measures", "checks", "errors",
                                   "summary", "incomplete", "themes", "history"])
def test_csv_rows_validate(run_dir, table):
    schema = json.loads((SCHEMAS / f"{table}.schema.json").read_text(encoding="utf-8"))
    raw = (run_dir / f"{table}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM"
    with open(run_dir / f"{table}.csv", encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == schema["x-columns"]
        rows = list(reader)
    validator = jsonschema.Draft202012Validator(schema)
    for row in rows:
        validator.validate(_typed(table, row))
    if table in ("documents", "items", "measures", "errors", "history"):
        assert rows, f"{table}.csv should not be empty for this run"


def test_jsonl_records_validate(run_dir):
    schema = json.loads((SCHEMAS / "document.schema.json").read_text(encoding="utf-8"))
    lines = (run_dir / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(TEXT_SAMPLES)
    validator = jsonschema.Draft202012Validator(schema)
    for line in lines:
        record = json.loads(line)
        validator.validate(record)
        text = record["text"]
        for item in record["items"]:
            assert text[item["char_start"]:item["char_end"]] == item["title"]
