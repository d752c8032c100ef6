"""Adding accounts and logging in, on real SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from interview_prep.accounts import service
from interview_prep.accounts.throttle import ACCOUNT_LIMIT, ADDRESS_LIMIT, WINDOW
from interview_prep.accounts.users import Role
from interview_prep.errors import (
    ConflictError,
    InvalidInputError,
    LoginError,
    NotFoundError,
    TooManyAttemptsError,
)
from interview_prep.storage import Database
from interview_prep.storage.accounts import DatabaseAccountStore

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


@pytest.fixture
def store(db: Database) -> DatabaseAccountStore:
    store = DatabaseAccountStore(db)
    service.add_user(store, "Alice", PASSWORD, NOW, role=Role.COACH, display_name=" Alice  A ")
    return store


def test_an_account_is_stored_normalised(store: DatabaseAccountStore) -> None:
    (alice,) = store.users()  # the local user is not listed
    assert (alice.username, alice.display_name, alice.role) == ("alice", "Alice A", Role.COACH)
    assert store.active_login_count() == 1
    with pytest.raises(ConflictError):
        service.add_user(store, "ALICE", PASSWORD, NOW)
    with pytest.raises(InvalidInputError):
        service.add_user(store, "local", PASSWORD, NOW)
    with pytest.raises(InvalidInputError):
        service.add_user(store, "<b>bob</b>", PASSWORD, NOW)
    with pytest.raises(InvalidInputError):
        service.add_user(store, "bob", "short", NOW)


def test_the_right_password_starts_a_session(store: DatabaseAccountStore) -> None:
    user, token = service.log_in(store, " ALICE ", PASSWORD, "10.0.0.1", NOW)
    assert user.username == "alice"
    session = store.session(token, NOW + timedelta(minutes=1))
    assert session is not None and session.user == user
    assert len(session.csrf_token) >= 40


@pytest.mark.parametrize("username", ["alice", "nobody"])
def test_a_wrong_login_does_not_say_which_part_was_wrong(
    store: DatabaseAccountStore, username: str
) -> None:
    with pytest.raises(LoginError) as raised:
        service.log_in(store, username, "wrong password", "10.0.0.1", NOW)
    assert raised.value.message == service.WRONG_LOGIN


def test_failures_lock_the_account_even_for_the_right_password(
    store: DatabaseAccountStore,
) -> None:
    for number in range(ACCOUNT_LIMIT):
        with pytest.raises(LoginError):
            service.log_in(store, "alice", "wrong password", f"10.0.0.{number}", NOW)
    with pytest.raises(TooManyAttemptsError) as raised:
        service.log_in(store, "alice", PASSWORD, "10.9.9.9", NOW + timedelta(minutes=1))
    assert raised.value.retry_after_seconds == (WINDOW - timedelta(minutes=1)).total_seconds()
    # Once the window has passed the oldest failures, the account opens again.
    service.log_in(store, "alice", PASSWORD, "10.9.9.9", NOW + WINDOW + timedelta(seconds=1))


def test_one_address_is_limited_across_accounts(store: DatabaseAccountStore) -> None:
    for number in range(ADDRESS_LIMIT):
        with pytest.raises(LoginError):
            service.log_in(store, f"guess{number}", "wrong password", "10.6.6.6", NOW)
    with pytest.raises(TooManyAttemptsError):
        service.log_in(store, "alice", PASSWORD, "10.6.6.6", NOW)
    service.log_in(store, "alice", PASSWORD, "10.0.0.1", NOW)


def test_a_success_clears_the_accounts_failures(store: DatabaseAccountStore) -> None:
    for _ in range(ACCOUNT_LIMIT - 1):
        with pytest.raises(LoginError):
            service.log_in(store, "alice", "wrong password", "10.0.0.1", NOW)
    service.log_in(store, "alice", PASSWORD, "10.0.0.1", NOW)
    with pytest.raises(LoginError):
        service.log_in(store, "alice", "wrong password", "10.0.0.1", NOW)
    service.log_in(store, "alice", PASSWORD, "10.0.0.1", NOW)


def test_disabling_ends_sessions_and_tokens_and_refuses_logins(
    store: DatabaseAccountStore,
) -> None:
    user, token = service.log_in(store, "alice", PASSWORD, "10.0.0.1", NOW)
    api_token = store.create_api_token(user.id, "script", NOW)
    assert store.api_token_user(api_token) == user
    service.set_disabled(store, "alice")
    assert store.session(token, NOW) is None
    assert store.api_token_user(api_token) is None
    with pytest.raises(LoginError):
        service.log_in(store, "alice", PASSWORD, "10.0.0.1", NOW)
    service.set_disabled(store, "alice", False)
    service.log_in(store, "alice", PASSWORD, "10.0.0.1", NOW)


def test_a_new_password_logs_out_everywhere(store: DatabaseAccountStore) -> None:
    _, first = service.log_in(store, "alice", PASSWORD, "10.0.0.1", NOW)
    _, second = service.log_in(store, "alice", PASSWORD, "10.0.0.2", NOW)
    service.reset_password(store, "alice", "another long password")
    assert store.session(first, NOW) is None and store.session(second, NOW) is None
    with pytest.raises(LoginError):
        service.log_in(store, "alice", PASSWORD, "10.0.0.1", NOW)
    service.log_in(store, "alice", "another long password", "10.0.0.1", NOW)
    with pytest.raises(NotFoundError):
        service.reset_password(store, "nobody", "another long password")


def test_logout_everywhere_and_expiry(store: DatabaseAccountStore) -> None:
    user, first = service.log_in(store, "alice", PASSWORD, "10.0.0.1", NOW)
    _, second = service.log_in(store, "alice", PASSWORD, "10.0.0.2", NOW)
    store.end_session(first)
    assert store.session(first, NOW) is None and store.session(second, NOW) is not None
    assert store.end_all_sessions(user.id) == 1
    assert store.session(second, NOW) is None
    _, third = service.log_in(store, "alice", PASSWORD, "10.0.0.1", NOW)
    assert store.session(third, NOW + timedelta(days=15)) is None
