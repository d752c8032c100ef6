"""Fixtures for the HTTP tests: a real SQLite database with a study bank, and a client.

The client talks to the real app through httpx (FastAPI's TestClient); pages are checked with an
HTML parser (:func:`soup`), not by looking for substrings.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from interview_prep.domain import Bank
from interview_prep.formats.validation import validate_bank_data
from interview_prep.storage import Database, open_database, repository
from interview_prep.web.app import create_app

XSS_SCRIPT = "<script>window.__xss = 1; alert('xss')</script>"
XSS_IMAGE = "<img src=x onerror=\"window.__xss = 2; alert('xss')\">"


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


@pytest.fixture
def study_bank_data(bank_data: dict[str, Any]) -> dict[str, Any]:
    """The shared small bank, with everything a question page shows: errata, misconceptions,
    follow-ups (one the wording of another question), related questions, a quick-fire answer."""
    data = copy.deepcopy(bank_data)
    first = data["questions"][0]
    assert first["id"] == "vanishing-gradients"
    first["errata"] = [
        {
            "quote": "they stop learning",
            "correction": "they learn very slowly; they do not stop completely.",
        }
    ]
    first["misconceptions"] = [
        {
            "claim": "Gradient clipping fixes vanishing gradients",
            "correction": "Clipping caps exploding gradients; it cannot enlarge vanishing ones.",
        }
    ]
    first["follow_ups"] = [
        "Why do we clip gradients when training recurrent networks?",
        "What is a highway network?",
    ]
    first["related"] = ["gradient-clipping", "batch-norm"]
    data["categories"] = [*data["categories"], "Quick-fire"]
    data["questions"].append(
        {
            "id": "adam-default-lr",
            "category": "Quick-fire",
            "difficulty": "easy",
            "tags": ["optimisers"],
            "question": "What is the default learning rate of Adam in PyTorch?",
            "answer": "0.001.",
            "expected": {"kind": "number", "value": 0.001, "tolerance": 0},
        }
    )
    return data


@pytest.fixture
def study_bank(study_bank_data: dict[str, Any]) -> Bank:
    return validate_bank_data(study_bank_data, source="study bank")


@pytest.fixture
def xss_bank() -> Bank:
    """A bank whose every text field carries script and image-error payloads."""
    payload = f"{XSS_SCRIPT} {XSS_IMAGE}"
    return validate_bank_data(
        {
            "id": "xss-probe",
            "title": f"Probe {XSS_SCRIPT}",
            "description": f"Description {XSS_IMAGE}",
            "categories": [f"Cat {XSS_IMAGE}"],
            "questions": [
                {
                    "id": "payload",
                    "category": f"Cat {XSS_IMAGE}",
                    "tags": ["probe"],
                    "question": f"Question {payload}?",
                    "answer": f"Answer {payload} with a quoted {XSS_SCRIPT} part.",
                    "key_points": [{"text": f"Point {payload}"}],
                    "misconceptions": [{"claim": f"Claim {payload}", "correction": payload}],
                    "follow_ups": [payload],
                    "errata": [{"quote": XSS_SCRIPT, "correction": payload}],
                }
            ],
        },
        source="xss bank",
    )


@pytest.fixture
def study_db(tmp_path: Path, study_bank: Bank) -> Iterator[Database]:
    """A SQLite file holding the study bank (and not the bundled ones)."""
    database = open_database(f"sqlite:///{tmp_path / 'web.db'}", sync_bundled=False)
    repository.import_bank(database, study_bank)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def client(study_db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(study_db)) as test_client:
        yield test_client
