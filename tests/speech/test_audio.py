"""Decoding every accepted format, and a clear error for each unusable recording."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from interview_prep.speech.audio import (
    SAMPLE_RATE,
    AudioError,
    AudioTooLongError,
    check_speech,
    decode,
)

from .conftest import sox


@pytest.fixture(scope="module")
def formats(spoken_answer: Path, audio_dir: Path) -> dict[str, Path]:
    made = {"wav": spoken_answer}
    for suffix, rate in (("flac", 44100), ("ogg", 22050)):
        made[suffix] = audio_dir / f"answer.{suffix}"
        sox(spoken_answer, "-r", rate, made[suffix])
    ffmpeg = shutil.which("ffmpeg")
    assert ffmpeg, "ffmpeg is needed to make MP3 and WebM test files: run scripts/setup --dev"
    for suffix, codec in (("mp3", "libmp3lame"), ("webm", "libopus")):
        made[suffix] = audio_dir / f"answer.{suffix}"
        subprocess.run(
            [
                ffmpeg,
                "-loglevel",
                "error",
                "-y",
                "-i",
                spoken_answer,
                *("-ar", "48000"),
                *("-c:a", codec),
                made[suffix],
            ],
            check=True,
        )
    return made


@pytest.mark.parametrize("suffix", ["wav", "flac", "ogg", "mp3", "webm"])
def test_every_format_decodes_to_16_khz_mono(formats, suffix):
    recording = decode(formats[suffix], max_seconds=60)
    reference = decode(formats["wav"], max_seconds=60)
    assert recording.samples.ndim == 1
    assert abs(recording.duration - reference.duration) < 0.1  # codec padding only
    check_speech(recording)


def test_bytes_decode_like_the_file(formats):
    from_bytes = decode(formats["flac"].read_bytes(), max_seconds=60)
    assert from_bytes.source_rate == 44100
    assert from_bytes.format == "flac"
    assert len(from_bytes.samples) == len(decode(formats["flac"], max_seconds=60).samples)


def test_a_file_that_is_not_audio(tmp_path):
    path = tmp_path / "notes.wav"
    path.write_text("these are my notes, not a recording", encoding="utf-8")
    with pytest.raises(AudioError, match="not audio"):
        decode(path, max_seconds=60)
    with pytest.raises(AudioError, match="empty"):
        decode(b"", max_seconds=60)


def test_a_sample_rate_too_low_for_speech(spoken_answer, tmp_path):
    path = tmp_path / "4k.wav"
    sox(spoken_answer, "-r", "4000", path)
    with pytest.raises(AudioError, match="4000 Hz, too low"):
        decode(path, max_seconds=60)


def test_a_higher_sample_rate_is_resampled(spoken_answer, tmp_path):
    path = tmp_path / "48k.wav"
    sox(spoken_answer, "-r", "48000", path)
    recording = decode(path, max_seconds=60)
    assert recording.source_rate == 48000
    assert len(recording.samples) == pytest.approx(
        decode(spoken_answer, max_seconds=60).duration * SAMPLE_RATE, rel=0.01
    )


def test_a_20_minute_file_fails_on_its_header(tmp_path):
    path = tmp_path / "long.wav"  # 8 kHz, 8 bits: 9.6 MB, quick to write
    sox("-n", "-r", "8000", "-c", "1", "-b", "8", path, "trim", "0", "1200")
    with pytest.raises(AudioTooLongError, match=r"20\.0 minutes: answers up to 10 minutes"):
        decode(path, max_seconds=600)


def test_a_stream_without_a_length_fails_as_it_goes(spoken_answer):
    # A raw bytes WebM from a browser has no duration; the limit still holds while decoding
    with pytest.raises(AudioTooLongError):
        decode(spoken_answer.read_bytes(), max_seconds=2)


def test_silence(tmp_path):
    path = tmp_path / "silence.wav"
    sox("-n", "-r", "16000", "-c", "1", "-b", "16", path, "trim", "0", "3")
    with pytest.raises(AudioError, match="silent"):
        check_speech(decode(path, max_seconds=60))


def test_white_noise(tmp_path):
    path = tmp_path / "noise.wav"
    sox("-n", "-r", "16000", "-c", "1", "-b", "16", path, "synth", "3", "whitenoise", "vol", "0.3")
    with pytest.raises(AudioError, match="noise, not speech"):
        check_speech(decode(path, max_seconds=60))


def test_speech_with_some_background_noise_passes(spoken_answer, tmp_path):
    noise = tmp_path / "hiss.wav"
    duration = decode(spoken_answer, max_seconds=60).duration
    sox(
        "-n",
        "-r",
        "16000",
        "-c",
        "1",
        "-b",
        "16",
        noise,
        "synth",
        duration,
        "whitenoise",
        "vol",
        "0.05",
    )
    mixed = tmp_path / "noisy.wav"
    sox("-m", spoken_answer, noise, mixed)
    check_speech(decode(mixed, max_seconds=60))
