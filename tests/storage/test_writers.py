"""The two writers of an imported bank: through the repository, and through ``sqlite3``.

On copies of one ready SQLite database, the same imports through each must leave the same
database: every row of every table (times in the same form), and the same search index. The
SQLite writer must also refuse (write nothing, and hand the bank on) every file that is not
ready as it is, and fail as the repository fails.
"""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from interview_prep.domain import Bank, KeyPoint
from interview_prep.errors import InterviewPrepError
from interview_prep.formats.validation import validate_bank_data
from interview_prep.storage import Database, import_bank, open_database
from interview_prep.storage import writers as writers_module
from interview_prep.storage.bundled import sync_bundled_banks
from interview_prep.storage.readers import open_sqlite_reader
from interview_prep.storage.records import ImportResult
from interview_prep.storage.writers import BankWriter, RepositoryWriter, SQLiteWriter

MOMENT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")


def users_bank(bank_data: dict[str, Any]) -> Bank:
    """A user's bank that shares a question id with the bundled one."""
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
                    "tags": ["serving", "features"],
                },
                {**bank_data["questions"][0], "category": "Training", "related": []},
                {
                    "id": "shadow-deploy",
                    "category": "Serving",
                    "question": "Why shadow-deploy a model?",
                    "answer": "To compare it with the live one on real traffic.",
                    "tags": ["serving"],
                },
            ],
        }
    )


def edited(bank: Bank) -> Bank:
    """The next version: one question dropped, one reworded with other tags, one added, and
    the order changed."""
    first, second, _ = bank.questions
    reworded = dataclasses.replace(
        first,
        question="Which problem does a feature store solve, and for whom?",
        tags=("features", "online", "online"),
        key_points=(KeyPoint(text="Training and serving read the same feature values"),),
    )
    added = dataclasses.replace(
        second, id="canary-release", question="What is a canary release?", tags=("rollout",)
    )
    return dataclasses.replace(bank, version=2, questions=(second, added, reworded))


def imports(bank_data: dict[str, Any]) -> list[tuple[Bank, bool]]:
    """Imports to run one after the other, ``(bank, replace)``: a new bank, its update, the
    update undone (a retired question current again), the same bank again, and the bundled
    bank replaced by the user's copy."""
    mine = users_bank(bank_data)
    bundled = validate_bank_data(bank_data)
    theirs = dataclasses.replace(bundled, title="My basics", questions=bundled.questions[1:])
    return [(mine, False), (edited(mine), True), (mine, True), (mine, True), (theirs, True)]


@pytest.fixture
def folder(tmp_path: Path, bank_data: dict[str, Any]) -> Path:
    """A folder of bundled bank files holding the sample bank."""
    folder = tmp_path / "bundled"
    folder.mkdir()
    text = yaml.safe_dump(bank_data, sort_keys=False)
    (folder / "ml-basics.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def template(tmp_path: Path, folder: Path) -> Path:
    """A SQLite database as a CLI command finds it: migrated, the bundled bank loaded."""
    path = tmp_path / "template.db"
    db = open_database(f"sqlite:///{path}", sync_bundled=False)
    sync_bundled_banks(db, folder=folder)
    db.close()
    return path


def copy_of(template: Path, name: str) -> str:
    """The URL of a copy of ``template`` (copied through SQLite, WAL and all)."""
    path = template.with_name(name)
    with sqlite3.connect(template) as source, sqlite3.connect(path) as target:
        source.backup(target)
    source.close()
    target.close()
    return f"sqlite:///{path}"


def unreachable() -> BankWriter:
    raise AssertionError("the SQLite writer handed the bank on")


@pytest.fixture
def orm(template: Path) -> Iterator[Database]:
    db = open_database(copy_of(template, "orm.db"), sync_bundled=False)
    yield db
    db.close()


@pytest.fixture
def direct(template: Path, folder: Path) -> SQLiteWriter:
    return SQLiteWriter(copy_of(template, "direct.db"), unreachable, folder=folder)


def url_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def contents(url: str) -> dict[str, Any]:
    """Every row of every table, in order, with each time replaced by its form (checked), and
    every entry of the search index (term, question, column, offset)."""

    def value(item: Any) -> Any:
        if isinstance(item, str) and MOMENT.fullmatch(item):
            return "<time>"
        return item

    connection = sqlite3.connect(url_path(url))
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'questions_fts%' ORDER BY name"
            )
        ]
        found: dict[str, Any] = {}
        for table in tables:
            rows = connection.execute(f"SELECT * FROM {table}").fetchall()
            found[table] = sorted(tuple(map(value, row)) for row in rows)
        connection.execute(
            "CREATE VIRTUAL TABLE temp.entries USING fts5vocab(main, questions_fts, instance)"
        )
        found["search index"] = connection.execute(
            "SELECT term, doc, col, offset FROM temp.entries ORDER BY term, doc, col, offset"
        ).fetchall()
        connection.execute("INSERT INTO questions_fts(questions_fts) VALUES ('integrity-check')")
        return found
    finally:
        connection.close()


def outcome(store: Callable[[], ImportResult]) -> Any:
    try:
        return store()
    except InterviewPrepError as error:
        return type(error), error.message


def test_the_same_imports_leave_the_same_database(
    orm: Database, direct: SQLiteWriter, bank_data: dict[str, Any]
) -> None:
    assert contents(orm.url) == contents(direct.url)
    for bank, replace in imports(bank_data):
        expected = import_bank(orm, bank, replace=replace)
        assert direct.import_bank(bank, replace=replace) == expected
        assert contents(direct.url) == contents(orm.url)


def test_the_search_finds_what_the_repository_wrote(
    orm: Database, direct: SQLiteWriter, bank_data: dict[str, Any], folder: Path
) -> None:
    for bank, replace in imports(bank_data)[:2]:
        import_bank(orm, bank, replace=replace)
        direct.import_bank(bank, replace=replace)
    for url in (orm.url, direct.url):
        reader = open_sqlite_reader(url, folder=folder)
        assert reader is not None
        try:
            found = [record.ref for record in reader.list_questions(search="online")]
            assert found == ["ml-systems/feature-store"]
            assert reader.list_questions(search="shadow") == []  # retired
        finally:
            reader.close()


def test_a_replaced_bank_keeps_its_creation_time_and_the_bundled_files_hash(
    orm: Database, direct: SQLiteWriter, bank_data: dict[str, Any]
) -> None:
    from interview_prep.storage.schema import BankRow

    select = "SELECT created_at, updated_at, source_hash, bundled FROM banks WHERE id = ?"
    with sqlite3.connect(url_path(direct.url)) as connection:
        before = connection.execute(select, ("ml-basics",)).fetchone()
    connection.close()
    direct.import_bank(imports(bank_data)[-1][0], replace=True)
    with sqlite3.connect(url_path(direct.url)) as connection:
        after = connection.execute(select, ("ml-basics",)).fetchone()
    connection.close()
    assert after[0] == before[0] and after[1] > before[1]
    assert after[2] == before[2] is not None  # the hash of the shipped file skipped for it
    assert (before[3], after[3]) == (1, 0)  # the user's bank now
    # SQLAlchemy reads the times written through sqlite3 as it reads its own.
    db = open_database(direct.url, sync_bundled=False)
    try:
        with db.session() as session:
            row = session.get(BankRow, "ml-basics")
            assert row is not None
            assert row.updated_at.tzinfo is UTC
            assert abs(datetime.now(UTC) - row.updated_at).total_seconds() < 60
    finally:
        db.close()


def test_errors_are_the_repositorys_and_change_nothing(
    orm: Database, direct: SQLiteWriter, bank_data: dict[str, Any]
) -> None:
    mine = users_bank(bank_data)
    import_bank(orm, mine)
    direct.import_bank(mine)
    twice = dataclasses.replace(mine, questions=(*mine.questions, mine.questions[0]))
    before = contents(direct.url)
    for bank, replace in [(mine, False), (twice, True), (twice, False)]:
        expected = outcome(lambda: import_bank(orm, bank, replace=replace))  # noqa: B023
        assert isinstance(expected, tuple), expected
        assert outcome(lambda: direct.import_bank(bank, replace=replace)) == expected  # noqa: B023
        assert contents(direct.url) == before


def test_a_failure_halfway_leaves_the_file_as_it_was(
    direct: SQLiteWriter, bank_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = users_bank(bank_data)
    direct.import_bank(mine)
    before = contents(direct.url)
    calls = []

    def failing(question: Any) -> list[str]:
        calls.append(question)
        if len(calls) == 2:
            raise RuntimeError("the disk is gone")
        return list(question.tags)

    monkeypatch.setattr(writers_module, "question_tags", failing)
    with pytest.raises(RuntimeError):
        direct.import_bank(edited(mine), replace=True)
    assert contents(direct.url) == before


class Recording:
    """A writer that records the banks handed to it."""

    def __init__(self) -> None:
        self.banks: list[Bank] = []

    def import_bank(self, bank: Bank, *, replace: bool = False) -> ImportResult:
        self.banks.append(bank)
        return ImportResult(bank_id=bank.id, questions=len(bank.questions), replaced=replace)


def hands_on(url: str, bank: Bank, folder: Path) -> bool:
    """True when the SQLite writer hands ``bank`` on rather than writing it itself."""
    recording = Recording()
    SQLiteWriter(url, lambda: recording, folder=folder).import_bank(bank)
    return recording.banks == [bank]


def test_a_file_that_is_not_ready_is_written_the_normal_way(
    template: Path, folder: Path, bank_data: dict[str, Any], tmp_path: Path
) -> None:
    mine = users_bank(bank_data)
    behind = copy_of(template, "behind.db")
    with sqlite3.connect(url_path(behind)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0001'")
    connection.close()
    before = contents(behind)
    assert hands_on(behind, mine, folder)
    assert contents(behind) == before

    newer = tmp_path / "newer"
    newer.mkdir()
    text = yaml.safe_dump({**bank_data, "version": 2}, sort_keys=False)
    (newer / "ml-basics.yaml").write_text(text, encoding="utf-8")
    unsynced = copy_of(template, "unsynced.db")
    before = contents(unsynced)
    assert hands_on(unsynced, mine, newer)
    assert contents(unsynced) == before

    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database\n" * 1000)
    assert hands_on(f"sqlite:///{garbage}", mine, folder)
    missing = f"sqlite:///{tmp_path / 'missing.db'}"
    assert hands_on(missing, mine, folder)
    assert not url_path(missing).exists()
    assert hands_on(f"sqlite:///{template}?timeout=5", mine, folder)
    assert hands_on("postgresql://user@localhost/app", mine, folder)
    assert not hands_on(copy_of(template, "ready.db"), mine, folder)


@pytest.mark.postgres
def test_postgresql_is_always_written_through_the_repository(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch, bank_data: dict[str, Any]
) -> None:
    from interview_prep.cli.context import CliState

    assert hands_on(postgres_url, users_bank(bank_data), Path("no-such-folder"))
    monkeypatch.setenv("INTERVIEW_PREP_DATABASE_URL", postgres_url)
    state = CliState()
    try:
        writer = state.writer()
        assert isinstance(writer, RepositoryWriter)
        assert writer.import_bank(users_bank(bank_data)).questions == 3
        assert "ml-systems" in [bank.id for bank in state.reader().list_banks()]
    finally:
        state.close()
