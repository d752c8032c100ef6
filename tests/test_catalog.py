"""Importing bad files through the catalog: a clear error, and the database exactly as before."""

from __future__ import annotations

import json

import pytest

from interview_prep.catalog import import_bank_bytes
from interview_prep.errors import BankFormatError
from interview_prep.formats import BankFormat
from interview_prep.storage import repository

GOOD = {
    "id": "good",
    "title": "Good",
    "questions": [
        {"id": "q1", "category": "C", "question": "What is X?", "answer": "X."},
        {"id": "q2", "category": "C", "question": "What is Y?", "answer": "Y."},
    ],
}


def snapshot(db) -> tuple:
    banks = [(b.id, b.version, b.question_count) for b in repository.list_banks(db)]
    questions = [(r.bank_id, r.question.id) for r in repository.list_questions(db)]
    return banks, questions


def duplicate_ids() -> bytes:
    data = json.loads(json.dumps(GOOD))
    data["questions"][1]["id"] = "q1"
    return json.dumps(data).encode()


BAD_FILES = {
    "not-utf8": (b"id: x\ntitle: caf\xe9\n", "b.yaml", None, "not UTF-8"),
    "no-answer": (b"Title\nWhat is X?\xe2\x96\xbe\n", "p.txt", BankFormat.SEED_PAGE, "no answer"),
    "duplicate-ids": (duplicate_ids(), "b.json", None, "duplicate question id"),
    "empty": (b"", "b.yaml", None, "the file is empty"),
    "not-a-bank": (b"shopping: [milk, eggs]\n", "b.yaml", None, "not a question bank"),
    "invalid-yaml": (b"id: [\n", "b.yaml", None, "invalid YAML"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_changes_nothing(db, case):
    data, name, fmt, message = BAD_FILES[case]
    before = snapshot(db)
    with pytest.raises(BankFormatError, match=message):
        import_bank_bytes(db, data, name, fmt)
    assert snapshot(db) == before


def test_file_over_the_limit_changes_nothing(db):
    before = snapshot(db)
    data = b"#" * (50 * 1024 * 1024 + 1)
    with pytest.raises(BankFormatError, match="over the 50 MB limit"):
        import_bank_bytes(db, data, "huge.yaml")
    assert snapshot(db) == before


def test_good_file_imports_whole(db):
    result = import_bank_bytes(db, json.dumps(GOOD).encode(), "good.json")
    assert (result.bank_id, result.questions) == ("good", 2)
    assert [r.question.id for r in repository.list_questions(db, bank="good")] == ["q1", "q2"]


def test_a_bundled_bank_has_its_follow_up_items_and_a_users_bank_none(sqlite_url) -> None:
    from interview_prep.catalog import follow_up_items, follow_up_question
    from interview_prep.errors import NotFoundError
    from interview_prep.storage import open_database

    db = open_database(sqlite_url)  # the bundled banks, as the app starts with
    try:
        import_bank_bytes(db, json.dumps(GOOD).encode(), "good.json")
        banks = {bank.id: bank for bank in repository.list_banks(db)}
        items = follow_up_items(db, banks["ml-engineer"])
        assert sum(len(questions) for questions in items.values()) == 150
        assert [q.id for q in items["overfitting"]] == [
            "overfitting-fu1",
            "overfitting-fu2",
            "overfitting-fu3",
        ]
        question = follow_up_question(db, banks["ml-engineer"], "overfitting", "overfitting-fu2")
        assert question.question.startswith("How does dropout regularise")
        assert question.key_points and question.misconceptions
        assert follow_up_items(db, banks["good"]) == {}
        with pytest.raises(NotFoundError, match="no longer"):
            follow_up_question(db, banks["ml-engineer"], "overfitting", "overfitting-fu9")
    finally:
        db.close()
