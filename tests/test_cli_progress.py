"""Progress on stderr: a bar on a terminal, nothing when piped or with --quiet; summary on stdout."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from test_batch_run import make_corpus

REPO = Path(__file__).resolve().parent.parent
#: Terminal size given to the pseudo-terminal (rows, columns).
TTY_SIZE = (40, 120)


def _run_on_tty(args: list[str]) -> str:
    """Run ``python -m extract args`` with stdout/stderr on a pseudo-terminal; return its output."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: exec, never return into pytest
        os.environ["PYTHONPATH"] = str(REPO)
        os.execv(sys.executable, [sys.executable, "-m", "extract", *args])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", *TTY_SIZE, 0, 0))
    chunks = []
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.waitpid(pid, 0)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("progress") / "in"
    make_corpus(root, n_samples=3)
    return root


def test_bar_with_count_rate_on_a_terminal(corpus: Path, tmp_path: Path) -> None:
    out = _run_on_tty(["extract", str(corpus), "--out", str(tmp_path / "o"), "--workers", "2"])
    assert "解析" in out and "6/6" in out and "文件/s" in out, out
    assert "完成：文档" in out and "Traceback" not in out


def test_quiet_flag_hides_the_bar_on_a_terminal(corpus: Path, tmp_path: Path) -> None:
    out = _run_on_tty(["extract", str(corpus), "--out", str(tmp_path / "o"), "--quiet"])
    assert "6/6" not in out and "完成：文档" in out


def test_nothing_on_stderr_when_not_a_terminal(corpus: Path, tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "extract", "extract", str(corpus), "--out",
                           str(tmp_path / "o")], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0
    assert proc.stderr == ""
    assert proc.stdout.startswith("完成：文档") and proc.stdout.count("\n") == 1
