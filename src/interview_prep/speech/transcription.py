"""Offline transcription with faster-whisper, the model loaded on first use.

Importing this module loads nothing: ``faster_whisper`` and the model are imported and read the
first time a recording is transcribed, so starting the app and grading typed answers cost what
they did before. One loaded model per name is shared by the whole process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .audio import SAMPLE_RATE, AudioError, Recording, voiced_frames
from .models import MODELS, model_dir
from .transcript import TimedWord, Transcript

Progress = Callable[[float], None]
"""Called with the share of the recording transcribed so far, 0.0 to 1.0."""

# Words the recogniser is less than this sure of, on average, are not speech but guesses at noise.
# 0.35 rejected a clean answer in one of espeak-ng's accents in the speech benchmark: keep it low.
MIN_MEAN_PROBABILITY = 0.2


class Transcriber:
    """One Whisper model, loaded on the first :meth:`transcribe`."""

    def __init__(self, name: str, cache_dir: Path, *, threads: int = 2) -> None:
        self.name = name
        self.cache_dir = cache_dir
        self.threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        """Load the model now (the first transcription does it otherwise)."""
        with self._lock:
            if self._model is None:
                from faster_whisper import WhisperModel

                self._model = WhisperModel(
                    str(model_dir(self.name, self.cache_dir)),
                    device="cpu",
                    compute_type="int8",
                    cpu_threads=self.threads,
                )

    def transcribe(
        self, recording: Recording, *, prompt: str | None = None, progress: Progress | None = None
    ) -> Transcript:
        """The words of ``recording`` with their times.

        Args:
            recording: decoded 16 kHz audio.
            prompt: text that primes the recogniser (the question's key terms).
            progress: called as segments come out.

        Raises:
            AudioError: no speech was heard.
        """
        self.load()
        started = time.perf_counter()
        options: dict[str, Any] = {}
        if not MODELS[self.name].english_only:
            options["language"] = "en"  # the banks are English: do not spend time detecting
        # One model, many threads (web requests): CTranslate2 models are not re-entrant here.
        with self._lock:
            segments, _info = self._model.transcribe(
                recording.samples,
                beam_size=1,
                initial_prompt=prompt or None,
                word_timestamps=True,
                condition_on_previous_text=False,
                vad_filter=False,
                **options,
            )
            words: list[TimedWord] = []
            for segment in segments:
                for word in segment.words or ():
                    text = word.word.strip()
                    if text:
                        words.append(
                            TimedWord(
                                text, float(word.start), float(word.end), float(word.probability)
                            )
                        )
                if progress is not None and recording.duration > 0:
                    progress(min(1.0, segment.end / recording.duration))
        words = tighten(words, recording)
        elapsed = time.perf_counter() - started
        if not words:
            raise AudioError("no speech was heard in the recording")
        mean = sum(word.probability for word in words) / len(words)
        if mean < MIN_MEAN_PROBABILITY:
            raise AudioError(
                "no clear speech was heard in the recording (it may be noise or music): "
                "speak closer to the microphone"
            )
        if progress is not None:
            progress(1.0)
        return Transcript(
            words=tuple(words),
            duration=recording.duration,
            model=self.name,
            elapsed_seconds=elapsed,
        )


def tighten(words: list[TimedWord], recording: Recording) -> list[TimedWord]:
    """Words with the silence trimmed off their ends.

    Whisper's word times run a word on across the pause after it ("training." from 2.8 s to 5.5 s
    when the voice stopped at 3.2 s), which would hide every long pause. The loudness of the
    recording says where the voice really stopped.
    """
    voiced = voiced_frames(recording.samples)
    step = 160 / SAMPLE_RATE
    tightened: list[TimedWord] = []
    for word in words:
        first, last = int(word.start / step), min(int(word.end / step), len(voiced))
        inside = [index for index in range(first, last) if voiced[index]]
        if inside:
            start = max(word.start, inside[0] * step)
            end = min(word.end, (inside[-1] + 1) * step)
            word = TimedWord(word.text, round(start, 2), round(end, 2), word.probability)
        tightened.append(word)
    return tightened


_TRANSCRIBERS: dict[tuple[str, Path | None], Transcriber] = {}
_REGISTRY_LOCK = threading.Lock()


def get_transcriber(name: str, cache_dir: Path) -> Transcriber:
    """The shared transcriber for model ``name`` (not loaded until it transcribes)."""
    with _REGISTRY_LOCK:
        # tiny.en is read from its package wherever the data folder is: one load per process,
        # however many apps (tests) ask for it. Only an assembled model lives under cache_dir.
        key = (name, cache_dir if name == "base" else None)
        if key not in _TRANSCRIBERS:
            model_dir_check = MODELS.get(name)
            if model_dir_check is None:
                model_dir(name, cache_dir)  # raises the clear unknown-model error
            _TRANSCRIBERS[key] = Transcriber(name, cache_dir)
        return _TRANSCRIBERS[key]
