"""A text file written under a temporary name and renamed into place when complete.

An interrupted run never leaves half a table: until :meth:`AtomicTextFile.commit`
the output lives in a hidden temporary file beside the final one (same folder,
so the rename is atomic), and a previous complete file stays untouched.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Self

#: Prefix of the temporary files; readers of an output folder skip these.
TEMP_PREFIX = ".tmp-"
#: Mode of committed outputs (mkstemp creates 0600; outputs are shared files).
OUTPUT_MODE = 0o644


class AtomicTextFile:
    """Write to ``self._file``; :meth:`commit` renames, :meth:`discard` drops."""

    def __init__(self, path: Path, newline: str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{self.path.name}.", dir=self.path.parent)
        self.temp_path = Path(tmp)
        # errors="replace": a lone surrogate (cannot exist in UTF-8) becomes "?" instead of
        # aborting the run.
        self._file = os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline=newline)
        self._closed = False

    def commit(self) -> Path:
        """Flush to disk and rename over the final name."""
        self.sync()
        return self.finish()

    def sync(self) -> None:
        """Flush the temporary file to disk (the slow half of :meth:`commit`: several
        files may sync at once, see :func:`commit_all`)."""
        if self._closed:
            raise ValueError(f"{self.path.name} is already closed")
        self._file.flush()
        os.fsync(self._file.fileno())

    def finish(self) -> Path:
        """Close the synced temporary file and rename it over the final name."""
        self._file.close()
        self._closed = True
        os.chmod(self.temp_path, OUTPUT_MODE)
        os.replace(self.temp_path, self.path)
        return self.path

    def discard(self) -> None:
        """Drop the temporary file; the previous final file, if any, stays. (Closing may
        fail — the buffered rest cannot be written on a full disk — the file goes anyway.)"""
        try:
            if not self._closed:
                self._closed = True
                self._file.close()
        except OSError:
            pass
        finally:
            try:
                self.temp_path.unlink()
            except FileNotFoundError:
                pass

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()


def commit_all(files: Sequence[AtomicTextFile]) -> list[Path]:
    """Commit several files: all synced at once (fsync waits for the disk, not the CPU;
    six tables one after the other cost ~40 ms a run), then renamed in order."""
    if len(files) > 1:
        with ThreadPoolExecutor(max_workers=len(files)) as pool:
            list(pool.map(AtomicTextFile.sync, files))
    else:
        for f in files:
            f.sync()
    return [f.finish() for f in files]
