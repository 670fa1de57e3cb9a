"""Regenerate tests/golden/analysis/{summary,incomplete,themes}.csv — on purpose only.

    .venv/bin/python scripts/regen_analysis_golden.py

Runs ``zhenggai extract`` (the real CLI, as a subprocess) over the text
bulletins at the top of samples/ (``samples/*.txt``; the format twins in
samples/formats/ are copies of the seed for the readers' tests) with a fixed
``--as-of``, and copies the three analysis tables into tests/golden/analysis/.
Review the diff by hand (``git diff tests/golden/analysis``) before
committing: every changed row should be explained by the change you made.
tests/test_analysis_golden.py compares a fresh run against these files.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN_DIR = ROOT / "tests" / "golden" / "analysis"
GOLDEN_TABLES = ("summary", "incomplete", "themes")
#: Fixed reference date, so days_overdue does not move with the calendar.
GOLDEN_AS_OF = "2025-06-30"
WORKERS = "2"


def sample_inputs() -> list[Path]:
    """The bulletins the golden run reads, sorted."""
    return sorted(SAMPLES.glob("*.txt"))


def run_extract(out_dir: Path) -> Path:
    """``zhenggai extract samples/*.txt --out OUT --as-of …`` as a subprocess."""
    cmd = [
        sys.executable, "-m", "extract", "extract",
        *(str(p) for p in sample_inputs()),
        "--out", str(out_dir), "--as-of", GOLDEN_AS_OF, "--no-cache", "--quiet",
        "--workers", WORKERS,
    ]
    subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True)
    return out_dir


def main() -> int:
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="zhenggai-golden-") as tmp:
        out = run_extract(Path(tmp) / "out")
        for name in GOLDEN_TABLES:
            shutil.copyfile(out / f"{name}.csv", GOLDEN_DIR / f"{name}.csv")
            print(GOLDEN_DIR / f"{name}.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
