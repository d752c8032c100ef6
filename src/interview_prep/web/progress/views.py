"""What the progress pages show: the dashboard, the list of every attempt, and the export.

The charts are the practice core's inline SVG (:mod:`interview_prep.practice.charts`), which
escapes every text it writes; the page shows the same numbers in tables beside them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from markupsafe import Markup

from ...practice.charts import (
    activity_heatmap,
    due_bars,
    mastery_bars,
    score_line,
    short_date,
)
from ...practice.history import HistoryFormat, export_history
from ...practice.service import category_totals, history_attempts, load_progress
from ..localtime import duration, local_datetime
from ..practice.context import PracticeContext
from ..practice.sessions import session_url
from ..templating import question_url

HISTORY_LISTED = 500
"""Attempts listed on the history page, newest first; the export has them all."""
MEDIA_TYPES = {
    HistoryFormat.JSON: "application/json",
    HistoryFormat.CSV: "text/csv; charset=utf-8",
}


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def dashboard_view(ctx: PracticeContext) -> dict[str, Any]:
    """Mastery per category, the score trend, activity, the streak and reviews coming due."""
    progress = load_progress(
        ctx.store, ctx.user_id, category_totals(ctx.records), ctx.now(), ctx.zone
    )
    active_days = [day for day in reversed(progress.activity) if day.count]
    return {
        "progress": progress,
        # Trusted: the chart functions escape every category name and label they write.
        "charts": {
            "mastery": Markup(mastery_bars(progress.mastery)),
            "trend": Markup(score_line(progress.trend)),
            "activity": Markup(activity_heatmap(progress.activity)),
            "due": Markup(due_bars(progress.due)),
        },
        "mastery_rows": [
            {
                "category": item.category,
                "percent": round(item.mastery * 100),
                "seen": item.seen,
                "total": item.total,
            }
            for item in progress.mastery
        ],
        "trend_rows": [
            {"day": _day(point.day), "mean": f"{point.mean_score:.1f}", "answers": point.attempts}
            for point in reversed(progress.trend)
        ],
        "active_rows": [{"day": _day(day.day), "count": day.count} for day in active_days],
        "active_days": len(active_days),
        "due_rows": [
            {
                "day": _day(day.day),
                "weekday": f"{day.day:%a}",
                "short": short_date(day.day),
                "count": day.count,
            }
            for day in progress.due
        ],
        "due_total": sum(day.count for day in progress.due),
        "due_today": progress.due[0].count if progress.due else 0,
        "graded": sum(point.attempts for point in progress.trend),
        "active_nav": "progress",
    }


def history_view(ctx: PracticeContext) -> dict[str, Any]:
    """Every attempt, newest first (up to :data:`HISTORY_LISTED`), with its question."""
    attempts = ctx.store.attempts(ctx.user_id)
    ratings = {
        entry.attempt_id: entry.rating
        for entry in ctx.store.review_logs(ctx.user_id)
        if entry.attempt_id is not None
    }
    rows = []
    for attempt in list(reversed(attempts))[:HISTORY_LISTED]:
        ref = attempt.question
        record = ctx.questions.by_key.get((ref.bank_id, ref.question_id))
        rows.append(
            {
                "attempt": attempt,
                "question_text": record.question.question if record else ref.key,
                "question_url": question_url(ref.bank_id, ref.question_id),
                "when": local_datetime(attempt.submitted_at, ctx.zone),
                "score_text": "–" if attempt.score is None else f"{attempt.score:.1f}",
                "time_text": duration(attempt.time_taken_s),
                "rating": ratings.get(attempt.id),
                "session_url": session_url(attempt.session_id) if attempt.session_id else None,
            }
        )
    return {
        "rows": rows,
        "total": len(attempts),
        "more": max(0, len(attempts) - HISTORY_LISTED),
        "active_nav": "progress",
    }


def export(ctx: PracticeContext, fmt: HistoryFormat) -> tuple[str, str, str]:
    """Every attempt and review as ``(text, media type, file name)``."""
    now = ctx.now()
    text = export_history(
        history_attempts(ctx.store, ctx.user_id),
        ctx.store.review_logs(ctx.user_id),
        fmt,
        exported_at=now,
    )
    filename = f"interview-prep-history-{now.astimezone(ctx.zone):%Y-%m-%d}.{fmt.value}"
    return text, MEDIA_TYPES[fmt], filename
