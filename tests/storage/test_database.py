"""Opening the database, migrations on both dialects, and starting several processes at once."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from interview_prep.domain import Bank
from interview_prep.errors import ConfigurationError
from interview_prep.storage import (
    Database,
    import_bank,
    list_banks,
    open_database,
    search,
    upgrade,
)
from interview_prep.storage.bundled import sync_bundled_banks
from interview_prep.storage.database import (
    _alembic_config,
    create_database_engine,
    head_revision,
    stored_revisions,
)
from interview_prep.storage.migrations import HEAD_REVISION
from interview_prep.storage.schema import BankRow, Base, is_search_index


def _revision(db: Database) -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_migrations_create_every_table_on_an_empty_database(database_url: str) -> None:
    assert upgrade(database_url) == head_revision()
    engine = create_database_engine(database_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"banks", "questions", "question_tags", "alembic_version"} <= tables


def test_upgrade_is_idempotent(database_url: str) -> None:
    first = upgrade(database_url)
    assert upgrade(database_url) == first
    db = open_database(database_url, sync_bundled=False)
    try:
        assert _revision(db) == first
    finally:
        db.close()


def _ignore_search_index(obj: object, name: str | None, type_: str, *args: object) -> bool:
    return not is_search_index(name)


def test_models_match_the_migrations(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"include_object": _ignore_search_index, "compare_type": True},
        )
        assert compare_metadata(context, Base.metadata) == []


def test_migrations_downgrade_and_upgrade_again(db: Database) -> None:
    with db.session(write=True) as session:
        command.downgrade(_alembic_config(session.connection()), "base")
    with db.engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
    assert upgrade(db.url) == head_revision()


def test_the_head_revision_constant_is_alembics_head() -> None:
    assert head_revision() == HEAD_REVISION


def test_an_up_to_date_database_opens_without_importing_alembic(database_url: str) -> None:
    upgrade(database_url)
    script = textwrap.dedent(
        f"""
        import sys
        from interview_prep.storage import open_database
        open_database({database_url!r}, sync_bundled=False).close()
        print(sorted(name for name in sys.modules if name.split(".")[0] == "alembic"))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_an_older_database_is_upgraded_with_its_banks(db: Database, bank: Bank) -> None:
    import_bank(db, bank)
    with db.session(write=True) as session:
        command.downgrade(_alembic_config(session.connection()), "0002")
    with db.engine.connect() as connection:
        assert stored_revisions(connection) == {"0002"}
    reopened = open_database(db.url, sync_bundled=False)
    try:
        with reopened.engine.connect() as connection:
            assert stored_revisions(connection) == {HEAD_REVISION}
        # The new search columns and indexes cover the questions stored before.
        assert search(reopened, "vanishing gradient")[0].record.id == "vanishing-gradients"
        assert [hit.record.id for hit in search(reopened, "exponentially ")] == [
            "vanishing-gradients"
        ]
    finally:
        reopened.close()


def test_open_database_without_migrate_leaves_an_empty_database(database_url: str) -> None:
    db = open_database(database_url, migrate=False, sync_bundled=False)
    try:
        assert _revision(db) is None
    finally:
        db.close()


def test_sqlite_has_foreign_keys_and_wal(sqlite_url: str) -> None:
    db = open_database(sqlite_url, sync_bundled=False)
    try:
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        db.close()


def test_default_url_is_sqlite_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "not" / "yet" / "there"
    monkeypatch.setenv("INTERVIEW_PREP_DATA_DIR", str(data_dir))
    monkeypatch.delenv("INTERVIEW_PREP_DATABASE_URL", raising=False)
    db = open_database(sync_bundled=False)
    try:
        assert db.dialect == "sqlite"
        assert (data_dir / "interview-prep.db").exists()
    finally:
        db.close()


def test_session_rolls_back_on_error(db: Database, bank: Bank) -> None:
    import_bank(db, bank)
    with pytest.raises(RuntimeError), db.session(write=True) as session:
        session.get_one(BankRow, bank.id).title = "Changed"
        session.flush()
        raise RuntimeError("boom")
    assert list_banks(db)[0].title == bank.title


def test_stored_times_are_utc(db: Database, bank: Bank) -> None:
    import_bank(db, bank)
    with db.session() as session:
        row = session.get_one(BankRow, bank.id)
        assert row.created_at.utcoffset() is not None
        assert row.created_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "url", ["mysql://user@localhost/db", "not a url", "oracle+cx_oracle://x@y/z"]
)
def test_unsupported_urls_are_a_configuration_error(url: str) -> None:
    with pytest.raises(ConfigurationError):
        open_database(url)


def test_an_unreachable_server_is_a_configuration_error() -> None:
    with socket_port() as port:
        url = f"postgresql://nobody@127.0.0.1:{port}/nothing?connect_timeout=2"
        with pytest.raises(ConfigurationError, match="cannot open the database"):
            open_database(url)


class socket_port:
    """A local port with nothing listening on it."""

    def __enter__(self) -> int:
        import socket

        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        port: int = self._socket.getsockname()[1]
        return port  # bound but not listening: connections are refused

    def __exit__(self, *exc: object) -> None:
        self._socket.close()


def test_connection_url_hides_the_password_in_repr() -> None:
    engine = create_database_engine("postgresql://me:secret@127.0.0.1:1/db")
    try:
        assert "secret" not in repr(Database(engine))
        assert Database(engine).url.startswith("postgresql+psycopg://")
    finally:
        engine.dispose()


def test_processes_starting_at_once_do_not_fail(database_url: str, bank: Bank) -> None:
    """Two app processes (here threads with their own engines) migrate and sync together."""
    barrier = threading.Barrier(3)
    errors: list[BaseException] = []

    def start() -> None:
        try:
            barrier.wait()
            db = open_database(database_url, sync_bundled=False)
            try:
                sync_bundled_banks(db, [bank])
            finally:
                db.close()
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    db = open_database(database_url, sync_bundled=False)
    try:
        assert [summary.id for summary in list_banks(db)] == [bank.id]
        with db.engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM questions")).scalar()
        assert count == len(bank.questions)
    finally:
        db.close()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_database_works_across_sessions(url: str, bank: Bank) -> None:
    db = open_database(url, sync_bundled=False)
    try:
        import_bank(db, bank)
        assert list_banks(db)[0].question_count == len(bank.questions)
    finally:
        db.close()
