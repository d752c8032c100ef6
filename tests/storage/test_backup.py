"""Backup, restore and the integrity check, round trip on real SQLite and PostgreSQL."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from interview_prep.accounts import service
from interview_prep.accounts.users import LOCAL_USER_ID
from interview_prep.domain import Bank
from interview_prep.errors import InvalidInputError
from interview_prep.practice.attempts import QuestionRef
from interview_prep.practice.scheduling import make_scheduler, schedule
from interview_prep.practice.service import start_session, submit_answer
from interview_prep.practice.sessions import SessionConfig
from interview_prep.storage import Database, import_bank, list_questions, search
from interview_prep.storage.accounts import DatabaseAccountStore
from interview_prep.storage.backup import backup, check, restore
from interview_prep.storage.practice import DatabasePracticeStore
from interview_prep.storage.schema import Base, PracticeSessionRow

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
REF = QuestionRef("ml-basics", "gradient-descent")
SCHEDULER = make_scheduler(fuzz=False)


def _everything(db: Database) -> dict[str, list[dict[str, Any]]]:
    with db.engine.connect() as connection:
        return {
            table.name: [
                dict(row)
                for row in connection.execute(
                    select(table).order_by(*table.primary_key.columns)
                ).mappings()
            ]
            for table in Base.metadata.sorted_tables
        }


def _practise(db: Database, user_id: str, answer: str, at: datetime) -> None:
    practice = DatabasePracticeStore(db)
    session = start_session(practice, user_id, SessionConfig(count=1), list_questions(db), at)
    session.start(at)
    submit_answer(practice, session, answer, at)
    state, entry = schedule(
        practice.card_state(user_id, REF), "good", at, question=REF, scheduler=SCHEDULER
    )
    practice.record_review(user_id, state, entry)


@pytest.fixture
def filled(db: Database, bank: Bank) -> Database:
    import_bank(db, bank)
    _practise(db, LOCAL_USER_ID, "the local answer", NOW)
    accounts = DatabaseAccountStore(db)
    alice = service.add_user(accounts, "alice", "correct horse battery", NOW)
    service.log_in(accounts, "alice", "correct horse battery", "10.0.0.1", NOW)
    _practise(db, alice.id, "alice's answer, with ünïcode", NOW + timedelta(hours=1))
    return db


def test_a_backup_restores_exactly(filled: Database, tmp_path: Path) -> None:
    before = _everything(filled)
    file = tmp_path / "prep.backup.gz"
    summary = backup(filled, file)
    assert summary.total == sum(len(rows) for rows in before.values())
    assert not (tmp_path / "prep.backup.gz.partial").exists()
    # Change things after the backup; the restore brings back the state it recorded.
    _practise(filled, LOCAL_USER_ID, "an answer made after the backup", NOW + timedelta(days=1))
    assert _everything(filled) != before
    restored = restore(filled, file)
    assert restored.rows == summary.rows
    assert _everything(filled) == before
    # The search index was rebuilt with the questions, and new rows get fresh keys.
    assert search(filled, "vanishing gradient")[0].record.id == "vanishing-gradients"
    _practise(filled, LOCAL_USER_ID, "after the restore", NOW + timedelta(days=2))
    assert check(filled) == []


def test_a_damaged_backup_changes_nothing(filled: Database, tmp_path: Path) -> None:
    file = tmp_path / "prep.backup.gz"
    backup(filled, file)
    lines = gzip.decompress(file.read_bytes()).decode().splitlines()
    damaged = tmp_path / "damaged.gz"
    damaged.write_bytes(gzip.compress("\n".join([*lines[:-3], "{not json"]).encode()))
    before = _everything(filled)
    with pytest.raises(InvalidInputError, match="not a backup line"):
        restore(filled, damaged)
    assert _everything(filled) == before
    not_a_backup = tmp_path / "notes.gz"
    not_a_backup.write_bytes(gzip.compress(b'{"hello": 1}\n'))
    with pytest.raises(InvalidInputError, match="not an Interview Prep backup"):
        restore(filled, not_a_backup)
    plain = tmp_path / "plain.txt"
    plain.write_text("hello")
    with pytest.raises(InvalidInputError, match="cannot be read"):
        restore(filled, plain)
    assert _everything(filled) == before


def test_the_check_finds_an_unreadable_session(filled: Database) -> None:
    assert check(filled) == []
    with filled.session(write=True) as session:
        session.execute(update(PracticeSessionRow).values(data={"broken": True}))
    problems = check(filled)
    assert len(problems) == 2 and all("cannot be read" in problem for problem in problems)
