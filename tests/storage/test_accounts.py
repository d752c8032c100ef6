"""Accounts in the database: the migration that keeps the local history, and secrets at rest."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import select, text

from interview_prep.accounts import service
from interview_prep.accounts.users import LOCAL_USER_ID, Role
from interview_prep.domain import Bank
from interview_prep.practice.attempts import QuestionRef
from interview_prep.practice.scheduling import make_scheduler, schedule
from interview_prep.practice.service import start_session, submit_answer
from interview_prep.practice.sessions import SessionConfig
from interview_prep.storage import Database, import_bank, list_questions, open_database
from interview_prep.storage.accounts import DatabaseAccountStore, digest
from interview_prep.storage.database import _alembic_config
from interview_prep.storage.practice import DatabasePracticeStore
from interview_prep.storage.schema import ApiTokenRow, UserRow, WebSessionRow

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
REF = QuestionRef("ml-basics", "gradient-descent")


def _practise_locally(db: Database) -> None:
    """An answered session and a rating, as single-user mode leaves them."""
    practice = DatabasePracticeStore(db)
    session = start_session(
        practice, LOCAL_USER_ID, SessionConfig(count=1), list_questions(db), NOW
    )
    session.start(NOW)
    submit_answer(practice, session, "step against the gradient", NOW)
    state, entry = schedule(None, "good", NOW, question=REF, scheduler=make_scheduler(fuzz=False))
    practice.record_review(LOCAL_USER_ID, state, entry)


def test_upgrading_keeps_the_local_history(db: Database, bank: Bank) -> None:
    import_bank(db, bank)
    with db.session(write=True) as session:
        command.downgrade(_alembic_config(session.connection()), "0003")
    # Practice as it was stored before accounts existed (no users table to refer to).
    with db.session(write=True) as session:
        session.execute(
            text(
                "INSERT INTO attempts (id, user_id, bank_id, question_id, category, answer, "
                "source, submitted_at, timed_out) VALUES ('a1', 'local', 'ml-basics', "
                "'gradient-descent', 'Optimisation', 'my old answer', 'typed', :at, false)"
            ),
            {"at": NOW.replace(tzinfo=None)},
        )
    reopened = open_database(db.url, sync_bundled=False)
    try:
        (kept,) = DatabasePracticeStore(reopened).attempts(LOCAL_USER_ID)
        assert kept.answer == "my old answer"
        with reopened.session() as session:
            local = session.get(UserRow, LOCAL_USER_ID)
            assert local is not None and local.password_hash is None and local.role == "admin"
    finally:
        reopened.close()


def test_the_local_history_goes_to_the_first_account(db: Database, bank: Bank) -> None:
    import_bank(db, bank)
    _practise_locally(db)
    accounts = DatabaseAccountStore(db)
    alice = service.add_user(accounts, "alice", "correct horse battery", NOW, role=Role.ADMIN)
    assert accounts.take_local_history(alice.id) == 4  # attempt, card, review, session
    practice = DatabasePracticeStore(db)
    assert practice.attempts(LOCAL_USER_ID) == []
    (attempt,) = practice.attempts(alice.id)
    assert attempt.user_id == alice.id
    assert practice.card_state(alice.id, REF) is not None
    assert len(practice.review_logs(alice.id)) == 1
    (session,) = practice.unfinished_sessions(alice.id)
    assert session.user_id == alice.id


def test_tokens_are_stored_only_as_digests(db: Database) -> None:
    accounts = DatabaseAccountStore(db)
    alice = service.add_user(accounts, "alice", "correct horse battery", NOW)
    _, cookie = service.log_in(accounts, "alice", "correct horse battery", "10.0.0.1", NOW)
    api_token = accounts.create_api_token(alice.id, "script", NOW)
    with db.session() as session:
        stored = set(session.scalars(select(WebSessionRow.token_hash)))
        stored |= set(session.scalars(select(ApiTokenRow.token_hash)))
        hashes = set(session.scalars(select(UserRow.password_hash)))
    assert stored == {digest(cookie), digest(api_token)}
    assert "correct horse battery" not in str(hashes)
