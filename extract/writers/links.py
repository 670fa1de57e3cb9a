"""Links from the report to the source files, relative to the report.

``source_path`` in the tables is relative to the input folder a file was found
in, and a run may have several: each path is looked up in the roots in turn —
the run's input folders when given, else folders guessed near the current
directory and the output folder, ranked by how many sources they hold. A
source found nowhere is shown without a link.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

#: Subfolders looked at per candidate folder when guessing the input folder.
MAX_ROOT_CANDIDATES = 200
#: Source paths tried per candidate folder.
ROOT_PROBE_PATHS = 25


class SourceLinks:
    """Relative links from the report to source files.

    ``source_path`` is relative to the input folder a file was found in, and
    a run may have several: each path is looked up in the roots in turn
    (given ones, or guessed ones ranked by how many sources they hold).
    """

    def __init__(self, out_dir: Path, source_paths: Sequence[str], roots: Sequence[Path]) -> None:
        self.out_dir = out_dir.resolve()
        self.roots = self._rank_roots(source_paths, roots)
        self._cache: dict[str, Path | None] = {}

    @property
    def root(self) -> Path | None:
        """The folder holding most of the sources (None when none does)."""
        return self.roots[0] if self.roots else None

    def _rank_roots(self, source_paths: Sequence[str], roots: Sequence[Path]) -> list[Path]:
        if roots:
            return [Path(r).resolve() for r in roots]
        probe = [p for p in dict.fromkeys(source_paths) if p][:ROOT_PROBE_PATHS]
        if not probe:
            return []
        candidates: list[Path] = []
        for base in (Path.cwd(), self.out_dir.parent):
            candidates.append(base)
            try:
                subdirs = sorted(p for p in base.iterdir() if p.is_dir())
            except OSError:
                subdirs = []
            candidates.extend(subdirs[:MAX_ROOT_CANDIDATES])
        scored = []
        for order, root in enumerate(dict.fromkeys(c.resolve() for c in candidates)):
            hits = sum(1 for p in probe if (root / p).is_file())
            if hits:
                scored.append((-hits, order, root))
        return [root for _, _, root in sorted(scored)]

    def _locate(self, source_path: str) -> Path | None:
        if source_path not in self._cache:
            found = next((r / source_path for r in self.roots if (r / source_path).is_file()), None)
            self._cache[source_path] = found
        return self._cache[source_path]

    def href(self, source_path: str | None, page: int | None = None) -> str | None:
        """URL of the source relative to the report (``#page=N`` for PDFs), or None."""
        if not source_path:
            return None
        target = self._locate(source_path)
        if target is None:
            return None
        link = quote(Path(os.path.relpath(target, self.out_dir)).as_posix())
        if page and target.suffix.lower() == ".pdf":
            link += f"#page={page}"
        return link
