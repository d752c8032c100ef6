"""Decoding and checking a recording: any common container in, 16 kHz mono samples out.

PyAV (FFmpeg's libraries, shipped in its wheel) reads WAV, FLAC, OGG/Opus, MP3 and the WebM/Opus
that browsers record. Every way a recording can be unusable gets its own clear message, raised
before the recogniser is asked, so the candidate knows what to fix: not audio at all, no sound
track, too long, a sample rate too low to carry speech, silence, or noise without speech.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InvalidInputError

if TYPE_CHECKING:
    import numpy as np

SAMPLE_RATE = 16000
# Telephone speech is 8 kHz; below that the consonants that tell words apart are gone.
MIN_SOURCE_RATE = 8000
_FRAME = 480  # 30 ms at 16 kHz
# The loudest tenth of the recording under this level (dBFS) is silence: a muted or unplugged mic.
SILENCE_DBFS = -45.0
# Spectral flatness near 0.5 is white-ish noise; voiced speech stays well under 0.2, even with hiss.
NOISE_FLATNESS = 0.35


class AudioError(InvalidInputError):
    """A recording that cannot be transcribed: the message says why."""

    code = "invalid_audio"
    title = "This recording cannot be used"


class AudioTooLongError(AudioError):
    """A recording longer than the limit."""

    status = 413
    code = "audio_too_long"
    title = "This recording is too long"


@dataclass(frozen=True)
class Recording:
    """Decoded audio: mono float32 samples at 16 kHz, and what the file was."""

    samples: np.ndarray
    source_rate: int
    format: str

    @property
    def duration(self) -> float:
        return float(len(self.samples)) / SAMPLE_RATE


def decode(source: bytes | Path, *, max_seconds: float) -> Recording:
    """Decode ``source`` (a file or its bytes) to 16 kHz mono samples.

    Args:
        source: the recording, as a path or the bytes of the file.
        max_seconds: the longest recording accepted.

    Returns:
        The samples, the original sample rate and the container format.

    Raises:
        AudioError: not audio, no sound track, or a sample rate under 8 kHz.
        AudioTooLongError: longer than ``max_seconds``.
    """
    import av
    import numpy as np

    if isinstance(source, bytes) and not source:
        raise AudioError("the recording is empty (0 bytes)")
    handle = io.BytesIO(source) if isinstance(source, bytes) else str(source)
    try:
        container = av.open(handle, mode="r", metadata_errors="ignore")
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as error:
        raise AudioError(
            "this file is not audio that can be read (WAV, FLAC, OGG, MP3 or WebM)"
        ) from error
    with container:
        if not container.streams.audio:
            raise AudioError("this file has no sound track")
        stream = container.streams.audio[0]
        rate = int(stream.rate or stream.codec_context.sample_rate or 0)
        if rate and rate < MIN_SOURCE_RATE:
            raise AudioError(
                f"the sample rate is {rate} Hz, too low to carry speech: "
                f"record at {MIN_SOURCE_RATE} Hz or more (16000 Hz or 48000 Hz are usual)"
            )
        # The header's length, when it has one, fails a 20-minute file before decoding it.
        if container.duration is not None and container.duration / 1_000_000 > max_seconds + 1:
            raise _too_long(container.duration / 1_000_000, max_seconds)
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        chunks: list[np.ndarray] = []
        total = 0
        limit = int((max_seconds + 1) * SAMPLE_RATE)
        try:
            for frame in container.decode(stream):
                frame.pts = None  # browsers' WebM often has gaps in timestamps: resample anyway
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    total += len(chunk)
                if total > limit:  # no length in the header (a browser's WebM): count as we go
                    raise _too_long(None, max_seconds)
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
        except av.FFmpegError as error:
            if not chunks:
                raise AudioError("the recording could not be decoded: it is damaged") from error
            # A recording cut short (the browser closed mid-write) keeps what was decoded.
        format_name = container.format.name
    if not chunks:
        raise AudioError("the recording holds no sound")
    samples = np.concatenate(chunks).astype(np.float32) / 32768.0
    if rate == 0:
        rate = SAMPLE_RATE
    return Recording(samples=samples, source_rate=rate, format=format_name)


def _too_long(seconds: float | None, max_seconds: float) -> AudioTooLongError:
    said = f"{seconds / 60:.1f} minutes" if seconds is not None else "longer than the limit"
    return AudioTooLongError(
        f"the recording is {said}: answers up to {max_seconds / 60:.0f} minutes are accepted"
    )


def loudness_dbfs(samples: np.ndarray) -> float:
    """The level of the loudest tenth of 30 ms frames, in dB below full scale."""
    import numpy as np

    frames = _frames(samples)
    if len(frames) == 0:
        return -120.0
    rms = np.sqrt(np.mean(frames**2, axis=1))
    loud = float(np.percentile(rms, 90))
    return 20.0 * float(np.log10(max(loud, 1e-6)))


def flatness(samples: np.ndarray) -> float:
    """Median spectral flatness of the louder half of frames: ~0.5 for hiss, low for voices."""
    import numpy as np

    frames = _frames(samples)
    if len(frames) == 0:
        return 0.0
    rms = np.sqrt(np.mean(frames**2, axis=1))
    loud = frames[rms >= np.median(rms)]
    power = np.abs(np.fft.rfft(loud * np.hanning(_FRAME), axis=1)) ** 2 + 1e-12
    values = np.exp(np.mean(np.log(power), axis=1)) / np.mean(power, axis=1)
    return float(np.median(values))


def _frames(samples: np.ndarray) -> np.ndarray:
    count = len(samples) // _FRAME
    return samples[: count * _FRAME].reshape(count, _FRAME).astype("float64")


def check_speech(recording: Recording) -> None:
    """Fail early on a recording with nothing to transcribe.

    Raises:
        AudioError: too short, silent, or noise without a voice in it.
    """
    if recording.duration < 0.3:
        raise AudioError(f"the recording is only {recording.duration:.1f} s long")
    level = loudness_dbfs(recording.samples)
    if level < SILENCE_DBFS:
        raise AudioError(
            f"the recording is silent (its loudest parts are at {level:.0f} dBFS): "
            "check that the microphone is on and not muted"
        )
    if flatness(recording.samples) > NOISE_FLATNESS:
        raise AudioError(
            "the recording sounds like noise, not speech: move closer to the microphone "
            "or away from the noise"
        )


def voiced_frames(samples: np.ndarray, frame: int = 160) -> np.ndarray:
    """A boolean per 10 ms frame: louder than the recording's noise floor (voice, not room)."""
    import numpy as np

    count = len(samples) // frame
    if count == 0:
        return np.zeros(0, dtype=bool)
    rms = np.sqrt(np.mean(samples[: count * frame].reshape(count, frame).astype("float64") ** 2, 1))
    level = 20.0 * np.log10(np.maximum(rms, 1e-6))
    floor, loud = np.percentile(level, 10), np.percentile(level, 90)
    result: np.ndarray = level > max(floor + 6.0, loud - 35.0)
    return result
