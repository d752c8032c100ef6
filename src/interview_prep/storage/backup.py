"""Backups: every table to one portable file and back, and the database's integrity checks.

A backup is gzip-compressed JSON lines: a header (format, schema revision, when), then one line
per row, table by table in foreign-key order. It is read through the same models on SQLite and
PostgreSQL, so a backup of either restores into either. The copy is taken in one transaction, a
consistent snapshot while the app keeps running (repeatable read on PostgreSQL; on SQLite a read
transaction sees one state of the write-ahead log). Restoring replaces everything in one
transaction: it is whole or it did not happen.

The search index is not in the file: SQLite's triggers and PostgreSQL's generated columns rebuild
it as the questions are inserted.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Integer, Table, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from ..errors import InvalidInputError
from .database import Database, stored_revisions
from .migrations import HEAD_REVISION
from .schema import Base, UTCDateTime

FORMAT = "interview-prep/backup"
FORMAT_VERSION = 1


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _encode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    encoded = dict(row)
    for column in table.columns:
        value = encoded.get(column.name)
        if isinstance(value, datetime):
            encoded[column.name] = value.isoformat()
    return encoded


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    decoded = dict(row)
    for column in table.columns:
        value = decoded.get(column.name)
        if isinstance(column.type, UTCDateTime) and isinstance(value, str):
            decoded[column.name] = datetime.fromisoformat(value)
    return decoded


@dataclass(frozen=True)
class BackupSummary:
    """What a backup or restore moved: rows per table."""

    revision: str
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def backup(db: Database, path: Path) -> BackupSummary:
    """Write every row of the database to ``path`` (written to a temporary name, then renamed,
    so a failed backup never leaves a half file under the real name)."""
    counts: dict[str, int] = {}
    partial = path.with_name(path.name + ".partial")
    engine = db.engine
    if db.dialect == "postgresql":
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    with (
        engine.connect() as connection,
        connection.begin(),
        gzip.open(partial, "wt", encoding="utf-8") as out,
    ):
        header = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "revision": HEAD_REVISION,
            "dialect": db.dialect,
            "created_at": datetime.now(UTC).isoformat(),
        }
        out.write(json.dumps(header) + "\n")
        for table in _tables():
            counts[table.name] = 0
            key = list(table.primary_key.columns)
            for row in connection.execute(select(table).order_by(*key)).mappings():
                line = {"table": table.name, "row": _encode(table, dict(row))}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
                counts[table.name] += 1
    partial.replace(path)
    return BackupSummary(HEAD_REVISION, counts)


def _lines(handle: IO[str], source: str) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(handle, start=2):
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise InvalidInputError(
                f"{source}, line {number}: not a backup line ({error})"
            ) from None
        if not isinstance(item, dict) or "table" not in item or "row" not in item:
            raise InvalidInputError(f"{source}, line {number}: not a backup line")
        yield item


def restore(db: Database, path: Path) -> BackupSummary:
    """Replace everything in the database with the backup at ``path``, in one transaction.

    Raises:
        InvalidInputError: the file is not a backup, is damaged, or was made by another schema
            revision (restore it with the version of the app that made it, then upgrade).
    """
    source = str(path)
    tables = {table.name: table for table in _tables()}
    counts = dict.fromkeys(tables, 0)
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            header = json.loads(handle.readline() or "null")
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise InvalidInputError(f"{source} is not an Interview Prep backup")
            if header.get("revision") != HEAD_REVISION:
                raise InvalidInputError(
                    f"{source} was made at schema revision {header.get('revision')}; this app is "
                    f"at {HEAD_REVISION}: restore it with the app version that made it"
                )
            with db.session(write=True) as session:
                for table in reversed(list(tables.values())):
                    session.execute(table.delete())
                for item in _lines(handle, source):
                    table = tables.get(item["table"])
                    if table is None:
                        raise InvalidInputError(f"{source}: unknown table {item['table']!r}")
                    session.execute(table.insert().values(**_decode(table, item["row"])))
                    counts[table.name] += 1
                if db.dialect == "postgresql":
                    _advance_sequences(session, tables.values())
    except (OSError, EOFError, gzip.BadGzipFile, json.JSONDecodeError) as error:
        raise InvalidInputError(f"{source} cannot be read as a backup: {error}") from None
    except SQLAlchemyError as error:
        raise InvalidInputError(f"{source} does not fit this database: {error}") from None
    return BackupSummary(HEAD_REVISION, counts)


def _advance_sequences(session: Any, tables: Any) -> None:
    # Rows came with their integer keys; the sequences must move past them, or the next insert
    # would take a key that is already used.
    for table in tables:
        for column in table.primary_key.columns:
            if isinstance(column.type, Integer) and column.autoincrement in (True, "auto"):
                top = session.scalar(select(func.max(column)))
                session.execute(
                    text("SELECT setval(pg_get_serial_sequence(:table, :column), :value, :called)"),
                    {
                        "table": table.name,
                        "column": column.name,
                        "value": top or 1,
                        "called": top is not None,
                    },
                )


def check(db: Database) -> list[str]:
    """The database's integrity checks, as Anki's "Check database"; returns the problems found.

    Checks the schema revision, the storage engine's own integrity check (SQLite), every foreign
    key, the search index against the questions (SQLite), and that every practice session's
    document reads.
    """
    from ..practice.sessions import PracticeSession
    from .schema import PracticeSessionRow

    problems: list[str] = []
    with db.engine.connect() as connection:
        revisions = stored_revisions(connection)
        if revisions != {HEAD_REVISION}:
            problems.append(
                f"schema revision {sorted(revisions)} is not {HEAD_REVISION}: "
                "run `interview-prep db upgrade`"
            )
        if db.dialect == "sqlite":
            result = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
            if result != ["ok"]:
                problems.extend(f"SQLite integrity: {line}" for line in result)
            for table, rowid, parent, _ in connection.exec_driver_sql("PRAGMA foreign_key_check"):
                problems.append(f"{table} row {rowid} refers to a missing {parent} row")
            try:
                connection.exec_driver_sql(
                    "INSERT INTO questions_fts(questions_fts, rank) VALUES ('integrity-check', 1)"
                )
            except SQLAlchemyError as error:
                problems.append(f"the search index does not match the questions: {error}")
            connection.rollback()
    with db.session() as session:
        for user_id, session_id, data in session.execute(
            select(PracticeSessionRow.user_id, PracticeSessionRow.id, PracticeSessionRow.data)
        ):
            try:
                loaded = PracticeSession.from_dict(data)
            except (KeyError, TypeError, ValueError) as error:
                problems.append(f"practice session {session_id} cannot be read: {error}")
                continue
            if loaded.user_id != user_id:
                problems.append(f"practice session {session_id} names another user inside")
    return problems
