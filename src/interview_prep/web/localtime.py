"""The visitor's time zone and how the pages write times and durations.

The browser tells its zone in the ``tz`` cookie (``app.js`` sets it from
``Intl.DateTimeFormat().resolvedOptions().timeZone``); until it has, and for anything that is not
a known IANA zone name, the pages use UTC. Practice "days" (the daily queue, streaks, the activity
calendar) are the visitor's local days.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.requests import Request

TZ_COOKIE = "tz"
_MAX_ZONE_CHARS = 64


@lru_cache(maxsize=64)
def parse_zone(name: str | None) -> tzinfo:
    """The zone called ``name`` (e.g. ``Europe/Paris``), or UTC if it is missing or unknown."""
    name = (name or "").strip()
    if not name or len(name) > _MAX_ZONE_CHARS:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # ValueError: not a zone key at all (an absolute path, "..", a NUL character).
        return UTC


def visitor_zone(request: Request) -> tzinfo:
    """The visitor's time zone, from the ``tz`` cookie (URL-encoded by ``app.js``)."""
    return parse_zone(unquote(request.cookies.get(TZ_COOKIE) or ""))


def zone_name(zone: tzinfo) -> str:
    return getattr(zone, "key", None) or "UTC"


def local_datetime(moment: datetime | None, zone: tzinfo = UTC, *, seconds: bool = False) -> str:
    """``Mon 2 Mar 2026, 09:05`` (``09:05:30`` with ``seconds``) in ``zone``; an empty string
    for ``None``."""
    if moment is None:
        return ""
    local = moment.astimezone(zone)
    clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    return f"{local:%a} {local.day} {local:%b %Y}, {clock}"


def local_date(moment: datetime | None, zone: tzinfo = UTC) -> str:
    """``Mon 2 Mar 2026`` in ``zone``; an empty string for ``None``."""
    if moment is None:
        return ""
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %Y}"


def duration(seconds: float | None) -> str:
    """``1:05`` (minutes and seconds), ``1:02:05`` past an hour, ``–`` for ``None``."""
    if seconds is None:
        return "–"
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
