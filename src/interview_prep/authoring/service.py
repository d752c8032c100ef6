"""Writing banks: what the browser (and any other edge) calls to create, edit, undo, copy,
delete, import and export banks and their questions.

Every change is checked before anything is stored, with the bank format's own messages, and is
one transaction (see :mod:`interview_prep.storage.authoring`). Every function that changes a
bank is the one named action ``manage-banks`` (``Action.MANAGE_BANKS``), which the edges check
before calling them.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain import Bank
from ..domain.questions import is_slug, slugify
from ..errors import BankFormatError, InvalidInputError, NotFoundError
from ..formats import BankFormat, dump_bank, export_bank_file, read_bank_bytes
from ..formats.validation import Problem, question_problems
from ..storage import authoring as store
from ..storage import repository
from ..storage.database import Database
from ..storage.records import ImportResult
from .forms import FormData, question_data, question_of

EXPORT_SUFFIX = {
    BankFormat.YAML: ".yaml",
    BankFormat.JSON: ".json",
    BankFormat.MARKDOWN: ".md",
    BankFormat.ANKI: ".apkg",
}
EXPORT_MEDIA_TYPE = {
    BankFormat.YAML: "application/yaml",
    BankFormat.JSON: "application/json",
    BankFormat.MARKDOWN: "text/markdown; charset=utf-8",
    BankFormat.ANKI: "application/octet-stream",
}


def bank_details_problems(bank_id: str, title: str) -> list[Problem]:
    problems = []
    if not is_slug(bank_id) or len(bank_id) > 120:
        problems.append(
            Problem("id", f"{bank_id!r} must be lower-case words joined by hyphens (like 'my-id')")
        )
    if not title.strip():
        problems.append(Problem("title", "the title cannot be empty"))
    elif len(title) > 200:
        problems.append(Problem("title", "the title is longer than 200 characters"))
    return problems


def _raise_first(problems: list[Problem]) -> None:
    if problems:
        first = problems[0]
        where = f"field {first.field}: " if first.field else ""
        raise InvalidInputError(where + first.message)


def create_bank(
    db: Database, bank_id: str, title: str, role: str = "", description: str = ""
) -> None:
    """A new empty bank of the user's.

    Raises:
        InvalidInputError: the id or title is unusable.
        ConflictError: the id is taken.
    """
    bank_id = bank_id.strip() or slugify(title)
    _raise_first(bank_details_problems(bank_id, title))
    store.create_bank(db, bank_id, title.strip(), role.strip(), description.strip())


def update_bank(db: Database, bank_id: str, title: str, role: str, description: str) -> None:
    """Rename a bank of the user's, or change its role and description."""
    _raise_first(bank_details_problems(bank_id, title))
    store.update_bank_details(
        db, bank_id, title=title.strip(), role=role.strip(), description=description.strip()
    )


def delete_bank(db: Database, bank_id: str) -> None:
    """Delete a bank with its practice history; a bundled bank stays deleted."""
    repository.delete_bank(db, bank_id)


def copy_bank(db: Database, bank_id: str) -> str:
    """Copy a bank (bundled or not) to a new bank of the user's; returns the new bank's id."""
    bank = repository.get_bank(db, bank_id)
    taken = {summary.id for summary in repository.list_banks(db)}
    new_id, number = f"{bank.id}-copy", 2
    while new_id in taken:
        new_id, number = f"{bank.id}-copy-{number}", number + 1
    store.copy_bank(db, bank, new_id, f"{bank.title} (my copy)")
    return new_id


def _others(db: Database, bank_id: str, question_id: str | None) -> list[dict[str, Any]]:
    bank = repository.get_bank(db, bank_id)
    return [q.to_dict() for q in bank.questions if q.id != question_id]


def check_question(
    db: Database, bank_id: str, form: FormData, editing: str | None
) -> tuple[dict[str, Any], list[Problem]]:
    """The question a form describes and its problems (none: it can be saved)."""
    data = question_data(form)
    if editing is not None:
        data["id"] = editing  # an id is never changed: attempts and reviews refer to it
    return data, question_problems(data, _others(db, bank_id, editing))


def save_question(
    db: Database, bank_id: str, form: FormData, *, editing: str | None, revision: int | None
) -> store.SavedQuestion:
    """Check and store a question written in the form, keeping its previous version.

    Args:
        editing: the id of the question edited; ``None`` to add a new one.
        revision: the revision the edit started from (see :mod:`..storage.authoring`).

    Raises:
        InvalidInputError: the form has a problem (the first is named).
        ConflictError, EditConflictError, ReadOnlyError, NotFoundError: as the storage says.
    """
    data, problems = check_question(db, bank_id, form, editing)
    _raise_first(problems)
    return store.save_question(
        db, bank_id, question_of(data), revision=revision if editing is not None else None
    )


def undo_question(
    db: Database, bank_id: str, question_id: str, *, revision: int
) -> store.SavedQuestion:
    """Undo the last change of a question (an undo of an undo redoes it), as Anki's undo does:
    the state before it becomes current again, stored as a new version.

    Raises:
        NotFoundError: nothing to undo.
        EditConflictError: the question changed since ``revision``.
    """
    if revision < 2:
        raise NotFoundError(f"the question {question_id!r} has no earlier version to go back to")
    return store.restore_version(
        db, bank_id, question_id, revision - 1, revision=revision, action="undone"
    )


def restore_question(
    db: Database, bank_id: str, question_id: str, number: int, *, revision: int
) -> store.SavedQuestion:
    """Make version ``number`` of a question current again."""
    return store.restore_version(
        db, bank_id, question_id, number, revision=revision, action="restored"
    )


def delete_question(db: Database, bank_id: str, question_id: str, *, revision: int) -> int:
    """Take a question out of its bank; its history stays, so undo brings it back."""
    return store.delete_question(db, bank_id, question_id, revision=revision)


# Import and export


@dataclass(frozen=True)
class ImportPreview:
    """What importing a file would do, before anything is stored."""

    bank: Bank
    exists: bool
    bundled: bool
    added: list[str]
    changed: list[str]
    unchanged: list[str]
    removed: list[str]


def preview_import(
    db: Database, data: bytes, filename: str, *, title: str | None = None, max_bytes: int
) -> ImportPreview:
    """Read an uploaded bank file and compare it with the stored bank of the same id.

    Args:
        title: seed pages: the title the user chose instead of the page's own (the id follows).

    Raises:
        BankFormatError: the file is not a bank (the message says why and where).
    """
    bank = read_upload(data, filename, max_bytes=max_bytes)
    if title is not None and title.strip() and title.strip() != bank.title:
        bank = Bank(
            id=slugify(title) if bank.id == slugify(bank.title) else bank.id,
            title=title.strip(),
            role=bank.role,
            description=bank.description,
            version=bank.version,
            categories=bank.categories,
            questions=bank.questions,
        )
    try:
        stored = repository.get_bank(db, bank.id)
    except NotFoundError:
        return ImportPreview(bank, False, False, [q.id for q in bank.questions], [], [], [])
    summary = next(s for s in repository.list_banks(db) if s.id == bank.id)
    old = {q.id: q for q in stored.questions}
    new_ids = {q.id for q in bank.questions}
    return ImportPreview(
        bank=bank,
        exists=True,
        bundled=summary.bundled,
        added=[q.id for q in bank.questions if q.id not in old],
        changed=[q.id for q in bank.questions if q.id in old and old[q.id] != q],
        unchanged=[q.id for q in bank.questions if q.id in old and old[q.id] == q],
        removed=[qid for qid in old if qid not in new_ids],
    )


def read_upload(data: bytes, filename: str, *, max_bytes: int) -> Bank:
    """A bank from an uploaded file in any readable format, Anki decks included."""
    return read_bank_bytes(data, filename, max_bytes=max_bytes)


def confirm_import(db: Database, bank: Bank) -> ImportResult:
    """Store a previewed bank: a new bank, or an update in place of one of the user's."""
    try:
        summary = next(s for s in repository.list_banks(db) if s.id == bank.id)
    except StopIteration:
        return repository.import_bank(db, bank)
    if summary.bundled:
        raise BankFormatError(
            f"the bank {bank.id!r} ships with the app and is read-only: copy it first, or "
            "import the file under another id"
        )
    return repository.import_bank(db, bank, replace=True)


def export_bank(db: Database, bank_id: str, fmt: BankFormat) -> tuple[bytes, str]:
    """A bank as a file's bytes in ``fmt``, and the file's name."""
    bank = repository.get_bank(db, bank_id)
    name = bank.id + EXPORT_SUFFIX[fmt]
    if fmt is not BankFormat.ANKI:
        return dump_bank(bank, fmt).encode("utf-8"), name
    with tempfile.TemporaryDirectory() as folder:
        path = export_bank_file(bank, fmt, Path(folder) / name)
        return path.read_bytes(), name
