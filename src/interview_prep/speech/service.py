"""What the CLI and the web app call: transcribe a spoken answer, then grade it and its delivery.

``transcribe_answer`` checks and decodes a recording and transcribes it with the configured model,
primed with the question's key terms. ``grade_spoken`` grades the (possibly corrected) transcript
with the same engine as typed answers, :func:`interview_prep.grading.service.grade`, and measures
the delivery beside it, never inside the content score.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain import Question
from .audio import AudioTooLongError, check_speech, decode
from .delivery import DeliveryReport, answer_kind, measure_delivery
from .prompt import initial_prompt
from .transcript import Transcript
from .transcription import Progress, Transcriber, get_transcriber

if TYPE_CHECKING:
    from ..grading.result import GradeResult
    from ..settings import Config


@dataclass(frozen=True)
class SpokenGrade:
    """A graded spoken answer: the transcript graded, the grade, and the delivery."""

    transcript: Transcript
    grade: GradeResult
    delivery: DeliveryReport

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.grade.to_dict(),
            "transcript": self.transcript.to_dict(),
            "delivery": self.delivery.to_dict(),
        }


def _config(config: Config | None) -> Config:
    if config is not None:
        return config
    from ..settings import load_config

    return load_config()


def transcriber(config: Config | None = None) -> Transcriber:
    """The shared transcriber of the configured model (loaded on its first transcription)."""
    config = _config(config)
    return get_transcriber(str(config.speech_model), config.data_path / "models")


def check_size(size: int, config: Config | None = None) -> None:
    """Raises AudioTooLongError for a file over the ``max_audio_mb`` setting."""
    limit = int(_config(config).max_audio_mb)
    if size > limit * 1024 * 1024:
        raise AudioTooLongError(
            f"the recording is {size / 1024 / 1024:.1f} MB: up to {limit} MB is accepted"
        )


def transcribe_answer(
    question: Question,
    source: bytes | Path,
    *,
    config: Config | None = None,
    progress: Progress | None = None,
) -> Transcript:
    """Transcribe a spoken answer to ``question``.

    Args:
        question: the question answered (its key terms prime the recogniser).
        source: the recording, as a path or the file's bytes (WAV, FLAC, OGG, MP3, WebM).
        config: the settings (default: from the environment).
        progress: called with the share transcribed so far.

    Raises:
        AudioError: the recording is not audio, too long, silent, noise, or at too low a rate.
        SpeechModelUnavailableError: the model's package is not installed.
    """
    config = _config(config)
    size = len(source) if isinstance(source, bytes) else source.stat().st_size
    check_size(size, config)
    recording = decode(source, max_seconds=float(config.max_audio_seconds))
    check_speech(recording)
    return transcriber(config).transcribe(
        recording, prompt=initial_prompt(question), progress=progress
    )


def grade_spoken(
    question: Question,
    transcript: Transcript,
    *,
    text: str | None = None,
    config: Config | None = None,
) -> SpokenGrade:
    """Grade a transcribed answer, corrected to ``text`` if given, and measure its delivery.

    Raises:
        InvalidInputError: ``text`` is not a string.
    """
    from ..grading.service import grade

    config = _config(config)
    if text is not None:
        transcript = transcript.with_text(text)
    result = grade(
        question,
        transcript.text,
        grader_name=str(config.grader) or None,
        max_chars=int(config.max_answer_chars),
    )
    return SpokenGrade(transcript, result, measure_delivery(transcript, answer_kind(question)))
