"""The cohort pages: a coach's cohorts, one cohort's dashboard and CSV, invitations, assignments.

A coach sees only the cohorts they coach, read-only as far as members' practice goes; an admin
sees every cohort. Invitation links let a person make an account (or use theirs) and join.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ...accounts import service
from ...accounts.permissions import Action
from ...errors import ConflictError, InvalidInputError, NotFoundError
from ...practice.cohort_report import report_to_csv
from ..account.routes import logged_in
from ..auth import Visitor, actor_of, requires, visitor_of
from ..form_tokens import JOIN_FORM
from ..password_work import run_password_work
from ..templating import render
from .views import cohort_for, dashboard_context, report_of, visible_cohorts

router = APIRouter(include_in_schema=False)
NO_STORE = {"Cache-Control": "no-store"}
VIEW = [Depends(requires(Action.VIEW_COHORT))]
MANAGE = [Depends(requires(Action.MANAGE_COHORTS))]
PUBLIC = [Depends(requires(Action.VIEW_PUBLIC))]


@router.get("/cohorts", response_class=HTMLResponse, dependencies=VIEW)
def cohorts_page(request: Request) -> Response:
    """The cohorts the visitor coaches, and a form to make one."""
    context = {"cohorts": visible_cohorts(request), "active_nav": "account"}
    return render(request, "cohorts/list.html", context, headers=NO_STORE)


@router.post("/cohorts", dependencies=MANAGE)
def create_cohort(request: Request, name: Annotated[str, Form(max_length=400)] = "") -> Response:
    """Make a cohort coached by the visitor."""
    state = request.app.state
    try:
        cohort = state.cohorts.create(name, actor_of(request).user_id, state.clock())
    except InvalidInputError as error:
        context = {"cohorts": visible_cohorts(request), "error": error.message}
        return render(request, "cohorts/list.html", context, status_code=error.status)
    return RedirectResponse(f"/cohorts/{cohort.id}", status_code=303)


@router.get("/cohorts/{cohort_id}", response_class=HTMLResponse, dependencies=VIEW)
def cohort_page(request: Request, cohort_id: str) -> Response:
    """Who practised, mastery per category, most-missed questions, trends, assignments."""
    cohort = cohort_for(request, cohort_id, Action.VIEW_COHORT)
    return render(
        request, "cohorts/dashboard.html", dashboard_context(request, cohort), headers=NO_STORE
    )


@router.get("/cohorts/{cohort_id}/export", dependencies=VIEW)
def cohort_export(request: Request, cohort_id: str) -> Response:
    """The dashboard's per-person figures as CSV."""
    cohort = cohort_for(request, cohort_id, Action.VIEW_COHORT)
    body = report_to_csv(report_of(request, cohort))
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="cohort-{cohort.id}.csv"',
            **NO_STORE,
        },
    )


@router.post("/cohorts/{cohort_id}/invitations", response_class=HTMLResponse, dependencies=MANAGE)
def create_invitation(request: Request, cohort_id: str) -> Response:
    """Make an invitation link (valid 14 days) and show it on the dashboard."""
    cohort = cohort_for(request, cohort_id, Action.MANAGE_COHORTS)
    state = request.app.state
    token = state.cohorts.create_invitation(cohort.id, actor_of(request).user_id, state.clock())
    link = str(request.url_for("join_page", token=token))
    context = dashboard_context(request, cohort, invitation=link)
    return render(request, "cohorts/dashboard.html", context, headers=NO_STORE)


def _due(raw: str) -> datetime:
    try:
        day = datetime.strptime(raw.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise InvalidInputError(f"the due date {raw!r} is not a date such as 2026-12-31") from None
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


@router.post("/cohorts/{cohort_id}/assignments", dependencies=MANAGE)
def create_assignment(
    request: Request,
    cohort_id: str,
    bank: Annotated[str, Form(max_length=200)] = "",
    category: Annotated[str, Form(max_length=200)] = "",
    due: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Assign a bank (or one of its categories) with a due date."""
    cohort = cohort_for(request, cohort_id, Action.MANAGE_COHORTS)
    state = request.app.state
    try:
        summary = state.banks.get(bank)
        if category and category not in summary.categories:
            raise InvalidInputError(f"the bank {summary.title!r} has no category {category!r}")
        state.cohorts.add_assignment(
            cohort.id,
            summary.id,
            category or None,
            _due(due),
            actor_of(request).user_id,
            state.clock(),
        )
    except (InvalidInputError, NotFoundError) as error:
        context = dashboard_context(request, cohort, assignment_error=error.message)
        return render(request, "cohorts/dashboard.html", context, status_code=422)
    return RedirectResponse(f"/cohorts/{cohort.id}", status_code=303)


@router.get("/join/{token}", response_class=HTMLResponse, dependencies=PUBLIC)
async def join_page(request: Request, token: str) -> Response:
    """An invitation: join with one's account, or make one."""
    state = request.app.state
    cohort = state.cohorts.invitation(token, state.clock())
    visitor: Visitor = await visitor_of(request)
    context = {"cohort": cohort, "token": token, "form": {}, "visitor": visitor}
    return _join_page(request, context)


def _join_page(request: Request, context: dict[str, object], status: int = 200) -> Response:
    """The invitation page; for a visitor without a session, with the sign-up form's own CSRF
    token (a logged-in visitor's form carries the session's)."""
    visitor: Visitor = request.state.visitor
    if visitor.actor is not None:
        return render(request, "cohorts/join.html", context, status_code=status, headers=NO_STORE)
    join_token = JOIN_FORM.new()
    context = {**context, "join_token": join_token}
    response = render(request, "cohorts/join.html", context, status_code=status, headers=NO_STORE)
    JOIN_FORM.set_cookie(request, response, join_token)
    return response


@router.post("/join/{token}", dependencies=PUBLIC)
async def join(
    request: Request,
    token: str,
    username: Annotated[str, Form(max_length=200)] = "",
    name: Annotated[str, Form(max_length=400)] = "",
    password: Annotated[str, Form(max_length=2000)] = "",
    join_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Join the cohort; a visitor without an account makes one first and is logged in.

    A new account's password is hashed, so the step runs on the password executor, where a
    cohort joining at once queues as a crowd logging in does.
    """
    return await run_password_work(
        request,
        _join,
        request,
        token,
        username=username,
        name=name,
        password=password,
        join_token=join_token,
    )


def _join(
    request: Request, token: str, *, username: str, name: str, password: str, join_token: str
) -> Response:
    state = request.app.state
    now = state.clock()
    cohort = state.cohorts.invitation(token, now)
    visitor: Visitor = request.state.visitor
    if visitor.actor is not None:
        state.cohorts.join(cohort.id, visitor.actor.user_id, now)
        return RedirectResponse("/practice", status_code=303)
    if not state.config.team:
        raise NotFoundError("Invitations are for team mode.")
    # No session yet, so the permission check had no CSRF token to compare: the form has its own.
    JOIN_FORM.check(request, join_token)
    try:
        user = service.add_user(state.accounts, username, password, now, display_name=name)
    except (InvalidInputError, ConflictError) as error:
        form = {"username": username, "name": name}
        context = {"cohort": cohort, "token": token, "form": form, "error": error.message}
        return _join_page(request, context, error.status)
    state.cohorts.join(cohort.id, user.id, now)
    response = logged_in(request, state.accounts.create_session(user.id, now), "/practice")
    JOIN_FORM.clear(response)
    return response
