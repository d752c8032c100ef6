"""The practice, progress and history pages through the real app on a real SQLite database.

Time is a :class:`FixedClock` handed to the app, so deadlines, time-outs and "today" are exact;
answers go through the configured (real) grader unless a test replaces it. Pages are checked with
an HTML parser.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from fastapi.testclient import TestClient
from httpx import Response

from interview_prep.practice.attempts import LOCAL_USER_ID, QuestionRef
from interview_prep.practice.clock import FixedClock
from interview_prep.storage import Database
from interview_prep.storage.practice import DatabasePracticeStore
from interview_prep.web.app import create_app
from interview_prep.web.localtime import duration, parse_zone

from ..conftest import XSS_IMAGE, XSS_SCRIPT, soup

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GOOD_ANSWER = (
    "Gradients shrink exponentially as they flow back through many layers, mostly because "
    "saturating activations like sigmoid and tanh squash them; ReLU, residual connections and "
    "good initialisation fix it."
)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def app_client(study_db: Database, clock: FixedClock) -> Iterator[TestClient]:
    with TestClient(create_app(study_db, clock=clock)) as test_client:
        yield test_client


@pytest.fixture
def store(study_db: Database) -> DatabasePracticeStore:
    return DatabasePracticeStore(study_db)


@pytest.fixture
def fake_grades(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Replace the grader by one that returns the grades in this list, in turn, and records
    what it was asked (``question`` and ``answer`` are added to each grade)."""
    import interview_prep.grading.service as grading

    queue: list[dict[str, Any]] = []

    class Result:
        def __init__(self, grade: dict[str, Any]) -> None:
            self.grade = grade

        def to_dict(self) -> dict[str, Any]:
            return self.grade

    def grade(question: Any, answer: str, **options: Any) -> Result:
        result = queue.pop(0)
        result["asked"] = {"question": question.id, "answer": answer, **options}
        return Result(result)

    monkeypatch.setattr(grading, "grade", grade)
    return queue


def text(element: Tag | None) -> str:
    assert element is not None
    return " ".join(element.get_text(" ", strip=True).split())


def page_of(response: Response) -> BeautifulSoup:
    assert response.headers["content-type"].startswith("text/html")
    return soup(response.text)


def start(
    client: TestClient,
    *,
    count: int = 2,
    time_limit: int | str = "",
    mode: str = "drill",
    **extra: Any,
) -> str:
    """Start a session on the study bank; returns its URL."""
    form = {
        "bank": "ml-basics",
        "count": str(count),
        "time_limit": str(time_limit),
        "mode": mode,
        **extra,
    }
    response = client.post("/practice/sessions", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    url = response.headers["location"]
    assert re.fullmatch(r"/practice/sessions/[0-9a-f]{32}", url)
    return url


def answer(client: TestClient, url: str, index: int, text: str) -> Response:
    return client.post(f"{url}/answer", data={"index": str(index), "answer": text})


def rate(client: TestClient, url: str, index: int, rating: str) -> Response:
    return client.post(f"{url}/rate", data={"index": str(index), "rating": rating})


# The practice page


def test_practice_page_has_the_setup_form_and_todays_counts(app_client: TestClient) -> None:
    response = app_client.get("/practice")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    page = page_of(response)
    current = page.select_one(".site-nav a[aria-current=page]")
    assert text(current) == "Practice"
    assert [text(a) for a in page.select(".site-nav a")] == ["Banks", "Practice", "Progress", "API"]
    assert text(page.select_one("#review-count")) == "0"
    assert text(page.select_one("#new-count")) == "5"
    form = page.select_one("form.setup-form")
    assert form is not None and form["action"] == "/practice/sessions" and form["method"] == "post"
    assert [o["value"] for o in form.select("#setup-bank option")] == ["", "ml-basics"]
    assert [o["value"] for o in form.select("#setup-difficulty option")] == [
        "",
        "easy",
        "medium",
        "hard",
    ]
    boxes = form.select("input[name=category]")
    assert [box["value"] for box in boxes] == [
        "Deep learning",
        "Optimisation",
        "Evaluation",
        "Quick-fire",
        "Fundamentals",
    ]
    assert form.select_one("input[name=count]")["value"] == "5"
    assert form.select_one("input[name=time_limit]")["value"] == "120"
    assert form.select_one("input[name=mode][checked]")["value"] == "drill"
    queue = page.select(".queue-list li")
    assert len(queue) == 5 and all(text(li.select_one(".reason")) == "New" for li in queue)
    assert page.select(".resume-item") == []
    assert page.select_one("a[href='/history/export?format=json']") is not None
    assert page.select_one("script[src^='/static/practice.js']") is not None


def test_get_of_the_sessions_url_goes_back_to_the_practice_page(app_client: TestClient) -> None:
    response = app_client.get("/practice/sessions", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/practice"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("count", "abc", "The number of questions must be a whole number from 1 to 100"),
        ("count", "0", "The number of questions must be from 1 to 100, not 0."),
        ("count", "2.5", "whole number"),
        ("time_limit", "-5", "The time limit must be from 1 to 10800, not -5."),
        ("time_limit", "soon", "The time limit must be a whole number"),
        ("bank", "nope", "There is no question bank 'nope'."),
        ("difficulty", "extreme", "Unknown difficulty 'extreme'"),
        ("mode", "exam", "Unknown mode 'exam'"),
        ("category", "Astrology", "no questions match"),
    ],
)
def test_a_setup_form_that_cannot_be_used_shows_again_with_422(
    app_client: TestClient, store: DatabasePracticeStore, field: str, value: str, message: str
) -> None:
    form = {"bank": "ml-basics", "count": "3", "time_limit": "60", "mode": "interview"}
    form[field] = value
    response = app_client.post("/practice/sessions", data=form)
    assert response.status_code == 422
    page = page_of(response)
    assert message in text(page.select_one("#setup-error"))
    # What was typed stays in the form.
    if field in ("count", "time_limit"):
        assert page.select_one(f"input[name={field}]")["value"] == value
    checked = page.select_one("input[name=mode][checked]")
    assert checked is not None
    assert checked["value"] == ("drill" if field == "mode" else "interview")
    assert store.unfinished_sessions(LOCAL_USER_ID) == []


def test_a_session_asks_questions_in_queue_order_with_the_clock_running(
    app_client: TestClient, clock: FixedClock
) -> None:
    url = start(app_client, count=2, time_limit=90)
    clock.advance(seconds=30)
    response = app_client.get(url)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    page = page_of(response)
    assert text(page.select_one("h1")) == (
        "What is the vanishing gradient problem, and how can you fix it?"
    )
    assert "Question 1 of 2" in text(page.select_one(".session-progress"))
    # The first view started the clock; this view is 30 s later.
    countdown = page.select_one("[data-countdown]")
    assert countdown is not None
    assert countdown["data-limit"] == "90"
    assert float(countdown["data-remaining"]) == pytest.approx(90.0)
    form = page.select_one("form#answer-form")
    assert form is not None and form["action"] == f"{url}/answer"
    assert form.select_one("input[name=index]")["value"] == "0"
    assert form.select_one("input[name=source]")["value"] == "typed"
    assert form.select_one("textarea[name=answer]").get_text() == ""
    assert "answer by Mon 2 Mar 2026, 09:02:00" in text(page.select_one(".deadline-note"))
    # A second look, 30 s later, does not restart the clock.
    clock.advance(seconds=30)
    again = page_of(app_client.get(url)).select_one("[data-countdown]")
    assert again is not None and float(again["data-remaining"]) == pytest.approx(60.0)


def test_untimed_session_has_no_countdown(app_client: TestClient) -> None:
    page = page_of(app_client.get(start(app_client)))
    assert page.select_one("[data-countdown]") is None
    assert page.select_one(".deadline-note") is None


# Drill mode: feedback after each answer


def test_drill_answer_is_graded_and_shown_with_feedback_and_rating_buttons(
    app_client: TestClient, store: DatabasePracticeStore, clock: FixedClock
) -> None:
    url = start(app_client, count=2, time_limit=120)
    app_client.get(url)
    clock.advance(seconds=42)
    response = answer(app_client, url, 0, GOOD_ANSWER.replace(";", ";\r\n"))
    assert response.status_code == 200 and str(response.url).endswith(url)
    page = page_of(response)
    assert text(page.select_one(".eyebrow")) == "Feedback"
    score = float(text(page.select_one("[data-score]")))
    assert 0 <= score <= 5
    assert "Answered in 0:42 of 2:00" in text(page.select_one(".feedback-head .meta"))
    # The answer as typed (line breaks as \n), with the covered passages marked and numbered.
    your = page.select_one("[data-your-answer]")
    assert your is not None
    assert your.get_text().replace("\n", " ").startswith("Gradients shrink exponentially")
    assert "\r" not in your.get_text()
    marks = your.select("mark.kp")
    assert marks and all(mark.select_one("sup.kp-ref") for mark in marks)
    # The model answer beside it, and every key point in one of the three lists.
    assert "gradient is a product" in text(page.select_one(".model-panel"))
    listed = page.select(".kp-group li")
    assert len(listed) == 3
    assert {text(li.select_one(".kp-number")) for li in listed} == {"1", "2", "3"}
    # Four rating buttons, the suggested one marked.
    buttons = page.select(".rating-form button[name=rating]")
    assert [b["value"] for b in buttons] == ["again", "hard", "good", "easy"]
    suggested = page.select(".rating-button.is-suggested")
    assert len(suggested) == 1 and "Suggested" in text(suggested[0])
    assert page.select_one(".rating-form input[name=index]")["value"] == "0"
    # The attempt was stored with its grade.
    [attempt] = store.attempts(LOCAL_USER_ID)
    assert attempt.question == QuestionRef("ml-basics", "vanishing-gradients")
    assert attempt.grade is not None and attempt.score == pytest.approx(score, abs=0.05)
    assert attempt.time_taken_s == 42 and not attempt.timed_out
    assert "\r" not in attempt.answer


def test_rating_overrides_the_suggestion_schedules_fsrs_and_moves_on(
    app_client: TestClient, store: DatabasePracticeStore
) -> None:
    url = start(app_client, count=2)
    app_client.get(url)
    page = page_of(answer(app_client, url, 0, GOOD_ANSWER))
    suggested = page.select_one(".rating-button.is-suggested")["value"]
    override = "again" if suggested != "again" else "easy"
    response = rate(app_client, url, 0, override)
    assert response.status_code == 200
    next_page = page_of(response)
    assert "Question 2 of 2" in text(next_page.select_one(".session-progress"))
    assert text(next_page.select_one("h1")).startswith("Explain gradient descent")
    [entry] = store.review_logs(LOCAL_USER_ID)
    assert entry.rating.value == override and entry.suggested.value == suggested
    assert entry.attempt_id == store.attempts(LOCAL_USER_ID)[0].id
    assert store.card_state(LOCAL_USER_ID, QuestionRef("ml-basics", "vanishing-gradients"))
    # The same rating sent twice (a double click) is one review.
    rate(app_client, url, 0, "good")
    assert len(store.review_logs(LOCAL_USER_ID)) == 1


def test_a_whole_drill_session_ends_on_its_summary(
    app_client: TestClient, clock: FixedClock
) -> None:
    url = start(app_client, count=2, time_limit=60)
    app_client.get(url)
    clock.advance(seconds=20)
    answer(app_client, url, 0, GOOD_ANSWER)
    rate(app_client, url, 0, "good")
    clock.advance(seconds=75)  # over the minute: submitted late, kept, marked
    late = page_of(answer(app_client, url, 1, "Step against the gradient."))
    assert "Time ran out" in text(late.select_one(".notices"))
    assert late.select_one(".feedback-head .badge-late") is not None
    response = rate(app_client, url, 1, "hard")
    assert str(response.url).endswith(f"{url}/summary")
    page = page_of(response)
    rows = page.select(".summary-table tbody tr")
    assert len(rows) == 2
    first, second = ([text(cell) for cell in row.select("td")] for row in rows)
    assert first[0] == "1" and first[1].startswith("What is the vanishing gradient problem")
    assert re.fullmatch(r"\d\.\d", first[2]) and first[3] == "0:20"
    assert first[4].startswith("Good")
    assert second[3] == "1:15 late" and second[4].startswith("Hard")
    links = rows[0].select("a")
    assert links[0]["href"] == "/questions/ml-basics/vanishing-gradients"
    assert links[1]["href"] == f"{url}/questions/1"
    # Weakest key points of the second answer (it covered little).
    assert rows[1].select(".weak-list li")
    assert page.select_one(".callout") is None  # finished: no "continue" note
    assert text(page.select_one("[data-mean]")) != "–"
    # A finished session goes straight to its summary, and is not offered to resume.
    again = app_client.get(url, follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == f"{url}/summary"
    assert page_of(app_client.get("/practice")).select(".resume-item") == []
    # Each answer's feedback can be seen again, with the rating given.
    review = page_of(app_client.get(f"{url}/questions/2"))
    assert "You rated this answer Hard" in text(review.select_one(".rating-panel"))
    assert review.select_one(".rating-form") is None


def test_an_empty_answer_is_allowed_and_scores_zero_with_a_message(
    app_client: TestClient,
) -> None:
    url = start(app_client)
    app_client.get(url)
    page = page_of(answer(app_client, url, 0, ""))
    assert text(page.select_one("[data-score]")) == "0.0"
    # Said once, where the answer would be: no notice or summary repeats it.
    assert page.select_one(".notices") is None and page.select_one(".feedback-summary") is None
    assert text(page.select_one(".empty-answer")).startswith("No answer was given, so there was")
    assert page.select_one(".rating-button.is-suggested")["value"] == "again"


def test_a_notice_that_opens_the_feedback_is_shown_once(
    app_client: TestClient, fake_grades: list[dict[str, Any]]
) -> None:
    from interview_prep.grading.scoring.scoring import NO_EVIDENCE_MESSAGE

    fake_grades.append(
        {
            "score": 1.1,
            "label": "incorrect",
            "rating": "Again",
            "feedback": f"{NO_EVIDENCE_MESSAGE}\nMost important to add, from the key points: x.",
            "messages": [NO_EVIDENCE_MESSAGE],
        }
    )
    url = start(app_client)
    app_client.get(url)
    page = page_of(answer(app_client, url, 0, "It is absolutely key to modern ML."))
    assert text(page.select_one(".notices")) == NO_EVIDENCE_MESSAGE
    assert page.select_one(".feedback-summary") is None
    assert str(page).count("without committing to anything checkable") == 1


def test_a_huge_answer_is_graded_truncated_with_a_notice(app_client: TestClient) -> None:
    url = start(app_client)
    app_client.get(url)
    huge = "Gradients shrink as they flow back through the layers. " * 500  # 28,000 characters
    page = page_of(answer(app_client, url, 0, huge))
    assert "only the first 19,999 were graded" in text(page.select_one(".notices"))
    your = page.select_one("[data-your-answer]")
    for number in your.select("sup.kp-ref"):
        number.decompose()
    assert your.get_text() == huge


def test_an_answer_over_a_megabyte_is_refused_with_a_friendly_413(app_client: TestClient) -> None:
    url = start(app_client)
    app_client.get(url)
    response = answer(app_client, url, 0, "x" * (1024 * 1024 + 1))
    assert response.status_code == 413
    page = page_of(response)
    assert "each field may hold up to 1 MB" in text(page.select_one(".lede"))
    assert page.select_one("a.button[href='/practice']") is not None


def test_answers_with_markup_are_shown_as_text_everywhere(
    app_client: TestClient, fake_grades: list[dict[str, Any]]
) -> None:
    payload = f"Fine. {XSS_SCRIPT} and {XSS_IMAGE}"
    script_at = payload.index("<script>")
    fake_grades.append(
        {
            "score": 2.5,
            "label": "weak",
            "rating": "Hard",
            "key_points": [
                {
                    "text": f"Point {XSS_IMAGE}",
                    "status": "covered",
                    "evidence": {"start": script_at, "end": len(payload)},
                }
            ],
            "misconceptions": [
                {
                    "claim": f"Claim {XSS_SCRIPT}",
                    "correction": f"Correction {XSS_IMAGE}",
                    "sentence": {"text": "Fine.", "start": 0, "end": 5},
                }
            ],
            "messages": [f"Message {XSS_SCRIPT}"],
        }
    )
    url = start(app_client, count=1)
    app_client.get(url)
    response = answer(app_client, url, 0, payload)
    page = page_of(response)
    main = page.select_one("main")
    assert main is not None
    assert main.select("script") == [] and main.select("img") == []
    your = page.select_one("[data-your-answer]")
    assert your.get_text() == payload + "1"  # the key point's number follows its passage
    assert your.select_one("mark.kp").get_text().startswith("<script>")
    assert your.select_one("mark.said-wrong").get_text() == "Fine."
    assert XSS_SCRIPT in text(page.select_one(".notices"))
    assert f"Correction {XSS_IMAGE}" in text(page.select_one(".misconception-cards"))
    assert not [name for tag in main.find_all(True) for name in tag.attrs if name.startswith("on")]
    rate(app_client, url, 0, "hard")
    for path in (f"{url}/summary", "/questions/ml-basics/vanishing-gradients", "/history"):
        other = page_of(app_client.get(path)).select_one("main")
        assert other is not None and other.select("script") == [] and other.select("img") == []
    question_page = page_of(app_client.get("/questions/ml-basics/vanishing-gradients"))
    assert payload in question_page.select_one(".attempt-answer").get_text()


# Interview mode: feedback at the end


def test_interview_mode_holds_feedback_until_every_answer_is_in(
    app_client: TestClient, store: DatabasePracticeStore
) -> None:
    url = start(app_client, count=2, mode="interview")
    app_client.get(url)
    second = page_of(answer(app_client, url, 0, GOOD_ANSWER))
    assert "Question 2 of 2" in text(second.select_one(".session-progress"))
    assert second.select_one("form#answer-form") is not None
    # No feedback, no rating, no scores yet.
    assert app_client.get(f"{url}/questions/1").status_code == 409
    refused = rate(app_client, url, 0, "good")
    assert refused.status_code == 409
    assert "interview mode" in text(page_of(refused).select_one(".lede"))
    summary = page_of(app_client.get(f"{url}/summary"))
    assert "scores show once every question is answered" in text(summary.select_one(".callout"))
    assert text(summary.select(".summary-table tbody tr td")[2]) == "–"
    # The attempt is stored and graded all the same.
    assert store.attempts(LOCAL_USER_ID)[0].grade is not None
    # All answered: each answer's feedback in turn, then the summary.
    first = page_of(answer(app_client, url, 1, "Step against the gradient; the rate is the step."))
    assert "Question 1 of 2" in text(first.select_one(".session-progress"))
    assert first.select_one(".rating-form") is not None
    then = page_of(rate(app_client, url, 0, "good"))
    assert "Question 2 of 2" in text(then.select_one(".session-progress"))
    assert then.select_one(".rating-form") is not None
    done = rate(app_client, url, 1, "easy")
    assert str(done.url).endswith("/summary")
    assert len(store.review_logs(LOCAL_USER_ID)) == 2


# A closed tab, a lost grade, a double click


def test_a_closed_tab_resumes_and_an_overdue_draft_is_submitted_at_the_deadline(
    app_client: TestClient, store: DatabasePracticeStore, clock: FixedClock
) -> None:
    url = start(app_client, count=2, time_limit=60)
    app_client.get(url)
    clock.advance(seconds=10)
    saved = app_client.post(f"{url}/draft", data={"index": "0", "answer": "Gradients shrink"})
    assert saved.json() == {"saved": True}
    clock.advance(seconds=10)
    resumed = page_of(app_client.get(url))
    assert resumed.select_one("textarea[name=answer]").get_text() == "Gradients shrink"
    assert float(resumed.select_one("[data-countdown]")["data-remaining"]) == 40
    # The practice page offers it.
    listed = page_of(app_client.get("/practice")).select(".resume-item")
    assert len(listed) == 1 and listed[0].select_one("a")["href"] == url
    assert "0 of 2 questions answered" in text(listed[0])
    # Past the deadline with nobody there: the draft is submitted as it stood, dated then.
    clock.advance(seconds=300)
    assert app_client.post(f"{url}/draft", data={"index": "0", "answer": "late"}).json() == {
        "saved": False
    }
    page = page_of(app_client.get(url))
    assert "Time ran out" in text(page.select_one(".notices"))
    [attempt] = store.attempts(LOCAL_USER_ID)
    assert attempt.answer == "Gradients shrink" and attempt.timed_out
    assert attempt.submitted_at == START.replace(minute=1) and attempt.grade is not None


def test_an_answer_is_kept_when_grading_fails_and_graded_on_the_next_visit(
    app_client: TestClient, store: DatabasePracticeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import interview_prep.grading.service as grading

    url = start(app_client)
    app_client.get(url)
    real = grading.grade

    def crash(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the grader fell over")

    monkeypatch.setattr(grading, "grade", crash)
    response = answer(app_client, url, 0, GOOD_ANSWER)
    assert response.status_code == 500
    [attempt] = store.attempts(LOCAL_USER_ID)
    assert attempt.answer == GOOD_ANSWER and attempt.grade is None
    monkeypatch.setattr(grading, "grade", real)
    page = page_of(app_client.get(url))
    assert text(page.select_one(".eyebrow")) == "Feedback"
    [attempt] = store.attempts(LOCAL_USER_ID)
    assert attempt.grade is not None


def test_a_second_submission_of_the_same_question_changes_nothing(
    app_client: TestClient, store: DatabasePracticeStore, fake_grades: list[dict[str, Any]]
) -> None:
    fake_grades.append({"score": 4.0, "label": "strong", "rating": "Good"})
    url = start(app_client, mode="interview")
    app_client.get(url)
    answer(app_client, url, 0, "first")
    assert answer(app_client, url, 0, "second").status_code == 200
    [attempt] = store.attempts(LOCAL_USER_ID)
    assert attempt.answer == "first"


def test_the_configured_grader_and_answer_limit_are_used(
    study_db: Database, clock: FixedClock, fake_grades: list[dict[str, Any]]
) -> None:
    from interview_prep.settings import load_config

    config = load_config({"grader": "lexical", "max_answer_chars": 1234}, environ={})
    fake_grades.append({"score": 1.0})
    # No allowed_hosts in these settings: call the app by a loopback name.
    app = create_app(study_db, config=config, clock=clock)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        url = start(client)
        client.get(url)
        answer(client, url, 0, "words")
    [attempt] = DatabasePracticeStore(study_db).attempts(LOCAL_USER_ID)
    assert attempt.grade is not None
    assert attempt.grade["asked"] == {
        "question": "vanishing-gradients",
        "answer": "words",
        "grader_name": "lexical",
        "max_chars": 1234,
    }


# Bad requests


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("answer", {"index": "first", "answer": "x"}, "Field 'index': Input should be a valid"),
        ("answer", {"answer": "x"}, "Field 'index': Field required."),
        ("answer", {"index": "0", "answer": "x", "source": "video"}, "Unknown answer source"),
        ("answer", {"index": "7", "answer": "x"}, "there is no question 8"),
        ("rate", {"index": "0", "rating": "superb"}, "'superb' is not a rating"),
        ("rate", {"index": "0"}, "Field 'rating': Field required."),
        ("rate", {"index": "-1", "rating": "good"}, "there is no question 0"),
        ("draft", {"index": "x", "answer": ""}, "Field 'index': Input should be a valid"),
    ],
)
def test_wrong_form_fields_get_a_friendly_422_page(
    app_client: TestClient, path: str, data: dict[str, str], message: str
) -> None:
    url = start(app_client)
    app_client.get(url)
    response = app_client.post(f"{url}/{path}", data=data)
    assert response.status_code == 422
    page = page_of(response)
    assert text(page.select_one("h1")) == "Invalid input"
    assert message in text(page.select_one(".lede"))
    assert page.select_one("a.button[href='/practice']") is not None


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/practice/sessions/0123456789abcdef0123456789abcdef"),
        ("GET", "/practice/sessions/nope/summary"),
        ("GET", "/practice/sessions/nope/questions/1"),
        ("POST", "/practice/sessions/nope/answer"),
        ("POST", "/practice/sessions/nope/rate"),
        ("POST", "/practice/sessions/nope/draft"),
    ],
)
def test_unknown_session_is_a_friendly_404_page(
    app_client: TestClient, method: str, path: str
) -> None:
    response = app_client.request(
        method, path, data={"index": "0", "answer": "x", "rating": "good"}
    )
    assert response.status_code == 404
    page = page_of(response)
    assert "no practice session at this address" in text(page.select_one(".lede"))
    assert page.select_one("a.button[href='/practice']") is not None


def test_unknown_question_number_of_a_session_is_404(app_client: TestClient) -> None:
    url = start(app_client)
    assert app_client.get(f"{url}/questions/3").status_code == 404
    assert app_client.get(f"{url}/questions/0").status_code == 404
    assert app_client.get(f"{url}/questions/two").status_code == 422


def test_forms_posted_from_another_site_are_refused(app_client: TestClient) -> None:
    response = app_client.post(
        "/practice/sessions",
        data={"bank": "ml-basics", "count": "1"},
        headers={"Origin": "http://evil.example"},
    )
    assert response.status_code == 403
    same = app_client.post(
        "/practice/sessions",
        data={"bank": "ml-basics", "count": "1"},
        headers={"Origin": "http://testserver"},
        follow_redirects=False,
    )
    assert same.status_code == 303


# Progress, history and export


def practise(client: TestClient, clock: FixedClock, ratings: list[str]) -> str:
    url = start(client, count=len(ratings), time_limit=60)
    for index, rating in enumerate(ratings):
        client.get(url)
        clock.advance(seconds=15)
        answer(client, url, index, GOOD_ANSWER if index == 0 else "Not sure.")
        rate(client, url, index, rating)
    return url


def test_dashboard_before_any_practice_says_so(app_client: TestClient) -> None:
    response = app_client.get("/progress")
    assert response.status_code == 200
    page = page_of(response)
    assert text(page.select_one(".site-nav a[aria-current=page]")) == "Progress"
    assert "No practice yet" in text(page.select_one(".empty"))
    assert text(page.select_one("[data-stat=attempts]")) == "0"
    assert len(page.select("svg.chart")) == 4


def test_dashboard_shows_charts_and_the_same_numbers_in_tables(
    app_client: TestClient, clock: FixedClock
) -> None:
    practise(app_client, clock, ["good", "again"])
    clock.advance(days=1)
    practise(app_client, clock, ["hard"])
    page = page_of(app_client.get("/progress"))
    assert page.select_one(".empty") is None
    assert text(page.select_one("[data-stat=attempts]")) == "3"
    assert text(page.select_one("[data-stat=reviews]")) == "3"
    assert text(page.select_one("[data-stat=streak]")) == "2"
    # Mastery: one bar per category and the same rows in the table.
    mastery = page.select_one("#mastery")
    assert len(mastery.select("svg .chart-row")) == 5
    rows = [[text(td) for td in tr.select("td")] for tr in mastery.select("tbody tr")]
    assert [row[0] for row in rows] == [
        "Deep learning",
        "Optimisation",
        "Evaluation",
        "Fundamentals",
        "Quick-fire",
    ]
    assert rows[0][2] == "1 of 2" and rows[1][2] == "1 of 3" and rows[2][2] == "0 of 1"
    # Score trend: a point per day, and the days in the table, latest first.
    trend = page.select_one("#trend")
    assert len(trend.select("svg .chart-point")) == 2
    assert [text(tr.select_one("td")) for tr in trend.select("tbody tr")] == [
        "Tue 3 Mar 2026",
        "Mon 2 Mar 2026",
    ]
    # Activity calendar and its active days.
    activity = page.select_one("#activity")
    assert len(activity.select("svg rect.heat-0")) > 100
    assert [[text(td) for td in tr.select("td")] for tr in activity.select("tbody tr")] == [
        ["Tue 3 Mar 2026", "1"],
        ["Mon 2 Mar 2026", "2"],
    ]
    # Reviews due over the next 14 days, as bars and a table of 14 days.
    due = page.select_one("#due")
    assert len(due.select("svg .chart-day")) == 14
    counts = [int(text(td)) for td in due.select("tr")[1].select("td")]
    assert len(counts) == 14 and sum(counts) == 2  # two questions, the second one twice
    assert text(page.select_one("[data-stat=due-today]")) == str(counts[0])


def test_history_lists_every_attempt_newest_first(
    app_client: TestClient, clock: FixedClock
) -> None:
    url = practise(app_client, clock, ["good", "again"])
    page = page_of(app_client.get("/history"))
    rows = page.select(".history-table tbody tr")
    assert len(rows) == 2
    cells = [text(td) for td in rows[0].select("td")]
    assert cells[1] == "Explain gradient descent and the role of the learning rate."
    assert cells[4] == "Again"
    assert rows[0].select_one("a")["href"] == "/questions/ml-basics/gradient-descent#attempts"
    assert rows[0].select("a")[1]["href"] == f"{url}/summary"


def test_export_downloads_every_attempt_and_review(
    app_client: TestClient, clock: FixedClock
) -> None:
    practise(app_client, clock, ["good", "again"])
    as_json = app_client.get("/history/export?format=json")
    assert as_json.status_code == 200
    assert as_json.headers["content-type"] == "application/json"
    assert as_json.headers["content-disposition"] == (
        'attachment; filename="interview-prep-history-2026-03-02.json"'
    )
    document = json.loads(as_json.text)
    assert document["format"] == "interview-prep/history"
    assert len(document["attempts"]) == 2 and len(document["reviews"]) == 2
    as_csv = app_client.get("/history/export?format=csv")
    assert as_csv.headers["content-type"].startswith("text/csv")
    records = [row["record"] for row in csv.DictReader(io.StringIO(as_csv.text))]
    assert records == ["attempt", "review", "attempt", "review"]
    assert app_client.get("/history/export").headers["content-type"] == "application/json"


def test_export_in_an_unknown_format_is_a_422_page(app_client: TestClient) -> None:
    response = app_client.get("/history/export?format=xml")
    assert response.status_code == 422
    assert "Parameter 'format'" in text(page_of(response).select_one(".lede"))


def test_question_page_shows_your_attempts_with_scores_and_answers(
    app_client: TestClient, clock: FixedClock
) -> None:
    before = page_of(app_client.get("/questions/ml-basics/vanishing-gradients"))
    assert before.select_one("#attempts") is None
    practise(app_client, clock, ["good"])
    clock.advance(days=3)
    practise(app_client, clock, ["hard"])
    response = app_client.get("/questions/ml-basics/vanishing-gradients")
    assert response.headers["cache-control"] == "no-store"
    page = page_of(response)
    section = page.select_one("#attempts")
    assert section is not None
    assert text(section.select_one("h2")) == "Your attempts 2"
    attempts = section.select(".attempt")
    assert "Thu 5 Mar 2026, 09:00" in text(attempts[0].select_one(".attempt-when"))
    assert "rated Hard" in text(attempts[0]) and "rated Good" in text(attempts[1])
    assert re.search(r"Score \d\.\d", text(attempts[0]))
    assert attempts[0].select_one(".attempt-answer").get_text() == GOOD_ANSWER
    assert "Next review:" in text(section.select_one(".meta"))
    # Other questions stay as they were.
    assert page_of(app_client.get("/questions/ml-basics/adam")).select_one("#attempts") is None


# Time zones


def test_times_and_days_follow_the_time_zone_cookie(
    app_client: TestClient, clock: FixedClock
) -> None:
    clock.advance(hours=14, minutes=30)  # 23:30 UTC on Monday: already Tuesday in Tokyo
    practise(app_client, clock, ["good"])
    for cookie in ("Asia/Tokyo", "Asia%2FTokyo"):  # as app.js writes it, URL-encoded
        app_client.cookies.set("tz", cookie)
        page = page_of(app_client.get("/history"))
        assert text(page.select_one(".history-table td")) == "Tue 3 Mar 2026, 08:30"
    progress = page_of(app_client.get("/progress"))
    assert text(progress.select_one("#activity tbody td")) == "Tue 3 Mar 2026"
    app_client.cookies.set("tz", "../../etc/passwd")
    page = page_of(app_client.get("/history"))
    assert text(page.select_one(".history-table td")) == "Mon 2 Mar 2026, 23:30"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Europe/Paris", "Europe/Paris"),
        ("", "UTC"),
        (None, "UTC"),
        ("Mars/Olympus_Mons", "UTC"),
        ("/etc/passwd", "UTC"),
        ("Europe/../../etc", "UTC"),
        ("x" * 200, "UTC"),
        ("Europe/Paris\x00", "UTC"),
    ],
)
def test_parse_zone_accepts_only_known_zone_names(name: str | None, expected: str) -> None:
    zone = parse_zone(name)
    assert getattr(zone, "key", "UTC") == expected


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(None, "–"), (0, "0:00"), (59.6, "1:00"), (75, "1:15"), (3725, "1:02:05"), (-3, "0:00")],
)
def test_duration(seconds: float | None, expected: str) -> None:
    assert duration(seconds) == expected
