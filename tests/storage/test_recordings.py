"""Recordings in the database, on SQLite and PostgreSQL: stored whole before transcription, kept
to their owner, their audio deletable, the worker's steps, and the cascade with the bank."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import inspect

from interview_prep.domain import Bank
from interview_prep.errors import NotFoundError
from interview_prep.practice.attempts import Attempt, QuestionRef
from interview_prep.speech.recordings import NewRecording, RecordingStatus
from interview_prep.speech.transcript import TimedWord, Transcript
from interview_prep.storage import Database, delete_bank, import_bank
from interview_prep.storage.database import _alembic_config, head_revision, upgrade
from interview_prep.storage.practice import DatabasePracticeStore
from interview_prep.storage.recordings import DatabaseRecordingStore
from interview_prep.storage.schema import UserRow

AT = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
AUDIO = b"RIFF" + bytes(range(256)) * 40  # bytes of every value survive the round trip
TRANSCRIPT = Transcript(
    words=(TimedWord("ReLU", 0.2, 0.6, 0.9), TimedWord("helps.", 0.7, 1.1, 0.8)),
    duration=1.5,
    model="tiny.en",
    elapsed_seconds=0.3,
)


@pytest.fixture
def store(db: Database, bank: Bank) -> DatabaseRecordingStore:
    import_bank(db, bank)
    with db.session(write=True) as session:
        session.add(UserRow(id="someone-else", username="someone-else", role="candidate"))
    return DatabaseRecordingStore(db)


def new(recording_id: str = "r1", user_id: str = "local", **fields: object) -> NewRecording:
    values: dict[str, object] = {
        "id": recording_id,
        "user_id": user_id,
        "bank_id": "ml-basics",
        "question_id": "adam",
        "mime_type": "audio/webm",
        "audio": AUDIO,
        "created_at": AT,
        **fields,
    }
    return NewRecording(**values)  # type: ignore[arg-type]


def test_the_migration_creates_and_drops_the_recordings_table(db: Database) -> None:
    with db.engine.connect() as connection:
        assert "recordings" in inspect(connection).get_table_names()
    with db.session(write=True) as session:
        command.downgrade(_alembic_config(session.connection()), "0008")
    with db.engine.connect() as connection:
        assert "recordings" not in inspect(connection).get_table_names()
    assert upgrade(db.url) == head_revision()


def test_a_recording_is_stored_whole_and_queued(store: DatabaseRecordingStore) -> None:
    saved = store.save(new())
    assert saved.status is RecordingStatus.QUEUED and saved.has_audio
    assert saved.size == len(AUDIO)
    assert store.audio("local", "r1") == (AUDIO, "audio/webm")
    again = store.get("local", "r1")
    assert again.created_at == AT and again.transcript is None


def test_a_recording_of_an_unknown_question_is_not_found(store: DatabaseRecordingStore) -> None:
    with pytest.raises(NotFoundError, match="no question"):
        store.save(new(question_id="nope"))


def test_another_users_recording_is_not_found(store: DatabaseRecordingStore) -> None:
    store.save(new())
    for call in (store.get, store.audio, store.delete_audio):
        with pytest.raises(NotFoundError):
            call("someone-else", "r1")
    with pytest.raises(NotFoundError):
        store.save_grade("someone-else", "r1", transcript=TRANSCRIPT, delivery={})
    assert store.of_question("someone-else", "ml-basics", "adam") == []
    assert store.get("local", "r1").has_audio


def test_the_worker_claims_once_reports_progress_and_keeps_the_transcript(
    store: DatabaseRecordingStore,
) -> None:
    store.save(new())
    claimed = store.start_transcribing("r1")
    assert claimed is not None and claimed[1] == AUDIO
    assert store.start_transcribing("r1") is None  # a second worker gets nothing
    assert not store.set_progress("r1", 0.01, last=0.0)  # too small a step to write
    assert store.set_progress("r1", 0.5, last=0.0)
    assert store.get("local", "r1").progress == 0.5
    store.finish_transcribing("r1", TRANSCRIPT, keep_audio=True)
    done = store.get("local", "r1")
    assert done.status is RecordingStatus.TRANSCRIBED and done.duration == 1.5
    assert done.transcript == TRANSCRIPT and done.has_audio


def test_without_keep_audio_the_audio_goes_once_transcribed(
    store: DatabaseRecordingStore,
) -> None:
    store.save(new())
    store.start_transcribing("r1")
    store.finish_transcribing("r1", TRANSCRIPT, keep_audio=False)
    done = store.get("local", "r1")
    assert not done.has_audio and done.transcript == TRANSCRIPT
    with pytest.raises(NotFoundError, match="deleted"):
        store.audio("local", "r1")


def test_a_failure_keeps_the_audio_and_can_be_retried(store: DatabaseRecordingStore) -> None:
    store.save(new())
    store.start_transcribing("r1")
    store.fail_transcribing("r1", "the recording is silent")
    failed = store.get("local", "r1")
    assert failed.status is RecordingStatus.FAILED and failed.error == "the recording is silent"
    assert failed.has_audio
    assert store.start_transcribing("r1") is not None
    assert store.get("local", "r1").error is None


def test_deleting_the_audio_keeps_the_transcript(store: DatabaseRecordingStore) -> None:
    store.save(new())
    store.start_transcribing("r1")
    store.finish_transcribing("r1", TRANSCRIPT, keep_audio=True)
    deleted = store.delete_audio("local", "r1")
    assert not deleted.has_audio and deleted.transcript == TRANSCRIPT
    with pytest.raises(NotFoundError):
        store.audio("local", "r1")


def test_deleting_before_transcription_says_so(store: DatabaseRecordingStore) -> None:
    store.save(new())
    deleted = store.delete_audio("local", "r1")
    assert deleted.status is RecordingStatus.FAILED and "deleted" in (deleted.error or "")
    assert store.start_transcribing("r1") is None


def test_a_graded_recording_keeps_its_delivery_and_attempt(
    store: DatabaseRecordingStore, db: Database
) -> None:
    practice = DatabasePracticeStore(db)
    practice.save_attempt_before_grading(
        Attempt("a1", "local", QuestionRef("ml-basics", "adam"), "Optimisers", "ReLU helps.", AT)
    )
    store.save(new())
    store.save(new("r2", created_at=AT.replace(hour=10)))
    graded = store.save_grade(
        "local",
        "r1",
        transcript=TRANSCRIPT.with_text("ReLU helps a lot."),
        delivery={"metrics": [{"name": "pace", "value": 120.0}]},
        attempt_id="a1",
    )
    assert graded.attempt_id == "a1" and graded.transcript is not None
    assert graded.transcript.edited
    assert store.of_attempt("local", "a1") == graded
    assert store.of_attempt("someone-else", "a1") is None
    assert store.deliveries("local") == [(AT, {"metrics": [{"name": "pace", "value": 120.0}]})]
    assert [r.id for r in store.of_question("local", "ml-basics", "adam")] == ["r2", "r1"]


def test_recordings_go_with_their_bank(store: DatabaseRecordingStore, db: Database) -> None:
    store.save(new())
    delete_bank(db, "ml-basics")
    with pytest.raises(NotFoundError):
        store.get("local", "r1")
