"""The banks shipped with the app: loaded on first start, updated in place on a version bump."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from interview_prep.domain import Bank
from interview_prep.formats.validation import validate_bank_data
from interview_prep.storage import (
    Database,
    count_questions,
    delete_bank,
    get_bank,
    get_question,
    import_bank,
    list_banks,
    list_questions,
    open_database,
    search,
)
from interview_prep.storage.bundled import (
    bundled_bank_files,
    file_hash,
    load_bundled_banks,
    sync_bundled_banks,
)
from interview_prep.storage.schema import BankRow, QuestionRow


def question_keys(db: Database, bank_id: str) -> dict[str, int]:
    """Each question's internal row key, to tell an updated row from a replaced one."""
    with db.session() as session:
        rows = session.execute(
            select(QuestionRow.question_id, QuestionRow.pk).where(QuestionRow.bank_id == bank_id)
        )
        return {question_id: pk for question_id, pk in rows}


def updated_at(db: Database, bank_id: str) -> object:
    with db.session() as session:
        return session.get_one(BankRow, bank_id).updated_at


def user_bank() -> Bank:
    return validate_bank_data(
        {
            "id": "my-notes",
            "title": "My notes",
            "questions": [
                {
                    "id": "gradient-checkpointing",
                    "category": "Memory",
                    "question": "What does gradient checkpointing trade?",
                    "answer": "Compute for memory: activations are recomputed going backward.",
                }
            ],
        }
    )


def version_two(bank_data: dict[str, Any]) -> Bank:
    """Version 2: drops bias-variance, rewords adam, adds dropout, moves precision-recall first."""
    questions = {item["id"]: item for item in bank_data["questions"]}
    del questions["bias-variance"]
    questions["adam"] = {**questions["adam"], "question": "Compare Adam with momentum SGD."}
    dropout = {
        "id": "dropout",
        "category": "Deep learning",
        "question": "How does dropout regularise a network?",
        "answer": "It zeroes random activations in training, so units cannot co-adapt.",
        "tags": ["regularisation"],
    }
    order = ["precision-recall", *(qid for qid in questions if qid != "precision-recall")]
    items = [questions[qid] for qid in order] + [dropout]
    return validate_bank_data({**bank_data, "version": 2, "questions": items})


def test_first_start_adds_the_bundled_banks(db: Database, bank: Bank) -> None:
    changes = sync_bundled_banks(db, [bank])
    assert [(change.bank_id, change.action, change.version) for change in changes] == [
        ("ml-basics", "added", 1)
    ]
    summary = list_banks(db)[0]
    assert (summary.id, summary.bundled, summary.question_count) == ("ml-basics", True, 7)
    assert get_bank(db, "ml-basics").to_dict() == bank.to_dict()


def test_a_second_start_changes_nothing(db: Database, bank: Bank) -> None:
    sync_bundled_banks(db, [bank])
    before = updated_at(db, bank.id)
    edited = dataclasses.replace(bank, title="Edited without a version bump")
    assert [change.action for change in sync_bundled_banks(db, [edited])] == ["unchanged"]
    assert updated_at(db, bank.id) == before
    assert list_banks(db)[0].title == bank.title


def test_a_newer_version_updates_in_place(
    db: Database, bank: Bank, bank_data: dict[str, Any]
) -> None:
    sync_bundled_banks(db, [bank])
    import_bank(db, user_bank())
    users_before = get_bank(db, "my-notes")
    keys_before = question_keys(db, bank.id)

    changes = sync_bundled_banks(db, [version_two(bank_data)])

    assert [change.action for change in changes] == ["updated"]
    keys_after = question_keys(db, bank.id)
    # Kept questions keep their rows; the dropped one is still there, retired.
    assert {qid: keys_after[qid] for qid in keys_before} == keys_before
    assert set(keys_after) - set(keys_before) == {"dropout"}
    retired = get_question(db, "ml-basics/bias-variance")
    assert retired.retired is True
    assert "bias-variance" not in [record.id for record in list_questions(db)]
    assert count_questions(db, bank=bank.id) == 7
    assert search(db, "bias variance trade") == []
    assert "Fundamentals" not in list_banks(db)[0].categories
    # New content, new order.
    stored = get_bank(db, bank.id)
    assert stored.version == 2
    assert [q.id for q in stored.questions][:2] == ["precision-recall", "vanishing-gradients"]
    assert stored.questions[-1].id == "dropout"
    assert get_question(db, "adam").question.question == "Compare Adam with momentum SGD."
    assert search(db, "dropout")[0].record.id == "dropout"
    # The user's bank is untouched.
    assert get_bank(db, "my-notes") == users_before
    assert list_banks(db)[1].bundled is False


def test_a_returning_question_is_current_again(
    db: Database, bank: Bank, bank_data: dict[str, Any]
) -> None:
    sync_bundled_banks(db, [bank])
    sync_bundled_banks(db, [version_two(bank_data)])
    key = question_keys(db, bank.id)["bias-variance"]
    sync_bundled_banks(db, [dataclasses.replace(bank, version=3)])
    assert question_keys(db, bank.id)["bias-variance"] == key
    assert get_question(db, "bias-variance").retired is False
    assert get_bank(db, bank.id).to_dict() == {**bank.to_dict(), "version": 3}


def test_an_older_version_is_ignored(db: Database, bank: Bank) -> None:
    sync_bundled_banks(db, [dataclasses.replace(bank, version=5)])
    assert [c.action for c in sync_bundled_banks(db, [bank])] == ["unchanged"]
    assert get_bank(db, bank.id).version == 5


def test_a_users_bank_with_the_same_id_is_never_touched(db: Database, bank: Bank) -> None:
    mine = dataclasses.replace(bank, title="My own", questions=bank.questions[:2])
    import_bank(db, mine)
    changes = sync_bundled_banks(db, [dataclasses.replace(bank, version=9)])
    assert [change.action for change in changes] == ["skipped"]
    assert get_bank(db, bank.id).to_dict()["title"] == "My own"
    assert count_questions(db, bank=bank.id) == 2


def test_bank_files_are_read_from_the_folder(
    tmp_path: Path, db: Database, bank: Bank, bank_data: dict[str, Any]
) -> None:
    (tmp_path / "ml-basics.yaml").write_text(yaml.safe_dump(bank_data), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a bank", encoding="utf-8")
    assert bundled_bank_files(tmp_path) == [tmp_path / "ml-basics.yaml"]
    loaded = load_bundled_banks(tmp_path)
    assert [loaded_bank.to_dict() for loaded_bank in loaded] == [bank.to_dict()]
    assert load_bundled_banks(tmp_path / "missing") == []


@pytest.fixture
def shipped_banks() -> list[Bank]:
    banks = load_bundled_banks()
    assert banks, "no bank ships in src/interview_prep/data/banks"
    return banks


def test_the_shipped_banks_load_on_open(database_url: str, shipped_banks: list[Bank]) -> None:
    db = open_database(database_url)
    try:
        stored = {summary.id: summary for summary in list_banks(db)}
        for shipped in shipped_banks:
            assert stored[shipped.id].bundled is True
            assert stored[shipped.id].question_count == len(shipped.questions)
            assert get_bank(db, shipped.id).to_dict() == shipped.to_dict()
        assert {change.action for change in sync_bundled_banks(db)} == {"unchanged"}
    finally:
        db.close()


def test_vanishing_gradient_in_the_shipped_bank(
    database_url: str, shipped_banks: list[Bank]
) -> None:
    assert "ml-engineer" in {shipped.id for shipped in shipped_banks}
    db = open_database(database_url)
    try:
        hits = search(db, "vanishing gradient")
        assert hits[0].record.ref == "ml-engineer/vanishing-gradients"
        assert "<mark>" in hits[0].snippet
    finally:
        db.close()


# Bank files: a file whose hash is stored with its bank is not read again.


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the bank files parsed during the test."""
    import interview_prep.formats as formats

    names: list[str] = []
    real = formats.read_bank_bytes

    def counting(data: bytes, source: str, *args: Any, **kwargs: Any) -> Bank:
        names.append(source)
        return real(data, source, *args, **kwargs)

    monkeypatch.setattr(formats, "read_bank_bytes", counting)
    return names


def write_bank_file(folder: Path, data: dict[str, Any]) -> Path:
    path = folder / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def stored_hash(db: Database, bank_id: str) -> str | None:
    with db.session() as session:
        return session.get_one(BankRow, bank_id).source_hash


def test_an_unchanged_file_is_not_read_again(
    tmp_path: Path, db: Database, bank_data: dict[str, Any], reads: list[str]
) -> None:
    path = write_bank_file(tmp_path, bank_data)
    assert [c.action for c in sync_bundled_banks(db, folder=tmp_path)] == ["added"]
    assert reads == ["ml-basics.yaml"]
    assert stored_hash(db, "ml-basics") == file_hash(path.read_bytes())
    before = updated_at(db, "ml-basics")

    changes = sync_bundled_banks(db, folder=tmp_path)

    assert [(c.bank_id, c.action, c.version) for c in changes] == [("ml-basics", "unchanged", 1)]
    assert reads == ["ml-basics.yaml"]  # not parsed the second time
    assert updated_at(db, "ml-basics") == before


def test_a_changed_file_is_read_and_its_new_version_stored(
    tmp_path: Path, db: Database, bank_data: dict[str, Any], reads: list[str]
) -> None:
    write_bank_file(tmp_path, bank_data)
    sync_bundled_banks(db, folder=tmp_path)
    newer = version_two(bank_data).to_dict()
    path = write_bank_file(tmp_path, newer)

    assert [c.action for c in sync_bundled_banks(db, folder=tmp_path)] == ["updated"]
    assert reads == ["ml-basics.yaml", "ml-basics.yaml"]
    assert get_bank(db, "ml-basics").version == 2
    assert search(db, "dropout")[0].record.id == "dropout"
    assert stored_hash(db, "ml-basics") == file_hash(path.read_bytes())
    assert [c.action for c in sync_bundled_banks(db, folder=tmp_path)] == ["unchanged"]
    assert len(reads) == 2


def test_a_file_edited_without_a_version_bump_is_read_once(
    tmp_path: Path, db: Database, bank_data: dict[str, Any], reads: list[str]
) -> None:
    write_bank_file(tmp_path, bank_data)
    sync_bundled_banks(db, folder=tmp_path)
    before = updated_at(db, "ml-basics")
    path = write_bank_file(tmp_path, {**bank_data, "title": "Edited without a version bump"})

    assert [c.action for c in sync_bundled_banks(db, folder=tmp_path)] == ["unchanged"]
    assert [c.action for c in sync_bundled_banks(db, folder=tmp_path)] == ["unchanged"]

    assert len(reads) == 2  # read once after the edit, then known by its hash
    assert stored_hash(db, "ml-basics") == file_hash(path.read_bytes())
    assert list_banks(db)[0].title == bank_data["title"]
    assert updated_at(db, "ml-basics") == before


def test_a_bank_stored_before_hashes_were_kept_is_read_once(
    tmp_path: Path, db: Database, bank: Bank, bank_data: dict[str, Any], reads: list[str]
) -> None:
    sync_bundled_banks(db, [bank])  # as the app did before: no hash stored
    assert stored_hash(db, "ml-basics") is None
    write_bank_file(tmp_path, bank_data)
    for _ in range(3):
        assert [c.action for c in sync_bundled_banks(db, folder=tmp_path)] == ["unchanged"]
    assert len(reads) == 1
    assert stored_hash(db, "ml-basics") is not None


def test_a_file_skipped_for_a_users_bank_with_its_id_is_read_once(
    tmp_path: Path, db: Database, bank: Bank, bank_data: dict[str, Any], reads: list[str]
) -> None:
    mine = dataclasses.replace(bank, title="My own", questions=bank.questions[:2])
    import_bank(db, mine)
    path = write_bank_file(tmp_path, {**bank_data, "version": 9})
    for _ in range(3):
        assert [c.action for c in sync_bundled_banks(db, folder=tmp_path)] == ["skipped"]
    assert reads == ["ml-basics.yaml"]  # then known by its hash, kept with the user's bank
    assert get_bank(db, bank.id).to_dict() == mine.to_dict()
    assert stored_hash(db, bank.id) == file_hash(path.read_bytes())
    assert list_banks(db)[0].bundled is False
    # Imported again, the bank is still the user's, and the file still skipped unread.
    import_bank(db, mine, replace=True)
    assert [c.action for c in sync_bundled_banks(db, folder=tmp_path)] == ["skipped"]
    assert len(reads) == 1


def test_a_users_bank_deleted_lets_its_bundled_bank_come_back(
    tmp_path: Path, db: Database, bank: Bank, bank_data: dict[str, Any]
) -> None:
    import_bank(db, dataclasses.replace(bank, title="My own"))
    write_bank_file(tmp_path, bank_data)
    assert [c.action for c in sync_bundled_banks(db, folder=tmp_path)] == ["skipped"]
    delete_bank(db, bank.id)
    assert [c.action for c in sync_bundled_banks(db, folder=tmp_path)] == ["added"]
    assert list_banks(db)[0].bundled is True


def test_a_newer_file_of_a_bundled_bank_the_user_deleted_is_read_once(
    tmp_path: Path, db: Database, bank_data: dict[str, Any], reads: list[str]
) -> None:
    write_bank_file(tmp_path, bank_data)
    sync_bundled_banks(db, folder=tmp_path)
    delete_bank(db, "ml-basics")
    write_bank_file(tmp_path, {**bank_data, "version": 2})
    for _ in range(3):
        assert [c.action for c in sync_bundled_banks(db, folder=tmp_path)] == ["skipped"]
    assert len(reads) == 2
    assert list_banks(db) == []


def test_replacing_a_bundled_bank_makes_it_the_users(
    tmp_path: Path, db: Database, bank: Bank, bank_data: dict[str, Any]
) -> None:
    write_bank_file(tmp_path, bank_data)
    sync_bundled_banks(db, folder=tmp_path)
    import_bank(db, dataclasses.replace(bank, title="Mine now"), replace=True)
    # The bundled file's hash stays, now naming the file skipped for the user's bank.
    assert [c.action for c in sync_bundled_banks(db, folder=tmp_path)] == ["skipped"]
    assert list_banks(db)[0].title == "Mine now"


def test_processes_reading_the_files_at_once_store_each_bank_once(
    tmp_path: Path, database_url: str, bank_data: dict[str, Any]
) -> None:
    write_bank_file(tmp_path, bank_data)
    barrier = threading.Barrier(3)
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def start() -> None:
        try:
            barrier.wait()
            db = open_database(database_url, sync_bundled=False)
            try:
                results.append([c.action for c in sync_bundled_banks(db, folder=tmp_path)])
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
    # One wrote it; the others found it done, under the lock or by its hash.
    assert sorted(results) == [["added"], ["unchanged"], ["unchanged"]]
    db = open_database(database_url, sync_bundled=False)
    try:
        assert [summary.question_count for summary in list_banks(db)] == [7]
        assert [c.action for c in sync_bundled_banks(db, folder=tmp_path)] == ["unchanged"]
    finally:
        db.close()
