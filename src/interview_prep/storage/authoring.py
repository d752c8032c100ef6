"""Storing what a user writes in the browser: banks of their own, and questions saved one at a time
with every earlier version kept.

Each function is one transaction. A question's *revision* is the number of its newest stored
version (0 before its first edit); a save names the revision it was edited from and is refused
with :class:`EditConflictError` when another save came first, so two windows cannot overwrite
each other unseen. Banks that ship with the app are read-only here (copy them first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import Bank, Question
from ..errors import ConflictError, EditConflictError, NotFoundError, ReadOnlyError
from .bank_writer import fill_question, write_bank
from .database import Database
from .schema import BankRow, QuestionRow, QuestionVersionRow, utcnow


@dataclass(frozen=True)
class QuestionVersion:
    """One stored state of a question."""

    number: int
    question: Question
    action: str
    saved_at: datetime


@dataclass(frozen=True)
class SavedQuestion:
    """What a save stored: the question and its new revision."""

    bank_id: str
    question: Question
    revision: int


def _own_bank(session: Session, bank_id: str) -> BankRow:
    row = session.get(BankRow, bank_id)
    if row is None:
        raise NotFoundError(f"no bank {bank_id!r}")
    if row.bundled:
        raise ReadOnlyError(
            f"the bank {row.title!r} ships with the app and is read-only: copy it to a bank of "
            "your own to change it"
        )
    return row


def _touch(row: BankRow) -> None:
    # A new edition on every change: pages cached for the old one are no longer served.
    row.version += 1
    row.updated_at = utcnow()


def create_bank(
    db: Database, bank_id: str, title: str, role: str = "", description: str = ""
) -> None:
    """Store a new, empty bank of the user's.

    Raises:
        ConflictError: a bank with this id exists.
    """
    with db.session(write=True) as session:
        if session.get(BankRow, bank_id) is not None:
            raise ConflictError(f"a bank with id {bank_id!r} already exists: choose another id")
        now = utcnow()
        session.add(
            BankRow(
                id=bank_id,
                title=title,
                role=role,
                description=description,
                version=1,
                bundled=False,
                categories=[],
                created_at=now,
                updated_at=now,
            )
        )


def update_bank_details(
    db: Database, bank_id: str, *, title: str, role: str, description: str
) -> None:
    """Rename a bank of the user's, or change its role and description.

    Raises:
        NotFoundError: no such bank.
        ReadOnlyError: the bank ships with the app.
    """
    with db.session(write=True) as session:
        row = _own_bank(session, bank_id)
        row.title, row.role, row.description = title, role, description
        _touch(row)


def copy_bank(db: Database, bank: Bank, new_id: str, title: str) -> None:
    """Store ``bank`` (read from the database) again as the user's own under ``new_id``.

    The copy shares nothing with the original: an update of a bundled original never reaches it.

    Raises:
        ConflictError: a bank with ``new_id`` exists.
    """
    copy = Bank(
        id=new_id,
        title=title,
        role=bank.role,
        description=bank.description,
        version=1,
        categories=bank.categories,
        questions=bank.questions,
    )
    with db.session(write=True) as session:
        if session.get(BankRow, new_id) is not None:
            raise ConflictError(f"a bank with id {new_id!r} already exists: choose another id")
        write_bank(session, copy, bundled=False)


def _revision(session: Session, bank_id: str, question_id: str) -> int:
    newest = session.scalar(
        select(func.max(QuestionVersionRow.number)).where(
            QuestionVersionRow.bank_id == bank_id, QuestionVersionRow.question_id == question_id
        )
    )
    return int(newest or 0)


def question_revision(db: Database, bank_id: str, question_id: str) -> int:
    """The number of the question's newest stored version (0: never edited here)."""
    with db.session() as session:
        return _revision(session, bank_id, question_id)


def _add_version(
    session: Session, row: QuestionRow, number: int, action: str, rubric: dict[str, Any]
) -> None:
    session.add(
        QuestionVersionRow(
            bank_id=row.bank_id,
            question_id=row.question_id,
            number=number,
            rubric=rubric,
            action=action,
            saved_at=utcnow(),
        )
    )


def _question_row(session: Session, bank_id: str, question_id: str) -> QuestionRow | None:
    return session.scalar(
        select(QuestionRow).where(
            QuestionRow.bank_id == bank_id, QuestionRow.question_id == question_id
        )
    )


def _check_revision(session: Session, row: QuestionRow, expected: int) -> int:
    current = _revision(session, row.bank_id, row.question_id)
    if current != expected:
        raise EditConflictError(
            f"the question {row.question_id!r} changed in another window or tab after you opened "
            f"it (it is now at version {current}, you edited version {expected}). Nothing was "
            "saved: your text is still in the form; open the question again to see the change"
        )
    if current == 0:
        # The first edit here: keep the state it started from, so that it can be undone.
        _add_version(session, row, 1, "imported", dict(row.rubric))
        current = 1
    return current


def save_question(
    db: Database, bank_id: str, question: Question, *, revision: int | None
) -> SavedQuestion:
    """Store a question of a user's bank, keeping the previous version.

    Args:
        revision: the revision the edit started from; ``None`` to add a new question.

    Raises:
        NotFoundError: no such bank, or no such question to edit.
        ReadOnlyError: the bank ships with the app.
        ConflictError: a new question's id is taken in the bank.
        EditConflictError: another save changed the question since ``revision``.
    """
    with db.session(write=True) as session:
        bank = _own_bank(session, bank_id)
        row = _question_row(session, bank_id, question.id)
        if revision is None:
            if row is not None and not row.retired:
                raise ConflictError(
                    f"the bank already has a question with id {question.id!r}: choose another id"
                )
            current = _revision(session, bank_id, question.id) if row is not None else 0
            position = session.scalar(
                select(func.coalesce(func.max(QuestionRow.position) + 1, 0)).where(
                    QuestionRow.bank_id == bank_id
                )
            )
            if row is None:
                row = QuestionRow(bank_id=bank_id, question_id=question.id)
                session.add(row)
            fill_question(row, question, int(position or 0))
            action = "created"
        else:
            if row is None or row.retired:
                raise NotFoundError(f"no question {question.id!r} in bank {bank_id!r}")
            current = _check_revision(session, row, revision)
            fill_question(row, question, row.position)
            action = "edited"
        session.flush()
        _add_version(session, row, current + 1, action, question.to_dict())
        if question.category not in bank.categories:
            bank.categories = [*bank.categories, question.category]
        _touch(bank)
        return SavedQuestion(bank_id, question, current + 1)


def delete_question(db: Database, bank_id: str, question_id: str, *, revision: int) -> int:
    """Take a question out of its bank. Its row, attempts and versions stay, so it can be
    restored from its history (:func:`restore_version`). Returns the new revision."""
    with db.session(write=True) as session:
        bank = _own_bank(session, bank_id)
        row = _question_row(session, bank_id, question_id)
        if row is None or row.retired:
            raise NotFoundError(f"no question {question_id!r} in bank {bank_id!r}")
        current = _check_revision(session, row, revision)
        row.retired = True
        _add_version(session, row, current + 1, "deleted", dict(row.rubric))
        _touch(bank)
        return current + 1


def question_history(db: Database, bank_id: str, question_id: str) -> list[QuestionVersion]:
    """Every stored version of a question, newest first."""
    with db.session() as session:
        rows = session.scalars(
            select(QuestionVersionRow)
            .where(
                QuestionVersionRow.bank_id == bank_id,
                QuestionVersionRow.question_id == question_id,
            )
            .order_by(QuestionVersionRow.number.desc())
        ).all()
        return [
            QuestionVersion(row.number, Question.from_dict(row.rubric), row.action, row.saved_at)
            for row in rows
        ]


def restore_version(
    db: Database, bank_id: str, question_id: str, number: int, *, revision: int, action: str
) -> SavedQuestion:
    """Make an earlier version the current one, stored as a new version (history only grows).

    Raises:
        NotFoundError: no such question or version.
        EditConflictError: another save changed the question since ``revision``.
    """
    with db.session(write=True) as session:
        bank = _own_bank(session, bank_id)
        row = _question_row(session, bank_id, question_id)
        if row is None:
            raise NotFoundError(f"no question {question_id!r} in bank {bank_id!r}")
        current = _check_revision(session, row, revision)
        version = session.scalar(
            select(QuestionVersionRow).where(
                QuestionVersionRow.bank_id == bank_id,
                QuestionVersionRow.question_id == question_id,
                QuestionVersionRow.number == number,
            )
        )
        if version is None:
            raise NotFoundError(f"question {question_id!r} has no version {number}")
        question = Question.from_dict(version.rubric)
        fill_question(row, question, row.position)
        _add_version(session, row, current + 1, action, question.to_dict())
        if question.category not in bank.categories:
            bank.categories = [*bank.categories, question.category]
        _touch(bank)
        return SavedQuestion(bank_id, question, current + 1)
