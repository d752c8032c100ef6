"""Errors: one friendly page or JSON body each, and never a traceback for the user."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from interview_prep.storage import repository
from interview_prep.web.errors import validation_message

from .conftest import soup


@pytest.fixture
def broken(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every storage read fail the way a bug would."""

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(repository, "list_banks", explode)
    monkeypatch.setattr(repository, "get_question", explode)


def test_unexpected_error_on_a_page_is_a_friendly_500_and_logged(
    client: TestClient, broken: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="interview_prep.web"):
        response = client.get("/")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    page = soup(response.text)
    assert page.select_one("h1").get_text() == "Something went wrong"
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text
    [record] = [r for r in caplog.records if r.name == "interview_prep.web"]
    assert record.getMessage() == "Unhandled error on GET /"
    assert record.exc_info is not None and "secret internal detail" in str(record.exc_info[1])


def test_unexpected_error_in_the_api_is_json_500(client: TestClient, broken: None) -> None:
    response = client.get("/api/questions/adam")
    assert response.status_code == 500
    body = response.json()
    assert body["error"] == "internal"
    assert "server log" in body["message"]
    assert "secret" not in response.text


def test_error_responses_keep_security_headers(client: TestClient, broken: None) -> None:
    response = client.get("/")
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_validation_message_reads_as_a_sentence() -> None:
    errors = [
        {"loc": ("query", "limit"), "msg": "Input should be greater than or equal to 1"},
        {"loc": ("body", "answer"), "msg": "Field required"},
        {"loc": ("body", 3), "msg": "JSON decode error", "type": "json_invalid"},
    ]
    assert validation_message(errors) == (
        "Parameter 'limit': Input should be greater than or equal to 1; "
        "field 'answer': Field required; the request body is not valid JSON."
    )
