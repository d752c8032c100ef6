"""Moving banks between files and the database: the one place the CLI and the web app share.

Reading and validating a file happens completely before the database is touched, and the import
itself is one transaction, so a bad file never leaves half a bank behind. The follow-up items a
bundled bank ships beside it are read here too, once per bank version.

The storage modules that need SQLAlchemy are imported where they are used: the CLI's ``import``
reads a file here and may store it without them (see :mod:`.storage.writers`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .domain.banks import Bank
from .domain.questions import Question
from .errors import InterviewPrepError, NotFoundError
from .formats import BankFormat, export_bank_file, load_bank_file, read_bank_bytes
from .formats.follow_ups import FollowUp, bundled_follow_ups_file, load_follow_ups_file
from .settings import Config, load_config
from .storage.records import BankSummary, ImportResult

if TYPE_CHECKING:
    from .storage.database import Database
    from .storage.writers import BankWriter

logger = logging.getLogger(__name__)


def _max_bytes(config: Config | None) -> int:
    config = config or load_config()
    return int(config.max_import_mb) * 1024 * 1024


def import_bank_file(
    store: BankWriter,
    path: str | Path,
    fmt: BankFormat | None = None,
    *,
    category: str | None = None,
    bank_id: str | None = None,
    replace: bool = False,
    config: Config | None = None,
) -> ImportResult:
    """Read, validate and store a bank file in one transaction.

    Args:
        store: what stores the bank: ``RepositoryWriter(db)`` for an open database, or the
            CLI's writer (see :mod:`.storage.writers`).

    Raises:
        InterviewPrepError: the file is unreadable or invalid, or the bank exists (without
            ``replace``); nothing is stored in either case.
    """
    bank = load_bank_file(
        path, fmt, category=category, bank_id=bank_id, max_bytes=_max_bytes(config)
    )
    return store.import_bank(bank, replace=replace)


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
    from .storage import repository

    bank = read_bank_bytes(
        data, source, fmt, category=category, bank_id=bank_id, max_bytes=_max_bytes(config)
    )
    return repository.import_bank(db, bank, replace=replace)


def export_bank(db: Database, bank_id: str, fmt: BankFormat, path: str | Path) -> Path:
    """Write a stored bank to a file in any writable format."""
    from .storage import repository

    bank: Bank = repository.get_bank(db, bank_id)
    return export_bank_file(bank, fmt, path)


# Follow-up items. A bundled bank may ship a follow-up file (``data/follow-ups/<bank>.yaml``)
# that makes each follow-up string of its questions a graded item. Reading and checking it
# takes most of a second, so it is done once per bank version in a process, when a practice
# session first needs it; a user's own bank has none.
_FOLLOW_UPS: dict[tuple[str, int], dict[str, tuple[Question, ...]]] = {}
_FOLLOW_UPS_LOCK = threading.Lock()


def follow_up_items(db: Database, bank: BankSummary) -> Mapping[str, tuple[Question, ...]]:
    """The follow-up items of a bank's questions, by parent question id, each parent's in its
    order; empty for a bank without a follow-up file (every user's bank).

    A shipped file that does not fit its bank (a bug in a release) gives no follow-ups, with a
    warning in the log, rather than stopping practice.
    """
    path = bundled_follow_ups_file(bank.id) if bank.bundled else None
    if path is None:
        return {}
    from .storage import repository

    key = (bank.id, bank.version)
    with _FOLLOW_UPS_LOCK:
        if key not in _FOLLOW_UPS:
            by_parent: dict[str, list[FollowUp]] = {}
            try:
                for follow_up in load_follow_ups_file(
                    path, repository.get_bank(db, bank.id), shipped=True
                ):
                    by_parent.setdefault(follow_up.parent, []).append(follow_up)
            except InterviewPrepError as error:
                logger.warning("follow-ups of bank %s left out: %s", bank.id, error.message)
                by_parent = {}
            _FOLLOW_UPS[key] = {
                parent: tuple(f.question for f in sorted(items, key=lambda f: f.index))
                for parent, items in by_parent.items()
            }
        return _FOLLOW_UPS[key]


def follow_up_question(
    db: Database, bank: BankSummary, parent_id: str, follow_up_id: str
) -> Question:
    """The follow-up item ``follow_up_id`` of question ``parent_id``.

    Raises:
        NotFoundError: the bank no longer has this follow-up.
    """
    for question in follow_up_items(db, bank).get(parent_id, ()):
        if question.id == follow_up_id:
            return question
    raise NotFoundError(f"the follow-up {follow_up_id!r} is no longer in bank {bank.id!r}")
