"""Opening the database: engine, sessions, migrations.

SQLite (the default, a file in the user's data folder) and PostgreSQL (through
``INTERVIEW_PREP_DATABASE_URL``) run the same Alembic migrations, which live in this package and
run on start, so there is no ``alembic.ini`` to ship. A database already up to date is opened
without importing Alembic at all (see :data:`.migrations.HEAD_REVISION`).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from ..errors import ConfigurationError
from .migrations import HEAD_REVISION, SQLITE_MINIMUM

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DIALECTS = ("sqlite", "postgresql")
SQLITE_BUSY_SECONDS = 30
# Keys of PostgreSQL advisory locks, one per job that must not run twice at once.
MIGRATION_LOCK = 0x1E_57_01
BUNDLED_SYNC_LOCK = 0x1E_57_02


class Database:
    """An open database: an engine and its sessions. Safe to share between threads."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url: str = engine.url.render_as_string(hide_password=False)
        self.dialect: str = engine.dialect.name
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # On SQLite a transaction that reads and then writes can fail at once with "database is
        # locked" when another writer got there first; taking the write lock at BEGIN (IMMEDIATE)
        # makes it wait its turn instead.
        writer = engine.execution_options(sqlite_begin="IMMEDIATE")
        self._write_sessions = sessionmaker(writer, expire_on_commit=False)

    def __repr__(self) -> str:
        return f"Database({self.engine.url.render_as_string(hide_password=True)!r})"

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back on error.

        Args:
            write: the transaction will write; on SQLite it takes the write lock at once
                (``BEGIN IMMEDIATE``), waiting for other writers rather than failing midway.
        """
        factory = self._write_sessions if write else self._sessions
        with factory() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def lock(self, session: Session, key: int) -> None:
        """Hold a named lock until the session's transaction ends (PostgreSQL advisory lock).

        On SQLite a write session already excludes every other writer, so this does nothing.
        """
        if self.dialect == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def dialect_insert(dialect: str) -> Any:
    """The dialect's ``insert`` that knows ``ON CONFLICT``. Imported on use: loading the
    PostgreSQL dialect pulls in its asyncpg module too, a cost every CLI start would pay."""
    if dialect == "sqlite":
        from sqlalchemy.dialects import sqlite

        return sqlite.insert
    from sqlalchemy.dialects import postgresql

    return postgresql.insert


def _normalise_url(url: str) -> str:
    # SQLAlchemy reads a bare postgresql:// as psycopg2, which is not installed; psycopg 3 is.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event below issue BEGIN instead of the sqlite3 module, which
    # would otherwise begin lazily and never IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_SECONDS * 1000}")
        cursor.execute("PRAGMA foreign_keys = ON")
        _use_wal(cursor)
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def _use_wal(cursor: Any) -> None:
    """Switch the file to write-ahead logging (it stays so), retrying while others hold it.

    The switch needs the file to itself and, unlike other statements, does not wait for the busy
    timeout: when several processes open a new database at once, all but one get "locked".
    """
    deadline = time.monotonic() + SQLITE_BUSY_SECONDS
    while cursor.execute("PRAGMA journal_mode").fetchone()[0] not in ("wal", "memory"):
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _on_sqlite_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def create_database_engine(url: str) -> Engine:
    """An engine for ``url`` with the settings this app relies on (foreign keys, WAL on SQLite).

    Raises:
        ConfigurationError: the URL cannot be read or names a database other than SQLite or
            PostgreSQL, or this Python's SQLite is too old.
    """
    try:
        parsed = make_url(_normalise_url(url))
    except ArgumentError:
        raise ConfigurationError(f"database URL {url!r} cannot be read") from None
    if parsed.get_backend_name() not in DIALECTS:
        raise ConfigurationError(
            f"database {parsed.get_backend_name()!r} is not supported: use SQLite or PostgreSQL"
        )
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, pool_pre_ping=True)
    if sqlite3.sqlite_version_info < SQLITE_MINIMUM:
        raise ConfigurationError(
            f"this Python's SQLite is version {sqlite3.sqlite_version}; the app needs "
            f"{'.'.join(map(str, SQLITE_MINIMUM))} or newer (or use PostgreSQL)"
        )

    memory = parsed.database in (None, "", ":memory:")
    if not memory:
        Path(str(parsed.database)).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        parsed,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS},
        # An in-memory database lives in one connection; share it.
        **({"poolclass": StaticPool} if memory else {}),
    )
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _alembic_config(connection: Connection | None = None) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration's revision id, as Alembic reads it from the migration scripts.

    The app uses :data:`.migrations.HEAD_REVISION` instead, which needs no Alembic import.
    """
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


def stored_revisions(connection: Connection) -> set[str]:
    """The revisions Alembic recorded as applied (its ``alembic_version`` table), read with
    plain SQL; empty for a database never migrated."""
    if not inspect(connection).has_table("alembic_version"):
        return set()
    return set(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())


def _describe(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def apply_migrations(engine: Engine) -> str:
    """Apply every migration not yet applied, holding a lock so that two processes starting at
    once do not both run them. Returns the head revision.

    Alembic is imported only when the database is not already at the head revision.
    """
    database = Database(engine)
    try:
        with engine.connect() as connection:
            current = stored_revisions(connection)
        if current == {HEAD_REVISION}:
            return HEAD_REVISION
        from alembic import command

        with database.session(write=True) as session:
            database.lock(session, MIGRATION_LOCK)
            connection = session.connection()
            command.upgrade(_alembic_config(connection), "head")
    except OperationalError as error:
        raise ConfigurationError(
            f"cannot open the database {_describe(engine)}: {error.orig or error}"
        ) from error
    return HEAD_REVISION


def upgrade(url: str | None = None) -> str:
    """Bring the database's schema up to date (``interview-prep db upgrade``).

    Args:
        url: SQLAlchemy URL; by default the one from the settings.

    Returns:
        The revision the database is now at (the newest).

    Raises:
        ConfigurationError: the URL is unusable or the database cannot be reached.
    """
    engine = create_database_engine(url or _configured_url())
    try:
        return apply_migrations(engine)
    finally:
        engine.dispose()


def _configured_url() -> str:
    from ..settings import load_config

    return str(load_config().resolved_database_url)


def open_database(
    url: str | None = None, *, migrate: bool = True, sync_bundled: bool = True
) -> Database:
    """Open the app's database, ready to use.

    Args:
        url: SQLAlchemy URL; by default the one from the settings (SQLite in the data folder,
            which is created if missing).
        migrate: apply pending migrations first.
        sync_bundled: load the banks that ship with the app, or update them to a newer version.

    Raises:
        ConfigurationError: the URL is unusable or the database cannot be reached.
    """
    engine = create_database_engine(url or _configured_url())
    try:
        if migrate:
            apply_migrations(engine)
        database = Database(engine)
        if sync_bundled:
            from .bundled import sync_bundled_banks

            for change in sync_bundled_banks(database):
                if change.action != "unchanged":
                    logger.info("bundled bank %s: %s", change.bank_id, change.action)
    except BaseException:
        engine.dispose()
        raise
    return database
