"""The analysis over the real sample bulletins, end to end through the CLI,
against hand-reviewed golden files.

On a deliberate change, regenerate with ``scripts/regen_analysis_golden.py``
and review ``git diff tests/golden/analysis`` row by row.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from regen_analysis_golden import (  # noqa: E402
    GOLDEN_DIR,
    GOLDEN_TABLES,
    INPUTS_FILE,
    golden_inputs,
    run_extract,
)

REGEN_HINT = ("analysis output changed: if intended, run scripts/regen_analysis_golden.py and "
              "review git diff tests/golden/analysis")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert INPUTS_FILE.exists(), "tests/golden/analysis/inputs.txt is missing: run scripts/regen_analysis_golden.py"
    inputs = golden_inputs()
    missing = [p for p in inputs if not (ROOT / p).is_file()]
    assert not missing, f"golden inputs missing from samples/: {missing}"
    return run_extract(tmp_path_factory.mktemp("golden") / "out", inputs)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


@pytest.mark.parametrize("table", GOLDEN_TABLES)
def test_matches_golden(run_dir: Path, table: str) -> None:
    got = _read(run_dir / f"{table}.csv")
    want = _read(GOLDEN_DIR / f"{table}.csv")
    assert _header(run_dir / f"{table}.csv") == _header(GOLDEN_DIR / f"{table}.csv"), REGEN_HINT
    for i, (g, w) in enumerate(zip(got, want, strict=False)):
        assert g == w, f"{table}.csv row {i + 1}: {REGEN_HINT}"
    assert len(got) == len(want), REGEN_HINT


def test_golden_invariants() -> None:
    """Facts a reader checked by hand, independent of the exact rows."""
    assert INPUTS_FILE.exists(), "tests/golden/analysis/inputs.txt is missing"
    assert len(golden_inputs()) >= 20
    summary = _read(GOLDEN_DIR / "summary.csv")
    bulletins = [r for r in summary if r["doc_type"] == "bulletin"]
    assert len(bulletins) >= 20
    assert len({r["unit_key"] for r in bulletins}) == len(bulletins)  # one row per unit
    for row in bulletins:
        parts = [int(row[k]) for k in ("completed", "partial", "in_progress", "unknown")]
        assert sum(parts) == int(row["problems_extracted"]), row["unit_key"]
    incomplete = _read(GOLDEN_DIR / "incomplete.csv")
    assert all(r["status"] != "completed" for r in incomplete)
    days = [int(r["days_overdue"]) if r["days_overdue"] else -1 for r in incomplete
            if r["superseded"] == "false"]
    assert days == sorted(days, reverse=True)  # most overdue first, undated last
    assert all((r["overdue"] == "true") == (r["days_overdue"] not in ("", "0"))
               for r in incomplete)
    themes = _read(GOLDEN_DIR / "themes.csv")
    assert themes[-1]["theme"] == "其他（未归类）"
