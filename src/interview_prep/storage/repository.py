"""Reading and writing banks and questions: the functions the web app and the CLI call.

Every function takes the :class:`~.database.Database`, runs in its own transaction and returns
plain records (see :mod:`.records`). Retired questions never appear in listings, counts or search.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, delete, exists, func, select, text
from sqlalchemy.exc import DataError, IntegrityError, ResourceClosedError
from sqlalchemy.orm import Session

from ..domain import Bank, Difficulty
from ..errors import NotFoundError
from ..input_policy import MAX_OFFSET, bounded_int
from . import fulltext
from .bank_writer import write_bank
from .database import Database
from .ranking import Execute, Narrowing, checked_difficulty, count_matches, ranked_page
from .records import (
    BankSummary,
    ImportResult,
    QuestionRecord,
    SearchHit,
    bank_summaries,
    bank_taken,
    question_record,
    split_reference,
    the_question,
    unstorable_bank,
    whole_bank,
)
from .schema import BankRow, QuestionRow, QuestionTagRow, RemovedBundledBankRow


def list_banks(db: Database) -> list[BankSummary]:
    """Every bank, by title, with its current questions counted per category."""
    with db.session() as session:
        banks = session.scalars(select(BankRow)).all()
        per_category = session.execute(
            select(
                QuestionRow.bank_id,
                QuestionRow.category,
                func.count(),
                func.min(QuestionRow.position),
            )
            .where(QuestionRow.retired.is_(False))
            .group_by(QuestionRow.bank_id, QuestionRow.category)
        ).all()
        tag_rows = session.execute(
            select(QuestionRow.bank_id, QuestionTagRow.tag)
            .join(QuestionTagRow, QuestionTagRow.question_pk == QuestionRow.pk)
            .where(QuestionRow.retired.is_(False))
            .distinct()
        ).all()
    return bank_summaries(banks, per_category, tag_rows)


def banks_revision(db: Database) -> tuple[int, str]:
    """A value that changes whenever a bank is added, changed or deleted; one cheap query, for
    caches of what :func:`list_banks` returns (the web app checks it on every page)."""
    with db.session() as session:
        count, latest = session.execute(select(func.count(), func.max(BankRow.updated_at))).one()
    return int(count), latest.isoformat() if latest is not None else ""


def get_bank(db: Database, bank_id: str) -> Bank:
    """The whole bank with its current questions in order.

    Raises:
        NotFoundError: no bank has this id.
    """
    with db.session() as session:
        bank = session.get(BankRow, bank_id)
        if bank is None:
            raise NotFoundError(f"no bank {bank_id!r}")
        rows = session.scalars(
            _filtered(select(QuestionRow), bank=bank_id).order_by(QuestionRow.position)
        ).all()
        return whole_bank(bank, rows)


def session_execute(session: Session) -> Execute:
    """The session's way to run the plain SQL of :mod:`.ranking`."""

    def execute(statement: str, values: dict[str, Any]) -> Sequence[Any]:
        result = session.execute(text(statement), values)
        try:
            return result.all()
        except ResourceClosedError:  # a statement without rows (SET LOCAL)
            return []

    return execute


def _filtered(
    statement: Select[Any],
    *,
    bank: str | None = None,
    category: str | None = None,
    difficulty: str | Difficulty | None = None,
    tag: str | None = None,
) -> Select[Any]:
    statement = statement.where(QuestionRow.retired.is_(False))
    if bank is not None:
        statement = statement.where(QuestionRow.bank_id == bank)
    if category is not None:
        statement = statement.where(QuestionRow.category == category)
    if difficulty is not None:
        statement = statement.where(QuestionRow.difficulty == checked_difficulty(difficulty))
    if tag is not None:
        statement = statement.where(
            exists().where(QuestionTagRow.question_pk == QuestionRow.pk, QuestionTagRow.tag == tag)
        )
    return statement


def _check_page(limit: int | None, offset: int) -> None:
    # Both databases hold 64-bit integers: a larger offset would fail inside the driver.
    bounded_int(offset, "offset", 0, MAX_OFFSET)
    if limit is not None:
        bounded_int(limit, "limit", 0, MAX_OFFSET)


def _page(statement: Select[Any], limit: int | None, offset: int) -> Select[Any]:
    _check_page(limit, offset)
    return statement.limit(limit).offset(offset or None)


def _rows_in_order(session: Session, pks: list[int]) -> list[QuestionRow]:
    """The question rows of ``pks``, in that order."""
    if not pks:
        return []
    rows = {
        row.pk: row for row in session.scalars(select(QuestionRow).where(QuestionRow.pk.in_(pks)))
    }
    return [rows[pk] for pk in pks]


def list_questions(
    db: Database,
    *,
    bank: str | None = None,
    category: str | None = None,
    difficulty: str | Difficulty | None = None,
    tag: str | None = None,
    search: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[QuestionRecord]:
    """Current questions matching every filter given.

    Args:
        search: words to look for (see :func:`search`); results then come best first, otherwise
            by bank and position.

    Raises:
        InvalidInputError: an unknown difficulty, or a negative limit or offset.
    """
    if search is not None and search.strip():
        narrowing = Narrowing.checked(bank, category, difficulty, tag)
        _check_page(limit, offset)
        query = fulltext.parse_query(search)
        if query is None:
            return []
        with db.session() as session:
            page = ranked_page(
                session_execute(session), db.dialect, query, narrowing, limit=limit, offset=offset
            )
            return [question_record(row) for row in _rows_in_order(session, [pk for pk, _ in page])]
    statement = _filtered(
        select(QuestionRow), bank=bank, category=category, difficulty=difficulty, tag=tag
    ).order_by(QuestionRow.bank_id, QuestionRow.position)
    statement = _page(statement, limit, offset)
    with db.session() as session:
        return [question_record(row) for row in session.scalars(statement)]


def count_questions(
    db: Database,
    *,
    bank: str | None = None,
    category: str | None = None,
    difficulty: str | Difficulty | None = None,
    tag: str | None = None,
    search: str | None = None,
) -> int:
    """How many questions :func:`list_questions` would return without a limit."""
    if search is not None and search.strip():
        narrowing = Narrowing.checked(bank, category, difficulty, tag)
        query = fulltext.parse_query(search)
        if query is None:
            return 0
        with db.session() as session:
            return count_matches(session_execute(session), db.dialect, query, narrowing)
    counted = _filtered(
        select(func.count()).select_from(QuestionRow),
        bank=bank,
        category=category,
        difficulty=difficulty,
        tag=tag,
    )
    with db.session() as session:
        return int(session.scalar(counted) or 0)


def get_question(db: Database, question_id: str, *, bank: str | None = None) -> QuestionRecord:
    """One question by id, retired or not.

    Args:
        question_id: the question's id, or ``bank/id``.
        bank: the bank to look in; without it, the id must belong to one bank only (a current
            question wins over retired ones).

    Raises:
        NotFoundError: no such question.
        InvalidInputError: the id exists in several banks and no bank was given.
    """
    question_id, bank = split_reference(question_id, bank)
    statement = select(QuestionRow).where(QuestionRow.question_id == question_id)
    if bank is not None:
        statement = statement.where(QuestionRow.bank_id == bank)
    with db.session() as session:
        rows = session.scalars(statement.order_by(QuestionRow.bank_id)).all()
    return the_question(rows, question_id, bank)


def neighbours(
    db: Database, record: QuestionRecord
) -> tuple[QuestionRecord | None, QuestionRecord | None]:
    """The current questions just before and just after ``record`` in its bank."""
    base = _filtered(select(QuestionRow), bank=record.bank_id)
    before = base.where(QuestionRow.position < record.position)
    after = base.where(QuestionRow.position > record.position)
    with db.session() as session:
        previous = session.scalars(before.order_by(QuestionRow.position.desc()).limit(1)).first()
        following = session.scalars(after.order_by(QuestionRow.position).limit(1)).first()
        return (
            question_record(previous) if previous is not None else None,
            question_record(following) if following is not None else None,
        )


def search(
    db: Database,
    text: str,
    *,
    bank: str | None = None,
    category: str | None = None,
    difficulty: str | Difficulty | None = None,
    tag: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[SearchHit]:
    """Search question texts, model answers, key points and tags; best matches first.

    Any text is safe to pass as is: it is cut into words, never read as query syntax. The last
    word matches as a prefix, for search as you type. Questions whose own text has every word
    come first, then those with them in their key points or tags (see :mod:`.ranking`).

    Returns:
        Hits with a snippet of safe HTML (matches in ``<mark>``); ``[]`` for blank text.

    Raises:
        InvalidInputError: an unknown difficulty, or a negative limit or offset.
    """
    query = fulltext.parse_query(text)
    if query is None:
        return []
    narrowing = Narrowing.checked(bank, category, difficulty, tag)
    _check_page(limit, offset)
    with db.session() as session:
        page = ranked_page(
            session_execute(session), db.dialect, query, narrowing, limit=limit, offset=offset
        )
        pks = [pk for pk, _ in page]
        rows = _rows_in_order(session, pks)
        marked = fulltext.snippets(session, db.dialect, query, pks)
    return [
        SearchHit(
            record=question_record(row),
            rank=rank,
            snippet=marked.get(row.pk) or fulltext.plain_snippet(row.question),
        )
        for row, (_, rank) in zip(rows, page, strict=True)
    ]


def import_bank(
    db: Database, bank: Bank, *, replace: bool = False, bundled: bool = False
) -> ImportResult:
    """Store a whole bank in one transaction: on any failure nothing is stored.

    Args:
        replace: update a stored bank of the same id in place (questions kept by id, those no
            longer in ``bank`` retired); the bank then belongs to the user, not the app.
        bundled: the bank ships with the app (kept up to date on start).

    Raises:
        ConflictError: a bank with this id exists and ``replace`` is false.
        BankFormatError: the bank cannot be stored as it is (such as two questions sharing an id).
    """
    try:
        with db.session(write=True) as session:
            if not replace and _exists(session, bank.id):
                raise bank_taken(bank.id)
            return write_bank(session, bank, bundled=bundled)
    except IntegrityError as error:
        # Another process stored the same bank id between our check and our insert.
        if not replace and _bank_exists(db, bank.id):
            raise bank_taken(bank.id) from error
        raise unstorable_bank(bank.id, error.orig) from error
    except DataError as error:  # such as a NUL character, which PostgreSQL text cannot hold
        raise unstorable_bank(bank.id, error.orig) from error


def _exists(session: Session, bank_id: str) -> bool:
    return session.get(BankRow, bank_id) is not None


def _bank_exists(db: Database, bank_id: str) -> bool:
    with db.session() as session:
        return _exists(session, bank_id)


def delete_bank(db: Database, bank_id: str) -> None:
    """Delete a bank, all its questions, and all practice of them (attempts, reviews, sessions).

    A deleted bundled bank stays deleted: it is remembered (with its file's hash) so that the
    next start does not load it again.

    Raises:
        NotFoundError: no bank has this id.
    """
    with db.session(write=True) as session:
        row = session.get(BankRow, bank_id)
        if row is None:
            raise NotFoundError(f"no bank {bank_id!r}")
        if row.bundled:
            session.merge(
                RemovedBundledBankRow(
                    bank_id=bank_id, version=row.version, source_hash=row.source_hash
                )
            )
        session.execute(delete(BankRow).where(BankRow.id == bank_id))
        # Attempts, card states and reviews go by foreign-key cascade; sessions keep their
        # questions in JSON, out of the cascade's reach. (Imported here: the practice modules
        # are no part of browsing the banks.)
        from .practice import delete_sessions_of_bank

        delete_sessions_of_bank(session, bank_id)
