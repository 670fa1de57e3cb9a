"""The worker warm-up (extract/warm.py): what the worker server prepares before forking.

Importing extract.warm freezes the garbage collector of the importing process, so
these tests import it only in a fresh interpreter, never in the test process.
"""

from __future__ import annotations

import json
import subprocess
import sys

from extract.executors import WORKER_PRELOAD

PROBE = """
import gc, json
from datetime import date
import extract.warm
from extract import normalize
from extract.patterns import PATTERNS, _CACHE
from extract.pipeline import parse_file
parsed = parse_file("warm-up.txt", as_of=date(2024, 12, 31),
                    data=extract.warm.WARM_UP_TEXT.encode())
print(json.dumps({
    "uncompiled": sorted(set(PATTERNS) - set(_CACHE)),
    "traditional_table": normalize._traditional_table.cache_info().currsize,
    "frozen": gc.get_freeze_count(),
    "document": [parsed.document.unit, parsed.document.inspection_kind,
                 parsed.document.problems_declared],
    "items": [[i.item_no, i.status, i.deadline] for i in parsed.items],
    "measures": [m.label for m in parsed.measures],
    "sections": len(parsed.sections),
}))
"""


def test_worker_server_preloads_the_warm_up() -> None:
    assert WORKER_PRELOAD[-1] == "extract.warm"


def test_warm_up_compiles_every_pattern_parses_every_stage_and_freezes_the_collector() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    assert probe["uncompiled"] == []
    assert probe["traditional_table"] == 1
    assert probe["frozen"] > 0
    # The warm-up text goes through fields, a category, items, deadlines and measures.
    assert probe["document"] == ["中共示例县教育局党组", "巡察", 2]
    assert probe["items"] == [["1", "completed", "2023-12"], ["2", "in_progress", "2024-12"]]
    assert probe["measures"] == ["一是", "二是", "一是"]
    assert probe["sections"] == 1
