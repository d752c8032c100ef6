"""``POST /api/grade`` with a recording: transcribed, graded, delivery measured; clear errors."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from interview_prep.settings import load_config
from interview_prep.storage import Database
from interview_prep.web.app import create_app

ANSWER = (
    "Gradients shrink exponentially as they flow back through many layers, because sigmoid "
    "saturates. Use ReLU activations and residual connections."
)


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("api-audio")
    raw, out = folder / "raw.wav", folder / "answer.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", raw, ANSWER], check=True)
    subprocess.run(["sox", raw, "-r", "16000", "-c", "1", out], check=True)
    return out


@pytest.fixture
def speech_client(study_db: Database, tmp_path: Path) -> Iterator[TestClient]:
    config = load_config(
        {"data_dir": str(tmp_path), "grader": "lexical", "max_audio_mb": 1}, environ={}
    )
    # No allowed_hosts in these settings: call the app by a loopback name.
    with TestClient(create_app(study_db, config=config), base_url="http://127.0.0.1") as client:
        yield client


def _post(client: TestClient, data: bytes, name: str = "answer.wav", **fields: str):
    form = {"question_id": "vanishing-gradients", **fields}
    return client.post("/api/grade", data=form, files={"audio": (name, data, "audio/wav")})


def test_a_recorded_answer_is_transcribed_and_graded(
    speech_client: TestClient, recording: Path
) -> None:
    response = _post(speech_client, recording.read_bytes())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["question_id"] == "vanishing-gradients"
    assert "residual connections" in body["transcript"]["text"].lower()
    assert body["transcript"]["words"][0]["end"] > 0
    assert body["delivery"]["metrics"][0]["range"]["unit"] == "words per minute"
    assert body["grader"] == "lexical"
    assert 0 <= body["score"] <= 5


def test_a_file_that_is_not_audio_is_a_clear_422(speech_client: TestClient) -> None:
    response = _post(speech_client, b"just some text, not a recording")
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_audio"
    assert "not audio" in response.json()["message"]


def test_a_recording_over_the_size_limit_is_413(speech_client: TestClient) -> None:
    response = _post(speech_client, b"\0" * (1024 * 1024 + 10))
    assert response.status_code == 413
    assert response.json()["error"] == "audio_too_long"
    assert "up to 1 MB" in response.json()["message"]


def test_silence_is_a_clear_422(speech_client: TestClient, tmp_path: Path) -> None:
    silence = tmp_path / "silence.wav"
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", silence, "trim", "0", "2"], check=True)
    response = _post(speech_client, silence.read_bytes())
    assert response.status_code == 422
    assert "silent" in response.json()["message"]


def test_a_form_without_the_recording(speech_client: TestClient) -> None:
    response = speech_client.post(
        "/api/grade", data={"question_id": "vanishing-gradients"}, files={"other": ("x", b"x")}
    )
    assert response.status_code == 422
    assert "field 'audio'" in response.json()["message"]


def test_an_unknown_question_is_404_before_any_transcription(
    speech_client: TestClient, recording: Path
) -> None:
    response = speech_client.post(
        "/api/grade",
        data={"question_id": "nope"},
        files={"audio": ("a.wav", recording.read_bytes(), "audio/wav")},
    )
    assert response.status_code == 404
