"""Questions saved one at a time, with versions, undo and stale-edit refusal; bundled banks
read-only and, once deleted, gone for good (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses

import pytest

from interview_prep.domain import Bank
from interview_prep.errors import EditConflictError, ReadOnlyError
from interview_prep.storage import Database, repository
from interview_prep.storage import authoring as store
from interview_prep.storage.bundled import sync_bundled_banks


def test_saves_keep_versions_and_a_stale_save_is_refused(db: Database, bank: Bank) -> None:
    store.create_bank(db, "mine", "Mine")
    question = bank.questions[0]
    saved = store.save_question(db, "mine", question, revision=None)
    assert saved.revision == 1
    edited = dataclasses.replace(question, answer="Edited.")
    assert store.save_question(db, "mine", edited, revision=1).revision == 2
    with pytest.raises(EditConflictError, match="changed in another window"):
        store.save_question(db, "mine", dataclasses.replace(question, answer="Other."), revision=1)
    restored = store.restore_version(db, "mine", question.id, 1, revision=2, action="undone")
    assert restored.question == question
    assert [v.action for v in store.question_history(db, "mine", question.id)] == [
        "undone",
        "edited",
        "created",
    ]
    assert repository.get_question(db, question.id, bank="mine").question == question


def test_a_bundled_bank_is_read_only_and_stays_deleted(db: Database, bank: Bank) -> None:
    sync_bundled_banks(db, [bank])
    with pytest.raises(ReadOnlyError):
        store.update_bank_details(db, bank.id, title="x", role="", description="")
    store.copy_bank(db, repository.get_bank(db, bank.id), "my-copy", "My copy")
    repository.delete_bank(db, bank.id)
    newer = dataclasses.replace(bank, version=bank.version + 1)
    assert [change.action for change in sync_bundled_banks(db, [newer])] == ["skipped"]
    assert {summary.id for summary in repository.list_banks(db)} == {"my-copy"}
    assert len(repository.get_bank(db, "my-copy").questions) == len(bank.questions)
