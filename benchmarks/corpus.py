"""Benchmark corpora, built on the fly (never committed).

* :func:`seed_sized` — bulletins the size and shape of the seed (the real
  bulletin the project started from, ~9,000 characters, 26 problems with
  measures): its text with the unit (one unit a file), the inspection group and
  the dates varied, and most problems' titles and measures drawn from the other
  samples, so that files are as alike as different units' bulletins are (a
  shared skeleton, their own problems: no copy of one another, no cache hit).
  A drawn title is the start of one sample title joined to the end of another:
  real units word their problems their own way, and titles drawn whole (~600 of
  them for 2,000 files, 52,000 problems) let the analysis's per-title work
  (jieba, the themes) be done once for dozens of problems.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED_TEXT = REPO.parent / "shared" / "seeds" / "000_14f26a7ea3be1e8c.txt"
#: The seed's unit, as written in it (replaced by a varied unit in each copy).
SEED_UNIT = "中共洛阳市委外事工作委员会办公室"
SEED_SHORT = "市委外事办"
#: The seed's report date, as written in it (later in a unit's next bulletins).
SEED_REPORTED = "2024 年 4 月 20 日"
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


#: A problem's line: its number, then its title.
PROBLEM = re.compile(r"^(\d+[.．、]\s*)(\S.*)$")
#: A progress line: its label, then the measures.
PROGRESS = re.compile(r"^(整改(?:情况|进展|措施)[：:])(.+)$")
#: Share of the seed's problems whose title and measures are replaced by other samples'.
REPLACED_SHARE = 0.8
#: A replaced progress text is drawn until it is this share of the seed's as long: the
#: samples' are shorter, and appending until as long overshoots (files of ~10,300
#: characters at 1.0, ~9,600 at 0.8; ~9,300 at this share, the seed's size).
MEASURES_SHARE = 0.7


def own_title(rng: random.Random, titles: list[str]) -> str:
    """A problem title of one unit's own: the first part of a sample title, the rest of
    another (cut near their middles)."""
    head, tail = rng.choice(titles), rng.choice(titles)
    cut_head = max(1, len(head) // 2 + rng.randint(-2, 2))
    cut_tail = max(1, len(tail) // 2 + rng.randint(-2, 2))
    return head[:cut_head] + tail[cut_tail:]


def _pools() -> tuple[list[str], list[str]]:
    """Problem titles and progress texts of the annotated samples."""
    titles, progress = [], []
    for path in sorted((REPO / "samples").glob("[0-9]*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if m := PROBLEM.match(line):
                titles.append(m[2])
            elif m := PROGRESS.match(line):
                progress.append(m[2])
    return titles, progress


def seed_sized(folder: Path, n: int, own_problems: bool = True, per_unit: int = 1) -> list[Path]:
    """``n`` distinct seed-sized bulletins of ``n`` units in ``folder``; with
    ``own_problems=False`` every file keeps the seed's problems (the PDF corpus: the same
    layout in every file, so its page count is set by adding problems). With
    ``per_unit`` > 1, each unit publishes that many bulletins about its inspection (its
    name, inspection group and dates those of its first; each report half a year after
    the one before), so history follows problems across them."""
    rng = random.Random(SEED)
    lines = seed_text().splitlines()
    titles, progress = _pools()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    first: tuple[str, str, str, str] = ("", "", "", "")  # the unit's, from its first bulletin
    for i in range(n):
        unit_no, k = divmod(i, per_unit)
        place = rng.choice(PLACES)
        body, short = rng.choice(BODIES)
        unit = f"中共{place}第{unit_no + 1}{body}"  # one unit a file (per_unit 1)
        out, replace = [], False
        for line in lines:
            if m := PROBLEM.match(line):
                replace = own_problems and rng.random() < REPLACED_SHARE
                line = m[1] + own_title(rng, titles) if replace else line
            elif replace and (m := PROGRESS.match(line)):
                measures = rng.choice(progress)
                while len(measures) < MEASURES_SHARE * len(m[2]):  # about the seed's length
                    measures += rng.choice(progress)
                line = m[1] + measures
            out.append(line)
        group = f"第{NUMERALS[rng.randrange(10)]}巡察组"
        start = f"2023年{rng.randint(3, 7)}月{rng.randint(1, 28)}日"
        if k == 0:
            first = (unit, short, group, start)
        unit, short, group, start = first
        text = ("\n".join(out).replace(SEED_UNIT, unit).replace(SEED_SHORT, short)
                .replace("第七巡察组", group).replace("2023年7月17日", start))
        if k:
            months = 4 + 6 * k
            text = text.replace(SEED_REPORTED,
                                f"{2024 + (months - 1) // 12} 年 {(months - 1) % 12 + 1} 月 20 日")
        path = folder / f"{i:05d}.txt"
        path.write_text(f"{text}\n（编号：{i:05d}）\n", encoding="utf-8")
        paths.append(path)
    return paths
