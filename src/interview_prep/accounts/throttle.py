"""The failed-login limit, as a policy over counts the database keeps.

Failures are counted per account and per client address in a sliding window, in the database so
that every worker process sees the same counts. Once a count reaches its limit, logins for that
account or from that address are refused (even with the right password) until the window has
moved past the oldest failure. An address gets a higher limit than an account, because a
classroom may share one address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 30


def account_key(username: str) -> str:
    return f"account:{username}"


def address_key(address: str) -> str:
    return f"address:{address}"


@dataclass(frozen=True)
class FailureCount:
    """Failures of one key inside the window, and when the oldest of them was."""

    key: str
    count: int
    oldest: datetime | None


def limit_of(key: str) -> int:
    return ACCOUNT_LIMIT if key.startswith("account:") else ADDRESS_LIMIT


def retry_after(counts: list[FailureCount], now: datetime) -> timedelta | None:
    """How long until a login may be tried again, or ``None`` if it may be tried now."""
    waits = [
        count.oldest + WINDOW - now
        for count in counts
        if count.count >= limit_of(count.key) and count.oldest is not None
    ]
    if not waits:
        return None
    return max(max(waits), timedelta(seconds=1))
