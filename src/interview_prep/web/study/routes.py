"""The study pages: the banks, a bank's questions, and one question with the visitor's attempts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ...accounts.permissions import Action
from ...storage import repository
from ..auth import actor_of, requires
from ..localtime import visitor_zone
from ..practice.views import question_practice
from ..templating import bank_url, render, render_text, shared_context
from .views import Filters, bank_view, question_view

router = APIRouter(include_in_schema=False)


def _is_htmx(request: Request) -> bool:
    # A history restore wants the whole page, not the fragment.
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-history-restore-request") != "true"
    )


@router.get("/", response_class=HTMLResponse, dependencies=[Depends(requires(Action.VIEW_BANKS))])
def home(request: Request) -> Response:
    """Every bank, with its question count, categories and description."""
    banks = request.app.state.banks.all()
    return render(request, "home.html", {"banks": banks, "active_nav": "banks"})


@router.get(
    "/banks/{bank_id}",
    response_class=HTMLResponse,
    dependencies=[Depends(requires(Action.VIEW_BANKS))],
)
def bank_page(
    request: Request,
    bank_id: str,
    q: str | None = None,
    category: str | None = None,
    difficulty: str | None = None,
    tag: str | None = None,
) -> Response:
    """A bank's questions grouped by category, filtered and searched; with ``HX-Request``, only
    the results (and the status line, out of band)."""
    summary = request.app.state.banks.get(bank_id)
    filters = Filters.parse(q, category, difficulty, tag)
    canonical = bank_url(summary.id, **filters.as_query())
    fragment = _is_htmx(request)
    if not fragment and any(not value.strip() for value in request.query_params.values()):
        # A form submitted without JavaScript sends empty fields; keep shared URLs short.
        return RedirectResponse(canonical, status_code=303)

    def page() -> str:
        context: dict[str, Any] = {
            **bank_view(request.app.state.db, summary, filters),
            "active_nav": "banks",
            "oob": fragment,
        }
        return render_text(
            "_results.html" if fragment else "bank.html", {**context, **shared_context(request)}
        )

    if filters.q:
        # Search text is open-ended; caching it would only fill the cache.
        html = page()
    else:
        html = request.app.state.pages.get_or_render(summary, (filters, fragment), page)
    headers = {"Vary": "HX-Request"}
    if fragment:
        headers["HX-Replace-Url"] = canonical
    return HTMLResponse(html, headers=headers)


@router.get(
    "/questions/{question_id:path}",
    response_class=HTMLResponse,
    dependencies=[Depends(requires(Action.VIEW_BANKS))],
)
def question_page(request: Request, question_id: str, bank: str | None = None) -> Response:
    """One question: model answer, key points, misconceptions, errata, links and neighbours,
    and the visitor's attempts at it.

    ``question_id`` is an id, or ``bank/id`` when the id is in several banks.
    """
    db = request.app.state.db
    record = repository.get_question(db, question_id, bank=bank or None)
    summary = request.app.state.banks.get(record.bank_id)

    def follow_up_text(follow_up_id: str) -> str:
        from ...catalog import follow_up_items  # reads the follow-up file on first use

        for item in follow_up_items(db, summary).get(record.id, ()):
            if item.id == follow_up_id:
                return item.question
        return f"a follow-up no longer in the bank ({follow_up_id})"

    practice = question_practice(
        request.app.state.practice,
        actor_of(request).user_id,
        record,
        visitor_zone(request),
        follow_up_text,
    )

    def page() -> str:
        return render_text(
            "question.html",
            {**question_view(db, record, summary), **practice, **shared_context(request)},
        )

    if practice["attempts"]:
        # The visitor's own history changes with every answer: not for the shared cache.
        return HTMLResponse(page(), headers={"Cache-Control": "no-store"})
    html = request.app.state.pages.get_or_render(summary, ("question", record.ref), page)
    return HTMLResponse(html)
