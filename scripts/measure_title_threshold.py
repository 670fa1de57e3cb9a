#!/usr/bin/env python3
"""Measure the title similarity that tells one problem from another across bulletins.

    PYTHONPATH=. .venv/bin/python scripts/measure_title_threshold.py

Pairs of problem titles, each from the hand annotations (tests/annotations/):

* the same problem in two bulletins of a unit: every pair of appearances of one
  problem_key in the hand-written tests/golden/history/history.csv (reworded,
  shortened, renumbered titles included);
* two different problems: every other pair of problems of one unit's sequence, and
  every pair of different problems listed in one bulletin, over all annotated texts
  (the hardest case a unit's next bulletin can bring: a problem of the same unit).

For the scorer extract.history uses (rapidfuzz's token-set ratio over jieba tokens
without TITLE_STOPWORDS) and a few others, it prints the lowest score of a same-problem
pair, the highest of a different-problem pair and their percentiles, and whether
TITLE_MATCH_MIN separates them.
"""

from __future__ import annotations

import csv
import itertools
import json
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.history import TITLE_MATCH_MIN, title_similarity, title_tokens  # noqa: E402
from extract.themes import tokenize  # noqa: E402

ANNOTATIONS = ROOT / "tests" / "annotations"
HISTORY_GOLDEN = ROOT / "tests" / "golden" / "history" / "history.csv"


def titles() -> dict[tuple[str, str], str]:
    """(sample file name, item number) → the annotated title."""
    out = {}
    for path in sorted(ANNOTATIONS.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        for item in record["items"]:
            label = f"{item['parent_no'] or ''}{item['item_no']}"
            out[(record["sample"], label)] = item["title"]
    return out


def pairs() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    by_title = titles()
    problems: dict[str, list[str]] = defaultdict(list)
    units: dict[str, set[str]] = defaultdict(set)
    with HISTORY_GOLDEN.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            problems[row["problem_key"]].append(by_title[(row["source_path"], row["item_no"])])
            units[f"{row['unit_key']}·{row['inspection']}"].add(row["problem_key"])
    same = [(a, b) for ts in problems.values() for a, b in itertools.combinations(ts, 2)]
    different = [(a, b) for keys in units.values() for k1, k2 in itertools.combinations(sorted(keys), 2)
                 for a in problems[k1] for b in problems[k2]]
    for path in sorted(ANNOTATIONS.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        listed = [i["title"] for i in record["items"] if i["title"]]
        different.extend((a, b) for a, b in itertools.combinations(listed, 2) if a != b)
    return same, different


def _plain(t: str) -> str:
    return " ".join(tokenize(t))


def scorers() -> dict[str, Callable[[str, str], float]]:
    from rapidfuzz import fuzz

    return {
        "token_set, stopwords out (used)": title_similarity,
        "token_sort, stopwords out": lambda a, b: fuzz.token_sort_ratio(title_tokens(a), title_tokens(b)),
        "token_set, all tokens": lambda a, b: fuzz.token_set_ratio(_plain(a), _plain(b)),
        "ratio on characters": lambda a, b: fuzz.ratio(a, b),
    }


def main() -> int:
    same, different = pairs()
    print(f"same-problem pairs: {len(same)}; different-problem pairs: {len(different)}")
    for name, score in scorers().items():
        s = sorted(score(a, b) for a, b in same)
        d = sorted(score(a, b) for a, b in different)
        print(f"{name:34s} same: min {s[0]:5.1f}, 5th pct {s[len(s) // 20]:5.1f} | different: "
              f"max {d[-1]:5.1f}, 99.9th pct {d[int(len(d) * 0.999)]:5.1f}, "
              f"99th pct {d[int(len(d) * 0.99)]:5.1f}")
    s = sorted((title_similarity(a, b), a, b) for a, b in same)
    d = sorted((title_similarity(a, b), a, b) for a, b in different)
    print(f"\nTITLE_MATCH_MIN = {TITLE_MATCH_MIN}: same problems below it: "
          f"{sum(x < TITLE_MATCH_MIN for x, _, _ in s)}; different problems at or above it: "
          f"{sum(x >= TITLE_MATCH_MIN for x, _, _ in d)}")
    print("lowest same-problem pairs:")
    for x, a, b in s[:3]:
        print(f"  {x:5.1f}  {a} | {b}")
    print("highest different-problem pairs:")
    for x, a, b in d[-3:]:
        print(f"  {x:5.1f}  {a} | {b}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
