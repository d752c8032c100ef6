"""The banks that ship with the app: loaded on first start, updated when a newer version ships.

Only banks stored as bundled are ever touched; a user's own bank is left alone even if a bundled
bank has its id, and a bundled bank the user deleted stays deleted (``removed_bundled_banks``).
Several processes may start at once (web workers, a CLI command): the writing
happens under a lock and re-reads the stored versions first, so each bank is written once.

Reading and checking a bank file takes a good part of a second, on every start. So the SHA-256
of each file's bytes is stored with its bank, and a file whose hash is already stored is not
parsed at all: most starts read the files' bytes, hash them and run one query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..domain import Bank
from .bank_writer import write_bank
from .bundled_files import BUNDLED_FOLDER as BUNDLED_FOLDER
from .bundled_files import bundled_bank_files, file_hash
from .database import BUNDLED_SYNC_LOCK, Database
from .records import BundledSync, SyncAction
from .schema import BankRow, RemovedBundledBankRow


@dataclass(frozen=True)
class _Stored:
    version: int
    bundled: bool
    source_hash: str | None
    removed: bool = False
    """A bundled bank the user deleted (``removed_bundled_banks``), not a stored bank."""


@dataclass(frozen=True)
class _Source:
    """A bank to sync, with the hash of the file it was read from (``None``: not from a file)."""

    bank: Bank
    source_hash: str | None = None


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


def _stored(session: Session) -> dict[str, _Stored]:
    rows = session.execute(
        select(BankRow.id, BankRow.version, BankRow.bundled, BankRow.source_hash)
    )
    stored = {
        bank_id: _Stored(version, bundled, digest) for bank_id, version, bundled, digest in rows
    }
    # A bundled bank the user deleted counts as the user's: it is never brought back.
    for bank_id, version, digest in session.execute(
        select(
            RemovedBundledBankRow.bank_id,
            RemovedBundledBankRow.version,
            RemovedBundledBankRow.source_hash,
        )
    ):
        stored.setdefault(bank_id, _Stored(version, False, digest, removed=True))
    return stored


def _plan(stored: dict[str, _Stored], sources: list[_Source]) -> list[BundledSync]:
    plan = []
    for source in sources:
        bank = source.bank
        action: SyncAction
        if bank.id not in stored:
            action = "added"
        elif not stored[bank.id].bundled:
            action = "skipped"
        elif bank.version > stored[bank.id].version:
            action = "updated"
        else:
            action = "unchanged"
        plan.append(BundledSync(bank_id=bank.id, action=action, version=bank.version))
    return plan


def _hash_to_record(stored: dict[str, _Stored], source: _Source, change: BundledSync) -> bool:
    """True when a file was read whose hash is not yet stored: that of an unchanged bundled bank
    (a file edited without a version bump, or a database from before hashes were kept), or of
    one skipped (the user's bank has its id, or the user deleted it), which would otherwise be
    read on every start to find that out again."""
    return (
        change.action in ("unchanged", "skipped")
        and source.source_hash is not None
        and stored[change.bank_id].source_hash != source.source_hash
    )


def _sync(db: Database, sources: list[_Source]) -> list[BundledSync]:
    # Most starts find everything current: check without taking the write lock.
    with db.session() as session:
        stored = _stored(session)
    plan = _plan(stored, sources)
    if not any(
        change.action in ("added", "updated") or _hash_to_record(stored, source, change)
        for source, change in zip(sources, plan, strict=True)
    ):
        return plan
    with db.session(write=True) as session:
        db.lock(session, BUNDLED_SYNC_LOCK)
        stored = _stored(session)  # another process may have done it meanwhile
        plan = _plan(stored, sources)
        for source, change in zip(sources, plan, strict=True):
            if change.action in ("added", "updated"):
                write_bank(session, source.bank, bundled=True, source_hash=source.source_hash)
            elif _hash_to_record(stored, source, change) and stored[change.bank_id].removed:
                session.execute(
                    update(RemovedBundledBankRow)
                    .where(RemovedBundledBankRow.bank_id == change.bank_id)
                    .values(source_hash=source.source_hash)
                )
            elif _hash_to_record(stored, source, change):
                # A bundled bank's hash, or that of the file skipped for the user's bank.
                session.execute(
                    update(BankRow)
                    .where(BankRow.id == change.bank_id)
                    .values(source_hash=source.source_hash)
                )
    return plan


def sync_bundled_banks(
    db: Database, banks: Iterable[Bank] | None = None, *, folder: Path | None = None
) -> list[BundledSync]:
    """Store the bundled banks that are missing or older in the database.

    Args:
        banks: the bundled banks; by default those read from the package's ``data/banks`` (or
            ``folder``), skipping the files whose hash is stored with their bank.
        folder: where to read the bank files when ``banks`` is not given.

    Returns:
        What happened to each bank, in the order of ``banks`` or of the files.

    Raises:
        BankFormatError: a shipped file that had to be read is broken.
    """
    if banks is not None:
        return _sync(db, [_Source(bank) for bank in banks])
    files = [(path, path.read_bytes()) for path in bundled_bank_files(folder)]
    if not files:
        return []
    hashes = [file_hash(data) for _, data in files]
    with db.session() as session:
        known = {
            digest: BundledSync(bank_id=bank_id, action="unchanged", version=version)
            for bank_id, version, digest in session.execute(
                select(BankRow.id, BankRow.version, BankRow.source_hash).where(
                    BankRow.bundled.is_(True), BankRow.source_hash.in_(hashes)
                )
            )
        }
        # A user's bank with a bundled bank's id keeps the hash of the file skipped for it.
        known.update(
            (digest, BundledSync(bank_id=bank_id, action="skipped", version=version))
            for bank_id, version, digest in session.execute(
                select(BankRow.id, BankRow.version, BankRow.source_hash).where(
                    BankRow.bundled.is_(False), BankRow.source_hash.in_(hashes)
                )
            )
        )
        known.update(
            (digest, BundledSync(bank_id=bank_id, action="skipped", version=version))
            for bank_id, version, digest in session.execute(
                select(
                    RemovedBundledBankRow.bank_id,
                    RemovedBundledBankRow.version,
                    RemovedBundledBankRow.source_hash,
                ).where(RemovedBundledBankRow.source_hash.in_(hashes))
            )
        )
    unread = [(path, data, digest) for (path, data), digest in zip(files, hashes, strict=True)]
    unread = [(path, data, digest) for path, data, digest in unread if digest not in known]
    changes: dict[str, BundledSync] = {}
    if unread:
        from ..formats import read_bank_bytes  # only when a file has to be read

        sources = [
            _Source(read_bank_bytes(data, path.name, shipped=True), digest)
            for path, data, digest in unread
        ]
        for (_, _, digest), change in zip(unread, _sync(db, sources), strict=True):
            changes[digest] = change
    return [known.get(digest) or changes[digest] for digest in hashes]
