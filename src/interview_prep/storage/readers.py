"""How the CLI reads banks, questions and the practice history: through SQLAlchemy, or quickly
through ``sqlite3``.

A command that only reads from a SQLite file has no need of SQLAlchemy once the database is
ready as it is (see :mod:`.sqlite_file`): :func:`open_sqlite_reader` then opens the file with
the standard library. Otherwise it returns ``None``, and the caller opens the database the
normal way (:func:`.database.open_database`), which does what is needed, and reads it through a
:class:`RepositoryReader`. PostgreSQL is always opened the normal way. Both readers are a
:class:`BankReader`.

Only the queries are written again here, as plain SQL: the rows become records through the
functions :mod:`.repository` and :mod:`.practice` use (:mod:`.records`,
:mod:`.practice_records`), and the filters and the search are the statements of :mod:`.ranking`.
``tests/storage/test_readers.py`` checks that both ways return the same records.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from ..domain import Bank, Difficulty
from ..errors import NotFoundError
from .fulltext import parse_query
from .ranking import Narrowing, ranked_page
from .records import (
    BankSummary,
    QuestionRecord,
    bank_summaries,
    question_record,
    split_reference,
    the_question,
    whole_bank,
)
from .sqlite_file import connect, is_ready

if TYPE_CHECKING:
    from ..practice.attempts import Attempt
    from ..practice.scheduling import ReviewLogEntry
    from .database import Database


class BankReader(Protocol):
    """What the CLI's browsing commands read; the methods are :mod:`.repository`'s functions of
    the same names."""

    def list_banks(self) -> list[BankSummary]: ...

    def get_bank(self, bank_id: str) -> Bank: ...

    def list_questions(
        self,
        *,
        bank: str | None = None,
        category: str | None = None,
        difficulty: str | Difficulty | None = None,
        tag: str | None = None,
        search: str | None = None,
    ) -> list[QuestionRecord]: ...

    def get_question(self, question_id: str, *, bank: str | None = None) -> QuestionRecord: ...


class PracticeHistory(Protocol):
    """What ``export-history`` reads: a practice store, or a :class:`SQLiteReader`."""

    def attempts(self, user_id: str) -> list[Attempt]: ...

    def follow_up_attempts(self, user_id: str) -> list[Attempt]: ...

    def review_logs(self, user_id: str) -> list[ReviewLogEntry]: ...


class RepositoryReader:
    """A :class:`BankReader` over an open database: the repository's functions themselves."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def list_banks(self) -> list[BankSummary]:
        from . import repository  # with SQLAlchemy, only when this path is taken

        return repository.list_banks(self.db)

    def get_bank(self, bank_id: str) -> Bank:
        from . import repository

        return repository.get_bank(self.db, bank_id)

    def list_questions(
        self,
        *,
        bank: str | None = None,
        category: str | None = None,
        difficulty: str | Difficulty | None = None,
        tag: str | None = None,
        search: str | None = None,
    ) -> list[QuestionRecord]:
        from . import repository

        return repository.list_questions(
            self.db, bank=bank, category=category, difficulty=difficulty, tag=tag, search=search
        )

    def get_question(self, question_id: str, *, bank: str | None = None) -> QuestionRecord:
        from . import repository

        return repository.get_question(self.db, question_id, bank=bank)


class _BankRow(NamedTuple):
    id: str
    title: str
    role: str
    description: str
    version: int
    bundled: bool
    categories: list[str]


class _QuestionRow(NamedTuple):
    bank_id: str
    position: int
    rubric: dict[str, Any]
    retired: bool


_BANK = "SELECT id, title, role, description, version, bundled, categories FROM banks"
_QUESTIONS = "SELECT q.bank_id, q.position, q.rubric, q.retired FROM questions AS q WHERE "
_PER_CATEGORY = (
    "SELECT bank_id, category, count(*), min(position) FROM questions WHERE retired = 0 "
    "GROUP BY bank_id, category"
)
_TAGS = (
    "SELECT DISTINCT q.bank_id, t.tag FROM questions AS q "
    "JOIN question_tags AS t ON t.question_pk = q.pk WHERE q.retired = 0"
)


class _AttemptRow(NamedTuple):
    id: str
    user_id: str
    bank_id: str
    question_id: str
    category: str
    answer: str
    source: str
    started_at: datetime | None
    submitted_at: datetime
    timed_out: bool
    session_id: str | None
    session_item: int | None
    cram: bool
    follow_up: str | None
    grade: dict[str, Any] | None


class _ReviewRow(NamedTuple):
    id: str
    bank_id: str
    question_id: str
    card_id: int
    rating: str
    reviewed_at: datetime
    phase_before: str | None
    due_before: datetime | None
    due_after: datetime
    suggested: str | None
    attempt_id: str | None
    duration_ms: int | None


_ATTEMPTS = (
    "SELECT id, user_id, bank_id, question_id, category, answer, source, started_at, "
    "submitted_at, timed_out, session_id, session_item, cram, follow_up, grade FROM attempts "
    "WHERE user_id = :user AND follow_up IS {kind} NULL ORDER BY submitted_at, id"
)
_REVIEWS = (
    "SELECT id, bank_id, question_id, card_id, rating, reviewed_at, phase_before, due_before, "
    "due_after, suggested, attempt_id, duration_ms FROM review_logs WHERE user_id = :user "
    "ORDER BY reviewed_at, pk"
)


def _moment(value: str | None) -> datetime | None:
    # Stored as SQLAlchemy stores a UTC datetime on SQLite: ISO text without an offset.
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def _attempt(row: tuple[Any, ...]) -> _AttemptRow:
    (id_, user, bank_id, question_id, category, answer, source) = row[:7]
    started, submitted, timed_out, session_id, item, cram, follow_up, grade = row[7:]
    submitted_at = _moment(submitted)
    assert submitted_at is not None  # the column is NOT NULL
    return _AttemptRow(
        *(id_, user, bank_id, question_id, category, answer, source, _moment(started)),
        *(submitted_at, bool(timed_out), session_id, item, bool(cram), follow_up),
        json.loads(grade) if grade is not None else None,
    )


def _review(row: tuple[Any, ...]) -> _ReviewRow:
    (id_, bank_id, question_id, card_id, rating, reviewed, phase, before, after) = row[:9]
    reviewed_at, due_after = _moment(reviewed), _moment(after)
    assert reviewed_at is not None and due_after is not None  # NOT NULL columns
    return _ReviewRow(
        *(id_, bank_id, question_id, card_id, rating, reviewed_at, phase, _moment(before)),
        due_after,
        *row[9:],
    )


def _bank(row: tuple[Any, ...]) -> _BankRow:
    # SQLite keeps booleans as 0 and 1, and JSON columns as text.
    bank_id, title, role, description, version, bundled, categories = row
    return _BankRow(
        bank_id, title, role, description, version, bool(bundled), json.loads(categories)
    )


def _question(row: tuple[Any, ...]) -> _QuestionRow:
    return _QuestionRow(row[0], row[1], json.loads(row[2]), bool(row[3]))


class SQLiteReader:
    """A :class:`BankReader` of a ready SQLite database, read in one transaction (one snapshot)
    until :meth:`close`."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def _rows(self, statement: str, values: dict[str, Any] | None = None) -> list[Any]:
        return self._connection.execute(statement, values or {}).fetchall()

    def _questions(self, condition: str, values: dict[str, Any]) -> list[_QuestionRow]:
        return [_question(row) for row in self._rows(_QUESTIONS + condition, values)]

    def list_banks(self) -> list[BankSummary]:
        """See :func:`.repository.list_banks`."""
        banks = [_bank(row) for row in self._rows(_BANK)]
        return bank_summaries(banks, self._rows(_PER_CATEGORY), self._rows(_TAGS))

    def get_bank(self, bank_id: str) -> Bank:
        """See :func:`.repository.get_bank`."""
        rows = self._rows(_BANK + " WHERE id = :id", {"id": bank_id})
        if not rows:
            raise NotFoundError(f"no bank {bank_id!r}")
        current = "q.retired = 0 AND q.bank_id = :bank ORDER BY q.position"
        return whole_bank(_bank(rows[0]), self._questions(current, {"bank": bank_id}))

    def list_questions(
        self,
        *,
        bank: str | None = None,
        category: str | None = None,
        difficulty: str | Difficulty | None = None,
        tag: str | None = None,
        search: str | None = None,
    ) -> list[QuestionRecord]:
        """See :func:`.repository.list_questions` (without pages: the CLI lists them all)."""
        narrowing = Narrowing.checked(bank, category, difficulty, tag)
        if search is not None and search.strip():
            query = parse_query(search)
            if query is None:
                return []
            page = ranked_page(self._rows, "sqlite", query, narrowing, limit=None)
            pks = [pk for pk, _ in page]
            marks = ", ".join(f":pk_{index}" for index in range(len(pks)))
            values = {f"pk_{index}": pk for index, pk in enumerate(pks)}
            rows = self._rows(
                "SELECT q.pk, q.bank_id, q.position, q.rubric, q.retired FROM questions AS q "
                f"WHERE q.pk IN ({marks})",
                values,
            )
            by_pk = {row[0]: _question(row[1:]) for row in rows}
            return [question_record(by_pk[pk]) for pk in pks]
        where, values = narrowing.where("sqlite")
        rows = self._questions(f"{where} ORDER BY q.bank_id, q.position", values)
        return [question_record(row) for row in rows]

    def get_question(self, question_id: str, *, bank: str | None = None) -> QuestionRecord:
        """See :func:`.repository.get_question`."""
        question_id, bank = split_reference(question_id, bank)
        condition = "q.question_id = :id" + (" AND q.bank_id = :bank" if bank is not None else "")
        rows = self._questions(condition + " ORDER BY q.bank_id", {"id": question_id, "bank": bank})
        return the_question(rows, question_id, bank)

    # The history, for export-history: the practice store's methods of the same names.

    def attempts(self, user_id: str) -> list[Attempt]:
        """See :meth:`.practice.DatabasePracticeStore.attempts`."""
        from .practice_records import attempt_record

        rows = self._rows(_ATTEMPTS.format(kind=""), {"user": user_id})
        return [attempt_record(_attempt(row)) for row in rows]

    def follow_up_attempts(self, user_id: str) -> list[Attempt]:
        """See :meth:`.practice.DatabasePracticeStore.follow_up_attempts`."""
        from .practice_records import attempt_record

        rows = self._rows(_ATTEMPTS.format(kind="NOT"), {"user": user_id})
        return [attempt_record(_attempt(row)) for row in rows]

    def review_logs(self, user_id: str) -> list[ReviewLogEntry]:
        """See :meth:`.practice.DatabasePracticeStore.review_logs`."""
        from .practice_records import review_entry

        return [review_entry(_review(row)) for row in self._rows(_REVIEWS, {"user": user_id})]

    def close(self) -> None:
        """End the read transaction and close the file."""
        self._connection.close()


def open_sqlite_reader(url: str, *, folder: Path | None = None) -> SQLiteReader | None:
    """A reader of the SQLite database at ``url`` when it is ready to read as it is, else
    ``None`` (open it with :func:`.database.open_database` then).

    Args:
        folder: where the bundled bank files are (by default the package's).
    """
    connection = connect(url)
    if connection is None:
        return None
    try:
        # The BEGIN is ours (sqlite3 begins none itself): the checks and the reads see one
        # snapshot.
        connection.execute("BEGIN")
        if is_ready(connection, folder):
            return SQLiteReader(connection)
    except sqlite3.Error:
        pass
    connection.close()
    return None
