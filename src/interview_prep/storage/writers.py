"""How the CLI stores an imported bank: through SQLAlchemy, or quickly through ``sqlite3``.

``import`` stores one bank in one transaction. On a SQLite file that is ready as it is (see
:mod:`.sqlite_file`) it needs neither SQLAlchemy nor the ORM schema, a third of a second of the
command: :class:`SQLiteWriter` writes the bank through the standard library, and checks in the
write's own transaction (``BEGIN IMMEDIATE``, which holds the write lock) that the file is
ready. When it is not, it writes nothing and hands the bank to the normal way: a
:class:`RepositoryWriter` over the database that :func:`.database.open_database` opened (and
migrated, and gave its bundled banks). PostgreSQL always goes the normal way. Both writers are a
:class:`BankWriter`.

What the SQLite writer stores is what :func:`.repository.import_bank` stores, in the steps of
:func:`.bank_writer.write_bank`: the values come from :mod:`.records` (``bank_columns``,
``question_columns``, ``question_tags``), questions are matched by id and updated in place,
those the bank no longer has are retired, and a tag row that stays is kept. As the ORM does, a
column is set only when its value changes: the search index's trigger (migration 0001) rewrites
a question's entries whenever one of its text columns is set. ``tests/storage/test_writers.py``
checks that both ways leave the same rows and the same search index.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..domain import Bank
from .records import (
    ImportResult,
    bank_columns,
    bank_taken,
    check_question_ids,
    question_columns,
    question_tags,
    unstorable_bank,
)
from .sqlite_file import connect, is_ready

if TYPE_CHECKING:
    from .database import Database


class BankWriter(Protocol):
    """What ``import`` stores a bank through; :func:`.repository.import_bank`'s contract."""

    def import_bank(self, bank: Bank, *, replace: bool = False) -> ImportResult: ...


class RepositoryWriter:
    """A :class:`BankWriter` over an open database: :func:`.repository.import_bank` itself."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def import_bank(self, bank: Bank, *, replace: bool = False) -> ImportResult:
        from . import repository  # with SQLAlchemy, only when this path is taken

        return repository.import_bank(self.db, bank, replace=replace)


class SQLiteWriter:
    """A :class:`BankWriter` of the SQLite file at ``url`` through ``sqlite3``, when the file is
    ready as it is; otherwise (and for any URL that is not a plain SQLite file's) the bank goes
    to the writer that ``otherwise`` gives.

    Args:
        folder: where the bundled bank files are (by default the package's).
    """

    def __init__(
        self, url: str, otherwise: Callable[[], BankWriter], *, folder: Path | None = None
    ) -> None:
        self.url = url
        self._otherwise = otherwise
        self._folder = folder

    def import_bank(self, bank: Bank, *, replace: bool = False) -> ImportResult:
        """See :func:`.repository.import_bank` (the bank is the user's, never bundled)."""
        stored = self.import_if_ready(bank, replace=replace)
        return (
            stored if stored is not None else self._otherwise().import_bank(bank, replace=replace)
        )

    def import_if_ready(self, bank: Bank, *, replace: bool = False) -> ImportResult | None:
        """Store ``bank`` through ``sqlite3`` in one transaction, if the file is ready as it is.

        Returns:
            What was stored; ``None`` when the file is not ready (nothing is written then).

        Raises:
            ConflictError: a bank with this id exists and ``replace`` is false.
            BankFormatError: the bank cannot be stored as it is (such as two questions sharing
                an id).
        """
        connection = connect(self.url)
        if connection is None:
            return None
        try:
            connection.row_factory = sqlite3.Row
            try:
                # As the engine sets every connection (storage/database.py), before the BEGIN.
                connection.execute("PRAGMA foreign_keys = ON")
                connection.execute("PRAGMA synchronous = NORMAL")
                connection.execute("BEGIN IMMEDIATE")
                ready = is_ready(connection, self._folder)
            except sqlite3.Error:
                ready = False  # the normal way says what is wrong
            if not ready:
                return None
            result = _write_bank(connection, bank, replace=replace)
            connection.execute("COMMIT")
            return result
        except sqlite3.IntegrityError as error:
            raise unstorable_bank(bank.id, error) from error
        finally:
            if connection.in_transaction:  # not committed: none of it is kept
                connection.execute("ROLLBACK")
            connection.close()


def _write_bank(connection: sqlite3.Connection, bank: Bank, *, replace: bool) -> ImportResult:
    """:func:`.repository.import_bank` of a user's bank, inside the caller's write transaction."""
    row = connection.execute("SELECT * FROM banks WHERE id = ?", (bank.id,)).fetchone()
    if row is not None and not replace:
        raise bank_taken(bank.id)
    check_question_ids(bank)
    now = datetime.now(UTC)
    values = {**bank_columns(bank), "bundled": False}
    # A user's bank keeps its hash: that of the shipped file with its id, if any (see .bundled).
    if row is None:
        _insert(
            connection,
            "banks",
            {"id": bank.id, **values, "source_hash": None, "created_at": now, "updated_at": now},
        )
    else:
        _update(connection, "banks", {**_changed(row, values), "updated_at": now}, id=bank.id)

    stored = {
        question["question_id"]: question
        for question in connection.execute(
            "SELECT * FROM questions WHERE bank_id = ? ORDER BY pk", (bank.id,)
        )
    }
    stored_tags: dict[int, list[str]] = defaultdict(list)
    for pk, tag in connection.execute(
        "SELECT t.question_pk, t.tag FROM question_tags AS t "
        "JOIN questions AS q ON q.pk = t.question_pk WHERE q.bank_id = ?",
        (bank.id,),
    ):
        stored_tags[pk].append(tag)
    for position, question in enumerate(bank.questions):
        columns = question_columns(question, position)
        question_row = stored.get(question.id)
        if question_row is None:
            pk = _insert(
                connection,
                "questions",
                {"bank_id": bank.id, "question_id": question.id, **columns},
            )
        else:
            pk = question_row["pk"]
            _update(connection, "questions", _changed(question_row, columns), pk=pk)
        tags = question_tags(question)
        # Keep the tag rows that stay, as the ORM writer does.
        for tag in stored_tags[pk]:
            if tag not in tags:
                connection.execute(
                    "DELETE FROM question_tags WHERE question_pk = ? AND tag = ?", (pk, tag)
                )
        for tag in tags:
            if tag not in stored_tags[pk]:
                _insert(connection, "question_tags", {"question_pk": pk, "tag": tag})
    current = {question.id for question in bank.questions}
    for question_id, question_row in stored.items():
        if question_id not in current:
            _update(
                connection,
                "questions",
                _changed(question_row, {"retired": True}),
                pk=question_row["pk"],
            )
    return ImportResult(bank_id=bank.id, questions=len(bank.questions), replaced=row is not None)


def _changed(row: sqlite3.Row, values: dict[str, Any]) -> dict[str, Any]:
    """The values that differ from the row's, compared as the ORM compares them: JSON columns
    by the value they hold, booleans as SQLite's 0 and 1."""
    changed = {}
    for name, value in values.items():
        stored = row[name]
        if isinstance(value, dict | list):
            stored = json.loads(stored)
        if stored != value:
            changed[name] = value
    return changed


def _bound(value: Any) -> Any:
    """A value as SQLAlchemy's types bind it on SQLite: JSON as ``json.dumps`` text, a UTC
    datetime as ISO text without an offset (``UTCDateTime``; :mod:`.readers` reads it back)."""
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    return value


def _insert(connection: sqlite3.Connection, table: str, values: dict[str, Any]) -> int:
    """Insert a row; returns its rowid (a question's ``pk``)."""
    names = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    cursor = connection.execute(
        f"INSERT INTO {table} ({names}) VALUES ({marks})",
        {name: _bound(value) for name, value in values.items()},
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _update(connection: sqlite3.Connection, table: str, values: dict[str, Any], **key: Any) -> None:
    """Set ``values`` (only those: see the module's docstring) in the row of ``key``."""
    if not values:
        return
    ((key_name, key_value),) = key.items()
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    connection.execute(
        f"UPDATE {table} SET {assignments} WHERE {key_name} = :key",
        {**{name: _bound(value) for name, value in values.items()}, "key": key_value},
    )
