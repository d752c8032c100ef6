"""What every command shares: resolved settings, one database handle, and the consoles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.console import Console

from ..settings import Config, load_config

if TYPE_CHECKING:
    from ..storage.database import Database

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


@dataclass
class CliState:
    overrides: dict[str, Any] = field(default_factory=dict)
    _database: Database | None = None

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

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
            self._database = None
        self.overrides.clear()


state = CliState()
