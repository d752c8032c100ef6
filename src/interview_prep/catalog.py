"""Moving banks between files and the database: the one place the CLI and the web app share.

Reading and validating a file happens completely before the database is touched, and the import
itself is one transaction, so a bad file never leaves half a bank behind.
"""

from __future__ import annotations

from pathlib import Path

from .domain.banks import Bank
from .formats import BankFormat, export_bank_file, load_bank_file, read_bank_bytes
from .settings import Config, load_config
from .storage import repository
from .storage.database import Database
from .storage.records import ImportResult


def _max_bytes(config: Config | None) -> int:
    config = config or load_config()
    return int(config.max_import_mb) * 1024 * 1024


def import_bank_file(
    db: Database,
    path: str | Path,
    fmt: BankFormat | None = None,
    *,
    category: str | None = None,
    bank_id: str | None = None,
    replace: bool = False,
    config: Config | None = None,
) -> ImportResult:
    """Read, validate and store a bank file in one transaction.

    Raises:
        InterviewPrepError: the file is unreadable or invalid, or the bank exists (without
            ``replace``); nothing is stored in either case.
    """
    bank = load_bank_file(
        path, fmt, category=category, bank_id=bank_id, max_bytes=_max_bytes(config)
    )
    return repository.import_bank(db, bank, replace=replace)


def import_bank_bytes(
    db: Database,
    data: bytes,
    source: str,
    fmt: BankFormat | None = None,
    *,
    category: str | None = None,
    bank_id: str | None = None,
    replace: bool = False,
    config: Config | None = None,
) -> ImportResult:
    """Like :func:`import_bank_file`, for an upload already in memory."""
    bank = read_bank_bytes(
        data, source, fmt, category=category, bank_id=bank_id, max_bytes=_max_bytes(config)
    )
    return repository.import_bank(db, bank, replace=replace)


def export_bank(db: Database, bank_id: str, fmt: BankFormat, path: str | Path) -> Path:
    """Write a stored bank to a file in any writable format."""
    bank: Bank = repository.get_bank(db, bank_id)
    return export_bank_file(bank, fmt, path)
