"""Export every attempt and review: JSON for programs, CSV for spreadsheets.

Columns and keys come in one fixed order, so exports diff cleanly and scripts can rely on them.
The JSON keeps each attempt's full grade; the CSV keeps its score and label only, one row per
attempt or review (``record`` tells which), sorted by time.
"""

from __future__ import annotations

import csv
import enum
import io
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from .attempts import Attempt
from .clock import format_utc, utc_now
from .scheduling import ReviewLogEntry

FORMAT = "interview-prep/history"
FORMAT_VERSION = 1


class HistoryFormat(enum.StrEnum):
    JSON = "json"
    CSV = "csv"


CSV_COLUMNS: tuple[str, ...] = (
    "record",
    "id",
    "at",
    "bank",
    "question",
    "follow_up",
    "category",
    "session_id",
    "source",
    "started_at",
    "time_taken_s",
    "timed_out",
    "score",
    "label",
    "answer",
    "attempt_id",
    "rating",
    "suggested_rating",
    "phase_before",
    "due_before",
    "due_after",
    "duration_ms",
)


def _attempt_row(attempt: Attempt) -> dict[str, Any]:
    grade = attempt.grade or {}
    taken = attempt.time_taken_s
    return {
        "record": "attempt",
        "id": attempt.id,
        "at": format_utc(attempt.submitted_at),
        "bank": attempt.question.bank_id,
        "question": attempt.question.question_id,
        "follow_up": attempt.follow_up or "",
        "category": attempt.category,
        "session_id": attempt.session_id or "",
        "source": attempt.source.value,
        "started_at": format_utc(attempt.started_at) if attempt.started_at else "",
        "time_taken_s": f"{taken:.1f}" if taken is not None else "",
        "timed_out": "true" if attempt.timed_out else "false",
        "score": "" if attempt.score is None else f"{attempt.score:g}",
        "label": grade.get("label") or "",
        "answer": attempt.answer,
    }


def _review_row(entry: ReviewLogEntry) -> dict[str, Any]:
    return {
        "record": "review",
        "id": entry.id,
        "at": format_utc(entry.reviewed_at),
        "bank": entry.question.bank_id,
        "question": entry.question.question_id,
        "attempt_id": entry.attempt_id or "",
        "rating": entry.rating.value,
        "suggested_rating": entry.suggested.value if entry.suggested else "",
        "phase_before": entry.phase_before.value if entry.phase_before else "new",
        "due_before": format_utc(entry.due_before) if entry.due_before else "",
        "due_after": format_utc(entry.due_after),
        "duration_ms": "" if entry.duration_ms is None else str(entry.duration_ms),
    }


def history_to_csv(attempts: Iterable[Attempt], reviews: Iterable[ReviewLogEntry]) -> str:
    """One CSV table of attempts and reviews in time order, with :data:`CSV_COLUMNS`."""
    rows = [_attempt_row(a) for a in attempts] + [_review_row(r) for r in reviews]
    # An attempt sorts before the review of it made in the same instant.
    rows.sort(key=lambda row: (row["at"], row["record"] != "attempt", row["id"]))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: neutralise_formula(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...) can send
# the sheet's contents elsewhere). OWASP's advice: prefix such a cell with an apostrophe, which
# the spreadsheet shows as text and hides.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise_formula(value: object) -> object:
    """A CSV cell that a spreadsheet will show as text, never run as a formula.

    Numbers stay numbers: a negative number is not text a formula can hide in.
    """
    if not isinstance(value, str) or not value.startswith(_FORMULA_STARTS):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value


def history_to_json(
    attempts: Iterable[Attempt],
    reviews: Iterable[ReviewLogEntry],
    *,
    exported_at: datetime | None = None,
) -> str:
    """A JSON document ``{"format", "format_version", "exported_at", "attempts", "reviews"}``."""
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": format_utc(exported_at or utc_now()),
        "attempts": [a.to_dict() for a in sorted(attempts, key=lambda a: a.submitted_at)],
        "reviews": [r.to_dict() for r in sorted(reviews, key=lambda r: r.reviewed_at)],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def export_history(
    attempts: Iterable[Attempt],
    reviews: Iterable[ReviewLogEntry],
    fmt: HistoryFormat | str,
    *,
    exported_at: datetime | None = None,
) -> str:
    """Export as ``json`` or ``csv``.

    Raises:
        ValueError: an unknown format.
    """
    try:
        chosen = HistoryFormat(str(fmt).lower())
    except ValueError:
        raise ValueError(f"unknown history format {fmt!r}: use json or csv") from None
    if chosen is HistoryFormat.CSV:
        return history_to_csv(attempts, reviews)
    return history_to_json(attempts, reviews, exported_at=exported_at)
