"""``grade --audio`` and ``practice --voice`` through the real entry point."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from interview_prep.cli import main

ANSWER = (
    "Overfitting is when the model memorises noise in the training data, um, so training error is "
    "low but validation error is high. Use regularization such as dropout or weight decay."
)


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("INTERVIEW_PREP_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("INTERVIEW_PREP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("INTERVIEW_PREP_GRADER", "lexical")
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> tuple[int, str, str]:
        status = main(list(args))
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


@pytest.fixture(scope="module")
def spoken(tmp_path_factory):
    """The answer spoken by espeak-ng, 16 kHz mono via sox."""
    folder = tmp_path_factory.mktemp("cli-audio")
    raw, out = folder / "raw.wav", folder / "overfitting.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", raw, ANSWER], check=True)
    subprocess.run(["sox", raw, "-r", "16000", "-c", "1", out], check=True)
    return out


def test_grade_audio_prints_the_transcript_grade_and_delivery(cli, spoken):
    status, out, err = cli("grade", "overfitting", "--audio", str(spoken))
    assert status == 0, err
    assert "Transcript" in out
    assert "validation" in out.lower()
    assert "Delivery (not part of the score)" in out
    assert "words per minute" in out
    assert "/5" in out


def test_grade_audio_as_json(cli, spoken):
    status, out, err = cli("grade", "overfitting", "--audio", str(spoken), "--json")
    assert status == 0, err
    data = json.loads(out)
    assert data["question_id"] == "overfitting"
    assert "overfitting" in data["transcript"]["text"].lower()
    assert data["transcript"]["words"][0]["start"] >= 0
    assert data["delivery"]["metrics"][0]["name"] == "pace"
    assert 0 <= data["score"] <= 5


def test_grade_audio_of_a_file_that_is_not_audio(cli, tmp_path):
    notes = tmp_path / "notes.mp3"
    notes.write_text("not a recording", encoding="utf-8")
    status, _, err = cli("grade", "overfitting", "--audio", str(notes))
    assert status == 1
    assert "not audio" in err
    missing_status, _, missing_err = cli("grade", "overfitting", "--audio", str(tmp_path / "x"))
    assert missing_status == 1
    assert "no audio file" in missing_err


def test_practice_voice_says_clearly_when_there_is_no_microphone(cli, monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(
        shutil, "which", lambda name: None if name == "arecord" else real_which(name)
    )
    status, _, err = cli("practice", "--voice", "--count", "1")
    assert status == 1
    assert "no microphone" in err
