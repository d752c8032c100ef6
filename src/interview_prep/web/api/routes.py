"""The JSON API under ``/api``: banks, questions (with the study pages' filters), search, grading;
and ``/docs``, its reference as a page.

Errors are ``{"error": code, "message": ...}``: 404 for an unknown bank or question, 422 for a
parameter the app cannot use (see :mod:`interview_prep.web.errors`).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from starlette.responses import HTMLResponse, Response

from ...accounts.permissions import Action
from ...domain.questions import Difficulty
from ...input_policy import MAX_OFFSET, clean_optional, clean_text
from ...storage import repository
from ...storage.records import BankSummary, QuestionRecord
from ..auth import requires
from ..templating import render
from .docs import endpoints
from .schemas import GradeResponse

router = APIRouter(prefix="/api", tags=["api"])
# The API's description and reference: they describe the API and hold no one's data.
docs_router = APIRouter(
    include_in_schema=False, dependencies=[Depends(requires(Action.VIEW_PUBLIC))]
)

ErrorBody = {
    "content": {
        "application/json": {"example": {"error": "not_found", "message": "no question 'x'"}}
    }
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "Unknown bank or question", **ErrorBody}
}
READ = [Depends(requires(Action.VIEW_BANKS))]

BankParam = Annotated[str | None, Query(description="Only questions of this bank (its id).")]
CategoryParam = Annotated[str | None, Query(description="Only questions of this category.")]
DifficultyParam = Annotated[Difficulty | None, Query(description="easy, medium or hard.")]
TagParam = Annotated[str | None, Query(description="Only questions with this tag.")]
LimitParam = Annotated[int, Query(ge=1, le=500, description="At most this many results.")]
OffsetParam = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description="Skip this many results first.")
]


def _bank(summary: BankSummary) -> dict[str, Any]:
    return {**asdict(summary), "url": f"/banks/{summary.id}"}


def _question(record: QuestionRecord) -> dict[str, Any]:
    return {**record.to_dict(), "url": f"/questions/{record.bank_id}/{record.question.id}"}


@router.get("/banks", summary="List the banks", dependencies=READ)
def list_banks(request: Request) -> dict[str, Any]:
    """Every bank with its question count, categories (with counts, in display order) and tags."""
    return {"banks": [_bank(summary) for summary in request.app.state.banks.all()]}


@router.get("/banks/{bank_id}", summary="One bank", responses=NOT_FOUND, dependencies=READ)
def get_bank(request: Request, bank_id: str) -> dict[str, Any]:
    """A bank's details, without its questions (list them with `/api/questions?bank=ID`)."""
    return _bank(request.app.state.banks.get(bank_id))


@router.get("/questions", summary="List questions", responses=NOT_FOUND, dependencies=READ)
def list_questions(
    request: Request,
    bank: BankParam = None,
    category: CategoryParam = None,
    difficulty: DifficultyParam = None,
    tag: TagParam = None,
    search: Annotated[
        str | None, Query(max_length=500, description="Words to look for; best matches first.")
    ] = None,
    limit: LimitParam = 100,
    offset: OffsetParam = 0,
) -> dict[str, Any]:
    """Questions matching every filter given, with the total for paging."""
    db = request.app.state.db
    if bank is not None:
        request.app.state.banks.get(bank)  # 404 for an unknown bank, not an empty list
    filters: dict[str, Any] = {
        "bank": bank,
        "category": category,
        "difficulty": difficulty,
        "tag": tag,
        "search": search,
    }
    records = repository.list_questions(db, limit=limit, offset=offset, **filters)
    return {
        "total": repository.count_questions(db, **filters),
        "limit": limit,
        "offset": offset,
        "questions": [_question(record) for record in records],
    }


@router.get(
    "/questions/{question_id:path}", summary="One question", responses=NOT_FOUND, dependencies=READ
)
def get_question(
    request: Request,
    question_id: str,
    bank: Annotated[
        str | None, Query(description="The question's bank, if its id is in several.")
    ] = None,
) -> dict[str, Any]:
    """A question with its model answer and rubric. The id may be given as `bank/id`."""
    record = repository.get_question(request.app.state.db, question_id, bank=bank)
    return {**_question(record), "retired": record.retired}


@router.get("/search", summary="Search questions", responses=NOT_FOUND, dependencies=READ)
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words to look for.")],
    bank: BankParam = None,
    category: CategoryParam = None,
    difficulty: DifficultyParam = None,
    tag: TagParam = None,
    limit: Annotated[int, Query(ge=1, le=100, description="At most this many hits.")] = 20,
    offset: OffsetParam = 0,
) -> dict[str, Any]:
    """Ranked full-text search over questions, answers, key points and tags.

    Each hit has a `snippet`: escaped HTML with the matched words in `<mark>`.
    """
    if bank is not None:
        request.app.state.banks.get(bank)
    hits = repository.search(
        request.app.state.db,
        q,
        bank=bank,
        category=category,
        difficulty=difficulty,
        tag=tag,
        limit=limit,
        offset=offset,
    )
    return {
        "query": q,
        "limit": limit,
        "offset": offset,
        "hits": [
            {
                "bank": hit.record.bank_id,
                "id": hit.record.question.id,
                "question": hit.record.question.question,
                "category": hit.record.question.category,
                "difficulty": hit.record.question.difficulty.value,
                "rank": hit.rank,
                "snippet": hit.snippet,
                "url": f"/questions/{hit.record.bank_id}/{hit.record.question.id}",
            }
            for hit in hits
        ],
    }


class GradeRequest(BaseModel):
    """An answer to grade."""

    model_config = ConfigDict(extra="forbid", strict=True)

    # JSON can carry \u0000 and lone-surrogate escapes: the input policy cleans them here.
    question_id: Annotated[str, AfterValidator(clean_text)] = Field(
        min_length=1, max_length=300, description="The question's id, or `bank/id`."
    )
    answer: Annotated[str, AfterValidator(clean_text)] = Field(
        description="The candidate's answer, as typed or transcribed."
    )
    bank: Annotated[str | None, AfterValidator(clean_optional)] = Field(
        default=None, max_length=200, description="The question's bank, if ambiguous."
    )


_AUDIO_FORM = {
    "type": "object",
    "required": ["question_id", "audio"],
    "properties": {
        "question_id": {"type": "string", "description": "The question's id, or `bank/id`."},
        "bank": {"type": "string", "description": "The question's bank, if ambiguous."},
        "audio": {
            "type": "string",
            "format": "binary",
            "description": "The spoken answer: WAV, FLAC, OGG, MP3 or WebM, within the "
            "`max_audio_mb` and `max_audio_seconds` settings.",
        },
    },
}
_GRADE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": GradeRequest.model_json_schema()},
            "multipart/form-data": {"schema": _AUDIO_FORM},
        },
    }
}
AUDIO_ERRORS: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    413: {"description": "A recording over the size or duration limit", **ErrorBody},
    422: {"description": "Invalid input, or a recording that cannot be used", **ErrorBody},
}


async def _json_payload(request: Request) -> GradeRequest:
    try:
        return GradeRequest.model_validate_json(await request.body())
    except ValidationError as error:
        raise RequestValidationError(
            [{**item, "loc": ("body", *item.get("loc", ()))} for item in error.errors()]
        ) from None


@router.post(
    "/grade",
    summary="Grade an answer",
    # Described, not enforced: the answer is the grading result's own to_dict, whose fields
    # tests/web/api/test_schemas.py keeps in step with GradeResponse.
    response_model=None,
    responses={200: {"description": "The graded answer", "model": GradeResponse}, **AUDIO_ERRORS},
    openapi_extra=_GRADE_BODY,
    dependencies=[Depends(requires(Action.GRADE))],
)
async def grade_answer(request: Request) -> dict[str, Any]:
    """Grade an answer against the question's key points, misconceptions and expected answer.

    Send JSON with the answer's text, or a `multipart/form-data` form with the recording in
    `audio`: it is transcribed offline, graded the same way, and the response adds the timed
    `transcript` and the `delivery` metrics (which are not part of the score). The grading and
    speech models load on their first call, which is slower than the rest.
    """
    config = request.app.state.config
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        from ..speech_upload import grade_uploaded_audio

        return await grade_uploaded_audio(request, config)
    payload = await _json_payload(request)
    record = repository.get_question(request.app.state.db, payload.question_id, bank=payload.bank)
    from ...grading.service import grade  # heavy: loaded on first use only

    result = await run_in_threadpool(
        grade,
        record.question,
        payload.answer,
        grader_name=config.grader,
        max_chars=int(config.max_answer_chars),
    )
    return {"bank": record.bank_id, "question_id": record.question.id, **result.to_dict()}


@docs_router.get("/openapi.json")
def openapi_json(request: Request) -> dict[str, Any]:
    """The API's OpenAPI description (it describes the API; it holds no one's data)."""
    spec: dict[str, Any] = request.app.openapi()
    return spec


@docs_router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """The JSON API's reference, rendered from its OpenAPI description (no CDN needed)."""
    spec = request.app.openapi()
    return render(
        request, "docs.html", {"spec": spec, "endpoints": endpoints(spec), "active_nav": "api"}
    )
