"""Warm-up for worker processes: importing this module prepares everything a parse
builds on first use, once, in the process that forks the workers.

The first bulletin a fresh process parses costs ~360 ms (every named pattern
compiled, OpenCC loaded, the table of Traditional characters built); the next
ones ~4 ms. Local workers are forked from a server process that imports this
module (:data:`extract.executors.WORKER_PRELOAD`), so each worker — including
every replacement after ``max_tasks_per_child`` files — starts with that work
done and shared copy-on-write. Importing it also freezes the garbage collector's
view of everything loaded so far (:func:`gc.freeze`): import it only in worker
processes.
"""

from __future__ import annotations

import gc
import logging
from datetime import date

from extract.copies import fingerprint
from extract.patterns import PATTERNS, P
from extract.pipeline import parse_file

#: A small bulletin that goes through every stage (fields, a category, items with
#: statuses, deadlines and measures, checks). Its content is never output.
WARM_UP_TEXT = """中共示例县教育局党组关于巡察整改进展情况的通报
根据县委统一部署，2023年4月10日至6月9日，县委第一巡察组对中共示例县教育局党组开展了常规巡察，并于7月20日反馈了巡察意见。
截至2024年3月31日，反馈的2项2个具体问题，已完成整改1个，持续整改1个，整改完成率50%。制定修订制度3项。
（一）落实全面从严治党方面的问题（2项2个具体问题）
1.学习贯彻党的创新理论不深入。
整改情况：已完成整改，并长期坚持。一是召开专题会议研究部署；二是修订完善学习制度。
完成时限：2023年12月
2.財務管理制度執行不到位。
整改情况：持续整改中。一是开展专项检查并建立台账。
承诺完成时限：2024年12月底前
"""


def warm_up() -> None:
    """Compile every named pattern, parse :data:`WARM_UP_TEXT` once and sign it (numpy and
    the permutations loaded)."""
    for name in PATTERNS:
        P(name)
    parsed = parse_file("warm-up.txt", as_of=date(2024, 12, 31), data=WARM_UP_TEXT.encode("utf-8"))
    fingerprint(parsed)


try:
    warm_up()
except Exception:  # noqa: BLE001 - a failed warm-up only costs time; the server must start
    logging.getLogger(__name__).debug("warm-up failed", exc_info=True)
# Everything loaded so far (modules, compiled patterns, dictionaries) lives as long as
# the process: frozen, the cyclic collector stops rescanning it at every full
# collection (~6% of a text bulletin's parse), and forked workers inherit that.
gc.collect()
gc.freeze()
