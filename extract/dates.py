"""Dates as bulletins write them → ISO strings at the precision written.

``2023年7月17日`` → ``2023-07-17``; ``2021年9月`` → ``2021-09``; a missing year
is taken from context (the last year seen before it); ``上旬/中旬/下旬/月底/初``
keep month precision. Ranges resolve the end's year from the start
(``2023年3月14日至5月9日``) and roll over a year end (``11月至次年1月``).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from extract.numerals import to_int
from extract.records import COMPLETED


@dataclass(frozen=True)
class PartialDate:
    year: int | None
    month: int | None
    day: int | None = None

    def resolve(self, default_year: int | None) -> PartialDate:
        return self if self.year is not None else PartialDate(default_year, self.month, self.day)

    def iso(self) -> str | None:
        if self.year is None:
            return None
        if self.month is None:
            return f"{self.year:04d}"
        if not 1 <= self.month <= 12:
            return None
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        if not 1 <= self.day <= calendar.monthrange(self.year, self.month)[1]:
            return None
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def make(year: str | None, month: str | None, day: str | None = None) -> PartialDate:
    return PartialDate(_num(year), _num(month), _num(day))


def _num(s: str | None) -> int | None:
    if s is None or s == "":
        return None
    n = to_int(s)
    if n is not None and s and len(s) == 2 and n < 100 and s.isdigit() and n > 31:
        return None
    return n


def resolve_range(start: PartialDate, end: PartialDate, context_year: int | None
                  ) -> tuple[str | None, str | None]:
    """ISO start and end of a range whose parts may omit the year."""
    start = start.resolve(context_year)
    end_year = end.year
    if end_year is None and start.year is not None:
        end_year = start.year
        if end.month is not None and start.month is not None and end.month < start.month:
            end_year += 1  # 11月至次年1月
    if end.month is None and start.month is not None and end.day is not None:
        end = PartialDate(end_year, start.month, end.day)  # 7月17日至31日
    else:
        end = PartialDate(end_year, end.month, end.day)
    return start.iso(), end.iso()


def period_end(iso: str | None) -> date | None:
    """Last day of the period an ISO date names at its precision (2024 → 2024-12-31); None for
    no date or text that is not one (长期坚持)."""
    if not iso:
        return None
    parts = iso.split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return date(year, 12, 31)
        month = int(parts[1])
        if len(parts) == 2:
            return date(year, month, calendar.monthrange(year, month)[1])
        return date(year, month, int(parts[2]))
    except (ValueError, IndexError):
        return None


def days_past(deadline: str | None, as_of: date) -> int | None:
    """Days from the end of the deadline's period (at the precision written: 2024-12 ends on
    2024-12-31) to ``as_of``: 0 when not yet past, None without a usable deadline."""
    end = period_end(deadline)
    return None if end is None else max(0, (as_of - end).days)


def is_overdue(status: str, deadline: str | None, as_of: date) -> bool:
    """Not completed, and the deadline's period ended before ``as_of``."""
    return status != COMPLETED and (days_past(deadline, as_of) or 0) > 0


def parse_iso(text: str) -> date:
    """``YYYY-MM-DD`` → date (for --as-of); raises ValueError with the bad text."""
    return date.fromisoformat(text.strip())
