"""Chaos: a 400-file run killed with SIGINT, SIGTERM or SIGKILL at random moments
(several seeds), each followed by a normal run.

While all this happens a reader keeps reading the output folder the way a
person or a script does (open the folder, read its tables). Every snapshot
must be one whole run's tables — the set of the 400 files or that of the 350
the interrupted runs alternate with — never a mix. After each normal run the
tables equal an uninterrupted run's, and no temporary or staging file remains.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_writers_folder import CSV_NAMES, leftovers

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from bench_batch import generate  # noqa: E402

ENV = {**os.environ, "PYTHONPATH": str(REPO)}
#: Files of the full set, and of the set the interrupted runs alternate with.
FILES, FEWER = 400, 350
SEEDS = (11, 23, 37)
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGKILL)
COMMON = ["--as-of", "2024-12-31", "--workers", "2", "-q"]
#: Pause between two reads of the folder (the reader must not starve the run of a core).
READ_PAUSE_S = 0.01


def run(inputs: Path, out: Path, *extra: str, kill: tuple[int, float] | None = None) -> int:
    """The command; with ``kill`` = (signal, delay) it is sent that signal after that delay
    (SIGINT to the process group, as a terminal's Ctrl-C)."""
    proc = subprocess.Popen([sys.executable, "-m", "extract", "extract", str(inputs), "--out",
                             str(out), *COMMON, *extra], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=ENV, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    if kill is not None:
        sig, delay = kill
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, sig) if sig == signal.SIGINT else proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=300)
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    return proc.returncode


def fingerprint(folder: Path) -> tuple[str, ...] | None:
    """Hashes of the tables read through one open handle on the folder (as a reader that
    lists it, then opens each file, sees them); None if it vanished while being read."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return None
    try:
        hashes = []
        for name in CSV_NAMES:
            with open(name, "rb", opener=lambda path, flags: os.open(path, flags, dir_fd=fd)) as f:
                hashes.append(hashlib.sha256(f.read()).hexdigest())
        return tuple(hashes)
    except FileNotFoundError:  # the previous set, being deleted after a swap: read again
        return None
    finally:
        os.close(fd)


class Reader(threading.Thread):
    """Reads the folder again and again; records any snapshot that is not a known set."""

    def __init__(self, out: Path, known: set[tuple[str, ...]]) -> None:
        super().__init__(daemon=True)
        self.out, self.known = out, known
        self.snapshots = 0
        self.mixed: list[tuple[str, ...]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(READ_PAUSE_S):
            seen = fingerprint(self.out)
            if seen is not None:
                self.snapshots += 1
                if seen not in self.known:
                    self.mixed.append(seen)


@dataclass
class Sets:
    base: Path
    full: Path  # the 400 files
    fewer: Path  # 350 of them
    reference: tuple[str, ...]  # the tables of an uninterrupted run of the 400
    known: set[tuple[str, ...]]  # those of the 400 and of the 350
    run_s: float  # how long an uninterrupted run takes here


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> Sets:
    base = tmp_path_factory.mktemp("chaos")
    full = base / "full"
    generate(full, FILES)
    fewer = base / "fewer"
    fewer.mkdir()
    for p in sorted(full.iterdir())[:FEWER]:
        (fewer / p.name).symlink_to(p)
    started = time.monotonic()
    prints = []
    for name, inputs in (("full", full), ("fewer", fewer)):
        assert run(inputs, base / f"ref-{name}", "--no-cache") == 0
        seen = fingerprint(base / f"ref-{name}")
        assert seen is not None
        prints.append(seen)
    return Sets(base, full, fewer, prints[0], set(prints), (time.monotonic() - started) / 2)


@pytest.mark.parametrize("seed", SEEDS)
def test_killed_runs_never_leave_a_mix_or_a_temporary_file(sets: Sets, seed: int) -> None:
    rng = random.Random(seed)
    out = sets.base / f"out-{seed}"
    assert run(sets.full, out) == 0
    reader = Reader(out, sets.known)
    reader.start()
    try:
        for step, sig in enumerate(SIGNALS):
            inputs = sets.fewer if step % 2 == 0 else sets.full
            # Up to the length of a whole run: sometimes before, sometimes while writing.
            delay = rng.uniform(0.2, sets.run_s * 1.1)
            extra = rng.choice([(), ("--no-cache",), ("--format", "csv,xlsx,sqlite,html")])
            run(inputs, out, *extra, kill=(sig, delay))
            assert run(sets.full, out) == 0
            assert fingerprint(out) == sets.reference, (signal.Signals(sig).name, delay, extra)
            assert leftovers(out) == [], (signal.Signals(sig).name, delay, extra)
    finally:
        reader.stop.set()
        reader.join()
    assert reader.snapshots > 0
    assert reader.mixed == []
