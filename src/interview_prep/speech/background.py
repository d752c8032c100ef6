"""Transcribing stored recordings off the web server's event loop, one at a time.

The upload stores the recording and returns; a single worker thread then decodes and transcribes
it, writing its progress to the recording's row, which the page polls. One thread because the
model is shared and these machines have two cores: a second transcription at once would only
slow both. faster-whisper (CTranslate2) releases the GIL while it computes, so the server keeps
answering other requests meanwhile.

A transcription that fails keeps the audio and stores the reason a person reads. A recording
left ``transcribing`` by a server that stopped is recognised by its stale ``updated_at`` and
offered again (:func:`is_abandoned`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from ..errors import InterviewPrepError
from .recordings import StoredRecording

if TYPE_CHECKING:
    from ..domain import Question
    from ..settings import Config
    from .transcript import Transcript

logger = logging.getLogger(__name__)

# Progress is written every few percent, so a recording being transcribed is touched every few
# seconds at most; one untouched for this long was left behind by a server that stopped.
ABANDONED_AFTER = timedelta(minutes=2)


class TranscriptionStore(Protocol):
    """The steps of :class:`interview_prep.storage.recordings.DatabaseRecordingStore` used here."""

    def start_transcribing(self, recording_id: str) -> tuple[StoredRecording, bytes] | None: ...
    def set_progress(self, recording_id: str, share: float, *, last: float) -> bool: ...
    def finish_transcribing(
        self, recording_id: str, transcript: Transcript, *, keep_audio: bool
    ) -> None: ...
    def fail_transcribing(self, recording_id: str, reason: str) -> None: ...


def transcribe_recording(
    store: TranscriptionStore, recording_id: str, question: Question, config: Config
) -> None:
    """Transcribe one stored recording, keeping its progress and outcome in the store.

    Never raises for a bad recording or a missing model: the reason is stored on the recording.
    """
    from .service import transcribe_answer

    claimed = store.start_transcribing(recording_id)
    if claimed is None:
        return  # done already, taken by another worker, or deleted
    _record, audio = claimed
    last = [0.0]

    def progress(share: float) -> None:
        if store.set_progress(recording_id, share, last=last[0]):
            last[0] = share

    try:
        transcript = transcribe_answer(question, audio, config=config, progress=progress)
    except InterviewPrepError as error:
        store.fail_transcribing(recording_id, error.message)
        return
    except Exception:  # a bug: say so on the page, keep the audio, and log it for the admin
        logger.exception("transcribing recording %s failed", recording_id)
        store.fail_transcribing(
            recording_id,
            "Transcription failed because of an error in the app (see the server's log); "
            "the recording is kept: try again.",
        )
        return
    store.finish_transcribing(recording_id, transcript, keep_audio=bool(config.keep_audio))


class TranscriptionQueue:
    """One worker thread that transcribes recordings in the order they were queued."""

    def __init__(self) -> None:
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._pending: set[str] = set()

    def submit(self, recording_id: str, work: Callable[[], None]) -> Future[None]:
        """Queue ``work`` (the transcription of ``recording_id``)."""
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="transcription")
            self._pending.add(recording_id)

        def run() -> None:
            try:
                work()
            finally:
                with self._lock:
                    self._pending.discard(recording_id)

        return self._executor.submit(run)

    def is_pending(self, recording_id: str) -> bool:
        """Whether this process has the recording queued or running."""
        with self._lock:
            return recording_id in self._pending

    def shutdown(self) -> None:
        """Wait for the transcription running now; drop the queued ones (they stay queued in
        the database and are offered again)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


def is_abandoned(recording: StoredRecording, now: datetime, *, pending_here: bool) -> bool:
    """Whether a recording said to be queued or transcribing has no worker any more."""
    if not recording.status.is_working or pending_here:
        return False
    return now - recording.updated_at > ABANDONED_AFTER
