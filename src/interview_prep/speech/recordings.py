"""A stored recording of a spoken answer, as the rest of the app reads it (pure data).

A recording is stored the moment it arrives, before anything reads it, so that a crash while
decoding or transcribing loses nothing: it is ``queued``, then ``transcribing`` (with the share
done), then ``transcribed`` (with its timed transcript) or ``failed`` (with the reason, the audio
kept so that it can be transcribed again).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .transcript import Transcript

# What browsers record (MediaRecorder) and what people upload; anything else is refused before
# it is stored. The decoder still checks the bytes: a name or a type proves nothing.
AUDIO_TYPES = frozenset(
    {
        "audio/webm",
        "audio/ogg",
        "audio/wav",
        "audio/x-wav",
        "audio/wave",
        "audio/flac",
        "audio/x-flac",
        "audio/mpeg",
        "audio/mp3",
        "audio/mp4",
        "video/webm",  # Chromium labels some audio-only WebM recordings so
        "application/octet-stream",  # curl and some browsers for a file of unknown type
    }
)


class RecordingStatus(enum.StrEnum):
    QUEUED = "queued"
    TRANSCRIBING = "transcribing"
    TRANSCRIBED = "transcribed"
    FAILED = "failed"

    @property
    def is_working(self) -> bool:
        return self in (RecordingStatus.QUEUED, RecordingStatus.TRANSCRIBING)


def base_mime_type(declared: str) -> str:
    """``audio/webm;codecs=opus`` as ``audio/webm``: the part that names the container."""
    return declared.split(";", 1)[0].strip().lower()


@dataclass(frozen=True)
class NewRecording:
    """A recording as it arrives: whose, to which question (and session item), and the bytes."""

    id: str
    user_id: str
    bank_id: str
    question_id: str
    mime_type: str
    audio: bytes
    created_at: datetime
    session_id: str | None = None
    item_index: int | None = None


@dataclass(frozen=True)
class StoredRecording:
    """A recording as stored, without its bytes (read those with the store's ``audio``)."""

    id: str
    user_id: str
    bank_id: str
    question_id: str
    mime_type: str
    size: int
    has_audio: bool
    status: RecordingStatus
    progress: float
    created_at: datetime
    updated_at: datetime
    session_id: str | None = None
    item_index: int | None = None
    attempt_id: str | None = None
    duration: float | None = None
    error: str | None = None
    transcript: Transcript | None = None
    delivery: dict[str, Any] | None = None
    grade: dict[str, Any] | None = None

    @property
    def question_key(self) -> str:
        return f"{self.bank_id}/{self.question_id}"

    @property
    def is_graded(self) -> bool:
        return self.grade is not None or self.attempt_id is not None
