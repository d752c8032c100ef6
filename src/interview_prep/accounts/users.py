"""Users and their roles, and the rules for usernames and passwords."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime

from ..errors import InvalidInputError
from ..practice.attempts import LOCAL_USER_ID

__all__ = ["LOCAL_USER_ID", "Role", "User"]

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
MIN_PASSWORD_LENGTH = 10
# argon2 hashes any length, but a megabyte of "password" is an attack on the CPU, not a secret.
MAX_PASSWORD_LENGTH = 1024
MAX_DISPLAY_NAME = 200


class Role(enum.StrEnum):
    """What a user is for: candidates practise, coaches also follow cohorts, admins run the app."""

    CANDIDATE = "candidate"
    COACH = "coach"
    ADMIN = "admin"


@dataclass(frozen=True)
class User:
    """An account. ``password_set`` is False for the local user, who cannot log in."""

    id: str
    username: str
    display_name: str
    role: Role
    disabled: bool
    created_at: datetime
    password_set: bool = True
    must_change_password: bool = False
    """The password is a one-time one an admin handed over: the user must choose their own."""

    @property
    def name(self) -> str:
        """What pages call this user."""
        return self.display_name or self.username


def normalise_username(raw: str) -> str:
    """The username as stored: trimmed and lower case.

    Raises:
        InvalidInputError: not 1-64 letters, digits, dots, dashes or underscores (starting with
            a letter or digit), or the reserved name of the local user.
    """
    username = raw.strip().lower()
    if not USERNAME_PATTERN.match(username):
        raise InvalidInputError(
            f"username {raw!r} cannot be used: use 1-64 letters, digits, '.', '-' or '_', "
            "starting with a letter or digit"
        )
    if username == LOCAL_USER_ID:
        raise InvalidInputError(f"the username {LOCAL_USER_ID!r} is reserved for single-user mode")
    return username


def parse_role(raw: str) -> Role:
    """A role from its name.

    Raises:
        InvalidInputError: not one of candidate, coach, admin.
    """
    try:
        return Role(raw.strip().lower())
    except ValueError:
        names = ", ".join(role.value for role in Role)
        raise InvalidInputError(f"unknown role {raw!r}: use one of {names}") from None


def check_password(password: str) -> None:
    """Refuse a password too short to resist guessing, or absurdly long.

    Raises:
        InvalidInputError: shorter than 10 or longer than 1024 characters.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInputError(
            f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInputError(
            f"the password is too long: use at most {MAX_PASSWORD_LENGTH} characters"
        )


def check_display_name(raw: str) -> str:
    """The display name trimmed.

    Raises:
        InvalidInputError: longer than 200 characters.
    """
    name = " ".join(raw.split())
    if len(name) > MAX_DISPLAY_NAME:
        raise InvalidInputError(f"the name is too long: use at most {MAX_DISPLAY_NAME} characters")
    return name
