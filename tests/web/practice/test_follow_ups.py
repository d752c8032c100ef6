"""Follow-ups through the real app and the real grader, on the bundled bank: asked by the
interviewer after each interview answer, asked for after a drill answer's feedback, graded and
kept as attempts of their own, and shown under their question in the feedback, summary and
replay."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from interview_prep.practice.attempts import LOCAL_USER_ID, QuestionRef
from interview_prep.practice.clock import FixedClock
from interview_prep.storage import Database, open_database
from interview_prep.storage.practice import DatabasePracticeStore
from interview_prep.web.app import create_app

from ..conftest import XSS_SCRIPT
from .test_routes import START, page_of, text

OVERFITTING = QuestionRef("ml-engineer", "overfitting")
FOLLOW_UP_TEXTS = {
    "overfitting-fu1": "How would you tell overfitting apart from a train/validation",
    "overfitting-fu2": "How does dropout regularise a network",
    "overfitting-fu3": "What is double descent",
}
# Says what overfitting is, how to see it and why it happens; nothing on how to prevent it.
PARTIAL = (
    "Overfitting is when the model fits the noise in the training set, so training error is low "
    "while validation error is much higher. You see it on learning curves when the gap between "
    "training and validation loss widens. It happens when model capacity is too high for the "
    "amount of data."
)


@pytest.fixture
def bundled_db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'bundled.db'}")
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def app_client(bundled_db: Database, clock: FixedClock) -> Iterator[TestClient]:
    with TestClient(create_app(bundled_db, clock=clock)) as test_client:
        yield test_client


def start(client: TestClient, mode: str, *questions: str) -> str:
    response = client.post(
        "/practice/sessions",
        data={
            "bank": "ml-engineer",
            "count": str(len(questions)),
            "mode": mode,
            "questions": "\n".join(questions),
            "time_limit": "120",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def submit(client: TestClient, url: str, index: int, answer: str):  # type: ignore[no-untyped-def]
    return client.post(f"{url}/answer", data={"index": str(index), "answer": answer})


def test_an_interview_asks_the_follow_up_then_lists_it_under_its_question(
    app_client: TestClient, bundled_db: Database
) -> None:
    url = start(
        app_client, "interview", "ml-engineer/overfitting", "ml-engineer/bias-variance-tradeoff"
    )
    app_client.get(url)
    page = page_of(submit(app_client, url, 0, PARTIAL))
    # The next screen is the interviewer's follow-up, with its own clock, and no feedback yet.
    assert text(page.select_one("[data-follow-up-label]")) == "The interviewer follows up"
    asked = text(page.select_one("h1"))
    store = DatabasePracticeStore(bundled_db)
    session_id = url.rsplit("/", 1)[-1]
    session = store.load_session(LOCAL_USER_ID, session_id)
    assert session is not None and len(session.items) == 3
    follow_up = session.items[1]
    assert follow_up.follow_up is not None and asked.startswith(
        FOLLOW_UP_TEXTS[follow_up.follow_up]
    )
    # What the answer missed (prevention) chose the dropout follow-up.
    assert follow_up.follow_up == "overfitting-fu2" and follow_up.asked_because
    assert "Question 1 of 2: follow-up" in text(page.select_one(".session-progress"))
    assert page.select_one("[data-countdown]") is not None
    assert page.select_one(".score-panel") is None
    assert "Skip this follow-up" in text(page.select_one("[data-skip]"))

    # HTML in the follow-up answer is kept as text and shown escaped.
    fu_answer = f"Dropout zeroes random units during training. {XSS_SCRIPT}"
    page = page_of(submit(app_client, url, 1, fu_answer))
    assert text(page.select_one("h1")).startswith("Explain the bias-variance")  # next question
    page = page_of(submit(app_client, url, 2, "Bias is error from wrong assumptions."))
    # The second answer's follow-up: skipped (a skip is not a zero).
    assert page.select_one("[data-follow-up-label]") is not None
    page = page_of(app_client.post(f"{url}/skip", data={"index": "3"}))

    # The end: the first question's feedback, its follow-up's under it.
    section = page.select_one("[data-follow-up]")
    assert section is not None and section["id"] == "follow-up"
    assert text(section.select_one("h2")).startswith(FOLLOW_UP_TEXTS["overfitting-fu2"])
    assert "Asked because your answer missed" in text(
        section.select_one("[data-follow-up-because]")
    )
    assert re.fullmatch(r"\d\.\d", text(section.select_one("[data-score]")))
    shown = section.select_one("[data-your-answer]")
    assert shown.select("script") == [] and XSS_SCRIPT in shown.get_text()
    assert section.select(".kp-list li")  # its own key points
    page = page_of(app_client.post(f"{url}/rate", data={"index": "0", "rating": "good"}))
    assert "Skipped" in text(page.select_one("[data-follow-up]"))
    page = page_of(app_client.post(f"{url}/rate", data={"index": "2", "rating": "hard"}))

    summary = page_of(app_client.get(f"{url}/summary"))
    assert "Interview of 2 questions" in text(summary.select_one(".lede"))
    rows = summary.select(".summary-table tbody tr")
    assert [("data-follow-up-row" in row.attrs) for row in rows] == [False, True, False, True]
    assert FOLLOW_UP_TEXTS["overfitting-fu2"] in text(rows[1])
    assert re.search(r"\d\.\d", text(rows[1].select("td")[2]))
    assert text(rows[3].select("td")[2]) == "skipped"
    link = rows[1].select_one(".feedback-link")["href"]
    assert link == f"{url}/questions/1#follow-up"
    replay = page_of(app_client.get(f"{url}/replay"))
    items = replay.select(".replay-item")
    assert len(items) == 4 and "replay-follow-up" in items[1]["class"]
    assert FOLLOW_UP_TEXTS["overfitting-fu2"] in text(items[1])

    # Its own attempt; one review per question, none for the follow-ups.
    (saved,) = store.follow_up_attempts(LOCAL_USER_ID, OVERFITTING)
    assert saved.follow_up == "overfitting-fu2" and saved.score is not None
    assert saved.answer == fu_answer
    # (The test's clock stands still: the same submission time, so no order to check.)
    assert sorted(a.question.question_id for a in store.attempts(LOCAL_USER_ID)) == [
        "bias-variance-tradeoff",
        "overfitting",
    ]
    assert len(store.review_logs(LOCAL_USER_ID)) == 2


def test_a_drill_answers_a_follow_up_on_request_and_resumes_mid_follow_up(
    app_client: TestClient, bundled_db: Database
) -> None:
    url = start(app_client, "drill", "ml-engineer/overfitting")
    app_client.get(url)
    page = page_of(submit(app_client, url, 0, PARTIAL))
    assert page.select_one("[data-ask-follow-up]") is not None
    assert page.select_one("[data-follow-up]") is None
    page = page_of(app_client.post(f"{url}/follow-up", data={"index": "0"}))
    assert text(page.select_one("[data-follow-up-label]")) == "The interviewer follows up"
    # A second click (two tabs) asks nothing more.
    again = page_of(app_client.post(f"{url}/follow-up", data={"index": "0"}))
    assert text(again.select_one("h1")) == text(page.select_one("h1"))
    # The tab is closed mid-follow-up; the draft is kept, and the session resumes on it.
    app_client.post(f"{url}/draft", data={"index": "1", "answer": "Dropout drops"})
    resumed = page_of(app_client.get(url))
    assert text(resumed.select_one("[data-follow-up-label]")) == "The interviewer follows up"
    assert resumed.select_one("textarea").get_text() == "Dropout drops"
    # An empty follow-up answer is handled as an empty main answer: accepted, scored 0.
    response = submit(app_client, url, 1, "")
    assert str(response.url).endswith("#follow-up")
    page = page_of(response)
    section = page.select_one("[data-follow-up]")
    assert text(section.select_one("[data-score]")) == "0.0"
    assert section.select_one(".notices") is None  # said once, where the answer would be
    assert text(section.select_one(".empty-answer")).startswith("No answer was given")
    assert page.select_one("[data-ask-follow-up]") is None  # asked already
    assert page.select_one(".rating-form") is not None  # the question's rating comes after
    store = DatabasePracticeStore(bundled_db)
    (saved,) = store.follow_up_attempts(LOCAL_USER_ID, OVERFITTING)
    assert saved.answer == "" and saved.score == 0


def test_a_follow_up_left_when_its_time_ran_out_is_submitted_and_graded_on_resume(
    app_client: TestClient, bundled_db: Database, clock: FixedClock
) -> None:
    url = start(app_client, "interview", "ml-engineer/overfitting", "ml-engineer/validation-set")
    app_client.get(url)
    submit(app_client, url, 0, PARTIAL)  # the follow-up's page, its clock started
    app_client.post(f"{url}/draft", data={"index": "1", "answer": "Dropout zeroes units"})
    listed = page_of(app_client.get("/practice")).select_one(".resume-item")
    assert "1 of 2 questions answered" in text(listed)  # follow-ups are not questions
    clock.advance(seconds=121)  # the tab was closed; its 2 minutes ran out
    page = page_of(app_client.get(url))
    assert text(page.select_one("h1")) == "What is the purpose of a validation dataset?"
    store = DatabasePracticeStore(bundled_db)
    session = store.load_session(LOCAL_USER_ID, url.rsplit("/", 1)[-1])
    assert session is not None
    follow_up = session.items[1]
    assert follow_up.timed_out and follow_up.answer == "Dropout zeroes units"
    assert follow_up.grade is not None and follow_up.submitted_at == session.deadline(1)
    (saved,) = store.follow_up_attempts(LOCAL_USER_ID, OVERFITTING)
    assert saved.timed_out and saved.is_graded


def test_a_huge_follow_up_answer_is_graded_truncated_with_a_notice(
    app_client: TestClient,
) -> None:
    url = start(app_client, "drill", "ml-engineer/overfitting")
    app_client.get(url)
    submit(app_client, url, 0, PARTIAL)
    app_client.post(f"{url}/follow-up", data={"index": "0"})
    huge = "Dropout zeroes random units while training. " * 700  # 30,800 characters
    section = page_of(submit(app_client, url, 1, huge)).select_one("[data-follow-up]")
    assert "were graded" in text(section.select_one(".notices"))
    shown = section.select_one("[data-your-answer]")
    for number in shown.select("sup.kp-ref"):
        number.decompose()
    assert shown.get_text() == huge


def test_a_users_bank_has_no_follow_ups_to_ask(client: TestClient) -> None:
    response = client.post(
        "/practice/sessions",
        data={"bank": "ml-basics", "count": "1", "mode": "interview"},
        follow_redirects=False,
    )
    url = str(response.headers["location"])
    client.get(url)
    page = page_of(submit(client, url, 0, "An answer."))
    # The interview ends on the feedback: no follow-up item, nothing offered.
    assert page.select_one("[data-follow-up-label]") is None
    assert (
        page.select_one("[data-follow-up]") is None
        and page.select_one("[data-ask-follow-up]") is None
    )
    refused = client.post(f"{url}/follow-up", data={"index": "0"})
    assert refused.status_code == 422 and "no follow-up" in refused.text


def test_a_replay_compares_a_follow_up_with_the_last_answer_to_that_follow_up(
    app_client: TestClient, clock: FixedClock
) -> None:
    answers = [
        "Dropout zeroes units.",
        "Dropout zeroes a random share of the units at each training step, so no unit can rely "
        "on another being there; at test time every unit is used, with its output scaled.",
    ]
    # Follow-ups that fit the same gap equally well take turns, so the dropout follow-up may
    # come back only in a later session: answer the others with a shrug until it has been
    # answered twice.
    urls: list[str] = []
    for _ in range(4):
        url = start(app_client, "interview", "ml-engineer/overfitting")
        app_client.get(url)
        page = page_of(submit(app_client, url, 0, PARTIAL))
        if text(page.select_one("h1")).startswith(FOLLOW_UP_TEXTS["overfitting-fu2"]):
            submit(app_client, url, 1, answers[len(urls)])
            urls.append(url)
        else:
            submit(app_client, url, 1, "I am not sure.")
        clock.advance(seconds=600)
        if len(urls) == len(answers):
            break
    assert len(urls) == len(answers)

    first, second = (page_of(app_client.get(f"{url}/replay")) for url in urls)
    follow_up = first.select(".replay-item")[1]
    assert "Your first answer to this follow-up" in text(follow_up)
    change = second.select(".replay-item")[1].select_one("[data-replay-change]")
    assert "Since your previous answer to this follow-up" in text(change)
    assert "asked because the answer left out" in text(change)
    # The question itself is compared with its own earlier answer, never with the follow-up's.
    assert "Since your previous attempt" in text(second.select(".replay-item")[0])


def test_the_question_page_shows_each_follow_up_answer_under_its_attempt(
    app_client: TestClient,
) -> None:
    url = start(app_client, "interview", "ml-engineer/overfitting")
    app_client.get(url)
    submit(app_client, url, 0, PARTIAL)
    submit(app_client, url, 1, "Dropout zeroes random units <b>while</b> training.")

    page = page_of(app_client.get("/questions/ml-engineer/overfitting"))
    (attempt,) = page.select(".attempt-list > .attempt")
    (follow_up,) = attempt.select("[data-attempt-follow-up]")
    assert FOLLOW_UP_TEXTS["overfitting-fu2"] in text(follow_up)
    assert re.search(r"Score \d\.\d", text(follow_up))
    answer = follow_up.select_one(".attempt-answer")
    assert answer.select("b") == [] and "<b>while</b>" in answer.get_text()
