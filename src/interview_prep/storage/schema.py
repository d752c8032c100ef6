"""The tables, as typed SQLAlchemy models.

The migrations in ``migrations/versions`` create these tables; a test checks that the two agree on
SQLite and PostgreSQL. The search index is not modelled here: it is an FTS5 table on SQLite and a
generated ``search_vector`` column on PostgreSQL, both made by the migration and read by
:mod:`.search`.

A question is known to the rest of the app by ``(bank_id, question_id)``; that pair never changes
meaning, because banks are updated in place (rows kept, dropped questions retired). ``pk`` is an
internal integer key that the full-text index needs; tables added later (users' attempts, review
state) should reference ``(bank_id, question_id)``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
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
