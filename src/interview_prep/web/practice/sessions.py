"""What the practice pages do once a session runs: answer, grade, rate, resume.

Route handlers parse the form, call one function here and render or redirect (setting a session
up is :mod:`.setup`). Each function is a short composition of
:mod:`interview_prep.practice.service` steps, the same the terminal loop takes
(``cli/practice.py``): the answer is saved as an attempt before the grader runs, and the
rating reaches FSRS before the session moves on.

A session lives in the database, so a closed tab loses nothing: opening the session again submits
an answer whose time ran out meanwhile (its last saved draft, dated at the deadline), grades
whatever was saved but not graded (a crash while grading), and carries on where it was.
"""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass

from ...errors import InvalidInputError, NotFoundError, StaleWriteError
from ...input_policy import clean_text
from ...practice.attempts import AnswerSource
from ...practice.scheduling import Rating
from ...practice.service import (
    Grader,
    ask_follow_up,
    close_crammed,
    expire_overdue,
    grade_answer,
    rate_answer,
    retry_answer,
    skip_question,
    submit_answer,
)
from ...practice.sessions import ItemStatus, PracticeSession, SessionMode, SessionStateError
from ...storage.records import QuestionRecord
from .context import PracticeContext

# Reading a session, changing it and saving it back must not interleave with another request on
# the same session (an answer and a late draft from the same tab, say). A few striped locks
# serialise that within this process without keeping one lock per session forever.
_LOCKS = tuple(threading.Lock() for _ in range(32))


def _lock(session_id: str) -> threading.Lock:
    return _LOCKS[hash(session_id) % len(_LOCKS)]


# Going through a session


class StepKind(enum.StrEnum):
    ANSWER = "answer"  # a question to answer, its clock running
    FEEDBACK = "feedback"  # an answer's feedback, waiting for its rating
    DONE = "done"  # every answer rated: the summary


@dataclass(frozen=True)
class Step:
    kind: StepKind
    index: int = -1


def next_step(session: PracticeSession) -> Step:
    """Feedback waiting for a rating comes first (drill mode: after each answer; interview
    mode: once every question is answered), then the next question, then the summary. An
    answer whose follow-up is being asked waits for it: its feedback shows the follow-up's."""
    for index, item in enumerate(session.items):
        if (
            item.status is ItemStatus.GRADED
            and session.feedback_ready(index)
            and not session.awaits_follow_up(index)
        ):
            return Step(StepKind.FEEDBACK, index)
    current = session.current_index
    if current is not None:
        return Step(StepKind.ANSWER, current)
    return Step(StepKind.DONE)


def load_session(ctx: PracticeContext, session_id: str) -> PracticeSession:
    """A stored session of the visitor.

    Raises:
        NotFoundError: no such session.
    """
    session = ctx.store.load_session(ctx.user_id, session_id)
    if session is None:
        raise NotFoundError(
            "There is no practice session at this address. Start a new one from the practice page."
        )
    return session


def session_questions(ctx: PracticeContext, session: PracticeSession) -> list[QuestionRecord]:
    """The questions of a session, in its order."""
    return [ctx.record(item.question) for item in session.items]


def _grade_submitted(ctx: PracticeContext, session: PracticeSession) -> None:
    grader: Grader | None = None
    for index, item in enumerate(session.items):
        if item.status is ItemStatus.SUBMITTED:
            grader = grader or ctx.grader()
            _grade(ctx, session, index, grader)


def _grade(ctx: PracticeContext, session: PracticeSession, index: int, grader: Grader) -> None:
    """Grade answer ``index``; in interview mode the interviewer asks its follow-up in the same
    write (the next item: inserting it while :func:`_grade_submitted` walks the items is safe)."""
    item = session.items[index]
    interviewer = session.config.mode is SessionMode.INTERVIEW and item.follow_up is None
    follow_ups = ctx.follow_ups(item.question) if interviewer else ()
    grade_answer(ctx.store, session, index, ctx.question_of(item), grader, follow_ups=follow_ups)


def resume(ctx: PracticeContext, session_id: str) -> tuple[PracticeSession, Step]:
    """Bring a session up to date and say what to show: submit an answer whose time ran out,
    grade what was saved but not graded, and start the clock on the question to answer.

    Raises:
        NotFoundError: no such session, or one of its questions is gone.
    """
    with _lock(session_id):
        for _ in range(_STALE_RETRIES):
            session = load_session(ctx, session_id)
            try:
                return session, _bring_up_to_date(ctx, session)
            except StaleWriteError:
                continue  # another process moved it on meanwhile: start from its copy
        return session, next_step(session)


# The lock above holds within one process; across processes the database refuses a stale or
# repeated write (StaleWriteError), and the request then works from the stored session.
_STALE_RETRIES = 3


def _bring_up_to_date(ctx: PracticeContext, session: PracticeSession) -> Step:
    session_questions(ctx, session)  # every question still there, or NotFoundError
    now = ctx.now()
    expire_overdue(ctx.store, session, now)
    _grade_submitted(ctx, session)
    step = next_step(session)
    if step.kind is StepKind.ANSWER and session.items[step.index].started_at is None:
        session.start(now)
        ctx.store.save_session(session)
    return step


def _check_index(session: PracticeSession, index: int) -> None:
    if not 0 <= index < len(session.items):
        raise InvalidInputError(
            f"This session has questions 1 to {len(session.items)}; there is no question "
            f"{index + 1}."
        )


def check_feedback(session: PracticeSession, index: int) -> None:
    """Make sure answer ``index``'s feedback may show.

    Raises:
        NotFoundError: the session has no question ``index``.
        SessionStateError: not graded yet, or (interview mode) not every question answered.
    """
    if not 0 <= index < len(session.items):
        raise NotFoundError(f"This session has no question {index + 1}.")
    if not session.feedback_ready(index):
        raise SessionStateError(
            "The feedback on this answer is not ready: it shows after the answer is submitted, "
            "and in interview mode once every question is answered."
        )


def _normalise(answer: str) -> str:
    # Browsers send a textarea's line breaks as CRLF; the grader's passages are offsets into the
    # text it is given, and the page shows the stored text, so keep one form of line break.
    # The input policy too (the web edge already applied it to forms; this keeps it for any
    # caller): a NUL in a draft made PostgreSQL refuse the answer when the clock submitted it.
    return clean_text(answer).replace("\r\n", "\n").replace("\r", "\n")


def parse_source(text: str) -> AnswerSource:
    """``typed`` (the default) or ``spoken`` (a transcript, when voice answers come).

    Raises:
        InvalidInputError: anything else.
    """
    try:
        return AnswerSource((text or AnswerSource.TYPED.value).strip().lower())
    except ValueError:
        raise InvalidInputError(f"Unknown answer source {text!r}: typed or spoken.") from None


def submit(
    ctx: PracticeContext,
    session_id: str,
    index: int,
    answer: str,
    source: AnswerSource = AnswerSource.TYPED,
) -> PracticeSession:
    """Submit the answer to question ``index`` (0-based) as it stands, then grade it.

    The attempt is saved before the grader runs. A submission after the deadline is kept and
    marked timed out. Submitting a question that is no longer the one being answered (a second
    click, or the server's own timeout got there first) changes nothing.

    Raises:
        NotFoundError: no such session.
        InvalidInputError: the session has no question ``index``.
    """
    with _lock(session_id):
        session = load_session(ctx, session_id)
        _check_index(session, index)
        if session.current_index != index or session.items[index].started_at is None:
            return session
        ctx.question_of(session.items[index])  # still there, or NotFoundError before saving
        try:
            submitted = submit_answer(
                ctx.store, session, _normalise(answer), ctx.now(), source=source
            )
            _grade(ctx, session, submitted, ctx.grader())
        except StaleWriteError:
            # The same answer, sent again to another process, got there first.
            return load_session(ctx, session_id)
    return session


def save_draft(ctx: PracticeContext, session_id: str, index: int, answer: str) -> bool:
    """Keep the answer typed so far, so that a closed tab or a timeout submits it.

    Returns:
        Whether it was kept: not after the deadline, nor for a question no longer answered.

    Raises:
        NotFoundError: no such session.
    """
    with _lock(session_id):
        session = load_session(ctx, session_id)
        if session.current_index != index or session.items[index].started_at is None:
            return False
        now = ctx.now()
        deadline = session.deadline(index)
        if deadline is not None and now > deadline:
            return False
        session.save_draft(_normalise(answer), now)
        try:
            ctx.store.save_session(session)
        except StaleWriteError:
            return False  # submitted meanwhile by another process: the draft is too late
    return True


def parse_rating(text: str) -> Rating:
    """A rating button's value: again, hard, good or easy.

    Raises:
        InvalidInputError: anything else.
    """
    try:
        return Rating.parse(text)
    except ValueError:
        raise InvalidInputError(
            f"{text!r} is not a rating: choose Again, Hard, Good or Easy."
        ) from None


def rate(ctx: PracticeContext, session_id: str, index: int, rating: Rating) -> PracticeSession:
    """Rate answer ``index`` (the suggested rating or an override); FSRS schedules its next
    review. Rating an answer already rated (a second click) changes nothing.

    Raises:
        NotFoundError: no such session.
        InvalidInputError: the session has no question ``index``.
        SessionStateError: the answer's feedback is not shown yet.
    """
    with _lock(session_id):
        session = load_session(ctx, session_id)
        _check_index(session, index)
        if session.items[index].rating is not None:
            return session
        try:
            rate_answer(ctx.store, session, index, rating, ctx.now(), settings=ctx.settings)
        except StaleWriteError:
            # Rated at the same moment by another process: its review is the one kept.
            return load_session(ctx, session_id)
    return session


def skip(ctx: PracticeContext, session_id: str, index: int) -> PracticeSession:
    """Pass over question ``index`` without answering it (no attempt, no score, no review).
    Skipping a question no longer being answered (a second click) changes nothing.

    Raises:
        NotFoundError: no such session.
        InvalidInputError: the session has no question ``index``.
    """
    with _lock(session_id):
        session = load_session(ctx, session_id)
        _check_index(session, index)
        if session.current_index != index:
            return session
        try:
            skip_question(ctx.store, session, ctx.now())
        except StaleWriteError:
            return load_session(ctx, session_id)  # answered or skipped meanwhile elsewhere
    return session


def retry(ctx: PracticeContext, session_id: str, index: int) -> PracticeSession:
    """Answer question ``index`` again at once, in a new item right after it; the first answer
    stays, graded and unrated. A second click (already retried) changes nothing.

    Raises:
        NotFoundError: no such session.
        InvalidInputError: the session has no question ``index``.
        SessionStateError: not possible now (interview mode, rated, or not graded yet).
    """
    with _lock(session_id):
        session = load_session(ctx, session_id)
        _check_index(session, index)
        if session.items[index].retried:
            return session
        try:
            retry_answer(ctx.store, session, index)
        except StaleWriteError:
            return load_session(ctx, session_id)
    return session


def follow_up(ctx: PracticeContext, session_id: str, index: int) -> PracticeSession:
    """Ask answer ``index``'s follow-up now (drill mode, after its feedback): the one that
    fits what the answer missed or said wrong. A second click changes nothing.

    Raises:
        NotFoundError: no such session.
        InvalidInputError: the session has no question ``index``, or it has no follow-up.
        SessionStateError: not possible now (rated already, or a later question started).
    """
    with _lock(session_id):
        session = load_session(ctx, session_id)
        _check_index(session, index)
        if session.follow_up_of(index) is not None:
            return session
        item = session.items[index]
        follow_ups = ctx.follow_ups(item.question) if item.follow_up is None else ()
        if not follow_ups:
            raise InvalidInputError("This question has no follow-up to ask.")
        try:
            ask_follow_up(ctx.store, session, index, ctx.record(item.question).question, follow_ups)
        except StaleWriteError:
            return load_session(ctx, session_id)
    return session


def close_cram(ctx: PracticeContext, session_id: str, index: int) -> PracticeSession:
    """Move on from answer ``index``'s feedback in a cram session (no rating, no review). A
    second click changes nothing.

    Raises:
        NotFoundError: no such session.
        InvalidInputError: the session has no question ``index``.
        SessionStateError: not a cram session, or the feedback is not shown yet.
    """
    with _lock(session_id):
        session = load_session(ctx, session_id)
        _check_index(session, index)
        if session.items[index].crammed_at is not None:
            return session
        try:
            close_crammed(ctx.store, session, index, ctx.now())
        except StaleWriteError:
            return load_session(ctx, session_id)
    return session


def anchor_after(session: PracticeSession, index: int) -> str:
    """Where on the next page to land after answer ``index``: in drill mode a follow-up's
    feedback is a section of its parent's feedback page."""
    item = session.items[index] if 0 <= index < len(session.items) else None
    drill = session.config.mode is SessionMode.DRILL
    return "#follow-up" if drill and item is not None and item.follow_up is not None else ""


def session_url(session: PracticeSession | str) -> str:
    session_id = session if isinstance(session, str) else session.id
    return f"/practice/sessions/{session_id}"
