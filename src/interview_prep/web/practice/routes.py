"""The practice pages: set up a session, answer with a countdown, feedback and rating, summary.

Plain forms that POST and redirect (303), so a session works without JavaScript; ``practice.js``
adds the live countdown (submitting the answer as it stands when time runs out) and saves drafts
as the candidate types. The server keeps the clock: an answer that arrives late is marked timed
out whatever the browser did.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from ...accounts.permissions import Action
from ...errors import InterviewPrepError, InvalidInputError
from ...practice.sessions import SessionStateError
from ..auth import requires
from ..templating import render
from . import sessions, setup
from .context import PracticeContext
from .sessions import StepKind, session_url
from .setup import SetupForm
from .views import (
    feedback_view,
    practise_view,
    question_view,
    replay_view,
    setup_view,
    summary_view,
)


def same_origin(request: Request) -> None:
    """Refuse a form posted from another site (the app has no login to protect it)."""
    origin = request.headers.get("origin")
    if origin is None:
        return
    host = request.headers.get("host", "")
    if origin.split("://", 1)[-1] != host:
        raise HTTPException(403, "This form can only be sent from the app's own pages.")


router = APIRouter(
    include_in_schema=False,
    dependencies=[Depends(same_origin), Depends(requires(Action.PRACTISE))],
)

# Session pages change with every answer: never serve one from a cache or the back button.
NO_STORE = {"Cache-Control": "no-store"}
Index = Annotated[int, Form(description="The question's place in the session, from 0.")]


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=NO_STORE)


@router.get("/practice", response_class=HTMLResponse)
def practice_home(request: Request) -> Response:
    """Set up a session; today's reviews and new questions; unfinished sessions to resume."""
    context = setup_view(PracticeContext.of(request))
    return render(request, "practice/setup.html", context, headers=NO_STORE)


@router.get("/practice/sessions")
def sessions_home() -> Response:
    """Sessions are listed on the practice page (a reload after a refused form lands here)."""
    return _redirect("/practice")


@router.post("/practice/sessions")
def create_session(
    request: Request,
    bank: Annotated[str, Form()] = "",
    category: Annotated[list[str] | None, Form()] = None,
    difficulty: Annotated[str, Form()] = "",
    count: Annotated[str, Form()] = str(setup.DEFAULT_COUNT),
    time_limit: Annotated[str, Form()] = "",
    mode: Annotated[str, Form()] = "drill",
    tag: Annotated[list[str] | None, Form()] = None,
    questions: Annotated[str, Form()] = "",
    search: Annotated[str, Form()] = "",
    order: Annotated[str, Form()] = "schedule",
    cram: Annotated[str, Form()] = "",
) -> Response:
    """Start a session and go to its first question; a form that cannot be used shows again."""
    ctx = PracticeContext.of(request)
    form = SetupForm(
        bank,
        tuple(category or ()),
        difficulty,
        count,
        time_limit,
        mode,
        tuple(tag or ()),
        questions,
        search,
        order,
        cram,
    )
    try:
        session = setup.create_session(ctx, form)
    except InvalidInputError as error:
        context = setup_view(ctx, form, error.message)
        return render(
            request, "practice/setup.html", context, status_code=error.status, headers=NO_STORE
        )
    return _redirect(session_url(session))


@router.get("/practice/questions/{question_id:path}", response_class=HTMLResponse)
def practise_page(request: Request, question_id: str) -> Response:
    """ "Practise this": start a one-question drill, or add the question to the current session."""
    ctx = PracticeContext.of(request)
    record = setup.practised_question(ctx, question_id)
    return render(request, "practice/practise.html", practise_view(ctx, record), headers=NO_STORE)


@router.post("/practice/plan")
def set_plan(
    request: Request,
    interview_on: Annotated[str, Form()] = "",
    bank: Annotated[str, Form()] = "",
) -> Response:
    """Set (or, empty, clear) the interview date that the daily queue plans towards."""
    ctx = PracticeContext.of(request)
    try:
        setup.set_plan(ctx, interview_on, bank)
    except InvalidInputError as error:
        context = setup_view(ctx, plan_error=error.message, plan_typed=interview_on)
        return render(
            request, "practice/setup.html", context, status_code=error.status, headers=NO_STORE
        )
    return _redirect("/practice#plan-title")


@router.post("/practice/drills")
def start_drill(
    request: Request,
    question: Annotated[str, Form()] = "",
    time_limit: Annotated[str, Form()] = "",
) -> Response:
    """Start a one-question drill and go to it."""
    ctx = PracticeContext.of(request)
    try:
        session = setup.drill_one(ctx, question, time_limit)
    except InvalidInputError as error:
        return _practise_again(request, ctx, question, error)
    return _redirect(session_url(session))


@router.post("/practice/sessions/{session_id}/questions")
def add_question(
    request: Request, session_id: str, question: Annotated[str, Form()] = ""
) -> Response:
    """Add a question to the end of an unfinished session and carry on with the session."""
    ctx = PracticeContext.of(request)
    try:
        session = setup.add_one(ctx, session_id, question)
    except SessionStateError as error:
        return _practise_again(request, ctx, question, error)
    return _redirect(session_url(session))


def _practise_again(
    request: Request, ctx: PracticeContext, key: str, error: InterviewPrepError
) -> Response:
    record = setup.practised_question(ctx, key)
    context = practise_view(ctx, record, error.message)
    return render(
        request, "practice/practise.html", context, status_code=error.status, headers=NO_STORE
    )


@router.get("/practice/sessions/{session_id}", response_class=HTMLResponse)
def session_page(request: Request, session_id: str) -> Response:
    """Where the session stands: the question to answer, feedback to rate, or the summary."""
    ctx = PracticeContext.of(request)
    session, step = sessions.resume(ctx, session_id)
    if step.kind is StepKind.DONE:
        return _redirect(f"{session_url(session)}/summary")
    record = ctx.record(session.items[step.index].question)
    if step.kind is StepKind.ANSWER:
        context = question_view(ctx, session, step.index, record)
        return render(request, "practice/answer.html", context, headers=NO_STORE)
    context = feedback_view(ctx, session, step.index, record)
    return render(request, "practice/feedback.html", context, headers=NO_STORE)


@router.post("/practice/sessions/{session_id}/answer")
def submit_answer(
    request: Request,
    session_id: str,
    index: Index,
    answer: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "typed",
) -> Response:
    """Submit an answer as it stands (empty is allowed: it scores 0), grade it, move on."""
    ctx = PracticeContext.of(request)
    session = sessions.submit(ctx, session_id, index, answer, sessions.parse_source(source))
    return _redirect(session_url(session_id) + sessions.anchor_after(session, index))


@router.post("/practice/sessions/{session_id}/draft")
def save_draft(
    request: Request, session_id: str, index: Index, answer: Annotated[str, Form()] = ""
) -> Response:
    """Keep the answer typed so far (``practice.js`` sends it as the candidate types)."""
    saved = sessions.save_draft(PracticeContext.of(request), session_id, index, answer)
    return JSONResponse({"saved": saved}, headers=NO_STORE)


@router.post("/practice/sessions/{session_id}/skip")
def skip_question(request: Request, session_id: str, index: Index) -> Response:
    """Pass over the question without answering it: no score, no review; "skipped" in the
    summary."""
    sessions.skip(PracticeContext.of(request), session_id, index)
    return _redirect(session_url(session_id))


@router.post("/practice/sessions/{session_id}/retry")
def retry_answer(request: Request, session_id: str, index: Index) -> Response:
    """Answer the question again at once (drill mode, after its feedback), graded again."""
    sessions.retry(PracticeContext.of(request), session_id, index)
    return _redirect(session_url(session_id))


@router.post("/practice/sessions/{session_id}/follow-up")
def follow_up(request: Request, session_id: str, index: Index) -> Response:
    """Ask the answer's follow-up (drill mode, after its feedback): the one that probes what it
    missed or said wrong."""
    sessions.follow_up(PracticeContext.of(request), session_id, index)
    return _redirect(session_url(session_id))


@router.post("/practice/sessions/{session_id}/continue")
def continue_cram(request: Request, session_id: str, index: Index) -> Response:
    """Move on from an answer's feedback in a cram session: graded, and no review logged."""
    sessions.close_cram(PracticeContext.of(request), session_id, index)
    return _redirect(session_url(session_id))


@router.post("/practice/sessions/{session_id}/rate")
def rate_answer(
    request: Request, session_id: str, index: Index, rating: Annotated[str, Form()]
) -> Response:
    """Rate an answer (the suggested rating or an override); FSRS schedules its review."""
    ctx = PracticeContext.of(request)
    sessions.rate(ctx, session_id, index, sessions.parse_rating(rating))
    return _redirect(session_url(session_id))


@router.get("/practice/sessions/{session_id}/questions/{number}", response_class=HTMLResponse)
def feedback_page(request: Request, session_id: str, number: int) -> Response:
    """One answer's feedback again (from the summary), with its rating if given."""
    ctx = PracticeContext.of(request)
    session = sessions.load_session(ctx, session_id)
    index = number - 1
    sessions.check_feedback(session, index)
    parent = session.parent_of(index)
    if parent is not None:  # a follow-up's feedback is on its parent's page
        return _redirect(
            f"{session_url(session)}/questions/{session.index_of(parent) + 1}#follow-up"
        )
    record = ctx.record(session.items[index].question)
    context = feedback_view(ctx, session, index, record)
    return render(request, "practice/feedback.html", context, headers=NO_STORE)


@router.get("/practice/sessions/{session_id}/replay", response_class=HTMLResponse)
def replay_page(request: Request, session_id: str) -> Response:
    """The session again: each answer as given, its grade and feedback, and what changed since
    the previous attempt at the question."""
    ctx = PracticeContext.of(request)
    session = sessions.load_session(ctx, session_id)
    records = sessions.session_questions(ctx, session)
    context = replay_view(ctx, session, records)
    return render(request, "practice/replay.html", context, headers=NO_STORE)


@router.get("/practice/sessions/{session_id}/summary", response_class=HTMLResponse)
def summary_page(request: Request, session_id: str) -> Response:
    """Each question's score, time taken and weakest key points, with links back."""
    ctx = PracticeContext.of(request)
    session = sessions.load_session(ctx, session_id)
    records = sessions.session_questions(ctx, session)
    context = summary_view(ctx, session, records)
    return render(request, "practice/summary.html", context, headers=NO_STORE)
