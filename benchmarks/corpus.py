"""Benchmark corpora, built on the fly (never committed).

* :func:`seed_sized` — bulletins the size and shape of the seed (the real
  bulletin the project started from, ~9,000 characters, 26 problems with
  measures): its text with the unit, the inspection group and the dates varied,
  and a serial line, so every file is distinct (no duplicate, no cache hit).
"""

from __future__ import annotations

import random
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED_TEXT = REPO.parent / "shared" / "seeds" / "000_14f26a7ea3be1e8c.txt"
#: The seed's unit, as written in it (replaced by a varied unit in each copy).
SEED_UNIT = "中共洛阳市委外事工作委员会办公室"
SEED_SHORT = "市委外事办"
PLACES = ["洛阳市", "开封市", "南阳市", "信阳市", "安阳市", "新乡市", "许昌市", "周口市"]
BODIES = [("委统战部", "统战部"), ("委政法委", "政法委"), ("财政局党组", "财政局"),
          ("教育局党组", "教育局"), ("卫生健康委党组", "卫健委"), ("交通运输局党组", "交通局"),
          ("农业农村局党组", "农业农村局"), ("市场监管局党组", "市场监管局")]
NUMERALS = "一二三四五六七八九十"
#: Fixed seed: every run benchmarks the same files.
SEED = 20261130


def seed_text() -> str:
    """The seed bulletin (from ../shared/seeds, or the copy in samples/)."""
    if SEED_TEXT.exists():
        return SEED_TEXT.read_text(encoding="utf-8")
    return next((REPO / "samples").glob("000_*.txt")).read_text(encoding="utf-8")


def seed_sized(folder: Path, n: int) -> list[Path]:
    """``n`` distinct seed-sized bulletins in ``folder``."""
    rng = random.Random(SEED)
    base = seed_text()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        place = rng.choice(PLACES)
        body, short = rng.choice(BODIES)
        unit = f"中共{place}{body}"
        text = (base.replace(SEED_UNIT, unit).replace(SEED_SHORT, short)
                .replace("第七巡察组", f"第{NUMERALS[rng.randrange(10)]}巡察组")
                .replace("2023年7月17日", f"2023年{rng.randint(3, 7)}月{rng.randint(1, 28)}日"))
        path = folder / f"{i:05d}.txt"
        path.write_text(f"{text}\n（编号：{i:05d}）\n", encoding="utf-8")
        paths.append(path)
    return paths
