#!/usr/bin/env python3
"""Regenerate tests/golden/samples/*.json from samples/ — on purpose only.

    .venv/bin/python scripts/regen_golden.py [SAMPLE ...]

Each golden JSON gets a human-readable twin, ``<sample>.items.tsv`` (no, parent,
status, deadline, title per item): review `git diff tests/golden` before
committing — a golden file is a promise about what users get from that sample.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from goldenlib import (  # noqa: E402
    SAMPLES,
    dumps,
    golden_path,
    golden_record,
    items_tsv,
    items_tsv_path,
    sample_files,
)


def main(argv: list[str]) -> int:
    targets = [Path(a).resolve() for a in argv] if argv else sample_files()
    for sample in targets:
        out = golden_path(sample)
        out.parent.mkdir(parents=True, exist_ok=True)
        record = golden_record(sample)
        for path, new in ((out, dumps(record)), (items_tsv_path(sample), items_tsv(record))):
            old = path.read_text(encoding="utf-8") if path.exists() else None
            if new != old:
                path.write_text(new, encoding="utf-8")
                print(("updated " if old else "created ") + str(path.relative_to(out.parents[len(
                    sample.relative_to(SAMPLES).parts) - 1])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
