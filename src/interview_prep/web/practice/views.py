"""What the practice pages show: the set-up, a question with its clock, feedback, the summary,
and a question's past attempts.

Each function turns practice records into a template context. The candidate's answer is user
text: it reaches HTML only through :func:`markupsafe.escape`, with ``<mark>`` added around the
passages the grader matched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import tzinfo
from typing import Any

from markupsafe import Markup, escape

from ...domain.questions import Difficulty, Question
from ...practice.attempts import Attempt, QuestionRef
from ...practice.feedback import (
    Feedback,
    KeyPointResult,
    KeyPointStatus,
    highlight,
    read_feedback,
)
from ...practice.queue import QueueReason
from ...practice.replay import replay
from ...practice.scheduling import Rating
from ...practice.service import ref_of
from ...practice.sessions import (
    MAX_QUESTIONS,
    ItemStatus,
    PracticeSession,
    SessionItem,
    SessionMode,
    SessionOrder,
)
from ...practice.store import PracticeStore
from ...storage.records import QuestionRecord
from ..localtime import duration, local_datetime
from .context import PracticeContext
from .sessions import session_url
from .setup import (
    DEFAULT_TIME_LIMIT_S,
    SetupForm,
    current_session,
    plan_of,
    todays,
    unfinished,
)

RATING_HINTS = {
    Rating.AGAIN: "Could not answer, or got it wrong",
    Rating.HARD: "Answered, with real effort or gaps",
    Rating.GOOD: "Answered well",
    Rating.EASY: "Answered at once, nothing missing",
}
QUEUE_LISTED = 12


def plan_view(ctx: PracticeContext) -> dict[str, Any] | None:
    """The interview date's countdown and what is left to cover, if the visitor set one."""
    day = plan_of(ctx)
    if day is None:
        return None
    by_key = ctx.questions.by_key
    left = [by_key.get((ref.bank_id, ref.question_id)) for ref in day.left_to_cover]
    return {
        "day": day,
        "date_text": f"{day.plan.interview_on:%a} {day.plan.interview_on.day} "
        f"{day.plan.interview_on:%b %Y}",
        "scope": next((b.title for b in ctx.banks if b.id == day.plan.bank), "every bank"),
        "left": [record for record in left if record is not None][:PLAN_LISTED],
        "more_left": max(0, len(day.left_to_cover) - PLAN_LISTED),
    }


PLAN_LISTED = 10


def setup_view(
    ctx: PracticeContext,
    form: SetupForm | None = None,
    error: str | None = None,
    *,
    plan_error: str | None = None,
    plan_typed: str = "",
) -> dict[str, Any]:
    """The practice page: the set-up form, today's queue, the sessions to resume, and the
    interview date."""
    form = form or SetupForm()
    if form.mode not in {mode.value for mode in SessionMode}:
        form = replace(form, mode=SessionMode.DRILL.value)
    if form.order not in {order.value for order in SessionOrder}:
        form = replace(form, order=SessionOrder.SCHEDULE.value)
    queue = todays(ctx)
    by_key = ctx.questions.by_key
    listed = [
        (item, by_key.get((item.question.bank_id, item.question.question_id)))
        for item in queue.items[:QUEUE_LISTED]
    ]
    categories: dict[str, list[str]] = {}
    for bank in ctx.banks:
        for name in bank.categories:
            categories.setdefault(name, []).append(bank.id)
    resumable = [
        {
            "session": session,
            "url": session_url(session),
            "answered": session.answered_count,
            "to_rate": sum(
                1
                for item in session.items
                if item.submitted_at is not None and not item.rating and item.follow_up is None
            ),
            "started": local_datetime(session.created_at, ctx.zone),
        }
        for session in unfinished(ctx)
    ]
    return {
        "form": form,
        "error": error,
        "banks": ctx.banks,
        "categories": categories,
        "difficulties": [level.value for level in Difficulty],
        "tags": sorted({tag for bank in ctx.banks for tag in bank.tags}),
        "orders": [
            (SessionOrder.SCHEDULE.value, "Due first", "reviews due, then new questions"),
            (
                SessionOrder.WEAKEST.value,
                "My weakest",
                "the lowest mastery first, due or not",
            ),
        ],
        "modes": [
            (SessionMode.DRILL.value, "Drill", "feedback after each answer"),
            (SessionMode.INTERVIEW.value, "Interview", "feedback at the end, like the real thing"),
        ],
        "queue": queue,
        "review_count": queue.due_count,
        "new_count": queue.count(QueueReason.NEW),
        "new_per_day": ctx.settings.new_per_day,
        "listed": listed,
        "more_listed": max(0, len(queue.items) - QUEUE_LISTED),
        "resumable": resumable,
        "plan": plan_view(ctx),
        "plan_error": plan_error,
        "plan_typed": plan_typed,
        "plan_count": queue.count(QueueReason.PLAN),
        "active_nav": "practice",
    }


def practise_view(
    ctx: PracticeContext, record: QuestionRecord, error: str | None = None
) -> dict[str, Any]:
    """ "Practise this": a one-question drill, or the question added to the current session."""
    current = current_session(ctx)
    ref = ref_of(record)
    return {
        "record": record,
        "question": record.question,
        "key": ref.key,
        "error": error,
        "time_limit": DEFAULT_TIME_LIMIT_S,
        "current": current,
        "current_url": session_url(current) if current else "",
        "current_has_it": current is not None
        and any(item.question == ref for item in current.items),
        "current_answered": current.answered_count if current else 0,
        "current_started": local_datetime(current.created_at, ctx.zone) if current else "",
        "active_nav": "practice",
    }


def _progress(session: PracticeSession, index: int) -> dict[str, Any]:
    numbers = session.question_numbers()
    return {
        "session": session,
        "index": index,
        "number": numbers[index],
        "numbers": numbers,
        "total": session.question_count,
        "is_follow_up": session.items[index].follow_up is not None,
        "drill": session.config.mode is SessionMode.DRILL,
        "session_url": session_url(session),
        "active_nav": "practice",
    }


def question_view(
    ctx: PracticeContext, session: PracticeSession, index: int, record: QuestionRecord
) -> dict[str, Any]:
    """The question being answered, its draft and its clock (as the server keeps it)."""
    item = session.items[index]
    deadline = session.deadline(index)
    remaining = session.remaining_s(ctx.now()) if deadline is not None else None
    return {
        **_progress(session, index),
        "item": item,
        "record": record,
        "question": ctx.question_of(item),
        "parent_question": record.question,
        "limit_s": session.config.time_limit_s,
        "remaining_s": remaining,
        "remaining_text": duration(remaining) if remaining is not None else "",
        "deadline_text": local_datetime(deadline, ctx.zone, seconds=True) if deadline else "",
        "deadline_iso": deadline.isoformat() if deadline else "",
    }


@dataclass(frozen=True)
class NumberedPoint:
    number: int
    point: KeyPointResult


def highlighted_answer(answer: str, feedback: Feedback) -> Markup:
    """The candidate's answer, escaped, with the passages that cover key points in ``<mark>``
    (numbered as in the key point lists) and the sentences that state a misconception marked
    as wrong instead (a wrong sentence covers no key point, whatever its topic)."""
    points = list(feedback.key_points)
    # Misconception sentences ride along as extra "points" so that one pass cuts the text.
    for claim in feedback.misconceptions:
        if claim.span is not None:
            points.append(
                KeyPointResult(
                    text=claim.claim, weight=0.0, status=KeyPointStatus.MISSED, spans=(claim.span,)
                )
            )
    count = len(feedback.key_points)
    html = Markup()
    for segment in highlight(answer, points):
        text = escape(segment.text)
        covered = [i for i in segment.key_points if i < count]
        wrong = [i for i in segment.key_points if i >= count]
        if wrong:
            claims = "; ".join(points[i].text for i in wrong)
            html += Markup('<mark class="said-wrong" title="Misconception: {0}">{1}</mark>').format(
                claims, text
            )
        elif covered:
            partial = all(points[i].status is KeyPointStatus.PARTIAL for i in covered)
            numbers = ",".join(str(i + 1) for i in covered)
            title = "; ".join(f"Key point {i + 1}: {points[i].text}" for i in covered)
            html += Markup(
                '<mark class="kp {0}" title="{1}">{2}<sup class="kp-ref">{3}</sup></mark>'
            ).format("kp-partial" if partial else "kp-covered", title, text, numbers)
        else:
            html += text
    return html


def _ratings(suggested: Rating | None, chosen: Rating | None) -> list[dict[str, Any]]:
    return [
        {
            "value": rating.value,
            "label": rating.label,
            "hint": RATING_HINTS[rating],
            "suggested": rating is suggested,
            "chosen": rating is chosen,
        }
        for rating in Rating
    ]


def answer_feedback(
    session: PracticeSession, item: SessionItem, question: Question
) -> dict[str, Any]:
    """What the feedback on one answer shows (a question's, or a follow-up's): the score, the
    answer highlighted beside the model answer, and the key points by how they fared."""
    feedback = read_feedback(item.grade)
    numbered = [NumberedPoint(n, point) for n, point in enumerate(feedback.key_points, start=1)]
    return {
        "item": item,
        "question": question,
        "feedback": feedback,
        "answer_html": highlighted_answer(item.answer, feedback),
        "covered": [p for p in numbered if p.point.status is KeyPointStatus.COVERED],
        "partial": [p for p in numbered if p.point.status is KeyPointStatus.PARTIAL],
        "missed": [p for p in numbered if p.point.status is KeyPointStatus.MISSED],
        "time_taken": duration(item.time_taken_s),
        "limit_text": duration(session.config.time_limit_s) if session.config.time_limit_s else "",
        "score_text": "–" if feedback.score is None else f"{feedback.score:.1f}",
        "score_percent": 0 if feedback.score is None else round(feedback.score / 5 * 100),
    }


def feedback_view(
    ctx: PracticeContext, session: PracticeSession, index: int, record: QuestionRecord
) -> dict[str, Any]:
    """One answer's feedback: score, highlighted answer beside the model answer, key points,
    misconceptions, its follow-up's feedback when one was asked, and the rating buttons with
    the suggested one marked."""
    item = session.items[index]
    main = answer_feedback(session, item, record.question)
    feedback = main["feedback"]
    suggested = item.suggested or feedback.suggested
    follow_up = session.follow_up_of(index)
    return {
        **_progress(session, index),
        **main,
        "main": main,
        "record": record,
        "follow_up": answer_feedback(session, follow_up, ctx.question_of(follow_up))
        if follow_up is not None and follow_up.status is not ItemStatus.SKIPPED
        else None,
        "follow_up_skipped": ctx.question_of(follow_up)
        if follow_up is not None and follow_up.status is ItemStatus.SKIPPED
        else None,
        "can_follow_up": session.config.mode is SessionMode.DRILL
        and session.can_follow_up(index)
        and bool(ctx.follow_ups(item.question)),
        "suggested": suggested,
        "ratings": _ratings(suggested, item.rating),
        "rated": item.rating is not None,
        "cram": session.config.cram,
        "crammed": item.crammed_at is not None,
        "can_retry": session.config.mode is SessionMode.DRILL
        and item.status is ItemStatus.GRADED
        and len(session.items) < MAX_QUESTIONS,
        "finished": session.is_finished,
        "summary_url": f"{session_url(session)}/summary",
    }


def feedback_url(session: PracticeSession, index: int) -> str:
    """Where answer ``index``'s feedback is: a follow-up's is on its parent's page."""
    parent = session.parent_of(index)
    if parent is None:
        return f"{session_url(session)}/questions/{index + 1}"
    return f"{session_url(session)}/questions/{session.index_of(parent) + 1}#follow-up"


def summary_view(
    ctx: PracticeContext, session: PracticeSession, records: list[QuestionRecord]
) -> dict[str, Any]:
    """The end-of-session table. In interview mode, scores stay hidden until every question is
    answered, as the feedback does."""
    summary = session.summary()
    numbers = session.question_numbers()
    rows = []
    for index, (row, record) in enumerate(zip(summary.items, records, strict=True)):
        # A skipped question has no feedback, and nothing to hide until the end either.
        visible = session.feedback_ready(index) or row.skipped
        rows.append(
            {
                "number": numbers[index],
                "row": row,
                "record": record,
                "follow_up": ctx.question_of(session.items[index]) if row.follow_up else None,
                "visible": visible,
                "score_text": "skipped"
                if row.skipped
                else "–"
                if row.score is None or not visible
                else f"{row.score:.1f}",
                "time_text": duration(row.time_taken_s),
                "feedback_url": feedback_url(session, index)
                if visible and not row.skipped
                else None,
            }
        )
    return {
        "session": session,
        "cram": session.config.cram,
        "question_count": session.question_count,
        "summary": summary,
        "rows": rows,
        "finished": session.is_finished,
        "all_visible": all(row["visible"] for row in rows),
        "mean_text": "–" if summary.mean_score is None else f"{summary.mean_score:.1f}",
        "total_time": duration(summary.total_time_s),
        "started": local_datetime(session.created_at, ctx.zone),
        "session_url": session_url(session),
        "drill": session.config.mode is SessionMode.DRILL,
        "active_nav": "practice",
    }


def replay_view(
    ctx: PracticeContext, session: PracticeSession, records: list[QuestionRecord]
) -> dict[str, Any]:
    """A past session again: each answer as given, its grade and feedback, and what changed
    since the previous attempt at the question. Feedback that the session itself still hides
    (interview mode, before the end) stays hidden here too."""
    entries = []
    numbers = session.question_numbers()
    for entry, record in zip(
        replay(
            session,
            ctx.store.attempts(ctx.user_id),
            ctx.store.follow_up_attempts(ctx.user_id),
        ),
        records,
        strict=True,
    ):
        index = entry.number - 1
        change = entry.change
        entries.append(
            {
                "entry": entry,
                "number": numbers[index],
                "record": record,
                "follow_up": ctx.question_of(entry.item) if entry.item.follow_up else None,
                "visible": session.feedback_ready(index),
                "answer_html": highlighted_answer(entry.item.answer, entry.feedback),
                "score_text": "–"
                if entry.feedback.score is None
                else f"{entry.feedback.score:.1f}",
                "change_text": ""
                if change is None or change.score_change is None
                else f"{change.score_change:+.1f}",
                "previous_when": local_datetime(change.previous.submitted_at, ctx.zone)
                if change is not None
                else "",
                "previous_score": ""
                if change is None or change.previous.score is None
                else f"{change.previous.score:.1f}",
                "feedback_url": feedback_url(session, index),
            }
        )
    return {
        "session": session,
        "question_count": session.question_count,
        "entries": entries,
        "started": local_datetime(session.created_at, ctx.zone),
        "session_url": session_url(session),
        "drill": session.config.mode is SessionMode.DRILL,
        "cram": session.config.cram,
        "active_nav": "practice",
    }


def _attempt_row(attempt: Attempt, zone: tzinfo, rating: Rating | None = None) -> dict[str, Any]:
    feedback = read_feedback(attempt.grade)
    return {
        "attempt": attempt,
        "when": local_datetime(attempt.submitted_at, zone),
        "score_text": "not graded" if attempt.score is None else f"{attempt.score:.1f}",
        "label": feedback.label,
        "time_text": duration(attempt.time_taken_s),
        "rating": rating,
        "session_url": session_url(attempt.session_id) if attempt.session_id else None,
        "weakest": [point.text for point in feedback.weakest(3)],
        "follow_ups": [],
    }


def attempts_view(
    store: PracticeStore,
    user_id: str,
    ref: QuestionRef,
    zone: tzinfo,
    follow_up_text: Callable[[str], str] | None = None,
) -> list[Any]:
    """A question's attempts, newest first, each with its score, time, rating and answer, and
    under it the follow-ups answered after it in its session.

    ``follow_up_text`` gives a follow-up's question from its id; without it, follow-ups are left
    out (it is called only when there are some, since it may read the follow-up file).
    """
    attempts = store.attempts(user_id, ref)
    if not attempts:
        return []
    ratings = {
        entry.attempt_id: entry.rating
        for entry in store.review_logs(user_id, ref)
        if entry.attempt_id is not None
    }
    rows = [_attempt_row(attempt, zone, ratings.get(attempt.id)) for attempt in attempts]
    if follow_up_text is not None:
        for answer in store.follow_up_attempts(user_id, ref):
            # Its parent answer: the latest one before it in the same session.
            parents = [
                row
                for row in rows
                if row["attempt"].session_id == answer.session_id
                and row["attempt"].submitted_at <= answer.submitted_at
            ]
            if parents and answer.follow_up is not None:
                row = _attempt_row(answer, zone)
                row["question"] = follow_up_text(answer.follow_up)
                parents[-1]["follow_ups"].append(row)
    return list(reversed(rows))


def question_practice(
    store: PracticeStore,
    user_id: str,
    record: QuestionRecord,
    zone: tzinfo,
    follow_up_text: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """The question page's "Your attempts" section and the question's next review."""
    ref = ref_of(record)
    attempts = attempts_view(store, user_id, ref, zone, follow_up_text)
    state = store.card_state(user_id, ref) if attempts else None
    return {
        "attempts": attempts,
        "next_review": local_datetime(state.due, zone) if state else "",
    }
