"""The practice loop as a few calls that the web pages and the terminal share.

Each function takes the store and the session, does one step, and saves what changed, so a web
handler or a CLI prompt is a parse, one call and a render. The order of writes is the point:
an answer is saved as an attempt *before* the grader runs, and a rating reaches FSRS and the
review log before the session is marked rated.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any, Protocol

from ..domain.questions import Question
from ..errors import InvalidInputError, NotFoundError
from .attempts import AnswerSource, Attempt, QuestionRef
from .clock import local_date, require_utc
from .follow_ups import choose_follow_up
from .mastery import masteries
from .plan import InterviewPlan, PlanDay, check_interview_date, plan_day
from .progress import Progress, compute_progress
from .queue import Candidate, DailyQueue, QueueFilter, build_queue, candidates_from
from .scheduling import CardState, Rating, make_scheduler, schedule
from .selection import weakest
from .sessions import (
    PracticeSession,
    SessionConfig,
    SessionItem,
    SessionMode,
    SessionOrder,
    SessionStateError,
)
from .store import PracticeStore

Grader = Callable[[Question, str], dict[str, Any]]
"""Grades an answer to a question and returns the result as a dict (``GradeResult.to_dict()``)."""


class QuestionRecordLike(Protocol):
    """A question with its bank, as ``interview_prep.storage`` lists them."""

    @property
    def bank_id(self) -> str: ...
    @property
    def question(self) -> Question: ...


def ref_of(record: QuestionRecordLike) -> QuestionRef:
    return QuestionRef(record.bank_id, record.question.id)


@dataclass(frozen=True)
class PracticeSettings:
    """The spaced-repetition settings (``new_per_day``, ``desired_retention``)."""

    new_per_day: int = 5
    desired_retention: float = 0.9
    fuzz: bool = True

    @classmethod
    def from_config(cls, config: Any) -> PracticeSettings:
        """Read them from :class:`interview_prep.settings.Config`."""
        return cls(
            new_per_day=int(config.new_per_day),
            desired_retention=float(config.desired_retention),
        )


def todays_queue(
    store: PracticeStore,
    user_id: str,
    records: Sequence[QuestionRecordLike],
    now: datetime,
    *,
    settings: PracticeSettings = PracticeSettings(),
    tz: tzinfo = UTC,
    where: QueueFilter | None = None,
    limit: int | None = None,
    fill: bool = False,
) -> DailyQueue:
    """Today's queue over ``records`` (every question, in bank order; see :func:`build_queue`),
    with what the user's interview date asks of today, if they set one."""
    candidates = _candidates(store, user_id, records)
    plan = plan_today(store, user_id, records, now, tz=tz, candidates=candidates)
    return build_queue(
        candidates,
        now,
        new_per_day=settings.new_per_day,
        tz=tz,
        where=where,
        limit=limit,
        fill=fill,
        planned=plan.items if plan is not None else (),
    )


def plan_today(
    store: PracticeStore,
    user_id: str,
    records: Sequence[QuestionRecordLike],
    now: datetime,
    *,
    tz: tzinfo = UTC,
    candidates: Sequence[Candidate] | None = None,
) -> PlanDay | None:
    """Where the user's interview plan stands today (see :mod:`.plan`); ``None`` without one."""
    plan = store.interview_plan(user_id)
    if plan is None:
        return None
    attempts = store.attempts(user_id)
    last: dict[QuestionRef, datetime] = {}
    for attempt in attempts:  # oldest first: the last one wins
        last[attempt.question] = attempt.submitted_at
    return plan_day(
        plan,
        candidates if candidates is not None else _candidates(store, user_id, records),
        masteries(attempts, store.card_states(user_id), now),
        last,
        now,
        tz,
    )


def set_interview_date(
    store: PracticeStore,
    user_id: str,
    plan: InterviewPlan | None,
    now: datetime,
    *,
    tz: tzinfo = UTC,
) -> None:
    """Set the user's interview date and scope (``None``: clear it).

    Raises:
        InvalidInputError: a date that is not after today, or more than a year ahead.
    """
    if plan is not None:
        check_interview_date(plan.interview_on, local_date(require_utc(now, "now"), tz))
    store.save_interview_plan(user_id, plan)


def _candidates(
    store: PracticeStore, user_id: str, records: Sequence[QuestionRecordLike]
) -> list[Candidate]:
    return candidates_from(
        [(ref_of(r), r.question.category, r.question.difficulty.value) for r in records],
        store.card_states(user_id),
        store.first_seen(user_id),
        {ref_of(r): tuple(r.question.tags) for r in records},
    )


def session_filter(
    config: SessionConfig, searched: Collection[QuestionRef] | None = None
) -> QueueFilter:
    """The pool a session draws from: its filters, its question list and its search's hits.

    Raises:
        InvalidInputError: a question list with a malformed entry.
    """
    pool: frozenset[QuestionRef] | None = None
    if config.questions:
        try:
            pool = frozenset(QuestionRef.parse(key) for key in config.questions)
        except ValueError as error:
            raise InvalidInputError(str(error)) from None
    if searched is not None:
        hits = frozenset(searched)
        pool = hits if pool is None else pool & hits
    return QueueFilter(config.bank, config.categories, config.difficulty, config.tags, pool)


def start_session(
    store: PracticeStore,
    user_id: str,
    config: SessionConfig,
    records: Sequence[QuestionRecordLike],
    now: datetime,
    *,
    settings: PracticeSettings = PracticeSettings(),
    tz: tzinfo = UTC,
    searched: Collection[QuestionRef] | None = None,
) -> PracticeSession:
    """Create and save a session over the questions the config chooses.

    By schedule: due reviews, then new questions, then extra practice. By weakest: the
    answered questions of lowest mastery first, due or not.

    Args:
        searched: the questions the config's ``search`` found (the caller searches); ``None``
            when it has no search.

    Raises:
        InvalidInputError: no question matches the session's choice.
    """
    where = session_filter(config, searched)
    if config.order is SessionOrder.WEAKEST:
        items = weakest(
            _candidates(store, user_id, records),
            masteries(store.attempts(user_id), store.card_states(user_id), now),
            where=where,
            limit=config.count,
        )
        if not items:
            raise InvalidInputError(
                "none of these questions has a graded answer yet: 'my weakest' ranks the "
                "questions you have practised"
            )
    else:
        items = todays_queue(
            store,
            user_id,
            records,
            now,
            settings=settings,
            tz=tz,
            where=where,
            limit=config.count,
            fill=True,
        ).items
    chosen = [(item.question, item.candidate.category) for item in items]
    session = PracticeSession.create(config, chosen, now, user_id=user_id)
    store.save_session(session)
    return session


def start_drill(
    store: PracticeStore,
    user_id: str,
    record: QuestionRecordLike,
    now: datetime,
    *,
    time_limit_s: int | None = None,
) -> PracticeSession:
    """Create and save a one-question drill on ``record`` ("Practise this")."""
    config = SessionConfig(
        bank=record.bank_id, count=1, time_limit_s=time_limit_s, mode=SessionMode.DRILL
    )
    chosen = [(ref_of(record), record.question.category)]
    session = PracticeSession.create(config, chosen, now, user_id=user_id)
    store.save_session(session)
    return session


def add_to_session(
    store: PracticeStore, user_id: str, session_id: str, record: QuestionRecordLike
) -> PracticeSession:
    """Add ``record`` at the end of an unfinished session of the user, and save it.

    Raises:
        NotFoundError: the user has no such session.
        SessionStateError: the session is finished, already has the question, or is full.
        StaleWriteError: another request moved the session on meanwhile; nothing is written.
    """
    session = store.load_session(user_id, session_id)
    if session is None:
        raise NotFoundError("There is no practice session at this address.")
    if session.is_finished:
        raise SessionStateError("this session is finished: start a new one")
    session.add_question(ref_of(record), record.question.category)
    store.save_session(session)
    return session


def _attempt(session: PracticeSession, item: SessionItem) -> Attempt:
    assert item.submitted_at is not None and item.attempt_id is not None
    return Attempt(
        id=item.attempt_id,
        user_id=session.user_id,
        question=item.question,
        category=item.category,
        answer=item.answer,
        submitted_at=item.submitted_at,
        started_at=item.started_at,
        source=item.source,
        timed_out=item.timed_out,
        session_id=session.id,
        session_item=session.index_of(item),
        cram=session.config.cram,
        follow_up=item.follow_up,
    )


def submit_answer(
    store: PracticeStore,
    session: PracticeSession,
    answer: str,
    now: datetime,
    *,
    source: AnswerSource = AnswerSource.TYPED,
) -> int:
    """Submit the current answer and save it as an ungraded attempt; returns its item index.

    Raises:
        SessionStateError: no question is being answered.
    """
    item = session.submit(answer, now, source=source)
    store.save_attempt_before_grading(_attempt(session, item), session)
    return session.index_of(item)


def close_crammed(
    store: PracticeStore, session: PracticeSession, index: int, now: datetime
) -> SessionItem:
    """Move on from a crammed answer's feedback: nothing reaches FSRS or the review log.

    Raises:
        SessionStateError: not a cram session, or the feedback is not shown yet.
    """
    item = session.close_cram(index, now)
    store.save_session(session)
    return item


def skip_question(store: PracticeStore, session: PracticeSession, now: datetime) -> int:
    """Pass over the current question unanswered (no attempt, no review); returns its index.

    Raises:
        SessionStateError: every question is answered already.
    """
    item = session.skip(now)
    store.save_session(session)
    return session.index_of(item)


def retry_answer(store: PracticeStore, session: PracticeSession, index: int) -> int:
    """Answer question ``index`` again at once; returns the new item's index.

    The first answer stays saved with its grade, unrated: FSRS sees the last try's rating.

    Raises:
        SessionStateError: the answer cannot be retried now (see ``PracticeSession.retry``).
    """
    again = session.retry(index)
    store.save_session(session)
    return session.index_of(again)


def expire_overdue(store: PracticeStore, session: PracticeSession, now: datetime) -> int | None:
    """Submit the current draft if its time ran out unattended; returns its index, if any."""
    item = session.expire(now)
    if item is None:
        return None
    store.save_attempt_before_grading(_attempt(session, item), session)
    return session.index_of(item)


def grade_answer(
    store: PracticeStore,
    session: PracticeSession,
    index: int,
    question: Question,
    grader: Grader,
    *,
    follow_ups: Sequence[Question] = (),
) -> SessionItem:
    """Grade a submitted answer and keep the result on the attempt and in the session.

    In interview mode, with the question's ``follow_ups``, the interviewer's follow-up is asked
    as the grade is kept, in the same write (see :func:`ask_follow_up`).

    If the grader fails, the attempt stays saved and ungraded; call again to retry.
    """
    item = session.items[index]
    if item.attempt_id is None:
        raise NotFoundError("this answer has not been submitted yet")
    grade = grader(question, item.answer)
    session.attach_grade(index, grade)
    if follow_ups and session.interviewer_follows_up(index):
        _ask(store, session, index, question, follow_ups)
    store.attach_grade(session.user_id, item.attempt_id, grade, session)
    return item


def ask_follow_up(
    store: PracticeStore,
    session: PracticeSession,
    index: int,
    parent: Question,
    follow_ups: Sequence[Question],
) -> SessionItem | None:
    """Ask the follow-up that best fits what answer ``index`` missed or said wrong (see
    :func:`~.follow_ups.choose_follow_up`), as the next item to answer, and save the session.

    Args:
        parent: the question answered.
        follow_ups: its follow-up items, in the bank's order.

    Returns:
        The follow-up's item; ``None`` when the question has no follow-up items.

    Raises:
        SessionStateError: no follow-up can be asked now (see ``PracticeSession.ask_follow_up``).
    """
    asked = _ask(store, session, index, parent, follow_ups)
    if asked is not None:
        store.save_session(session)
    return asked


def _ask(
    store: PracticeStore,
    session: PracticeSession,
    index: int,
    parent: Question,
    follow_ups: Sequence[Question],
) -> SessionItem | None:
    item = session.items[index]
    asked = [a.follow_up for a in store.follow_up_attempts(session.user_id, item.question)]
    choice = choose_follow_up(parent, follow_ups, item.grade, [a for a in asked if a])
    if choice is None:
        return None
    return session.ask_follow_up(index, choice.follow_up_id, choice.because)


def rate_answer(
    store: PracticeStore,
    session: PracticeSession,
    index: int,
    rating: Rating | str | None,
    now: datetime,
    *,
    settings: PracticeSettings = PracticeSettings(),
) -> CardState:
    """Apply the chosen rating (``None``: the suggested one) to the question's FSRS card.

    Raises:
        SessionStateError: feedback not shown yet, already rated, or no rating to accept.
    """
    now = require_utc(now, "now")
    item = session.items[index]
    chosen = rating if rating is not None else item.suggested
    if chosen is None:
        chosen = Rating.GOOD
    # Check the transition first (it raises if not allowed), then write the review, then save.
    session.rate(index, chosen, now)
    taken = item.time_taken_s
    state, entry = schedule(
        store.card_state(session.user_id, item.question),
        Rating.parse(chosen),
        now,
        question=item.question,
        scheduler=make_scheduler(settings.desired_retention, fuzz=settings.fuzz),
        suggested=item.suggested,
        attempt_id=item.attempt_id,
        duration_ms=round(taken * 1000) if taken is not None else None,
    )
    store.record_review(session.user_id, state, entry, session)
    return state


class AttemptHistory(Protocol):
    """What :func:`history_attempts` reads: a practice store, or the CLI's SQLite reader."""

    def attempts(self, user_id: str) -> list[Attempt]: ...

    def follow_up_attempts(self, user_id: str) -> list[Attempt]: ...


def history_attempts(store: AttemptHistory, user_id: str) -> list[Attempt]:
    """Every attempt of the user for the history export: the answers to follow-ups too (each
    names its follow-up), oldest submission first."""
    every = [*store.attempts(user_id), *store.follow_up_attempts(user_id)]
    return sorted(every, key=lambda attempt: attempt.submitted_at)


def load_progress(
    store: PracticeStore,
    user_id: str,
    totals: Mapping[str, int],
    now: datetime,
    tz: tzinfo = UTC,
) -> Progress:
    """Every dashboard number for a user (see :func:`compute_progress`)."""
    return compute_progress(
        store.attempts(user_id),
        store.review_logs(user_id),
        store.card_states(user_id),
        totals,
        now,
        tz,
    )


def category_totals(records: Iterable[QuestionRecordLike]) -> dict[str, int]:
    """Questions per category, in order of first appearance."""
    totals: dict[str, int] = {}
    for record in records:
        totals[record.question.category] = totals.get(record.question.category, 0) + 1
    return totals
