"""Regenerate tests/golden/analysis/{summary,incomplete,themes,history}.csv — on purpose only.

    .venv/bin/python scripts/regen_analysis_golden.py

Runs ``zhenggai extract`` (the real CLI, as a subprocess) over the text
bulletins at the top of samples/ (``samples/*.txt``; the format twins in
samples/formats/ are copies of the seed for the readers' tests) with a fixed
``--as-of``, and copies the three analysis tables into tests/golden/analysis/,
with ``inputs.txt`` naming the sample files used.

The run uses the **committed** state (``git archive HEAD``: code and
samples), so work in progress in the tree — yours or a colleague's — does
not leak into the golden files: commit first, then regenerate. Review the
diff by hand (``git diff tests/golden/analysis``) before committing: every
changed row should be explained by the change you made.
tests/test_analysis_golden.py runs the working tree over the same inputs and
compares.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DIR = ROOT / "tests" / "golden" / "analysis"
GOLDEN_TABLES = ("summary", "incomplete", "themes", "history")
INPUTS_FILE = GOLDEN_DIR / "inputs.txt"
#: Fixed reference date, so days_overdue does not move with the calendar.
GOLDEN_AS_OF = "2026-06-30"
WORKERS = "2"


def golden_inputs() -> list[str]:
    """Sample files (relative to the repository) the golden files were made from."""
    lines = INPUTS_FILE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def run_extract(out_dir: Path, inputs: list[str], root: Path = ROOT) -> Path:
    """``python -m extract extract INPUTS --out OUT --as-of …`` run in ``root``."""
    cmd = [
        sys.executable, "-m", "extract", "extract", *inputs,
        "--out", str(out_dir), "--as-of", GOLDEN_AS_OF, "--no-cache", "--quiet",
        "--workers", WORKERS,
    ]
    subprocess.run(cmd, check=True, cwd=root, capture_output=True)
    return out_dir


def export_head(target: Path) -> Path:
    """The committed tree (HEAD) unpacked into ``target``."""
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def main() -> int:
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="zhenggai-golden-") as tmp:
        head = export_head(Path(tmp) / "head")
        inputs = sorted(p.relative_to(head).as_posix() for p in (head / "samples").glob("*.txt"))
        out = run_extract(Path(tmp) / "out", inputs, root=head)
        for name in GOLDEN_TABLES:
            shutil.copyfile(out / f"{name}.csv", GOLDEN_DIR / f"{name}.csv")
            print(GOLDEN_DIR / f"{name}.csv")
    INPUTS_FILE.write_text(
        "# Inputs of the golden analysis run (scripts/regen_analysis_golden.py).\n"
        + "".join(f"{p}\n" for p in inputs),
        encoding="utf-8",
    )
    print(INPUTS_FILE, f"({len(inputs)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
