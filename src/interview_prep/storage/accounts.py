"""Accounts in the database: users, browser sessions, API tokens and failed logins.

:class:`DatabaseAccountStore` is what :mod:`interview_prep.accounts.service` works on. Sessions
and failure counts live here rather than in a process's memory, so that every worker of a
multi-process server sees the same logins, logouts and throttles. Tokens are random
(:func:`secrets.token_urlsafe`) and stored only as their SHA-256, which suffices for secrets of
256 random bits (no salt or slow hash is needed, unlike passwords).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..accounts.throttle import WINDOW, FailureCount
from ..accounts.users import LOCAL_USER_ID, Role, User
from ..errors import ConflictError, InvalidInputError, NotFoundError
from .database import Database
from .schema import (
    ApiTokenRow,
    AttemptRow,
    CardStateRow,
    LoginFailureRow,
    PracticeSessionRow,
    ReviewLogRow,
    UserRow,
    WebSessionRow,
)

SESSION_LIFETIME = timedelta(days=14)
# A session's last use is written at most this often, so that reading pages does not write.
TOUCH_EVERY = timedelta(minutes=10)
API_TOKEN_PREFIX = "ipt_"


def digest(token: str) -> str:
    """The stored form of a session or API token."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class WebSession:
    """A logged-in browser as the web app sees it."""

    user: User
    csrf_token: str
    expires_at: datetime


class DatabaseAccountStore:
    """Users, sessions, tokens and failed logins in the app's database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # Users

    def add_user(
        self,
        username: str,
        password_hash: str | None,
        role: Role,
        display_name: str,
        now: datetime,
        *,
        must_change_password: bool = False,
    ) -> User:
        """Insert an account; ``username`` must already be normalised.

        Raises:
            ConflictError: the username is taken.
        """
        row = UserRow(
            id=f"u-{secrets.token_hex(8)}",
            username=username,
            display_name=display_name,
            password_hash=password_hash,
            role=role.value,
            disabled=False,
            created_at=now,
            must_change_password=must_change_password,
        )
        try:
            with self.db.session(write=True) as session:
                if self._by_username(session, username) is not None:
                    raise _taken(username)
                session.add(row)
        except IntegrityError as error:  # another process took the name meanwhile
            raise _taken(username) from error
        return _user(row)

    def user(self, user_id: str) -> User | None:
        with self.db.session() as session:
            row = session.get(UserRow, user_id)
            return _user(row) if row is not None else None

    def user_by_username(self, username: str) -> User | None:
        with self.db.session() as session:
            row = self._by_username(session, username)
            return _user(row) if row is not None else None

    def password_hash(self, user_id: str) -> str | None:
        with self.db.session() as session:
            return session.scalar(select(UserRow.password_hash).where(UserRow.id == user_id))

    def users(self) -> list[User]:
        """Every account but the local user, oldest first."""
        statement = (
            select(UserRow)
            .where(UserRow.id != LOCAL_USER_ID)
            .order_by(UserRow.created_at, UserRow.username)
        )
        with self.db.session() as session:
            return [_user(row) for row in session.scalars(statement)]

    def active_login_count(self) -> int:
        """How many accounts can log in (enabled, with a password)."""
        statement = select(func.count()).where(
            UserRow.disabled.is_(False), UserRow.password_hash.is_not(None)
        )
        with self.db.session() as session:
            return int(session.scalar(statement) or 0)

    def set_disabled(self, user_id: str, disabled: bool) -> None:
        """Disable (or enable) an account; disabling also ends its sessions and tokens."""
        with self.db.session(write=True) as session:
            self._require(session, user_id).disabled = disabled
            if disabled:
                self._revoke(session, user_id, tokens=True)

    def set_role(self, user_id: str, role: Role) -> None:
        """Give an account another role (it takes effect on the account's next request)."""
        with self.db.session(write=True) as session:
            self._require(session, user_id).role = role.value

    def set_password_hash(
        self,
        user_id: str,
        password_hash: str,
        *,
        end_sessions: bool = True,
        must_change: bool | None = None,
    ) -> None:
        """Replace the password; every session of the account ends (its tokens stay), unless
        the same password is only being rehashed.

        Args:
            must_change: whether the user must choose another password at their next login
                (a one-time password); ``None`` leaves it as it was (a rehash).
        """
        with self.db.session(write=True) as session:
            row = self._require(session, user_id)
            row.password_hash = password_hash
            if must_change is not None:
                row.must_change_password = must_change
            if end_sessions:
                self._revoke(session, user_id, tokens=False)

    def take_local_history(self, user_id: str) -> int:
        """Give everything the local user practised to ``user_id``; returns the rows moved.

        Raises:
            NotFoundError: no such user.
            InvalidInputError: ``user_id`` is the local user.
        """
        if user_id == LOCAL_USER_ID:
            raise InvalidInputError("the local history already belongs to the local user")
        moved = 0
        with self.db.session(write=True) as session:
            self._require(session, user_id)
            for table in (AttemptRow, CardStateRow, ReviewLogRow):
                result = session.execute(
                    update(table).where(table.user_id == LOCAL_USER_ID).values(user_id=user_id)
                )
                moved += int(result.rowcount or 0)  # type: ignore[attr-defined]
            # A session also names its user inside its JSON document.
            rows = session.scalars(
                select(PracticeSessionRow).where(PracticeSessionRow.user_id == LOCAL_USER_ID)
            ).all()
            for row in rows:
                data = {**row.data, "user_id": user_id}
                session.add(
                    PracticeSessionRow(
                        user_id=user_id,
                        id=row.id,
                        data=data,
                        created_at=row.created_at,
                        updated_at=row.updated_at,
                        finished=row.finished,
                    )
                )
                session.delete(row)
            moved += len(rows)
        return moved

    # Browser sessions

    def create_session(self, user_id: str, now: datetime) -> str:
        """Start a browser session; returns the token for its cookie."""
        token = secrets.token_urlsafe(32)
        with self.db.session(write=True) as session:
            session.add(
                WebSessionRow(
                    token_hash=digest(token),
                    user_id=user_id,
                    csrf_token=secrets.token_urlsafe(32),
                    created_at=now,
                    last_seen_at=now,
                    expires_at=now + SESSION_LIFETIME,
                )
            )
        return token

    def session(self, token: str, now: datetime) -> WebSession | None:
        """The live session of a cookie's token, or ``None`` (unknown, expired, user disabled).

        An active session is extended (sliding expiry), written at most every few minutes.
        """
        key = digest(token)
        with self.db.session() as session:
            found = session.execute(
                select(WebSessionRow, UserRow)
                .join(UserRow, UserRow.id == WebSessionRow.user_id)
                .where(WebSessionRow.token_hash == key)
            ).first()
        if found is None:
            return None
        row, user_row = found
        if row.expires_at <= now or user_row.disabled:
            return None
        expires_at = row.expires_at
        if now - row.last_seen_at >= TOUCH_EVERY:
            expires_at = now + SESSION_LIFETIME
            with self.db.session(write=True) as session:
                session.execute(
                    update(WebSessionRow)
                    .where(WebSessionRow.token_hash == key)
                    .values(last_seen_at=now, expires_at=expires_at)
                )
        return WebSession(_user(user_row), row.csrf_token, expires_at)

    def end_session(self, token: str) -> None:
        """Log one browser out."""
        with self.db.session(write=True) as session:
            session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == digest(token)))

    def end_all_sessions(self, user_id: str) -> int:
        """Log the user out everywhere; returns how many sessions ended."""
        with self.db.session(write=True) as session:
            return self._revoke(session, user_id, tokens=False)

    def delete_expired_sessions(self, now: datetime) -> int:
        with self.db.session(write=True) as session:
            result = session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at <= now))
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    # API tokens

    def create_api_token(self, user_id: str, name: str, now: datetime) -> str:
        """Make a token for scripts; returns it (shown once: only its digest is kept)."""
        token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.db.session(write=True) as session:
            self._require(session, user_id)
            session.add(
                ApiTokenRow(token_hash=digest(token), user_id=user_id, name=name, created_at=now)
            )
        return token

    def api_token_user(self, token: str) -> User | None:
        """The enabled user a token belongs to, or ``None``."""
        with self.db.session() as session:
            row = session.scalar(
                select(UserRow)
                .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
                .where(ApiTokenRow.token_hash == digest(token))
            )
            return _user(row) if row is not None and not row.disabled else None

    # Failed logins

    def record_failure(self, keys: list[str], now: datetime) -> None:
        with self.db.session(write=True) as session:
            session.add_all(LoginFailureRow(key=key, failed_at=now) for key in keys)
            # Old failures count for nothing: drop them as new ones arrive.
            session.execute(delete(LoginFailureRow).where(LoginFailureRow.failed_at < now - WINDOW))

    def failures(self, keys: list[str], now: datetime) -> list[FailureCount]:
        """Each key's failures inside the window."""
        statement = (
            select(LoginFailureRow.key, func.count(), func.min(LoginFailureRow.failed_at))
            .where(LoginFailureRow.key.in_(keys), LoginFailureRow.failed_at > now - WINDOW)
            .group_by(LoginFailureRow.key)
        )
        with self.db.session() as session:
            found = {key: (count, oldest) for key, count, oldest in session.execute(statement)}
        return [FailureCount(key, *found.get(key, (0, None))) for key in keys]

    def clear_failures(self, key: str) -> None:
        with self.db.session(write=True) as session:
            session.execute(delete(LoginFailureRow).where(LoginFailureRow.key == key))

    # Helpers

    @staticmethod
    def _by_username(session: Session, username: str) -> UserRow | None:
        return session.scalar(select(UserRow).where(UserRow.username == username))

    @staticmethod
    def _require(session: Session, user_id: str) -> UserRow:
        row = session.get(UserRow, user_id)
        if row is None:
            raise NotFoundError(f"no user {user_id!r}")
        return row

    @staticmethod
    def _revoke(session: Session, user_id: str, *, tokens: bool) -> int:
        result = session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user_id))
        if tokens:
            session.execute(delete(ApiTokenRow).where(ApiTokenRow.user_id == user_id))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _taken(username: str) -> ConflictError:
    return ConflictError(f"the username {username!r} is taken")


def _user(row: UserRow) -> User:
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        disabled=row.disabled,
        created_at=row.created_at,
        password_set=row.password_hash is not None,
        must_change_password=bool(row.must_change_password),
    )
