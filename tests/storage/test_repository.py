"""Listing, reading, importing and deleting banks and questions, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from sqlalchemy import text

from interview_prep.domain import Bank, Difficulty
from interview_prep.errors import BankFormatError, ConflictError, InvalidInputError, NotFoundError
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
    neighbours,
)

TABLES = ("banks", "questions", "question_tags")


def row_counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as connection:
        return {
            table: int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0)
            for table in TABLES
        }


def second_bank(bank_data: dict[str, Any]) -> Bank:
    """Another bank that reuses one question id of the first (ids are unique per bank only)."""
    return validate_bank_data(
        {
            "id": "ml-systems",
            "title": "ML systems design",
            "role": "ML Engineer",
            "questions": [
                {
                    "id": "feature-store",
                    "category": "Serving",
                    "question": "What problem does a feature store solve?",
                    "answer": "It serves the same features to training and to online inference.",
                    "tags": ["serving"],
                },
                {**bank_data["questions"][0], "category": "Training", "related": []},
            ],
        }
    )


def test_import_then_read_the_bank_back(db: Database, bank: Bank) -> None:
    result = import_bank(db, bank)
    assert result.bank_id == bank.id
    assert result.questions == 7
    assert result.replaced is False
    assert get_bank(db, bank.id).to_dict() == bank.to_dict()


def test_list_banks_summarises_each_bank(db: Database, bank: Bank, bank_data: Any) -> None:
    import_bank(db, bank)
    import_bank(db, second_bank(bank_data))
    summaries = {summary.id: summary for summary in list_banks(db)}
    assert list(summaries) == ["ml-basics", "ml-systems"]  # by title
    basics = summaries["ml-basics"]
    assert basics.title == "Machine learning basics"
    assert basics.role == "ML Engineer"
    assert basics.version == 1
    assert basics.bundled is False
    assert basics.question_count == 7
    # Declared order first, then categories found only on questions.
    assert list(basics.categories.items()) == [
        ("Deep learning", 2),
        ("Optimisation", 3),
        ("Evaluation", 1),
        ("Fundamentals", 1),
    ]
    assert basics.tags == sorted(basics.tags)
    assert "gradients" in basics.tags
    assert summaries["ml-systems"].categories == {"Serving": 1, "Training": 1}


def test_unknown_bank_is_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError):
        get_bank(db, "nope")
    with pytest.raises(NotFoundError):
        delete_bank(db, "nope")


def test_list_questions_in_bank_order(db: Database, bank: Bank) -> None:
    import_bank(db, bank)
    records = list_questions(db)
    assert [record.id for record in records] == [question.id for question in bank.questions]
    assert [record.position for record in records] == list(range(7))
    assert records[0].question == bank.questions[0]
    assert records[0].to_dict() == {**bank.questions[0].to_dict(), "bank": "ml-basics"}


def test_filters_combine(db: Database, bank: Bank, bank_data: Any) -> None:
    import_bank(db, bank)
    import_bank(db, second_bank(bank_data))

    def ids(**filters: Any) -> list[str]:
        found = [record.ref for record in list_questions(db, **filters)]
        assert count_questions(db, **filters) == len(found)
        return found

    assert ids(tag="gradients") == [
        "ml-basics/vanishing-gradients",
        "ml-basics/gradient-descent",
        "ml-basics/gradient-clipping",
        "ml-systems/vanishing-gradients",
    ]
    assert ids(tag="gradients", bank="ml-basics", difficulty="medium") == [
        "ml-basics/vanishing-gradients",
        "ml-basics/gradient-clipping",
    ]
    assert ids(category="Optimisation", difficulty=Difficulty.EASY) == [
        "ml-basics/gradient-descent"
    ]
    assert ids(category="Optimisation", tag="rnn", difficulty="hard") == []
    assert ids(bank="no-such-bank") == []
    assert ids(search="gradient", category="Optimisation", tag="rnn") == [
        "ml-basics/gradient-clipping"
    ]


def test_limit_and_offset(db: Database, bank: Bank) -> None:
    import_bank(db, bank)
    page = list_questions(db, limit=2, offset=3)
    assert [record.position for record in page] == [3, 4]
    assert list_questions(db, limit=0) == []
    with pytest.raises(InvalidInputError):
        list_questions(db, offset=-1)


def test_unknown_difficulty_is_invalid_input(db: Database) -> None:
    with pytest.raises(InvalidInputError, match="difficulty 'extreme'"):
        list_questions(db, difficulty="extreme")


def test_get_question_by_id_and_by_reference(db: Database, bank: Bank) -> None:
    import_bank(db, bank)
    record = get_question(db, "adam")
    assert (record.bank_id, record.position, record.question) == ("ml-basics", 3, bank.questions[3])
    assert get_question(db, "ml-basics/adam") == record
    assert get_question(db, "adam", bank="ml-basics") == record


def test_get_question_in_several_banks_is_ambiguous(
    db: Database, bank: Bank, bank_data: Any
) -> None:
    import_bank(db, bank)
    import_bank(db, second_bank(bank_data))
    with pytest.raises(InvalidInputError, match=r"ml-basics, ml-systems"):
        get_question(db, "vanishing-gradients")
    assert get_question(db, "ml-systems/vanishing-gradients").question.category == "Training"
    assert get_question(db, "vanishing-gradients", bank="ml-basics").position == 0


def test_get_question_not_found(db: Database, bank: Bank) -> None:
    import_bank(db, bank)
    with pytest.raises(NotFoundError):
        get_question(db, "no-such-question")
    with pytest.raises(NotFoundError, match="in bank 'other'"):
        get_question(db, "other/adam")


def test_neighbours_in_the_same_bank(db: Database, bank: Bank, bank_data: Any) -> None:
    import_bank(db, bank)
    import_bank(db, second_bank(bank_data))
    first = get_question(db, "ml-basics/vanishing-gradients")
    assert neighbours(db, first) == (None, get_question(db, "gradient-descent"))
    middle = get_question(db, "adam")
    previous, following = neighbours(db, middle)
    assert (previous and previous.id, following and following.id) == (
        "gradient-clipping",
        "batch-norm",
    )
    last = get_question(db, "bias-variance")
    assert neighbours(db, last)[1] is None


def test_an_existing_bank_id_is_a_conflict(db: Database, bank: Bank) -> None:
    import_bank(db, bank)
    before = row_counts(db)
    with pytest.raises(ConflictError, match="already exists"):
        import_bank(db, dataclasses.replace(bank, title="Another"))
    assert row_counts(db) == before
    assert list_banks(db)[0].title == bank.title


def test_replace_updates_in_place(db: Database, bank: Bank) -> None:
    import_bank(db, bank, bundled=True)
    kept = bank.questions[1:]
    changed = dataclasses.replace(kept[0], question="Explain gradient descent in one minute.")
    result = import_bank(
        db, dataclasses.replace(bank, questions=(changed, *kept[1:]), version=2), replace=True
    )
    assert result.replaced is True
    summary = list_banks(db)[0]
    assert (summary.question_count, summary.version, summary.bundled) == (6, 2, False)
    assert get_question(db, "gradient-descent").question.question.endswith("one minute.")
    dropped = get_question(db, "vanishing-gradients")
    assert dropped.retired is True
    assert "vanishing-gradients" not in [record.id for record in list_questions(db)]


def test_a_failure_midway_leaves_the_database_unchanged(db: Database, bank: Bank) -> None:
    broken = dataclasses.replace(
        bank,
        id="broken",
        # Built without validation: the second question repeats the id of the first.
        questions=(
            *bank.questions[:3],
            dataclasses.replace(bank.questions[4], id="adam"),
            bank.questions[3],
        ),
    )
    import_bank(db, bank)
    before = row_counts(db)
    with pytest.raises(BankFormatError, match="duplicate question id 'adam'"):
        import_bank(db, broken)
    assert row_counts(db) == before
    assert [summary.id for summary in list_banks(db)] == ["ml-basics"]


def test_a_failed_replace_keeps_the_old_bank(db: Database, bank: Bank) -> None:
    import_bank(db, bank)
    before = row_counts(db)
    twice = dataclasses.replace(bank, questions=(bank.questions[0], bank.questions[0]))
    with pytest.raises(BankFormatError):
        import_bank(db, twice, replace=True)
    assert row_counts(db) == before
    assert get_bank(db, bank.id).to_dict() == bank.to_dict()


def test_delete_bank_removes_its_questions_and_tags(
    db: Database, bank: Bank, bank_data: Any
) -> None:
    import_bank(db, bank)
    import_bank(db, second_bank(bank_data))
    delete_bank(db, "ml-basics")
    assert [summary.id for summary in list_banks(db)] == ["ml-systems"]
    assert row_counts(db) == {"banks": 1, "questions": 2, "question_tags": 3}
    assert get_question(db, "vanishing-gradients").bank_id == "ml-systems"


def test_text_the_database_cannot_hold_is_a_format_error(db: Database, bank: Bank) -> None:
    nul = dataclasses.replace(bank.questions[0], answer="before\x00after")
    before = row_counts(db)
    try:
        import_bank(db, dataclasses.replace(bank, questions=(nul,)))
    except BankFormatError:
        assert db.dialect == "postgresql"  # its text type cannot hold NUL
        assert row_counts(db) == before
    else:
        assert get_question(db, nul.id).question.answer == "before\x00after"
