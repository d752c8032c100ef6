"""A SQLite file that the CLI may use through ``sqlite3`` as it is, without SQLAlchemy.

Importing SQLAlchemy and the ORM schema takes about 0.35 s on this project's 2-core machine,
most of the 0.5 s that a command may take (``benchmarks/startup.py``). Opening the database the
normal way (:func:`.database.open_database`) may have work to do first; when it has none, a
command can read (:mod:`.readers`) or import a bank (:mod:`.writers`) through the standard
library. That is so when:

- the URL names a SQLite file (no options) that exists;
- the schema is at :data:`.migrations.HEAD_REVISION`: no migration to run;
- every bundled bank file's hash is stored (see :mod:`.bundled`): no bank to load or update.

PostgreSQL is always opened the normal way.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .bundled_files import bundled_bank_files, file_hash
from .migrations import HEAD_REVISION, SQLITE_MINIMUM

SQLITE_PREFIX = "sqlite:///"
# As the engine's (storage/database.py): wait for a writer rather than fail.
BUSY_SECONDS = 30


def sqlite_path(url: str) -> Path | None:
    """The file of a plain SQLite URL (``sqlite:///path``); ``None`` for any other URL: another
    database, SQLite in memory, or a URL with options or escapes, which SQLAlchemy reads."""
    if not url.startswith(SQLITE_PREFIX):
        return None
    name = url.removeprefix(SQLITE_PREFIX)
    if name in ("", ":memory:") or any(mark in name for mark in "?%"):
        return None
    return Path(name)


def connect(url: str) -> sqlite3.Connection | None:
    """The existing SQLite file of a plain URL, opened through ``sqlite3`` (never created); else
    ``None``. Transactions are the caller's: ``sqlite3`` begins none by itself."""
    path = sqlite_path(url)
    if path is None or not path.is_file() or sqlite3.sqlite_version_info < SQLITE_MINIMUM:
        return None
    try:
        return sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=rw",
            uri=True,
            timeout=BUSY_SECONDS,
            isolation_level=None,
        )
    except sqlite3.Error:
        return None  # the normal way says what is wrong


def is_ready(connection: sqlite3.Connection, folder: Path | None = None) -> bool:
    """True when opening the database the normal way would change nothing: the schema is at the
    head revision and every bundled bank file is stored. Run it in the transaction that uses the
    file, so that what it checked holds for that transaction.

    Args:
        folder: where the bundled bank files are (by default the package's).
    """
    try:
        return at_head(connection) and _bundled_stored(connection, folder)
    except sqlite3.Error:
        return False


def at_head(connection: sqlite3.Connection) -> bool:
    """The schema is at :data:`.migrations.HEAD_REVISION`.

    Raises:
        sqlite3.Error: the file is not this app's database (no such table).
    """
    revisions = {row[0] for row in connection.execute("SELECT version_num FROM alembic_version")}
    return revisions == {HEAD_REVISION}


def at_head_revision(url: str) -> bool:
    """True when ``url`` names a SQLite file whose schema is at the head revision (read through
    ``sqlite3``): ``db upgrade`` then has nothing to do."""
    connection = connect(url)
    if connection is None:
        return False
    try:
        return at_head(connection)
    except sqlite3.Error:
        return False
    finally:
        connection.close()


def _bundled_stored(connection: sqlite3.Connection, folder: Path | None) -> bool:
    """Every bundled bank file is known by its hash (stored with its bank, with the user's bank
    that has its id, or with the bundled bank the user deleted), as
    :func:`.bundled.sync_bundled_banks` checks them."""
    hashes = {file_hash(path.read_bytes()) for path in bundled_bank_files(folder)}
    if not hashes:
        return True
    marks = ", ".join("?" * len(hashes))
    known = {
        row[0]
        for row in connection.execute(
            f"SELECT source_hash FROM banks WHERE source_hash IN ({marks}) "
            f"UNION SELECT source_hash FROM removed_bundled_banks WHERE source_hash IN ({marks})",
            [*hashes, *hashes],
        )
    }
    return hashes <= known
