#!/usr/bin/env python3
"""Print zhenggai's accuracy over the annotated corpus; `--raise-floors` lifts the gate.

    .venv/bin/python scripts/score.py              # scores + every mistake
    .venv/bin/python scripts/score.py 081-120      # only samples 081…120 (a new batch's first pass)
    .venv/bin/python scripts/score.py --raise-floors   # floors := max(floor, score)

Floors only ever rise: a score below its floor fails tests/test_accuracy_gate.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from scoring import FLOORS, load_floors, score  # noqa: E402


def _names(args: list[str]) -> list[str] | None:
    """Sample-number prefixes from ``081-120`` ranges and ``085`` numbers."""
    names: list[str] = []
    for arg in args:
        first, _, last = arg.partition("-")
        names.extend(f"{n:03d}" for n in range(int(first), int(last or first) + 1))
    return names or None


def main() -> int:
    names = _names([a for a in sys.argv[1:] if not a.startswith("--")])
    if names and "--raise-floors" in sys.argv:
        print("--raise-floors needs the whole corpus", file=sys.stderr)
        return 2
    report = score(names)
    scores = report.scores()
    floors = load_floors()
    for key, value in sorted(scores.items()):
        floor = floors.get(key)
        flag = "" if floor is None or value >= floor else f"   < floor {floor}"
        print(f"{key:45s} {value:.4f}{flag}")
    print(f"\ndocument types: {report.type_table()}")
    print(f"document values right: {report.doc_values.agree}/{report.doc_values.total}")
    print(f"\n{len(report.mistakes)} mistakes:")
    for line in report.mistakes:
        print("  " + line)
    if "--raise-floors" in sys.argv:
        new = {k: max(v, floors.get(k, 0.0)) for k, v in scores.items()}
        FLOORS.write_text(json.dumps(new, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"floors written to {FLOORS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
