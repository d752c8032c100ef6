"""The failed-login policy over counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from interview_prep.accounts.throttle import (
    ACCOUNT_LIMIT,
    ADDRESS_LIMIT,
    WINDOW,
    FailureCount,
    account_key,
    address_key,
    retry_after,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_under_the_limits_a_login_may_be_tried() -> None:
    counts = [
        FailureCount(account_key("alice"), ACCOUNT_LIMIT - 1, NOW - timedelta(minutes=1)),
        FailureCount(address_key("10.0.0.1"), ADDRESS_LIMIT - 1, NOW - timedelta(minutes=1)),
    ]
    assert retry_after(counts, NOW) is None


def test_at_the_account_limit_the_wait_ends_with_the_oldest_failure() -> None:
    oldest = NOW - timedelta(minutes=5)
    counts = [FailureCount(account_key("alice"), ACCOUNT_LIMIT, oldest)]
    assert retry_after(counts, NOW) == WINDOW - timedelta(minutes=5)


def test_an_address_has_a_higher_limit_than_an_account() -> None:
    count = FailureCount(address_key("10.0.0.1"), ACCOUNT_LIMIT, NOW)
    assert retry_after([count], NOW) is None
    count = FailureCount(address_key("10.0.0.1"), ADDRESS_LIMIT, NOW)
    assert retry_after([count], NOW) == WINDOW
