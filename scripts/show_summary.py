#!/usr/bin/env python3
"""Print a short table of summary.csv from an output folder (the end of `make demo`).

    .venv/bin/python scripts/show_summary.py outputs/
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

#: Columns shown, with the Chinese headers users read.
COLUMNS = {
    "unit": "单位",
    "as_of_date": "截至",
    "problems_declared": "反馈问题",
    "problems_extracted": "列出问题",
    "in_progress": "整改中",
    "completion_rate_declared": "所述完成率",
    "completion_rate_computed": "计算完成率",
    "overdue_items": "逾期",
    "checks_error": "核查错误",
}
#: Longest unit name shown (characters).
UNIT_WIDTH = 18


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "outputs")
    path = out / "summary.csv"
    if not path.exists():
        print(f"{path} 不存在：请先运行 zhenggai extract", file=sys.stderr)
        return 1
    table = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    shown = table[[c for c in COLUMNS if c in table.columns]].rename(columns=COLUMNS)
    shown["单位"] = shown["单位"].str.slice(0, UNIT_WIDTH)
    with pd.option_context("display.max_rows", None, "display.width", 200,
                           "display.unicode.east_asian_width", True):
        print(shown.to_string(index=False))
    print(f"\n共 {len(table)} 个单位；完整结果见 {out}/（summary.csv、incomplete.csv、report.html …）")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
