"""Recorded answers over HTTP: stored at once, transcribed in the background with progress,
corrected and graded (on a question's page and in a session), deleted, and kept to their owner."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from interview_prep.practice.attempts import AnswerSource
from interview_prep.settings import load_config
from interview_prep.speech.transcript import bare
from interview_prep.storage import Database
from interview_prep.storage.practice import DatabasePracticeStore
from interview_prep.storage.recordings import DatabaseRecordingStore
from interview_prep.web.app import create_app

from ..conftest import soup

BANK = "ml-basics"

ANSWER = (
    "Gradients shrink exponentially as they flow back through many layers, because sigmoid "
    "saturates. Um, use ReLU activations and residual connections."
)


def _speak(folder: Path, text: str, name: str) -> Path:
    raw, out = folder / f"{name}.raw.wav", folder / f"{name}.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", raw, text], check=True)
    subprocess.run(["sox", raw, "-r", "16000", "-c", "1", "-b", "16", out], check=True)
    return out


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _speak(tmp_path_factory.mktemp("recordings-audio"), ANSWER, "answer")


def _client(db: Database, folder: Path, **settings: object) -> TestClient:
    config = load_config(
        {"data_dir": str(folder), "grader": "lexical", "max_audio_mb": 2, **settings}, environ={}
    )
    return TestClient(create_app(db, config=config), base_url="http://127.0.0.1")


@pytest.fixture
def client(study_db: Database, tmp_path: Path) -> Iterator[TestClient]:
    with _client(study_db, tmp_path) as test_client:
        yield test_client


def upload(client: TestClient, data: bytes, mime: str = "audio/wav", **fields: str):
    form = fields or {"bank": BANK, "question_id": "vanishing-gradients"}
    return client.post("/recordings", data=form, files={"audio": ("answer.wav", data, mime)})


def wait_for(client: TestClient, url: str, timeout: float = 60) -> BeautifulSoup:
    """The recording's fragment once it is no longer being transcribed."""
    deadline = time.monotonic() + timeout
    while True:
        page = soup(client.get(url).text)
        box = page.select_one("[data-recording]")
        assert box is not None
        if box["data-status"] not in ("queued", "transcribing"):
            return page
        assert box.get("hx-trigger") == "every 1s"  # the page keeps polling meanwhile
        assert time.monotonic() < deadline, "the transcription did not finish"
        time.sleep(0.2)


def recording_url(response) -> str:
    box = soup(response.text).select_one("[data-recording]")
    return f"/recordings/{box['id'].removeprefix('recording-')}"


def test_an_upload_is_stored_at_once_then_transcribed_corrected_and_graded(
    client: TestClient, study_db: Database, recording: Path
) -> None:
    response = upload(client, recording.read_bytes())
    assert response.status_code == 201, response.text
    url = recording_url(response)
    stored = DatabaseRecordingStore(study_db).get("local", url.rsplit("/", 1)[-1])
    assert stored.size == len(recording.read_bytes()) and stored.has_audio

    page = wait_for(client, url)
    words = page.select(".timed-transcript .word")
    assert len(words) > 10
    assert all(word.get("title") for word in words)  # each word with its time
    fillers = [mark.get_text() for mark in page.select(".timed-transcript mark.filler")]
    assert [bare(word) for word in fillers] in (["um"], ["umm"])
    text = page.select_one("textarea[name=text]").get_text()
    assert "residual" in text.lower()
    assert page.select_one("[data-metric=pace] .metric-value") is not None

    corrected = text.replace("sigmoid", "sigmoid functions")
    graded = client.post(f"{url}/grade", data={"text": corrected})
    assert graded.status_code == 200, graded.text
    page = soup(graded.text)
    assert page.select_one("[data-score]") is not None
    assert page.select("[data-graded-answer] mark.kp")  # covered passages highlighted
    assert "sigmoid functions" in page.select_one("[data-graded-answer]").get_text()
    assert "corrected by you" in page.get_text()
    assert page.select_one("[data-metric=fillers]") is not None
    stored = DatabaseRecordingStore(study_db).get("local", url.rsplit("/", 1)[-1])
    assert stored.grade is not None and stored.delivery is not None
    assert stored.transcript is not None and stored.transcript.edited
    # Graded on the question's page, the spoken answer is kept as an attempt, as in practice,
    # graded like it and named by its recording.
    (attempt,) = DatabasePracticeStore(study_db).attempts("local")
    assert attempt.id == stored.attempt_id
    assert (attempt.source, attempt.session_id) == (AnswerSource.SPOKEN, None)
    assert "sigmoid functions" in attempt.answer
    assert attempt.grade is not None and attempt.score == stored.grade["score"]

    audio = client.get(f"{url}/audio")
    assert audio.status_code == 200 and audio.content == recording.read_bytes()
    deleted = client.post(f"{url}/delete")
    assert deleted.status_code == 200
    assert soup(deleted.text).select_one("audio") is None
    assert client.get(f"{url}/audio").status_code == 404
    assert "residual" in soup(client.get(url).text).select_one("[data-transcript]").get_text()


def start_session(client: TestClient) -> tuple[str, int]:
    """A one-question drill session with its clock running; its URL and the question's index."""
    form = {"bank": BANK, "count": "1", "time_limit": "", "mode": "drill"}
    response = client.post("/practice/sessions", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    url = response.headers["location"]
    page = soup(client.get(url).text)
    recorder = page.select_one("[data-recorder]")
    assert recorder is not None  # the answer page offers the recorder
    assert url.endswith(recorder["data-session-id"])
    return url, int(recorder["data-index"])


def test_a_spoken_answer_in_a_session_becomes_its_attempt_with_delivery_on_the_feedback(
    client: TestClient, study_db: Database, recording: Path
) -> None:
    url, index = start_session(client)
    session_id = url.rsplit("/", 1)[-1]
    response = upload(client, recording.read_bytes(), session_id=session_id, index=str(index))
    assert response.status_code == 201, response.text
    recording_page = recording_url(response)
    page = wait_for(client, recording_page)
    assert page.select_one("[data-grade]").get_text() == "Submit this answer"
    text = page.select_one("textarea[name=text]").get_text()

    submitted = client.post(f"{recording_page}/grade", data={"text": text})
    assert submitted.status_code == 204
    assert submitted.headers["HX-Redirect"] == url
    feedback = soup(client.get(url).text)
    assert "residual" in feedback.select_one("[data-your-answer]").get_text().lower()
    spoken = feedback.select_one(".spoken-feedback")
    assert spoken is not None
    assert spoken.select_one("[data-metric=pace] .metric-value") is not None
    assert spoken.select(".timed-transcript mark.filler")
    stored = DatabaseRecordingStore(study_db).get("local", recording_page.rsplit("/", 1)[-1])
    assert stored.attempt_id is not None and stored.delivery is not None


def test_a_recording_for_a_question_no_longer_answered_is_refused(
    client: TestClient, recording: Path
) -> None:
    url, index = start_session(client)
    session_id = url.rsplit("/", 1)[-1]
    response = upload(client, recording.read_bytes(), session_id=session_id, index=str(index + 1))
    assert response.status_code == 422
    assert "no longer being answered" in response.text


@pytest.mark.parametrize(
    ("data", "mime", "status", "says"),
    [
        (b"just some text, not a recording", "text/plain", 422, "not a recording"),
        (b"", "audio/wav", 422, "empty"),
        (b"\0" * (2 * 1024 * 1024 + 10), "audio/wav", 413, "up to 2 MB"),
    ],
)
def test_an_upload_that_cannot_be_a_recording_is_refused_before_it_is_stored(
    client: TestClient, study_db: Database, data: bytes, mime: str, status: int, says: str
) -> None:
    response = upload(client, data, mime)
    assert response.status_code == status
    assert says in soup(response.text).select_one("[role=alert]").get_text()
    assert DatabaseRecordingStore(study_db).of_question("local", BANK, "vanishing-gradients") == []


def test_a_failed_transcription_says_why_and_keeps_the_audio(
    client: TestClient, tmp_path: Path
) -> None:
    noise = tmp_path / "noise.wav"
    subprocess.run(
        ["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", noise, "synth", "3", "whitenoise"],
        check=True,
    )
    response = upload(client, noise.read_bytes())
    assert response.status_code == 201
    url = recording_url(response)
    page = wait_for(client, url)
    assert "noise" in page.select_one("[role=alert]").get_text()
    assert page.select_one("audio") is not None  # kept
    assert client.get(f"{url}/audio").content == noise.read_bytes()
    retried = client.post(f"{url}/retry")
    assert retried.status_code == 200
    assert "noise" in wait_for(client, url).select_one("[role=alert]").get_text()


def test_a_file_that_only_claims_to_be_audio_fails_with_a_reason(client: TestClient) -> None:
    response = upload(client, b"<html>not audio at all</html>" * 10)
    url = recording_url(response)
    assert "not audio" in wait_for(client, url).select_one("[role=alert]").get_text()


def test_without_keep_audio_nothing_is_kept_once_transcribed(
    study_db: Database, tmp_path: Path
) -> None:
    short = _speak(tmp_path, "Use residual connections.", "short")
    with _client(study_db, tmp_path, keep_audio=False) as client:
        url = recording_url(upload(client, short.read_bytes()))
        page = wait_for(client, url)
        assert page.select_one("textarea[name=text]") is not None
        assert page.select_one("audio") is None
        assert client.get(f"{url}/audio").status_code == 404


def test_grading_before_the_transcript_is_refused(client: TestClient, study_db: Database) -> None:
    from interview_prep.practice.clock import utc_now
    from interview_prep.speech.recordings import NewRecording

    DatabaseRecordingStore(study_db).save(
        NewRecording("waiting", "local", BANK, "vanishing-gradients", "audio/wav", b"x", utc_now())
    )
    response = client.post("/recordings/waiting/grade", data={"text": "anything"})
    assert response.status_code == 422
    assert "not transcribed yet" in response.text


def test_a_recording_left_by_a_stopped_server_is_offered_again(
    client: TestClient, study_db: Database
) -> None:
    from datetime import timedelta

    from interview_prep.practice.clock import utc_now
    from interview_prep.speech.recordings import NewRecording

    store = DatabaseRecordingStore(study_db)
    long_ago = utc_now() - timedelta(minutes=10)
    store.save(
        NewRecording("left", "local", BANK, "vanishing-gradients", "audio/wav", b"x", long_ago)
    )
    page = soup(client.get("/recordings/left").text)
    assert "interrupted" in page.select_one("[role=alert]").get_text()
    assert page.select_one("[hx-post$='/retry']") is not None


def test_in_team_mode_another_users_recording_is_not_found(study_db: Database) -> None:
    from ..teams import add_user, log_in, team_app

    add_user(study_db, "alice")
    add_user(study_db, "bob")
    app = team_app(study_db)
    with TestClient(app) as alice, TestClient(app) as bob:
        alice_token = log_in(alice, "alice")
        bob_token = log_in(bob, "bob")
        # The question page is cached for everyone: the recorder asks for its visitor's token.
        assert alice.get("/recordings/csrf-token").json() == {"csrf_token": alice_token}
        # Bytes that fail to decode at once: ownership needs no transcription to wait for.
        response = alice.post(
            "/recordings",
            data={"bank": BANK, "question_id": "vanishing-gradients"},
            files={"audio": ("a.wav", b"not really audio" * 8, "audio/wav")},
            headers={"X-CSRF-Token": alice_token},
        )
        assert response.status_code == 201, response.text
        url = recording_url(response)
        assert alice.get(f"{url}/audio").status_code == 200
        assert bob.get(url).status_code == 404
        assert bob.get(f"{url}/audio").status_code == 404
        for action in ("delete", "retry", "grade"):
            refused = bob.post(f"{url}/{action}", headers={"X-CSRF-Token": bob_token})
            assert refused.status_code == 404
        assert alice.get(f"{url}/audio").status_code == 200


def test_the_progress_page_shows_delivery_trends_of_graded_spoken_answers(
    client: TestClient, study_db: Database
) -> None:
    from interview_prep.practice.clock import utc_now
    from interview_prep.speech.recordings import NewRecording
    from interview_prep.speech.transcript import TimedWord, Transcript

    assert soup(client.get("/progress").text).select_one("#delivery") is None
    store = DatabaseRecordingStore(study_db)
    for number, pace in enumerate((190.0, 150.0)):
        recording_id = f"spoken-{number}"
        store.save(
            NewRecording(
                recording_id, "local", BANK, "vanishing-gradients", "audio/wav", b"x", utc_now()
            )
        )
        store.save_grade(
            "local",
            recording_id,
            transcript=Transcript((TimedWord("ReLU", 0.0, 0.5),), 1.0),
            delivery={
                "metrics": [
                    {"name": "pace", "value": pace},
                    {"name": "fillers", "value": 2.0},
                    {"name": "long pauses", "value": 1.0},
                ]
            },
        )
    section = soup(client.get("/progress").text).select_one("#delivery")
    assert section is not None
    rows = [
        [td.get_text() for td in row.select("td")][1:]
        for row in section.select("tr[data-delivery-row]")
    ]
    assert rows == [["150", "2.0", "1"], ["190", "2.0", "1"]]  # latest first
    assert len(section.select("svg.trend-chart")) == 2


def test_silence_and_a_recording_over_the_time_limit_fail_with_their_reason(
    study_db: Database, tmp_path: Path
) -> None:
    silence, long = tmp_path / "silence.wav", tmp_path / "long.wav"
    subprocess.run(
        ["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", silence, "trim", "0", "2"], check=True
    )
    subprocess.run(
        ["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", long, "synth", "5", "sine", "300"],
        check=True,
    )
    with _client(study_db, tmp_path, max_audio_seconds=3) as client:
        for path, says in ((silence, "silent"), (long, "minutes are accepted")):
            url = recording_url(upload(client, path.read_bytes()))
            page = wait_for(client, url)
            assert says in page.select_one("[role=alert]").get_text()
            assert page.select_one("audio") is not None  # the audio is kept


def test_the_upload_stores_its_recording_off_the_event_loop(
    client: TestClient, study_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A blocking write on the event loop would stall every other request of the worker while
    # megabytes of audio go into the database.
    import asyncio

    on_loop: list[bool] = []
    save = DatabaseRecordingStore.save

    def watched_save(self: DatabaseRecordingStore, recording: object) -> object:
        try:
            asyncio.get_running_loop()
            on_loop.append(True)
        except RuntimeError:
            on_loop.append(False)
        return save(self, recording)  # type: ignore[arg-type]

    monkeypatch.setattr(DatabaseRecordingStore, "save", watched_save)
    response = upload(client, b"RIFF" + b"\0" * 400, "audio/wav")
    assert response.status_code == 201
    assert on_loop == [False]
    assert (
        len(DatabaseRecordingStore(study_db).of_question("local", BANK, "vanishing-gradients")) == 1
    )
