"""What every command shares: resolved settings, one database handle, and the consoles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.console import Console

from ..settings import Config, load_config

if TYPE_CHECKING:
    from ..storage.database import Database
    from ..storage.readers import BankReader, SQLiteReader
    from ..storage.writers import BankWriter

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


@dataclass
class CliState:
    overrides: dict[str, Any] = field(default_factory=dict)
    _database: Database | None = None
    _sqlite_reader: SQLiteReader | None = None

    def config(self, **more: Any) -> Config:
        return load_config({**self.overrides, **more})

    def database(self) -> Database:
        """Open (migrating and loading bundled banks on first use) the configured database."""
        if self._database is None:
            from ..storage.database import open_database

            config = self.config()
            if not config.database_url:
                config.data_path.mkdir(parents=True, exist_ok=True)
            self._database = open_database(config.resolved_database_url)
        return self._database

    def reader(self) -> BankReader:
        """What the browsing commands read banks and questions through.

        A SQLite file that is ready as it is (see :mod:`interview_prep.storage.readers`) is read
        through ``sqlite3``, without importing SQLAlchemy: a third of a second of each command.
        Otherwise the database is opened (migrated, bundled banks loaded) as for any command.
        """
        from ..storage.readers import RepositoryReader

        return self.sqlite_reader() or RepositoryReader(self.database())

    def sqlite_reader(self) -> SQLiteReader | None:
        """The SQLite file through ``sqlite3`` when it is ready as it is, else ``None``."""
        if self._sqlite_reader is None and self._database is None:
            from ..storage.readers import open_sqlite_reader

            self._sqlite_reader = open_sqlite_reader(self.config().resolved_database_url)
        return self._sqlite_reader

    def writer(self) -> BankWriter:
        """What ``import`` stores a bank through.

        A plain SQLite file is written through ``sqlite3``, without importing SQLAlchemy, when
        it is ready as it is (checked in the import's own transaction: see
        :mod:`interview_prep.storage.writers`); otherwise, and always on PostgreSQL, through the
        database opened as for any command.
        """
        from ..storage.sqlite_file import sqlite_path
        from ..storage.writers import RepositoryWriter, SQLiteWriter

        url = self.config().resolved_database_url
        if self._database is None and sqlite_path(url) is not None:
            return SQLiteWriter(url, lambda: RepositoryWriter(self.database()))
        return RepositoryWriter(self.database())

    def close(self) -> None:
        if self._sqlite_reader is not None:
            self._sqlite_reader.close()
            self._sqlite_reader = None
        if self._database is not None:
            self._database.close()
            self._database = None
        self.overrides.clear()


state = CliState()
