"""``POST /api/grade``'s response schema in the OpenAPI description validates what it answers."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator, ValidationError

from interview_prep.grading.result import (
    Coverage,
    Evidence,
    GradeResult,
    KeyPointResult,
    Label,
    MisconceptionFinding,
    MisconceptionKind,
    QuickfireResult,
    Rating,
    StarResult,
    StructureResult,
)
from interview_prep.speech.transcript import TimedWord, Transcript


def validator(client: TestClient, name: str = "") -> Draft202012Validator:
    """A validator of the 200 response of ``POST /api/grade`` (or of component ``name``), as
    the app's own ``/openapi.json`` describes it."""
    spec = client.get("/openapi.json").json()
    if name:
        schema: dict[str, Any] = {"$ref": f"#/components/schemas/{name}"}
    else:
        ok = spec["paths"]["/api/grade"]["post"]["responses"]["200"]
        schema = ok["content"]["application/json"]["schema"]
    return Draft202012Validator({**schema, "components": spec["components"]})


def every_part() -> dict[str, Any]:
    """A grade with every optional part filled in, as the route answers with it."""
    said = Evidence("L2 gives exact zeros", 0, 20, 0.81)
    result = GradeResult(
        question_id="l1-vs-l2",
        score=2.5,
        label=Label.WEAK,
        rating=Rating.HARD,
        feedback="Say which of the two gives sparse weights.",
        key_points=(
            KeyPointResult(0, "L1 gives sparsity", 1.5, Coverage.PARTLY, 0.6, said, ("l1",), ()),
            KeyPointResult(1, "L2 shrinks weights", 1.0, Coverage.MISSED, 0.2, contradicted=True),
        ),
        misconceptions=(
            MisconceptionFinding(
                MisconceptionKind.SWAPPED_TERM,
                "L2 gives exact zeros",
                "L1 does",
                said,
                key_point=1,
                detail="l2 for l1",
                clause=said,
                words=((0, 2),),
            ),
        ),
        quickfire=QuickfireResult("names", False, "Lasso", ("ridge",), 0.5, "one of two", ("x",)),
        structure=StructureResult(4, 1, ("short",), StarResult(True, False, True, False, False)),
        grader="rules",
        truncated=True,
        messages=("Only the start was graded.",),
        elapsed_ms=3.2,
    )
    return {"bank": "ml", **result.to_dict()}


def test_the_grade_route_documents_a_schema_of_its_answer(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    ok = spec["paths"]["/api/grade"]["post"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/GradeResponse"
    }
    schema = spec["components"]["schemas"]["GradeResponse"]
    assert schema["additionalProperties"] is False
    assert {"score", "key_points", "misconceptions", "feedback", "rating"} <= set(
        schema["required"]
    )
    point = spec["components"]["schemas"]["KeyPointResult"]["properties"]["status"]
    assert spec["components"]["schemas"][point["$ref"].rsplit("/", 1)[1]]["enum"] == [
        "covered",
        "partly",
        "missed",
    ]


def test_a_real_grade_validates_against_the_schema(client: TestClient) -> None:
    answer = (
        "Gradients shrink exponentially as they flow back through many layers, mostly "
        "because of saturating activations like sigmoid; ReLU and residual connections help."
    )
    response = client.post(
        "/api/grade", json={"question_id": "vanishing-gradients", "answer": answer}
    )
    assert response.status_code == 200
    body = response.json()
    validator(client).validate(body)
    assert any(point["status"] == "covered" for point in body["key_points"])


def test_every_optional_part_of_a_grade_is_described(client: TestClient) -> None:
    validator(client).validate(every_part())
    words = (TimedWord("Gradients", 0.0, 0.4, 0.98), TimedWord("shrink", 0.4, 0.8))
    transcript = Transcript(words, duration=1.2, model="tiny.en", notices=("quiet",))
    validator(client, "Transcript").validate(transcript.to_dict())


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda body: body.update(surprise=1), "Additional properties"),
        (lambda body: body.update(score=7), "greater than the maximum"),
        (lambda body: body["key_points"][0].update(status="half"), "is not one of"),
        (lambda body: body["misconceptions"][0].pop("claim"), "'claim' is a required"),
    ],
)
def test_the_schema_rejects_what_the_route_does_not_answer(
    client: TestClient, change: Any, complaint: str
) -> None:
    body = every_part()
    change(body)
    with pytest.raises(ValidationError, match=complaint):
        validator(client).validate(body)
