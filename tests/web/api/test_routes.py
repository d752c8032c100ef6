"""The JSON API: banks, questions with filters, search, grading, and its error bodies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from interview_prep.domain import Question


def test_banks_lists_summaries(client: TestClient) -> None:
    body = client.get("/api/banks").json()
    assert [bank["id"] for bank in body["banks"]] == ["ml-basics"]
    bank = body["banks"][0]
    assert bank["question_count"] == 8
    assert list(bank["categories"]) == [
        "Deep learning",
        "Optimisation",
        "Evaluation",
        "Quick-fire",
        "Fundamentals",
    ]
    assert bank["url"] == "/banks/ml-basics"


def test_one_bank_and_an_unknown_one(client: TestClient) -> None:
    assert client.get("/api/banks/ml-basics").json()["title"] == "Machine learning basics"
    response = client.get("/api/banks/nope")
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "message": "There is no question bank 'nope'."}


def test_questions_with_combined_filters_and_paging(client: TestClient) -> None:
    body = client.get("/api/questions", params={"tag": "gradients", "difficulty": "medium"}).json()
    assert body["total"] == 2
    assert [q["id"] for q in body["questions"]] == ["vanishing-gradients", "gradient-clipping"]
    first = body["questions"][0]
    assert first["bank"] == "ml-basics"
    assert first["errata"][0]["quote"] == "they stop learning"
    assert first["url"] == "/questions/ml-basics/vanishing-gradients"

    page = client.get("/api/questions", params={"limit": 3, "offset": 3}).json()
    assert (page["total"], page["limit"], page["offset"]) == (8, 3, 3)
    assert [q["id"] for q in page["questions"]] == ["adam", "batch-norm", "precision-recall"]


def test_questions_search_filter(client: TestClient) -> None:
    body = client.get("/api/questions", params={"search": "exploding"}).json()
    assert [q["id"] for q in body["questions"]] == ["gradient-clipping"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"difficulty": "brutal"}, "difficulty"),
        ({"limit": 0}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_bad_parameters_are_422_with_a_readable_message(
    client: TestClient, params: dict[str, Any], field: str
) -> None:
    response = client.get("/api/questions", params=params)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_input"
    assert body["message"].startswith(f"Parameter '{field}': ")
    assert body["detail"][0]["loc"] == ["query", field]


def test_questions_of_an_unknown_bank_is_404(client: TestClient) -> None:
    response = client.get("/api/questions", params={"bank": "nope"})
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_one_question_by_id_or_bank_slash_id(client: TestClient) -> None:
    plain = client.get("/api/questions/adam").json()
    qualified = client.get("/api/questions/ml-basics/adam").json()
    assert plain == qualified
    assert plain["question"] == "How does Adam differ from SGD with momentum?"
    assert plain["retired"] is False
    response = client.get("/api/questions/ml-basics/nope")
    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "message": "no question 'nope' in bank 'ml-basics'",
    }


def test_search_returns_ranked_hits_with_marked_snippets(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "clipping"}).json()
    assert body["query"] == "clipping"
    hit = body["hits"][0]
    assert hit["id"] == "gradient-clipping"
    assert hit["bank"] == "ml-basics"
    assert "<mark>" in hit["snippet"]
    assert hit["url"] == "/questions/ml-basics/gradient-clipping"


def test_search_filters_and_no_results(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "gradient", "difficulty": "easy"}).json()
    assert [hit["id"] for hit in body["hits"]] == ["gradient-descent"]
    assert client.get("/api/search", params={"q": "zebra"}).json()["hits"] == []


def test_search_needs_text(client: TestClient) -> None:
    response = client.get("/api/search")
    assert response.status_code == 422
    assert response.json()["message"] == "Parameter 'q': Field required."


def test_unknown_api_path_is_json_404(client: TestClient) -> None:
    response = client.get("/api/nothing")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_wrong_method_is_json_405(client: TestClient) -> None:
    response = client.get("/api/grade")
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"


@dataclass
class FakeResult:
    question: Question
    answer: str

    def to_dict(self) -> dict[str, Any]:
        return {"score": 0.5, "answer_chars": len(self.answer)}


@pytest.fixture
def fake_grader(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Replace the grading service (its model is slow to load) by a recorder."""
    import types

    calls: list[tuple[str, str]] = []

    def grade(question: Question, answer: str, **options: object) -> FakeResult:
        assert options == {"grader_name": "auto", "max_chars": 20000}
        calls.append((question.id, answer))
        return FakeResult(question, answer)

    module = types.ModuleType("interview_prep.grading.service")
    module.grade = grade  # type: ignore[attr-defined]
    monkeypatch.setitem(__import__("sys").modules, "interview_prep.grading.service", module)
    return calls


def test_grade_returns_the_grading_result(
    client: TestClient, fake_grader: list[tuple[str, str]]
) -> None:
    response = client.post(
        "/api/grade", json={"question_id": "ml-basics/adam", "answer": "Adam adapts per weight."}
    )
    assert response.status_code == 200
    assert response.json() == {
        "bank": "ml-basics",
        "question_id": "adam",
        "score": 0.5,
        "answer_chars": 23,
    }
    assert fake_grader == [("adam", "Adam adapts per weight.")]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"question_id": "adam", "answer": 42}, "Field 'answer': Input should be a valid string."),
        ({"question_id": 7, "answer": "x"}, "Field 'question_id': Input should be a valid string."),
        ({"question_id": "adam"}, "Field 'answer': Field required."),
        (
            {"question_id": "adam", "answer": "x", "extra": 1},
            "Field 'extra': Extra inputs are not permitted.",
        ),
    ],
)
def test_grade_rejects_wrong_types_with_422(
    client: TestClient, fake_grader: list[tuple[str, str]], payload: dict[str, Any], message: str
) -> None:
    response = client.post("/api/grade", json=payload)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_input"
    assert response.json()["message"] == message
    assert fake_grader == []


def test_grade_rejects_a_body_that_is_not_json(client: TestClient) -> None:
    response = client.post(
        "/api/grade", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["message"] == "The request body is not valid JSON."


def test_grade_of_an_unknown_question_is_404(
    client: TestClient, fake_grader: list[tuple[str, str]]
) -> None:
    response = client.post("/api/grade", json={"question_id": "nope", "answer": "x"})
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert fake_grader == []


def test_grade_with_the_real_grader(client: TestClient) -> None:
    answer = (
        "Gradients shrink exponentially as they flow back through many layers, mostly "
        "because of saturating activations like sigmoid; ReLU and residual connections help."
    )
    payload = {"question_id": "vanishing-gradients", "answer": answer}
    response = client.post("/api/grade", json=payload)
    assert response.status_code == 200
    body = response.json()
    assert (body["bank"], body["question_id"]) == ("ml-basics", "vanishing-gradients")
    assert 0 <= body["score"] <= 5
    assert body["grader"] and body["feedback"]
    assert len(body["key_points"]) == 3
