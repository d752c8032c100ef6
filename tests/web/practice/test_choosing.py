"""Choosing what to practise, through the real app: "Practise this" from a question's page and
from its row on the bank page, as a one-question drill or added to the current session."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from interview_prep.practice.attempts import LOCAL_USER_ID
from interview_prep.practice.clock import FixedClock
from interview_prep.storage import Database
from interview_prep.storage.practice import DatabasePracticeStore
from interview_prep.web.app import create_app

from ..conftest import soup
from ..teams import add_user, log_in, team_app
from .test_routes import START, answer, fake_grades, start, text  # noqa: F401

PRACTISE_ADAM = "/practice/questions/ml-basics/adam"


@pytest.fixture
def app_client(study_db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(study_db, clock=FixedClock(START))) as test_client:
        yield test_client


def _session_of(response_location: str) -> str:
    match = re.fullmatch(r"/practice/sessions/([0-9a-f]{32})", response_location)
    assert match, response_location
    return match.group(1)


def test_question_page_and_bank_rows_link_to_practise_this(app_client: TestClient) -> None:
    page = soup(app_client.get("/questions/ml-basics/adam").text)
    assert page.find("a", string="Practise this")["href"] == PRACTISE_ADAM
    bank = soup(app_client.get("/banks/ml-basics").text)
    links = [a["href"] for a in bank.select("details.question a.practise-link")]
    assert len(links) == len(bank.select("details.question")) == 8
    assert PRACTISE_ADAM in links


def test_practise_this_starts_a_one_question_drill(
    app_client: TestClient, study_db: Database
) -> None:
    page = soup(app_client.get(PRACTISE_ADAM).text)
    assert "no unfinished session" in text(page.select_one("main"))
    response = app_client.post(
        "/practice/drills",
        data={"question": "ml-basics/adam", "time_limit": "90"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    session_id = _session_of(response.headers["location"])
    session = DatabasePracticeStore(study_db).load_session(LOCAL_USER_ID, session_id)
    assert session is not None
    assert [item.question.key for item in session.items] == ["ml-basics/adam"]
    assert session.config.time_limit_s == 90
    answer = soup(app_client.get(response.headers["location"]).text)
    assert "Question 1 of 1" in text(answer.select_one(".session-progress"))


def test_practise_this_adds_to_the_current_session(
    app_client: TestClient, study_db: Database
) -> None:
    url = start(app_client, count=2)
    session_id = _session_of(url)
    page = soup(app_client.get(PRACTISE_ADAM).text)
    form = page.select_one(f"form[action='{url}/questions']")
    assert form is not None and "0 of 2 questions answered" in text(page.select_one("main"))
    response = app_client.post(
        f"{url}/questions", data={"question": "ml-basics/adam"}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == url
    session = DatabasePracticeStore(study_db).load_session(LOCAL_USER_ID, session_id)
    assert session is not None and session.items[-1].question.key == "ml-basics/adam"
    assert len(session.items) == 3
    # Twice is refused, with the reason on the page, and nothing changes.
    again = soup(app_client.get(PRACTISE_ADAM).text)
    assert "already in that session" in text(again.select_one("main"))
    refused = app_client.post(f"{url}/questions", data={"question": "ml-basics/adam"})
    assert refused.status_code == 409
    assert "already in this session" in text(soup(refused.text).select_one("[role=alert]"))
    stored = DatabasePracticeStore(study_db).load_session(LOCAL_USER_ID, session_id)
    assert stored is not None and len(stored.items) == 3


def test_bad_input_gets_a_clear_answer_and_starts_nothing(
    app_client: TestClient, study_db: Database
) -> None:
    assert app_client.get("/practice/questions/ml-basics/no-such").status_code == 404
    assert app_client.get("/practice/questions/nonsense").status_code == 404
    response = app_client.post(
        "/practice/drills", data={"question": "ml-basics/adam", "time_limit": "soon"}
    )
    assert response.status_code == 422
    assert "whole number" in text(soup(response.text).select_one("[role=alert]"))
    missing = app_client.post(
        "/practice/sessions/" + "0" * 32 + "/questions", data={"question": "ml-basics/adam"}
    )
    assert missing.status_code == 404
    assert DatabasePracticeStore(study_db).unfinished_sessions(LOCAL_USER_ID) == []


def test_in_team_mode_only_the_owner_adds_to_a_session(study_db: Database) -> None:
    add_user(study_db, "alice")
    add_user(study_db, "bob")
    app = team_app(study_db)
    with TestClient(app) as alice, TestClient(app) as bob:
        alice_csrf = log_in(alice, "alice")
        bob_csrf = log_in(bob, "bob")
        response = alice.post(
            "/practice/drills",
            data={"question": "ml-basics/adam", "csrf_token": alice_csrf},
            follow_redirects=False,
        )
        assert response.status_code == 303
        url = response.headers["location"]
        # Without the page's CSRF token, nothing starts.
        assert (
            alice.post("/practice/drills", data={"question": "ml-basics/adam"}).status_code == 403
        )
        # Bob cannot see it nor add to it: "not found", as for a session that does not exist.
        assert bob.get(url).status_code == 404
        refused = bob.post(
            f"{url}/questions", data={"question": "ml-basics/batch-norm", "csrf_token": bob_csrf}
        )
        assert refused.status_code == 404
        page = soup(bob.get(PRACTISE_ADAM).text)
        assert "no unfinished session" in text(page.select_one("main"))


def _started(client: TestClient, study_db: Database, **form: str) -> list[str]:
    data = {"bank": "ml-basics", "count": "10", "time_limit": "", "mode": "drill", **form}
    response = client.post("/practice/sessions", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    session_id = _session_of(response.headers["location"])
    session = DatabasePracticeStore(study_db).load_session(LOCAL_USER_ID, session_id)
    assert session is not None
    return [item.question.question_id for item in session.items]


def test_the_set_up_chooses_by_tag_list_and_search(
    app_client: TestClient, study_db: Database
) -> None:
    page = soup(app_client.get("/practice").text)
    assert "rnn" in [option["value"] for option in page.select("#setup-tag option")]
    assert page.select_one("input[name=order][value=weakest]") is not None
    assert _started(app_client, study_db, tag="rnn") == ["gradient-clipping"]
    assert _started(app_client, study_db, questions="adam\nml-basics/batch-norm") == [
        "adam",
        "batch-norm",
    ]
    found = _started(app_client, study_db, search="gradient")
    assert "gradient-descent" in found and "precision-recall" not in found
    assert _started(app_client, study_db, search="gradient", tag="rnn") == ["gradient-clipping"]


def test_a_set_up_that_cannot_start_says_why_and_keeps_the_form(app_client: TestClient) -> None:
    for form, message in [
        ({"questions": "adam, no-such-question"}, "no question 'no-such-question'"),
        ({"search": "zebra giraffe"}, "finds no question"),
        ({"tag": "no-such-tag"}, "No question has the tag"),
        ({"order": "weakest"}, "has a graded answer yet"),
        ({"order": "sideways"}, "Unknown order"),
    ]:
        data = {"bank": "ml-basics", "count": "3", "mode": "drill", **form}
        response = app_client.post("/practice/sessions", data=data)
        assert response.status_code in (404, 422), (form, response.status_code)
        page = soup(response.text)
        assert message in text(page.select_one("#setup-error")), form
        if "questions" in form:
            assert page.select_one("#setup-questions").get_text() == form["questions"]


def test_skip_and_retry_through_the_pages(
    app_client: TestClient,
    study_db: Database,
    fake_grades: list[dict[str, Any]],  # noqa: F811
) -> None:
    fake_grades.extend(
        [
            {"score": 1.0, "label": "weak", "rating": "Again"},
            {"score": 4.5, "label": "strong", "rating": "Easy"},
        ]
    )
    url = start(app_client, count=2)
    store = DatabasePracticeStore(study_db)
    page = soup(app_client.get(url).text)
    assert page.select_one(f"button[formaction='{url}/skip']") is not None
    assert app_client.post(f"{url}/skip", data={"index": "0"}).status_code == 200
    app_client.post(f"{url}/skip", data={"index": "0"})  # a second click changes nothing
    session = store.load_session(LOCAL_USER_ID, _session_of(url))
    assert session is not None and session.current_index == 1

    answer(app_client, url, 1, "not much")
    feedback = soup(app_client.get(url).text)
    assert feedback.select_one(f"form[action='{url}/retry']") is not None
    response = app_client.post(f"{url}/retry", data={"index": "1"}, follow_redirects=False)
    assert response.status_code == 303
    again = soup(app_client.get(url).text)
    assert "Question 3 of 3" in text(again.select_one(".session-progress"))
    answer(app_client, url, 2, "much better")
    app_client.post(f"{url}/rate", data={"index": "2", "rating": "easy"})

    summary = soup(app_client.get(f"{url}/summary").text)
    rows = summary.select(".summary-table tbody tr")
    assert [row.select("td")[2].get_text(strip=True) for row in rows] == ["skipped", "1.0", "4.5"]
    assert rows[1].select_one("[data-retried]") is not None
    assert text(summary.select_one("[data-mean]")) == "4.5"
    assert len(store.attempts(LOCAL_USER_ID)) == 2
    (review,) = store.review_logs(LOCAL_USER_ID)
    assert review.rating.value == "easy"


def test_a_cram_session_grades_and_logs_no_review(
    app_client: TestClient,
    study_db: Database,
    fake_grades: list[dict[str, Any]],  # noqa: F811
) -> None:
    fake_grades.append({"score": 3.0, "label": "partial", "rating": "Good"})
    url = start(app_client, count=1, cram="on")
    app_client.get(url)
    answer(app_client, url, 0, "something")
    feedback = soup(app_client.get(url).text)
    assert feedback.select_one(".rating-button") is None
    assert feedback.select_one(f"form[action='{url}/continue']") is not None
    assert app_client.post(f"{url}/rate", data={"index": "0", "rating": "good"}).status_code == 409
    response = app_client.post(f"{url}/continue", data={"index": "0"}, follow_redirects=False)
    assert response.status_code == 303
    assert app_client.get(url, follow_redirects=False).headers["location"] == f"{url}/summary"
    summary = soup(app_client.get(f"{url}/summary").text)
    assert "crammed" in text(summary.select_one(".summary-table"))
    store = DatabasePracticeStore(study_db)
    (attempt,) = store.attempts(LOCAL_USER_ID)
    assert attempt.cram and attempt.score == 3.0
    assert store.review_logs(LOCAL_USER_ID) == [] and store.card_states(LOCAL_USER_ID) == {}


def test_an_interview_date_counts_down_and_says_what_is_left(app_client: TestClient) -> None:
    page = soup(app_client.get("/practice").text)
    assert "Say when your interview is" in text(page.select_one(".plan"))
    response = app_client.post(
        "/practice/plan",
        data={"interview_on": "2026-03-06", "bank": "ml-basics"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = soup(app_client.get("/practice").text)
    # 2 March to 6 March: four days to practise, eight questions, two a day.
    assert text(page.select_one("[data-plan-countdown]")).startswith("4 days to your interview")
    left = page.select_one("[data-plan-left]")
    assert left is not None
    assert "0 of 8 questions practised; 8 left to cover, about 2 a day" in left.get_text()
    assert len(page.select(".plan-left li")) == 8
    assert [text(tag) for tag in page.select(".queue-list .reason")][:2] == ["Plan", "Plan"]
    for bad, message in [("2026-03-02", "after today"), ("soon", "not a date")]:
        refused = app_client.post("/practice/plan", data={"interview_on": bad})
        assert refused.status_code == 422
        assert message in text(soup(refused.text).select_one("#plan-error"))
    app_client.post("/practice/plan", data={"interview_on": ""})
    assert "Say when your interview is" in text(
        soup(app_client.get("/practice").text).select_one(".plan")
    )


def test_in_team_mode_the_interview_date_is_ones_own(study_db: Database) -> None:
    add_user(study_db, "alice")
    add_user(study_db, "bob")
    app = team_app(study_db)
    with TestClient(app) as alice, TestClient(app) as bob:
        alice_csrf = log_in(alice, "alice")
        log_in(bob, "bob")
        data = {"interview_on": "2099-01-01", "csrf_token": alice_csrf}
        assert alice.post("/practice/plan", data=data).status_code in (422, 200)
        assert bob.post("/practice/plan", data={"interview_on": "2026-12-24"}).status_code == 403
        alice.post("/practice/plan", data={**data, "interview_on": "2026-12-24"})
        assert "to your interview" in text(soup(alice.get("/practice").text).select_one(".plan"))
        assert "Say when" in text(soup(bob.get("/practice").text).select_one(".plan"))


def test_replay_a_past_session(
    app_client: TestClient,
    fake_grades: list[dict[str, Any]],  # noqa: F811
) -> None:
    points = [{"text": "Gradients shrink", "weight": 1.0}]
    fake_grades.extend(
        [
            {"score": 1.0, "label": "weak", "key_points": [{**points[0], "status": "missed"}]},
            {
                "score": 4.0,
                "label": "strong",
                "feedback": "Much better.",
                "key_points": [{**points[0], "status": "covered"}],
            },
        ]
    )
    for answer_text in ("<b>not much</b>", "gradients shrink through layers"):
        url = start(app_client, count=1, questions="vanishing-gradients")
        app_client.get(url)
        answer(app_client, url, 0, answer_text)
        app_client.post(f"{url}/rate", data={"index": "0", "rating": "good"})
        if answer_text.startswith("<b>"):
            first = soup(app_client.get(f"{url}/replay").text)
            assert "Your first attempt" in text(first.select_one("[data-replay-change]"))
            # The answer as given, as text: the markup is never executed.
            assert first.select_one(".replay-answer b") is None
            assert "<b>not much</b>" in text(first.select_one(".replay-answer"))
    summary = soup(app_client.get(f"{url}/summary").text)
    assert summary.find("a", string="Replay this session")["href"] == f"{url}/replay"
    page = soup(app_client.get(f"{url}/replay").text)
    change = text(page.select_one("[data-replay-change]"))
    assert "+3.0" in change and "Now covered: Gradients shrink" in change
    assert text(page.select_one("[data-replay-score]")) == "4.0 / 5"
    assert "Much better." in text(page.select_one(".replay-item"))


def test_an_unfinished_interview_replays_without_its_feedback(
    app_client: TestClient,
    fake_grades: list[dict[str, Any]],  # noqa: F811
) -> None:
    fake_grades.append({"score": 2.0, "label": "partial", "feedback": "Secret until the end."})
    url = start(app_client, count=2, mode="interview")
    app_client.get(url)
    answer(app_client, url, 0, "an answer")
    page = soup(app_client.get(f"{url}/replay").text)
    assert "Secret until the end." not in page.get_text()
    statuses = [text(tag) for tag in page.select("[data-replay-status]")]
    assert statuses[0].startswith("Answered; the feedback shows once")
    assert statuses[1] == "Not answered yet."
