"""Writing a whole bank into an open transaction: insert a new one or update one in place.

An update never deletes a question row: questions are matched by id and updated, so whatever
refers to ``(bank_id, question_id)`` keeps pointing at the same question; questions the new
version no longer has are marked retired and hidden.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..domain import Bank, Question
from .fulltext import settle_index
from .records import (
    ImportResult,
    bank_columns,
    check_question_ids,
    question_columns,
    question_tags,
)
from .schema import BankRow, QuestionRow, QuestionTagRow, utcnow


def write_bank(
    session: Session, bank: Bank, *, bundled: bool, source_hash: str | None = None
) -> ImportResult:
    """Insert ``bank``, or update the stored bank of the same id to match it.

    Runs inside the caller's transaction, which should be a write session.

    Args:
        bundled: the bank ships with the app.
        source_hash: bundled banks: the hash of the file it was read from (see :mod:`.bundled`);
            a user's bank keeps the hash it has.

    Raises:
        BankFormatError: two questions of the bank share an id.
    """
    check_question_ids(bank)
    now = utcnow()
    row = session.get(BankRow, bank.id)
    replaced = row is not None
    if row is None:
        row = BankRow(id=bank.id, created_at=now)
        session.add(row)
    for name, value in bank_columns(bank).items():
        setattr(row, name, value)
    row.bundled = bundled
    if bundled:
        row.source_hash = source_hash
    # A user's bank keeps its hash: that of the shipped file with its id (the one it was read
    # from, if it was the bundled bank till now), skipped for it on every start (see .bundled).
    row.updated_at = now
    session.flush()

    stored = {
        question.question_id: question
        for question in session.scalars(
            select(QuestionRow)
            .where(QuestionRow.bank_id == bank.id)
            .options(selectinload(QuestionRow.tags))
        )
    }
    seen = {question.id for question in bank.questions}
    for position, question in enumerate(bank.questions):
        question_row = stored.get(question.id)
        if question_row is None:
            question_row = QuestionRow(bank_id=bank.id, question_id=question.id)
            session.add(question_row)
        fill_question(question_row, question, position)
    for question_id, question_row in stored.items():
        if question_id not in seen:
            question_row.retired = True
    session.flush()
    settle_index(session, session.get_bind().dialect.name)
    return ImportResult(bank_id=bank.id, questions=len(bank.questions), replaced=replaced)


def fill_question(row: QuestionRow, question: Question, position: int) -> None:
    """Write ``question`` into its row (and tag rows); the row is current again."""
    for name, value in question_columns(question, position).items():
        setattr(row, name, value)
    tags = question_tags(question)
    # Keep the tag rows that stay: deleting and re-adding the same key in one flush would clash.
    row.tags = [tag for tag in row.tags if tag.tag in tags]
    kept = {tag.tag for tag in row.tags}
    row.tags.extend(QuestionTagRow(tag=tag) for tag in tags if tag not in kept)
