"""Account operations that the CLI and the web app share: add, disable, reset, log in.

Each function takes the account store (``interview_prep.storage.accounts.DatabaseAccountStore``)
and does one step. Logging in checks the throttle before the password, so that a guesser who
has used up the limit learns nothing more, not even from a right guess.
"""

from __future__ import annotations

import math
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from ..errors import InvalidInputError, LoginError, NotFoundError, TooManyAttemptsError
from . import passwords, throttle
from .users import LOCAL_USER_ID, Role, User, check_display_name, check_password, normalise_username

if TYPE_CHECKING:
    from ..storage.accounts import DatabaseAccountStore

WRONG_LOGIN = "Wrong username or password."


def add_user(
    store: DatabaseAccountStore,
    username: str,
    password: str | None,
    now: datetime,
    *,
    role: Role = Role.CANDIDATE,
    display_name: str = "",
    one_time: bool = False,
) -> User:
    """Create an account.

    Args:
        password: the first password; ``None`` makes an account that cannot log in until its
            password is set (``users reset-password``).
        one_time: the password is handed over by whoever makes the account, so the user must
            choose their own at the first login.

    Raises:
        InvalidInputError: the username, name or password cannot be used.
        ConflictError: the username is taken.
    """
    name = normalise_username(username)
    if password is not None:
        check_password(password)
    hashed = passwords.hash_password(password) if password is not None else None
    return store.add_user(
        name,
        hashed,
        role,
        check_display_name(display_name),
        now,
        must_change_password=one_time and hashed is not None,
    )


def find_user(store: DatabaseAccountStore, username: str) -> User:
    """An account by username.

    Raises:
        NotFoundError: no account has this username.
    """
    name = username.strip().lower()
    # The local user (single-user mode's owner) is no account: it never gets a password or role.
    user = store.user_by_username(name) if name != LOCAL_USER_ID else None
    if user is None:
        raise NotFoundError(f"no user {username!r}")
    return user


def reset_password(
    store: DatabaseAccountStore, username: str, password: str, *, one_time: bool = False
) -> User:
    """Set a new password; the account's browser sessions end.

    Args:
        one_time: the password is handed over to the user, who must choose their own at the
            next login.

    Raises:
        NotFoundError: no such user.
        InvalidInputError: the password cannot be used.
    """
    user = find_user(store, username)
    check_password(password)
    store.set_password_hash(user.id, passwords.hash_password(password), must_change=one_time)
    return user


def choose_password(
    store: DatabaseAccountStore, user: User, password: str, repeated: str, now: datetime
) -> str:
    """Replace a one-time password with the user's own choice; returns a new session's token.

    Every session of the account ends, the one it was chosen in too (its cookie is replaced
    by the returned token's), so whoever else saw the one-time password is logged out.

    Raises:
        InvalidInputError: the two entries differ, the password cannot be used, or it is the
            one-time password itself.
    """
    if password != repeated:
        raise InvalidInputError("The two passwords differ: type the same one twice.")
    check_password(password)
    stored = store.password_hash(user.id)
    if stored is not None and passwords.verify_password(stored, password):
        raise InvalidInputError("Choose a password of your own, not the one you were given.")
    store.set_password_hash(user.id, passwords.hash_password(password), must_change=False)
    return store.create_session(user.id, now)


def set_disabled(
    store: DatabaseAccountStore, username: str, disabled: bool = True, *, by: str | None = None
) -> User:
    """Disable an account (its sessions and tokens end at once), or enable it again.

    Args:
        by: the id of the admin doing it (from the web), who may not disable themselves.

    Raises:
        NotFoundError: no such user.
        InvalidInputError: an admin disabling their own account.
    """
    user = find_user(store, username)
    if disabled and user.id == by:
        raise InvalidInputError("you cannot disable your own account: ask another admin")
    store.set_disabled(user.id, disabled)
    return user


def one_time_password() -> str:
    """A random password for an admin to hand over once (128 bits, URL-safe, 22 characters)."""
    return secrets.token_urlsafe(16)


def set_role(store: DatabaseAccountStore, username: str, role: Role, *, by: str) -> User:
    """Give an account another role.

    Args:
        by: the id of the admin making the change, who may not take their own admin role away
            (the server would be left without anyone to manage it).

    Raises:
        NotFoundError: no such user.
        InvalidInputError: an admin demoting themselves.
    """
    user = find_user(store, username)
    if user.id == by and role is not Role.ADMIN:
        raise InvalidInputError("you cannot take away your own admin role: ask another admin")
    store.set_role(user.id, role)
    return user


def log_in(
    store: DatabaseAccountStore, username: str, password: str, address: str, now: datetime
) -> tuple[User, str]:
    """Check a username and password and start a browser session.

    Args:
        address: the client's address, for the per-address limit.

    Returns:
        The user and the new session's token (for the cookie).

    Raises:
        TooManyAttemptsError: too many recent failures for this account or from this address.
        LoginError: the username and password do not match an enabled account (the message
            does not say which).
    """
    name = username.strip().lower()[:64]
    keys = [throttle.account_key(name), throttle.address_key(address)]
    wait = throttle.retry_after(store.failures(keys, now), now)
    if wait is not None:
        minutes = math.ceil(wait.total_seconds() / 60)
        raise TooManyAttemptsError(
            f"Too many failed logins. Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
            retry_after_seconds=math.ceil(wait.total_seconds()),
        )
    user = store.user_by_username(name)
    stored = store.password_hash(user.id) if user is not None else None
    if len(password) > 1024 or not passwords.verify_password(stored, password):
        store.record_failure(keys, now)
        raise LoginError(WRONG_LOGIN)
    assert user is not None and stored is not None
    if user.disabled:
        store.record_failure(keys, now)
        raise LoginError(WRONG_LOGIN)
    store.clear_failures(keys[0])
    if passwords.needs_rehash(stored):
        store.set_password_hash(user.id, passwords.hash_password(password), end_sessions=False)
    return user, store.create_session(user.id, now)


def check_token_name(name: str) -> str:
    """An API token's label, trimmed.

    Raises:
        InvalidInputError: empty or longer than 100 characters.
    """
    label = " ".join(name.split())
    if not 1 <= len(label) <= 100:
        raise InvalidInputError("give the token a name of 1 to 100 characters")
    return label
