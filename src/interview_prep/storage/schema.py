"""The tables, as typed SQLAlchemy models.

The migrations in ``migrations/versions`` create these tables; a test checks that the two agree on
SQLite and PostgreSQL. The search index is not modelled here: it is an FTS5 table and a filter
index on SQLite, generated ``search_vector*`` columns on PostgreSQL, all made by the migrations and
read by :mod:`.fulltext` and :mod:`.ranking`.

A question is known to the rest of the app by ``(bank_id, question_id)``; that pair never changes
meaning, because banks are updated in place (rows kept, dropped questions retired). ``pk`` is an
internal integer key that the full-text index needs; the practice tables (attempts, card states,
review logs) reference ``(bank_id, question_id)`` instead, so they survive any bank update.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
ID_LENGTH = 120


def is_search_index(name: str | None) -> bool:
    """True for the search index's tables and columns, made by the migration but not modelled."""
    return (name or "").startswith(("questions_fts", "search_vector", "ix_questions_search"))


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite stores it without an offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("datetimes stored in the database must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


class BankRow(Base):
    """A bank: bundled with the app (kept up to date by :mod:`.bundled`) or imported by a user."""

    __tablename__ = "banks"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    bundled: Mapped[bool] = mapped_column(default=False)
    categories: Mapped[list[str]] = mapped_column(default=list)
    """Display order of the categories."""
    source_hash: Mapped[str | None] = mapped_column(String(64))
    """Bundled banks: SHA-256 of the shipped file last read, so an unchanged file is not parsed
    again on every start. A user's bank: ``None``, or, when it has a bundled bank's id, the hash
    of the shipped file skipped for it, which is then not parsed on every start either."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    questions: Mapped[list[QuestionRow]] = relationship(
        back_populates="bank", passive_deletes=True, order_by="QuestionRow.position"
    )


class QuestionRow(Base):
    """A question of a bank. ``rubric`` is the whole question (``Question.to_dict()``); the other
    columns repeat parts of it for filtering and search."""

    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("bank_id", "question_id"),
        Index(None, "bank_id", "position"),
        Index(None, "question_id"),
        CheckConstraint("difficulty IN ('easy', 'medium', 'hard')", name="difficulty"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[str] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    position: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(100))
    difficulty: Mapped[str] = mapped_column(String(10))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    key_points_text: Mapped[str] = mapped_column(Text, default="")
    """The key points' texts, one a line, for the search index."""
    tags_text: Mapped[str] = mapped_column(Text, default="")
    """The tags separated by spaces, for the search index."""
    rubric: Mapped[dict[str, Any]]
    retired: Mapped[bool] = mapped_column(default=False)
    """Dropped from its bank by a later version: hidden, but kept for the attempts that cite it."""

    bank: Mapped[BankRow] = relationship(back_populates="questions")
    tags: Mapped[list[QuestionTagRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class QuestionTagRow(Base):
    """One tag of one question, for filtering by tag."""

    __tablename__ = "question_tags"

    question_pk: Mapped[int] = mapped_column(
        ForeignKey("questions.pk", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, index=True)


class QuestionVersionRow(Base):
    """One saved state of a question (``Question.to_dict()``), numbered from 1 per question.

    The newest number is the question's revision: a save names the revision it was edited from,
    and is refused when another save came first. Undo stores an older state as a new version, so
    the history only ever grows.
    """

    __tablename__ = "question_versions"
    __table_args__ = (
        ForeignKeyConstraint(
            ["bank_id", "question_id"],
            ["questions.bank_id", "questions.question_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("bank_id", "question_id", "number"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    question_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    number: Mapped[int] = mapped_column(Integer)
    rubric: Mapped[dict[str, Any]]
    action: Mapped[str] = mapped_column(String(20))
    """What made this version: ``imported`` (the state before the first edit), ``created``,
    ``edited``, ``undone``, ``deleted`` or ``restored``."""
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)


class RemovedBundledBankRow(Base):
    """A bundled bank the user deleted: never loaded again on start."""

    __tablename__ = "removed_bundled_banks"

    bank_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    source_hash: Mapped[str | None] = mapped_column(String(64))
    """The hash of the shipped file when it was deleted, so that file is not even parsed."""
    removed_at: Mapped[datetime] = mapped_column(default=utcnow)


# Practice: what each user did with the questions (read and written by :mod:`.practice`).
#
# The practice rows of a question are deleted with it (ON DELETE CASCADE). A question row is only
# ever deleted with its whole bank, because bank updates (bundled or by the user) keep every row
# and retire the dropped ones; so the cascade removes history only when a user deletes a bank,
# and then it must go: kept, it would point at nothing, and importing another bank of the same id
# would silently adopt another bank's history.


def _user_key() -> ForeignKey:
    # Users are disabled, never deleted, so a user's history cannot vanish with an account:
    # the key refuses a delete rather than cascading it.
    return ForeignKey("users.id")


def _question_key() -> tuple[ForeignKeyConstraint, Index]:
    """The foreign key to the question, and the index its cascade needs to find the rows."""
    return (
        ForeignKeyConstraint(
            ["bank_id", "question_id"],
            ["questions.bank_id", "questions.question_id"],
            ondelete="CASCADE",
        ),
        Index(None, "bank_id", "question_id"),
    )


class AttemptRow(Base):
    """One answer by one user, saved before grading; ``grade`` is ``None`` until graded."""

    __tablename__ = "attempts"
    __table_args__ = (
        *_question_key(),
        Index(None, "user_id", "submitted_at"),
        Index(None, "user_id", "bank_id", "question_id"),
        # One attempt per item of a session, whichever process saves it (migrations 0007 and
        # 0008). Attempts outside a session have no session id, and NULLs never collide.
        Index(None, "session_id", "session_item", unique=True),
    )

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    """Made by the caller (the session item's attempt id), so a retry cannot save it twice."""
    user_id: Mapped[str] = mapped_column(_user_key())
    bank_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    question_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    category: Mapped[str] = mapped_column(String(100))
    answer: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime]
    timed_out: Mapped[bool] = mapped_column(default=False)
    session_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    session_item: Mapped[int | None] = mapped_column(Integer)
    """The attempt's place in its session (a question may be answered twice in one)."""
    cram: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Practised in a cram session: graded and kept, never reviewed by FSRS."""
    follow_up: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    """The follow-up item answered (migration 0010), when this answers a follow-up of the
    question (``bank_id``, ``question_id``: the parent, so the foreign key holds) instead."""
    grade: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    """The grader's result (``GradeResult.to_dict()``); SQL NULL until graded."""


class RecordingRow(Base):
    """A spoken answer's recording, stored before it is transcribed (migration 0009).

    ``audio`` is NULL once deleted (by the candidate, or at once when ``keep_audio`` is off);
    the transcript and the delivery metrics stay, for the progress page's trends.
    """

    __tablename__ = "recordings"
    __table_args__ = (
        *_question_key(),
        Index(None, "user_id", "created_at"),
        CheckConstraint(
            "status IN ('queued', 'transcribing', 'transcribed', 'failed')", name="status"
        ),
    )

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    user_id: Mapped[str] = mapped_column(_user_key())
    bank_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    question_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    session_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    item_index: Mapped[int | None] = mapped_column(Integer)
    attempt_id: Mapped[str | None] = mapped_column(
        ForeignKey("attempts.id", ondelete="SET NULL"), index=True
    )
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    # Deferred: status polls and lists must not read megabytes of audio they do not show.
    audio: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    duration: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20))
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    error: Mapped[str | None] = mapped_column(Text)
    transcript: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    delivery: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    grade: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    """The grade of an answer graded outside a session (a question's page)."""
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CardStateRow(Base):
    """One user's FSRS card for one question; ``due``, ``reps`` and ``lapses`` repeat parts of it
    for the queue and the progress page."""

    __tablename__ = "card_states"
    __table_args__ = (*_question_key(), Index(None, "user_id", "due"))

    user_id: Mapped[str] = mapped_column(_user_key(), primary_key=True)
    bank_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    card: Mapped[dict[str, Any]]
    due: Mapped[datetime]
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)


class ReviewLogRow(Base):
    """One rating of one question (a ``ReviewLogEntry``), kept to optimise FSRS later."""

    __tablename__ = "review_logs"
    __table_args__ = (
        *_question_key(),
        Index(None, "user_id", "reviewed_at"),
        UniqueConstraint("id"),
        # One review per attempt: a second, concurrent rating is refused (migration 0007).
        Index(None, "attempt_id", unique=True),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    """Insertion order, which breaks ties between reviews made in the same instant."""
    id: Mapped[str] = mapped_column(String(ID_LENGTH))
    """The entry's own id; unique, so a repeated request cannot log one review twice."""
    user_id: Mapped[str] = mapped_column(_user_key())
    bank_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    question_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    card_id: Mapped[int] = mapped_column(BigInteger)
    rating: Mapped[str] = mapped_column(String(10))
    reviewed_at: Mapped[datetime]
    phase_before: Mapped[str | None] = mapped_column(String(20))
    due_before: Mapped[datetime | None]
    due_after: Mapped[datetime]
    suggested: Mapped[str | None] = mapped_column(String(10))
    attempt_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    duration_ms: Mapped[int | None] = mapped_column(BigInteger)


class PracticeSessionRow(Base):
    """A practice session as ``PracticeSession.to_dict()`` wrote it, to resume or summarise."""

    __tablename__ = "practice_sessions"
    __table_args__ = (Index(None, "user_id", "finished", "created_at"),)

    user_id: Mapped[str] = mapped_column(_user_key(), primary_key=True)
    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    data: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished: Mapped[bool] = mapped_column(default=False)
    progress: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """How far the session has come (steps started, submitted, graded, rated); it only grows,
    so a write carrying less progress than the stored row is a stale copy and is refused."""


class InterviewPlanRow(Base):
    """A user's interview date and the questions it covers (``InterviewPlan.to_dict()``)."""

    __tablename__ = "interview_plans"

    user_id: Mapped[str] = mapped_column(_user_key(), primary_key=True)
    interview_on: Mapped[date] = mapped_column(Date)
    scope: Mapped[dict[str, Any]]
    set_at: Mapped[datetime]


# Accounts (read and written by :mod:`.accounts`). Secrets are never stored: sessions and API
# tokens are kept as the SHA-256 of the random token the browser or script holds, so a copy of
# the database does not let anyone in; passwords as argon2id hashes.


class UserRow(Base):
    """An account; ``local`` is the single-user mode's user, who owns the history made before
    accounts existed and cannot log in (no password)."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('candidate', 'coach', 'admin')", name="role"),)

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20))
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set with a one-time password an admin handed over: the user chooses their own first.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())


class WebSessionRow(Base):
    """A logged-in browser: the cookie's token hashed, its CSRF token, and when it expires."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class ApiTokenRow(Base):
    """A user's token for scripts, sent in the ``Authorization`` header."""

    __tablename__ = "api_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]


class LoginFailureRow(Base):
    """One failed login, counted against its account and its address (see accounts/throttle)."""

    __tablename__ = "login_failures"
    __table_args__ = (Index(None, "key", "failed_at"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    failed_at: Mapped[datetime]


# Cohorts (read and written by :mod:`.cohorts`): a coach's group of users, joined by invitation.


class CohortRow(Base):
    __tablename__ = "cohorts"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(_user_key())
    created_at: Mapped[datetime]


class CohortMemberRow(Base):
    """A user in a cohort, as a coach (who sees the cohort) or a member (who is seen)."""

    __tablename__ = "cohort_members"
    __table_args__ = (CheckConstraint("role IN ('coach', 'member')", name="role"),)

    cohort_id: Mapped[str] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(_user_key(), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(20))
    joined_at: Mapped[datetime]


class CohortInvitationRow(Base):
    """An invitation link into a cohort; the link's token is kept only as its SHA-256."""

    __tablename__ = "cohort_invitations"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    cohort_id: Mapped[str] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[str] = mapped_column(_user_key())
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class AssignmentRow(Base):
    """Work a coach set a cohort: a bank (or one category of it) to practise by a date."""

    __tablename__ = "assignments"
    __table_args__ = (Index(None, "cohort_id", "due_at"),)

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    cohort_id: Mapped[str] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    bank_id: Mapped[str] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"))
    category: Mapped[str | None] = mapped_column(String(100))
    due_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(_user_key())
    created_at: Mapped[datetime]
