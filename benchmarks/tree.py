"""The checkout a benchmark runs the command from, made ready as an installed copy is."""

from __future__ import annotations

import compileall
from pathlib import Path


def compile_bytecode(tree: Path) -> None:
    """Write the bytecode of ``tree``'s package, as pip does when it installs one and as
    Python does on a user's first run. A machine that sets PYTHONDONTWRITEBYTECODE (this
    one does) otherwise compiles every module of ``extract/`` again at each start, ~30 ms
    a process that no user's run pays."""
    compileall.compile_dir(tree / "extract", quiet=1)
