"""Exclusive CPU time of a reader's stages, timed on its real code path (the benchmarks' tool).

:class:`StageTimer` wraps a module's functions in place (``timer.patch(module, names)``)
so a normal ``read_file`` run records, per function, the CPU time spent in it less the
time spent in other wrapped functions it called. CPU time, not wall time: the stages are
single-threaded, and on a shared machine other processes' load inflates wall times of the
same code by up to 2× between runs.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any


class StageTimer:
    """Exclusive CPU time of wrapped functions (a nested wrapped call is not counted twice)."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.stack: list[float] = []  # time spent in wrapped callees of each open call

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.stack.append(0.0)
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = time.process_time() - start
                inner = self.stack.pop()
                self.spent[name] = self.spent.get(name, 0.0) + elapsed - inner
                self.calls[name] = self.calls.get(name, 0) + 1
                if self.stack:
                    self.stack[-1] += elapsed
        return timed

    @contextmanager
    def patch(self, owner: ModuleType | type, names: list[str]) -> Iterator[None]:
        """``owner``'s functions ``names`` timed while the block runs (module globals are
        looked up at call time, so the module's own callers see the wrapped ones)."""
        saved = {name: getattr(owner, name) for name in names}
        try:
            for name in names:
                label = f"{owner.__name__}.{name}" if isinstance(owner, type) else name
                setattr(owner, name, self.wrap(label, saved[name]))
            yield
        finally:
            for name, fn in saved.items():
                setattr(owner, name, fn)
