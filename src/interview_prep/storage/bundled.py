"""The banks that ship with the app: loaded on first start, updated when a newer version ships.

Only banks stored as bundled are ever touched; a user's own bank is left alone even if a bundled
bank has its id. Several processes may start at once (web workers, a CLI command): the writing
happens under a lock and re-reads the stored versions first, so each bank is written once.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import Bank
from .bank_writer import write_bank
from .database import BUNDLED_SYNC_LOCK, Database
from .records import BundledSync, SyncAction
from .schema import BankRow

BUNDLED_FOLDER = Path(__file__).resolve().parent.parent / "data" / "banks"


def bundled_bank_files(folder: Path | None = None) -> list[Path]:
    """The bank files shipped with the app (``data/banks/*.yaml``), by name."""
    folder = BUNDLED_FOLDER if folder is None else folder
    return sorted(path for path in folder.glob("*.yaml") if path.is_file())


def load_bundled_banks(folder: Path | None = None) -> list[Bank]:
    """Read and check every bundled bank file.

    Raises:
        BankFormatError: a shipped file is broken (a bug in the release, named with its file).
    """
    files = bundled_bank_files(folder)
    if not files:
        return []
    from ..formats import load_bank_file  # only when there is something to read

    return [load_bank_file(path) for path in files]


def _plan(session: Session, banks: list[Bank]) -> list[BundledSync]:
    stored = {
        bank_id: (version, bundled)
        for bank_id, version, bundled in session.execute(
            select(BankRow.id, BankRow.version, BankRow.bundled)
        )
    }
    plan = []
    for bank in banks:
        action: SyncAction
        if bank.id not in stored:
            action = "added"
        elif not stored[bank.id][1]:
            action = "skipped"
        elif bank.version > stored[bank.id][0]:
            action = "updated"
        else:
            action = "unchanged"
        plan.append(BundledSync(bank_id=bank.id, action=action, version=bank.version))
    return plan


def sync_bundled_banks(db: Database, banks: Iterable[Bank] | None = None) -> list[BundledSync]:
    """Store the bundled banks that are missing or older in the database.

    Args:
        banks: the bundled banks; by default those read from the package's ``data/banks``.

    Returns:
        What happened to each bank.
    """
    banks = load_bundled_banks() if banks is None else list(banks)
    if not banks:
        return []
    # Most starts find everything current: check without taking the write lock.
    with db.session() as session:
        plan = _plan(session, banks)
    if all(change.action in ("unchanged", "skipped") for change in plan):
        return plan
    with db.session(write=True) as session:
        db.lock(session, BUNDLED_SYNC_LOCK)
        plan = _plan(session, banks)  # another process may have done it meanwhile
        for bank, change in zip(banks, plan, strict=True):
            if change.action in ("added", "updated"):
                write_bank(session, bank, bundled=True)
    return plan
