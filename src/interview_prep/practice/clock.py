"""Time for the practice core: an injectable clock and timezone-aware UTC datetimes only.

Every function that needs "now" takes it as an argument (or a :data:`Clock`), so tests can pin
time exactly; naive datetimes are refused because FSRS intervals and streaks silently shift by the
machine's offset when one slips in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo

Clock = Callable[[], datetime]
"""A function returning the current time, timezone-aware in UTC."""


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


def require_utc(value: datetime, name: str = "datetime") -> datetime:
    """Return ``value`` converted to UTC.

    Raises:
        ValueError: ``value`` is naive (has no timezone).
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
    return value.astimezone(UTC)


def parse_utc(text: str) -> datetime:
    """Parse an ISO 8601 timestamp written by :func:`format_utc` (or any aware one)."""
    return require_utc(datetime.fromisoformat(text), "timestamp")


def format_utc(value: datetime) -> str:
    """ISO 8601 in UTC, e.g. ``2026-01-05T09:00:00+00:00``."""
    return require_utc(value).isoformat()


def parse_optional(text: str | None) -> datetime | None:
    return parse_utc(text) if text else None


def format_optional(value: datetime | None) -> str | None:
    return format_utc(value) if value is not None else None


def local_date(value: datetime, tz: tzinfo = UTC) -> date:
    """The calendar date of ``value`` as seen in the user's time zone."""
    return require_utc(value).astimezone(tz).date()


def start_of_next_day(now: datetime, tz: tzinfo = UTC) -> datetime:
    """The first instant (in UTC) of the local day after ``now``'s local day."""
    tomorrow = local_date(now, tz) + timedelta(days=1)
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=tz).astimezone(UTC)


class FixedClock:
    """A clock for tests and replays: returns ``now`` until moved with :meth:`advance`."""

    def __init__(self, now: datetime) -> None:
        self.now = require_utc(now, "now")

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move the clock forward by ``timedelta(**delta)`` and return the new time."""
        self.now = self.now + timedelta(**delta)
        return self.now
