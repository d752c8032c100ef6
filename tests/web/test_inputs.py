"""The input policy at the web edge, on SQLite and on PostgreSQL: NULs, surrogates and numbers
that used to give 500s, tracebacks or lost answers (findings 5, 6 and 7 of the probe)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from interview_prep.domain import Bank
from interview_prep.practice.attempts import LOCAL_USER_ID
from interview_prep.practice.clock import FixedClock
from interview_prep.storage import Database, repository
from interview_prep.storage.practice import DatabasePracticeStore
from interview_prep.web.app import create_app
from interview_prep.web.inputs import clean_query

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def client(db: Database, study_bank: Bank, clock: FixedClock) -> Iterator[TestClient]:
    """The app on the study bank, once on SQLite and once on PostgreSQL."""
    repository.import_bank(db, study_bank)
    with TestClient(create_app(db, clock=clock), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.mark.parametrize(
    "url",
    [
        "/api/questions?offset=9223372036854775808",
        "/api/questions?offset=-1",
        "/api/search?q=a&offset=99999999999999999999",
        "/api/search?q=a&limit=99999999999999999999",
    ],
)
def test_numbers_out_of_range_are_a_clear_422(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_input"
    assert "offset" in response.json()["message"] or "limit" in response.json()["message"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/questions?category=Fund%00amentals", 200),
        ("/api/questions?tag=%00", 200),
        ("/api/questions?bank=ml-basics%00", 200),
        ("/api/questions?search=grad%00ients", 200),
        ("/api/search?q=grad%00ients&category=%00", 200),
        ("/api/banks/ml-basics%00", 200),
        ("/api/questions/vanishing%00-gradients", 200),
        ("/banks/ml-basics?category=Fund%00amentals&tag=a%00&q=%00x", 200),
        ("/banks/ml%00-basics", 200),
        ("/questions/ml-basics/%00vanishing-gradients", 200),
        ("/questions/nothing%00here", 404),
    ],
)
def test_nul_in_ids_and_filters_is_not_a_500(client: TestClient, url: str, status: int) -> None:
    # Finding 6: on PostgreSQL a NUL in a category, tag or id gave 500 on these pages.
    assert client.get(url).status_code == status


def test_a_nul_in_a_filter_is_removed_not_matched_literally(client: TestClient) -> None:
    plain = client.get("/api/questions?category=Fundamentals").json()
    with_nul = client.get("/api/questions?category=Fundamentals%00").json()
    assert with_nul["total"] == plain["total"] > 0


def test_a_draft_with_nul_is_submitted_when_time_runs_out(
    client: TestClient, db: Database, clock: FixedClock
) -> None:
    # Finding 6: the draft was "saved", then the session answered 422 forever and lost it.
    form = {"bank": "ml-basics", "count": "1", "time_limit": "60", "mode": "drill"}
    url = client.post("/practice/sessions", data=form, follow_redirects=False).headers["location"]
    assert client.get(url).status_code == 200
    saved = client.post(f"{url}/draft", data={"index": "0", "answer": "Grad\x00ients"})
    assert saved.json() == {"saved": True}
    clock.advance(seconds=120)
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    [attempt] = DatabasePracticeStore(db).attempts(LOCAL_USER_ID)
    assert attempt.timed_out and attempt.answer.startswith("Gradients")
    assert "\x00" not in attempt.answer


def test_an_answer_with_nul_is_stored_without_it(client: TestClient, db: Database) -> None:
    form = {"bank": "ml-basics", "count": "1", "time_limit": "", "mode": "drill"}
    url = client.post("/practice/sessions", data=form, follow_redirects=False).headers["location"]
    client.get(url)
    response = client.post(f"{url}/answer", data={"index": "0", "answer": "a\x00b"})
    assert response.status_code == 200
    [attempt] = DatabasePracticeStore(db).attempts(LOCAL_USER_ID)
    assert attempt.answer == "ab"


def test_a_lone_surrogate_is_graded_by_the_embedding_grader_without_a_traceback(
    client: TestClient, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    # Finding 7: the tokenizer raised on the surrogate; every such request fell back to the
    # lexical grader and logged a traceback. The grader's entry applies the input policy.
    from interview_prep.grading.service import grade

    question = repository.get_question(db, "vanishing-gradients").question
    answer = "Gradients shrink \ud800 through many layers \x00 because of sigmoid."
    with caplog.at_level(logging.WARNING):
        result = grade(question, answer, grader_name="embedding")
    assert result.to_dict()["grader"] == "embedding"
    assert not [record for record in caplog.records if record.exc_info]
    # The API's JSON parser refuses the escape outright: a clear 422, not a traceback.
    body = '{"question_id": "vanishing-gradients", "answer": "x \\ud800 y"}'
    response = client.post("/api/grade", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code in (200, 422), response.text
    assert response.status_code == 422 or response.json()["grader"] == "embedding"


def test_clean_query_leaves_clean_queries_alone() -> None:
    assert clean_query(b"a=1&b=%C3%BC") == b"a=1&b=%C3%BC"
    assert clean_query(b"a=x%00y&b%00=") == b"a=xy&b="
