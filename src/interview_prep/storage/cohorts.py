"""Cohorts in the database: their coaches and members, invitation links and assignments."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from ..errors import InvalidInputError, NotFoundError
from .accounts import digest
from .database import Database, dialect_insert
from .schema import AssignmentRow, CohortInvitationRow, CohortMemberRow, CohortRow, UserRow

INVITATION_LIFETIME = timedelta(days=14)
MAX_COHORT_NAME = 200


@dataclass(frozen=True)
class Cohort:
    id: str
    name: str
    created_at: datetime


@dataclass(frozen=True)
class CohortMember:
    user_id: str
    name: str
    role: str


@dataclass(frozen=True)
class Assignment:
    id: str
    bank_id: str
    category: str | None
    due_at: datetime


def check_cohort_name(raw: str) -> str:
    """A cohort's name, trimmed.

    Raises:
        InvalidInputError: empty or longer than 200 characters.
    """
    name = " ".join(raw.split())
    if not 1 <= len(name) <= MAX_COHORT_NAME:
        raise InvalidInputError(f"give the cohort a name of 1 to {MAX_COHORT_NAME} characters")
    return name


class DatabaseCohortStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, name: str, coach_id: str, now: datetime) -> Cohort:
        """Make a cohort, coached by its maker."""
        row = CohortRow(
            id=f"c-{secrets.token_hex(6)}",
            name=check_cohort_name(name),
            created_by=coach_id,
            created_at=now,
        )
        with self.db.session(write=True) as session:
            session.add(row)
            session.flush()
            session.add(
                CohortMemberRow(cohort_id=row.id, user_id=coach_id, role="coach", joined_at=now)
            )
        return Cohort(row.id, row.name, row.created_at)

    def get(self, cohort_id: str) -> Cohort:
        """Raises: NotFoundError: no such cohort."""
        with self.db.session() as session:
            row = session.get(CohortRow, cohort_id)
            if row is None:
                raise NotFoundError(f"no cohort {cohort_id!r}")
            return Cohort(row.id, row.name, row.created_at)

    def all(self) -> list[Cohort]:
        with self.db.session() as session:
            rows = session.scalars(select(CohortRow).order_by(CohortRow.created_at))
            return [Cohort(row.id, row.name, row.created_at) for row in rows]

    def coached_by(self, user_id: str) -> list[str]:
        """Ids of the cohorts ``user_id`` coaches."""
        statement = select(CohortMemberRow.cohort_id).where(
            CohortMemberRow.user_id == user_id, CohortMemberRow.role == "coach"
        )
        with self.db.session() as session:
            return list(session.scalars(statement))

    def members(self, cohort_id: str) -> list[CohortMember]:
        statement = (
            select(
                CohortMemberRow.user_id,
                UserRow.display_name,
                UserRow.username,
                CohortMemberRow.role,
            )
            .join(UserRow, UserRow.id == CohortMemberRow.user_id)
            .where(CohortMemberRow.cohort_id == cohort_id)
            .order_by(UserRow.username)
        )
        with self.db.session() as session:
            return [
                CohortMember(user_id, display or username, role)
                for user_id, display, username, role in session.execute(statement)
            ]

    def join(self, cohort_id: str, user_id: str, now: datetime, role: str = "member") -> None:
        """Add a user to a cohort (again is harmless; a coach stays a coach)."""
        insert = dialect_insert(self.db.dialect)
        statement = insert(CohortMemberRow).values(
            cohort_id=cohort_id, user_id=user_id, role=role, joined_at=now
        )
        with self.db.session(write=True) as session:
            session.execute(statement.on_conflict_do_nothing())

    def create_invitation(self, cohort_id: str, coach_id: str, now: datetime) -> str:
        """Make an invitation link's token (kept only as its digest)."""
        token = secrets.token_urlsafe(24)
        with self.db.session(write=True) as session:
            session.add(
                CohortInvitationRow(
                    token_hash=digest(token),
                    cohort_id=cohort_id,
                    created_by=coach_id,
                    created_at=now,
                    expires_at=now + INVITATION_LIFETIME,
                )
            )
        return token

    def invitation(self, token: str, now: datetime) -> Cohort:
        """The cohort a live invitation leads to.

        Raises:
            NotFoundError: unknown or expired invitation.
        """
        with self.db.session() as session:
            row = session.get(CohortInvitationRow, digest(token))
            cohort_id = row.cohort_id if row is not None and row.expires_at > now else None
        if cohort_id is None:
            raise NotFoundError(
                "This invitation link is unknown or has expired. Ask for a new one."
            )
        return self.get(cohort_id)

    def add_assignment(
        self,
        cohort_id: str,
        bank_id: str,
        category: str | None,
        due_at: datetime,
        by: str,
        now: datetime,
    ) -> Assignment:
        row = AssignmentRow(
            id=f"a-{secrets.token_hex(6)}",
            cohort_id=cohort_id,
            bank_id=bank_id,
            category=category,
            due_at=due_at,
            created_by=by,
            created_at=now,
        )
        with self.db.session(write=True) as session:
            session.add(row)
        return Assignment(row.id, bank_id, category, due_at)

    def assignments(self, cohort_id: str) -> list[Assignment]:
        statement = (
            select(AssignmentRow)
            .where(AssignmentRow.cohort_id == cohort_id)
            .order_by(AssignmentRow.due_at, AssignmentRow.id)
        )
        with self.db.session() as session:
            return [
                Assignment(row.id, row.bank_id, row.category, row.due_at)
                for row in session.scalars(statement)
            ]
