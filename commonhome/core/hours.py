"""Opening hours: weekly intervals, closures and "open now". Pure Python.

A week is represented as minutes since Monday 00:00 (0 … 10079). Intervals that pass midnight
are split so every stored interval lies within one day, which keeps the "open now" query a
simple range test that a database index can answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True, slots=True)
class Interval:
    """Open on ``weekday`` (0 = Monday) from ``opens`` to ``closes`` minutes after midnight."""

    weekday: int
    opens: int
    closes: int


def minute_of_day(t: time) -> int:
    return t.hour * 60 + t.minute


def parse_byday(byday: str) -> list[int]:
    """Parse an RFC 5545 BYDAY list such as ``"MO,WE,FR"`` into weekday numbers.

    Raises ``ValueError`` naming the part that is not a day code.
    """
    days: list[int] = []
    for part in byday.replace(" ", "").upper().split(","):
        if not part:
            continue
        code = part[-2:]
        if code not in DAY_CODES:
            raise ValueError(f"'{part}' is not a day code (expected one of {', '.join(DAY_CODES)})")
        days.append(DAY_CODES.index(code))
    return days


def weekly_intervals(byday: str, opens_at: time, closes_at: time) -> list[Interval]:
    """Intervals for a weekly rule; closing at or before opening means past midnight."""
    start, end = minute_of_day(opens_at), minute_of_day(closes_at)
    result: list[Interval] = []
    for day in parse_byday(byday):
        if end > start:
            result.append(Interval(day, start, end))
        else:
            result.append(Interval(day, start, MINUTES_PER_DAY))
            if end > 0:
                result.append(Interval((day + 1) % 7, 0, end))
    return result


def is_open(
    intervals: Iterable[Interval],
    at: datetime,
    closures: Sequence[tuple[date, date]] = (),
) -> bool:
    """Whether any interval covers local time ``at``, unless a closure covers its date."""
    today = at.date()
    if any(start <= today <= end for start, end in closures):
        return False
    weekday, minute = at.weekday(), at.hour * 60 + at.minute
    return any(i.weekday == weekday and i.opens <= minute < i.closes for i in intervals)
