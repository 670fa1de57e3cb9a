#!/usr/bin/env python3
"""Regenerate tests/golden/samples/*.json from samples/ — on purpose only.

    .venv/bin/python scripts/regen_golden.py [SAMPLE ...]

Review `git diff tests/golden` before committing: a golden file is a promise
about what users get from that sample.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from goldenlib import SAMPLES, dumps, golden_path, golden_record, sample_files  # noqa: E402


def main(argv: list[str]) -> int:
    targets = [Path(a).resolve() for a in argv] if argv else sample_files()
    for sample in targets:
        out = golden_path(sample)
        out.parent.mkdir(parents=True, exist_ok=True)
        new = dumps(golden_record(sample))
        old = out.read_text(encoding="utf-8") if out.exists() else None
        if new != old:
            out.write_text(new, encoding="utf-8")
            print(("updated " if old else "created ") + str(sample.relative_to(SAMPLES)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
