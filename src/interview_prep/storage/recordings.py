"""Recordings of spoken answers in the database, each read and written for its owner only.

Every method takes the user id and finds nothing of anyone else's: a recording id of another
user is "not found", never "forbidden", so ids reveal nothing. The transcription worker's own
writes (:meth:`DatabaseRecordingStore.mark_transcribing` and the rest) run with the id of a
recording it was handed by its owner's request.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.exc import IntegrityError

from ..errors import NotFoundError
from ..speech.recordings import NewRecording, RecordingStatus, StoredRecording
from ..speech.transcript import Transcript
from .database import Database
from .schema import QuestionRow, RecordingRow, utcnow

# Progress is written at most this often (share of the recording), not on every segment.
_PROGRESS_STEP = 0.05


def _with_audio_flag() -> Select[RecordingRow, bool]:
    return select(RecordingRow, RecordingRow.audio.is_not(None))


def _not_found(recording_id: str) -> NotFoundError:
    return NotFoundError(f"There is no recording {recording_id!r}.")


class DatabaseRecordingStore:
    """Recordings, their transcripts and delivery metrics in the app's database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, recording: NewRecording) -> StoredRecording:
        """Store a recording as it arrived (queued for transcription), committed on return.

        Raises:
            NotFoundError: the question is not stored.
        """
        row = RecordingRow(
            id=recording.id,
            user_id=recording.user_id,
            bank_id=recording.bank_id,
            question_id=recording.question_id,
            session_id=recording.session_id,
            item_index=recording.item_index,
            mime_type=recording.mime_type,
            size=len(recording.audio),
            audio=recording.audio,
            status=RecordingStatus.QUEUED.value,
            progress=0.0,
            created_at=recording.created_at,
            updated_at=recording.created_at,
        )
        try:
            with self.db.session(write=True) as session:
                session.add(row)
        except IntegrityError as error:
            with self.db.session() as session:
                known = session.scalar(
                    select(QuestionRow.pk).where(
                        QuestionRow.bank_id == recording.bank_id,
                        QuestionRow.question_id == recording.question_id,
                    )
                )
            if known is None:
                raise NotFoundError(
                    f"no question {recording.bank_id}/{recording.question_id!r} to answer"
                ) from error
            raise
        return _record(row, has_audio=True)

    def get(self, user_id: str, recording_id: str) -> StoredRecording:
        """The user's recording (without its bytes).

        Raises:
            NotFoundError: no such recording of this user.
        """
        with self.db.session() as session:
            found = session.execute(
                _with_audio_flag().where(RecordingRow.id == recording_id)
            ).first()
        if found is None or found[0].user_id != user_id:
            raise _not_found(recording_id)
        return _record(found[0], has_audio=bool(found[1]))

    def audio(self, user_id: str, recording_id: str) -> tuple[bytes, str]:
        """The recording's bytes and MIME type.

        Raises:
            NotFoundError: no such recording of this user, or its audio was deleted.
        """
        with self.db.session() as session:
            row = session.execute(
                select(RecordingRow.user_id, RecordingRow.audio, RecordingRow.mime_type).where(
                    RecordingRow.id == recording_id
                )
            ).first()
        if row is None or row.user_id != user_id:
            raise _not_found(recording_id)
        if row.audio is None:
            raise NotFoundError("The audio of this recording was deleted; its transcript is kept.")
        return bytes(row.audio), row.mime_type

    def delete_audio(self, user_id: str, recording_id: str) -> StoredRecording:
        """Delete the recording's audio, keeping its transcript and metrics.

        Raises:
            NotFoundError: no such recording of this user.
        """
        with self.db.session(write=True) as session:
            row = session.get(RecordingRow, recording_id)
            if row is None or row.user_id != user_id:
                raise _not_found(recording_id)
            row.audio = None
            row.updated_at = utcnow()
            if row.status in (RecordingStatus.QUEUED, RecordingStatus.TRANSCRIBING):
                # Nothing left to transcribe: say so rather than leave it waiting.
                row.status = RecordingStatus.FAILED.value
                row.error = "The recording was deleted before it was transcribed."
            return _record(row, has_audio=False)

    def of_question(self, user_id: str, bank_id: str, question_id: str) -> list[StoredRecording]:
        """The user's recordings of one question, newest first."""
        statement = (
            _with_audio_flag()
            .where(
                RecordingRow.user_id == user_id,
                RecordingRow.bank_id == bank_id,
                RecordingRow.question_id == question_id,
            )
            .order_by(RecordingRow.created_at.desc(), RecordingRow.id)
        )
        with self.db.session() as session:
            return [_record(row, has_audio=bool(flag)) for row, flag in session.execute(statement)]

    def deliveries(self, user_id: str) -> list[tuple[datetime, dict[str, Any]]]:
        """When each of the user's graded spoken answers was recorded, and its delivery
        metrics, oldest first."""
        statement = (
            select(RecordingRow.created_at, RecordingRow.delivery)
            .where(RecordingRow.user_id == user_id, RecordingRow.delivery.is_not(None))
            .order_by(RecordingRow.created_at, RecordingRow.id)
        )
        with self.db.session() as session:
            return [(when, dict(delivery)) for when, delivery in session.execute(statement)]

    # The transcription worker's steps

    def start_transcribing(self, recording_id: str) -> tuple[StoredRecording, bytes] | None:
        """Claim a queued (or failed) recording for transcription: its record and bytes, or
        ``None`` if another worker has it, it is done, or its audio is gone."""
        with self.db.session(write=True) as session:
            claimed = session.execute(
                update(RecordingRow)
                .where(
                    RecordingRow.id == recording_id,
                    RecordingRow.status.in_(
                        [RecordingStatus.QUEUED.value, RecordingStatus.FAILED.value]
                    ),
                    RecordingRow.audio.is_not(None),
                )
                .values(
                    status=RecordingStatus.TRANSCRIBING.value,
                    progress=0.0,
                    error=None,
                    updated_at=utcnow(),
                )
                .returning(RecordingRow.id)
            ).all()
            if not claimed:
                return None
            row = session.get(RecordingRow, recording_id)
            assert row is not None and row.audio is not None
            return _record(row, has_audio=True), bytes(row.audio)

    def set_progress(self, recording_id: str, share: float, *, last: float) -> bool:
        """Record the share transcribed if it moved on enough since ``last``; whether it did."""
        if share - last < _PROGRESS_STEP and share < 1.0:
            return False
        with self.db.session(write=True) as session:
            session.execute(
                update(RecordingRow)
                .where(RecordingRow.id == recording_id)
                .values(progress=min(1.0, share), updated_at=utcnow())
            )
        return True

    def finish_transcribing(
        self, recording_id: str, transcript: Transcript, *, keep_audio: bool
    ) -> None:
        """Store the transcript; drop the audio unless it is to be kept."""
        values: dict[str, Any] = {
            "status": RecordingStatus.TRANSCRIBED.value,
            "progress": 1.0,
            "transcript": transcript.to_dict(),
            "duration": transcript.duration,
            "error": None,
            "updated_at": utcnow(),
        }
        if not keep_audio:
            values["audio"] = None
        with self.db.session(write=True) as session:
            session.execute(
                update(RecordingRow).where(RecordingRow.id == recording_id).values(**values)
            )

    def fail_transcribing(self, recording_id: str, reason: str) -> None:
        """Mark a transcription failed with the reason a person reads; the audio stays."""
        with self.db.session(write=True) as session:
            session.execute(
                update(RecordingRow)
                .where(RecordingRow.id == recording_id)
                .values(status=RecordingStatus.FAILED.value, error=reason, updated_at=utcnow())
            )

    def save_grade(
        self,
        user_id: str,
        recording_id: str,
        *,
        transcript: Transcript,
        delivery: dict[str, Any],
        grade: dict[str, Any] | None = None,
        attempt_id: str | None = None,
    ) -> StoredRecording:
        """Keep the graded (corrected) transcript and its delivery, and the attempt it became.

        Raises:
            NotFoundError: no such recording of this user.
        """
        with self.db.session(write=True) as session:
            row = session.get(RecordingRow, recording_id)
            if row is None or row.user_id != user_id:
                raise _not_found(recording_id)
            row.transcript = transcript.to_dict()
            row.delivery = dict(delivery)
            row.grade = dict(grade) if grade is not None else None
            row.attempt_id = attempt_id
            row.updated_at = utcnow()
            session.flush()
        return self.get(user_id, recording_id)

    def of_attempt(self, user_id: str, attempt_id: str) -> StoredRecording | None:
        """The recording an attempt was made from, if any."""
        statement = _with_audio_flag().where(
            RecordingRow.user_id == user_id, RecordingRow.attempt_id == attempt_id
        )
        with self.db.session() as session:
            found = session.execute(statement.limit(1)).first()
        return _record(found[0], has_audio=bool(found[1])) if found is not None else None


def _record(row: RecordingRow, *, has_audio: bool) -> StoredRecording:
    return StoredRecording(
        id=row.id,
        user_id=row.user_id,
        bank_id=row.bank_id,
        question_id=row.question_id,
        mime_type=row.mime_type,
        size=row.size,
        has_audio=has_audio,
        status=RecordingStatus(row.status),
        progress=float(row.progress or 0.0),
        created_at=row.created_at,
        updated_at=row.updated_at,
        session_id=row.session_id,
        item_index=row.item_index,
        attempt_id=row.attempt_id,
        duration=row.duration,
        error=row.error,
        transcript=Transcript.from_dict(row.transcript) if row.transcript else None,
        delivery=dict(row.delivery) if row.delivery else None,
        grade=dict(row.grade) if row.grade else None,
    )


__all__ = ["DatabaseRecordingStore"]
