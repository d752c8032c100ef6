"""The two readers of banks and questions: through the repository, and through ``sqlite3``.

The SQLite reader must return what the repository returns, record for record, and must refuse
(``None``) every database that opening would change, or that it cannot read as it is.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from interview_prep.domain import Bank
from interview_prep.errors import InterviewPrepError
from interview_prep.formats.validation import validate_bank_data
from interview_prep.storage import Database, import_bank, open_database
from interview_prep.storage.bundled import sync_bundled_banks
from interview_prep.storage.readers import RepositoryReader, SQLiteReader, open_sqlite_reader
from interview_prep.storage.sqlite_file import at_head_revision, sqlite_path


def users_bank(bank_data: dict[str, Any]) -> Bank:
    """A second bank that shares a question id with the first, and has a retired question."""
    return validate_bank_data(
        {
            "id": "ml-systems",
            "title": "ML systems design",
            "categories": ["Training", "Serving"],
            "questions": [
                {
                    "id": "feature-store",
                    "category": "Serving",
                    "question": "What problem does a feature store solve?",
                    "answer": "It serves the same features to training and to online inference.",
                    "tags": ["serving"],
                },
                {**bank_data["questions"][0], "category": "Training", "related": []},
                {
                    "id": "dropped-later",
                    "category": "Serving",
                    "question": "Why shadow-deploy a model?",
                    "answer": "To compare it with the live one on real traffic.",
                },
            ],
        }
    )


@pytest.fixture
def folder(tmp_path: Path, bank_data: dict[str, Any]) -> Path:
    """A folder of bundled bank files holding the sample bank."""
    folder = tmp_path / "bundled"
    folder.mkdir()
    text = yaml.safe_dump(bank_data, sort_keys=False)
    (folder / "ml-basics.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def ready(sqlite_url: str, folder: Path, bank_data: dict[str, Any]) -> Iterator[Database]:
    """A SQLite database as a CLI command finds it: migrated, the bundled bank loaded from its
    file, and a user's bank that was updated (one question retired)."""
    db = open_database(sqlite_url, sync_bundled=False)
    sync_bundled_banks(db, folder=folder)
    mine = users_bank(bank_data)
    import_bank(db, mine)
    import_bank(db, dataclasses.replace(mine, questions=mine.questions[:2]), replace=True)
    yield db
    db.close()


@pytest.fixture
def reader(ready: Database, sqlite_url: str, folder: Path) -> Iterator[SQLiteReader]:
    opened = open_sqlite_reader(sqlite_url, folder=folder)
    assert opened is not None
    yield opened
    opened.close()


def outcome(read: Callable[[], Any]) -> Any:
    """What a read returns, or the error it raises (its type and message)."""
    try:
        return read()
    except InterviewPrepError as error:
        return type(error), error.message


LISTINGS: list[dict[str, Any]] = [
    {},
    {"bank": "ml-systems"},
    {"bank": "no-such-bank"},
    {"category": "Optimisation"},
    {"difficulty": "hard"},
    {"difficulty": "impossible"},
    {"tag": "serving"},
    {"bank": "ml-basics", "tag": "optimisation", "difficulty": "medium"},
    {"search": "gradient"},
    {"search": "gradient", "bank": "ml-basics"},
    {"search": "grad"},
    {"search": "the"},
    {"search": "nothing-matches-this"},
    {"search": '"*( AND'},
    {"search": "   "},
    {"search": "gradient", "difficulty": "impossible"},
]


@pytest.mark.parametrize("filters", LISTINGS, ids=str)
def test_questions_are_listed_as_the_repository_lists_them(
    ready: Database, reader: SQLiteReader, filters: dict[str, Any]
) -> None:
    expected = outcome(lambda: RepositoryReader(ready).list_questions(**filters))
    assert outcome(lambda: reader.list_questions(**filters)) == expected


def test_banks_are_summarised_and_read_as_the_repository_does(
    ready: Database, reader: SQLiteReader
) -> None:
    repository = RepositoryReader(ready)
    assert reader.list_banks() == repository.list_banks()
    assert [summary.id for summary in reader.list_banks()] == ["ml-basics", "ml-systems"]
    for bank_id in ("ml-basics", "ml-systems", "no-such-bank"):
        expected = outcome(lambda bank_id=bank_id: repository.get_bank(bank_id))
        assert outcome(lambda bank_id=bank_id: reader.get_bank(bank_id)) == expected


@pytest.mark.parametrize(
    ("question_id", "bank"),
    [
        ("feature-store", None),
        ("ml-systems/feature-store", None),
        ("dropped-later", None),  # retired, but still found by id
        ("gradient-descent", None),  # in both banks
        ("gradient-descent", "ml-systems"),
        ("ml-basics/gradient-descent", None),
        ("no-such-question", None),
        ("feature-store", "ml-basics"),
    ],
)
def test_a_question_is_found_as_the_repository_finds_it(
    ready: Database, reader: SQLiteReader, question_id: str, bank: str | None
) -> None:
    expected = outcome(lambda: RepositoryReader(ready).get_question(question_id, bank=bank))
    assert outcome(lambda: reader.get_question(question_id, bank=bank)) == expected


def test_only_a_plain_sqlite_file_url_is_read_directly(tmp_path: Path) -> None:
    assert sqlite_path(f"sqlite:///{tmp_path}/a.db") == tmp_path / "a.db"
    assert sqlite_path("sqlite:///relative.db") == Path("relative.db")
    for url in (
        "postgresql://user@localhost/app",
        "postgresql+psycopg://user@localhost/app",
        "sqlite://",
        "sqlite:///:memory:",
        f"sqlite:///{tmp_path}/a.db?timeout=5",
        f"sqlite:///{tmp_path}/a%20b.db",
    ):
        assert sqlite_path(url) is None, url
        assert open_sqlite_reader(url) is None, url


def test_a_missing_file_is_left_for_the_normal_way_to_create(sqlite_url: str) -> None:
    assert open_sqlite_reader(sqlite_url) is None
    assert not at_head_revision(sqlite_url)
    assert sqlite_path(sqlite_url) is not None
    assert not Path(str(sqlite_path(sqlite_url))).exists()


def test_a_file_that_is_not_the_apps_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    connection.close()
    assert open_sqlite_reader(f"sqlite:///{path}") is None
    assert not at_head_revision(f"sqlite:///{path}")


def test_a_database_behind_the_head_revision_is_refused(
    ready: Database, sqlite_url: str, folder: Path
) -> None:
    assert at_head_revision(sqlite_url)
    with ready.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    assert open_sqlite_reader(sqlite_url, folder=folder) is None
    assert not at_head_revision(sqlite_url)


def test_a_bundled_file_not_yet_stored_is_refused(
    ready: Database, sqlite_url: str, folder: Path, bank_data: dict[str, Any]
) -> None:
    newer = {**bank_data, "version": 2}
    (folder / "ml-basics.yaml").write_text(yaml.safe_dump(newer), encoding="utf-8")
    assert open_sqlite_reader(sqlite_url, folder=folder) is None
    # Opening the database the normal way stores it, and then the file is known again.
    sync_bundled_banks(ready, folder=folder)
    reader = open_sqlite_reader(sqlite_url, folder=folder)
    assert reader is not None
    assert {bank.id: bank.version for bank in reader.list_banks()}["ml-basics"] == 2
    reader.close()


def test_a_bundled_bank_the_user_deleted_stays_readable_directly(
    ready: Database, sqlite_url: str, folder: Path
) -> None:
    from interview_prep.storage import delete_bank

    delete_bank(ready, "ml-basics")
    reader = open_sqlite_reader(sqlite_url, folder=folder)
    assert reader is not None
    assert [bank.id for bank in reader.list_banks()] == ["ml-systems"]
    reader.close()


@pytest.mark.postgres
def test_postgresql_is_always_read_through_the_repository(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from interview_prep.cli.context import CliState

    assert open_sqlite_reader(postgres_url) is None
    assert not at_head_revision(postgres_url)
    monkeypatch.setenv("INTERVIEW_PREP_DATABASE_URL", postgres_url)
    state = CliState()
    try:
        assert isinstance(state.reader(), RepositoryReader)
        assert [bank.id for bank in state.reader().list_banks()] == ["ml-engineer"]
    finally:
        state.close()


def test_the_practice_history_is_read_as_the_practice_store_reads_it(
    ready: Database, reader: SQLiteReader, sqlite_url: str, folder: Path
) -> None:
    from interview_prep.practice.attempts import LOCAL_USER_ID, AnswerSource, Attempt, QuestionRef
    from interview_prep.practice.scheduling import make_scheduler, schedule
    from interview_prep.storage import DatabasePracticeStore

    store = DatabasePracticeStore(ready)
    ref = QuestionRef("ml-basics", "gradient-descent")
    at = datetime(2026, 12, 1, 12, 0, 0, 123456, tzinfo=UTC)
    answers = [
        Attempt(
            id="a1",
            user_id=LOCAL_USER_ID,
            question=ref,
            category="Optimisation",
            answer="It steps downhill.",
            submitted_at=at + timedelta(minutes=1),
            started_at=at,
            source=AnswerSource.SPOKEN,
            timed_out=True,
        ),
        Attempt(
            id="a2",
            user_id=LOCAL_USER_ID,
            question=ref,
            category="Optimisation",
            answer="Against the gradient.",
            submitted_at=at + timedelta(seconds=30),
            follow_up="gradient-descent-fu1",
            session_id="s1",
            session_item=1,
            cram=True,
        ),
    ]
    for answer in answers:
        store.save_attempt_before_grading(answer)
    store.attach_grade(LOCAL_USER_ID, "a1", {"score": 3.5, "label": "partial", "notes": ["ü"]})
    scheduler = make_scheduler(fuzz=False)
    state, entry = schedule(None, "good", at, question=ref, scheduler=scheduler, attempt_id="a1")
    store.record_review(LOCAL_USER_ID, state, entry)
    state, entry = schedule(state, "hard", state.due, question=ref, scheduler=scheduler)
    store.record_review(LOCAL_USER_ID, state, entry)
    reader.close()
    fresh = open_sqlite_reader(sqlite_url, folder=folder)  # a snapshot with the practice in it
    assert fresh is not None
    for user in (LOCAL_USER_ID, "nobody"):
        assert fresh.attempts(user) == store.attempts(user)
        assert fresh.follow_up_attempts(user) == store.follow_up_attempts(user)
        assert fresh.review_logs(user) == store.review_logs(user)
    assert [attempt.id for attempt in fresh.attempts(LOCAL_USER_ID)] == ["a1"]
    assert len(fresh.review_logs(LOCAL_USER_ID)) == 2
    fresh.close()


def test_a_users_bank_in_place_of_a_bundled_one_is_read_directly(
    ready: Database, sqlite_url: str, folder: Path, bank: Bank
) -> None:
    import_bank(ready, dataclasses.replace(bank, title="Mine now"), replace=True)
    reader = open_sqlite_reader(sqlite_url, folder=folder)
    assert reader is not None
    mine = {summary.id: summary for summary in reader.list_banks()}["ml-basics"]
    assert (mine.title, mine.bundled) == ("Mine now", False)
    reader.close()
