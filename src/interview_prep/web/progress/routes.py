"""The progress dashboard, the history of every attempt, and its export as JSON or CSV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import HTMLResponse, Response

from ...accounts.permissions import Action
from ...practice.history import HistoryFormat
from ..auth import requires
from ..practice.context import PracticeContext
from ..templating import render
from .views import dashboard_view, export, history_view

# One's own progress: a coach sees a cohort's on the cohort pages instead.
router = APIRouter(include_in_schema=False, dependencies=[Depends(requires(Action.VIEW_PROGRESS))])
NO_STORE = {"Cache-Control": "no-store"}


@router.get("/progress", response_class=HTMLResponse)
def progress_page(request: Request) -> Response:
    """Mastery per category, score trend, activity calendar, streak, reviews due (14 days)."""
    context = dashboard_view(PracticeContext.of(request))
    return render(request, "progress/dashboard.html", context, headers=NO_STORE)


@router.get("/history", response_class=HTMLResponse)
def history_page(request: Request) -> Response:
    """Every attempt, newest first, with its score, time and rating."""
    context = history_view(PracticeContext.of(request))
    return render(request, "progress/history.html", context, headers=NO_STORE)


@router.get("/history/export")
def export_history(
    request: Request,
    format: Annotated[HistoryFormat, Query(description="json or csv")] = HistoryFormat.JSON,
) -> Response:
    """Download every attempt and review."""
    text, media_type, filename = export(PracticeContext.of(request), format)
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', **NO_STORE}
    return Response(text, media_type=media_type, headers=headers)
