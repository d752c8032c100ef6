"""Setting up a practice session: the set-up form, today's queue, and the sessions to resume."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from ...domain.questions import Difficulty
from ...errors import InvalidInputError, NotFoundError, StaleWriteError
from ...practice.attempts import QuestionRef
from ...practice.plan import InterviewPlan, PlanDay
from ...practice.queue import DailyQueue
from ...practice.selection import parse_question_list
from ...practice.service import (
    add_to_session,
    plan_today,
    ref_of,
    set_interview_date,
    start_drill,
    start_session,
    todays_queue,
)
from ...practice.sessions import (
    MAX_QUESTIONS,
    MAX_TIME_LIMIT_S,
    PracticeSession,
    SessionConfig,
    SessionMode,
    SessionOrder,
    SessionStateError,
)
from ...storage import repository
from ...storage.records import BankSummary, QuestionRecord
from .context import PracticeContext

DEFAULT_COUNT = 5
DEFAULT_TIME_LIMIT_S = 120
RESUME_LISTED = 10
"""Unfinished sessions offered on the practice page, most recent first."""


@dataclass(frozen=True)
class SetupForm:
    """The set-up form as submitted: kept as text, so a refused form shows again as typed."""

    bank: str = ""
    categories: tuple[str, ...] = ()
    difficulty: str = ""
    count: str = str(DEFAULT_COUNT)
    time_limit: str = str(DEFAULT_TIME_LIMIT_S)
    mode: str = SessionMode.DRILL.value
    tags: tuple[str, ...] = ()
    questions: str = ""
    search: str = ""
    order: str = SessionOrder.SCHEDULE.value
    cram: str = ""

    def to_config(
        self, banks: Sequence[BankSummary], known: Iterable[QuestionRef] = ()
    ) -> SessionConfig:
        """The session this form asks for.

        Args:
            banks: every bank, to check the bank and the tags against.
            known: every question, to read the question list against.

        Raises:
            InvalidInputError: an unknown bank, difficulty, tag, mode or order, a question list
                naming an unknown question, or a count or time limit that is not a whole number
                in range.
        """
        bank = self.bank.strip() or None
        if bank is not None and bank not in {summary.id for summary in banks}:
            raise InvalidInputError(f"There is no question bank {bank!r}.")
        difficulty = self.difficulty.strip() or None
        levels = [level.value for level in Difficulty]
        if difficulty is not None and difficulty not in levels:
            raise InvalidInputError(
                f"Unknown difficulty {difficulty!r}: choose {', '.join(levels)} or any."
            )
        if self.mode not in {mode.value for mode in SessionMode}:
            raise InvalidInputError(f"Unknown mode {self.mode!r}: choose interview or drill.")
        count = _whole_number(self.count, "The number of questions", 1, MAX_QUESTIONS)
        limit_text = self.time_limit.strip()
        time_limit = (
            _whole_number(limit_text, "The time limit", 1, MAX_TIME_LIMIT_S) if limit_text else None
        )
        categories = tuple(dict.fromkeys(name.strip() for name in self.categories if name.strip()))
        tags = tuple(dict.fromkeys(name.strip() for name in self.tags if name.strip()))
        every_tag = {tag for summary in banks for tag in summary.tags}
        for tag in tags:
            if tag not in every_tag:
                raise InvalidInputError(f"No question has the tag {tag!r}.")
        if self.order not in {order.value for order in SessionOrder}:
            raise InvalidInputError(
                f"Unknown order {self.order!r}: choose the schedule or your weakest first."
            )
        listed = parse_question_list(self.questions, known) if self.questions.strip() else ()
        search = " ".join(self.search.split()) or None
        return SessionConfig(
            bank=bank,
            categories=categories,
            difficulty=difficulty,
            count=count,
            time_limit_s=time_limit,
            mode=SessionMode(self.mode),
            tags=tags,
            questions=tuple(ref.key for ref in listed),
            search=search,
            order=SessionOrder(self.order),
            cram=bool(self.cram.strip()),
        )


def _whole_number(text: str, what: str, low: int, high: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise InvalidInputError(
            f"{what} must be a whole number from {low} to {high}, not {text.strip()!r}."
        ) from None
    if not low <= value <= high:
        raise InvalidInputError(f"{what} must be from {low} to {high}, not {value}.")
    return value


def todays(ctx: PracticeContext) -> DailyQueue:
    """Today's reviews and new questions over every bank (the visitor's local day)."""
    return todays_queue(
        ctx.store, ctx.user_id, ctx.records, ctx.now(), settings=ctx.settings, tz=ctx.zone
    )


def unfinished(ctx: PracticeContext) -> list[PracticeSession]:
    return ctx.store.unfinished_sessions(ctx.user_id)[:RESUME_LISTED]


def create_session(ctx: PracticeContext, form: SetupForm) -> PracticeSession:
    """Start a session: due reviews first, then new questions, then extra practice.

    Raises:
        InvalidInputError: the form is not valid, or no question matches it.
    """
    config = form.to_config(ctx.banks, (ref_of(record) for record in ctx.records))
    return start_session(
        ctx.store,
        ctx.user_id,
        config,
        ctx.records,
        ctx.now(),
        settings=ctx.settings,
        tz=ctx.zone,
        searched=searched_questions(ctx, config),
    )


SEARCHED = 500
"""Search hits a session draws from, best first (more than any session holds)."""


def searched_questions(ctx: PracticeContext, config: SessionConfig) -> list[QuestionRef] | None:
    """The questions a session's search finds, or ``None`` without a search.

    Raises:
        InvalidInputError: a search that finds nothing.
    """
    if config.search is None:
        return None
    hits = repository.search(ctx.db, config.search, bank=config.bank, limit=SEARCHED)
    if not hits:
        raise InvalidInputError(f"The search {config.search!r} finds no question.")
    return [QuestionRef(hit.record.bank_id, hit.record.question.id) for hit in hits]


# "Practise this": one question, from its page or its row on the bank page


def practised_question(ctx: PracticeContext, key: str) -> QuestionRecord:
    """The question ``key`` (``bank/question``) names.

    Raises:
        NotFoundError: no such question.
    """
    try:
        ref = QuestionRef.parse(key)
    except ValueError:
        raise NotFoundError(f"There is no question {key!r}.") from None
    return ctx.record(ref)


def current_session(ctx: PracticeContext) -> PracticeSession | None:
    """The session a question can be added to: the most recent unfinished one."""
    sessions = ctx.store.unfinished_sessions(ctx.user_id)
    return sessions[0] if sessions else None


def drill_one(ctx: PracticeContext, key: str, time_limit: str) -> PracticeSession:
    """Start a one-question drill on ``key``.

    Raises:
        NotFoundError: no such question.
        InvalidInputError: a time limit that is not a whole number in range.
    """
    record = practised_question(ctx, key)
    text = time_limit.strip()
    limit = _whole_number(text, "The time limit", 1, MAX_TIME_LIMIT_S) if text else None
    return start_drill(ctx.store, ctx.user_id, record, ctx.now(), time_limit_s=limit)


def add_one(ctx: PracticeContext, session_id: str, key: str) -> PracticeSession:
    """Add question ``key`` to the end of the visitor's unfinished session ``session_id``.

    Raises:
        NotFoundError: no such question, or no such session of the visitor.
        SessionStateError: the session is finished, already has it, or is full; or another
            request moved the session on meanwhile (try again).
    """
    if ctx.store.load_session(ctx.user_id, session_id) is None:
        raise NotFoundError("There is no practice session at this address.")
    record = practised_question(ctx, key)
    try:
        return add_to_session(ctx.store, ctx.user_id, session_id, record)
    except StaleWriteError:
        raise SessionStateError(
            "This session changed while the question was being added. Try again."
        ) from None


# The interview date


def plan_of(ctx: PracticeContext) -> PlanDay | None:
    """Where the visitor's interview plan stands today, if they set one."""
    return plan_today(ctx.store, ctx.user_id, ctx.records, ctx.now(), tz=ctx.zone)


def set_plan(ctx: PracticeContext, interview_on: str, bank: str) -> None:
    """Set the interview date (``YYYY-MM-DD``) and its bank (empty: every bank); an empty date
    clears it.

    Raises:
        InvalidInputError: not a date, not after today, or an unknown bank.
    """
    text = interview_on.strip()
    if not text:
        set_interview_date(ctx.store, ctx.user_id, None, ctx.now(), tz=ctx.zone)
        return
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(f"{text!r} is not a date: use the form YYYY-MM-DD.") from None
    scope = bank.strip() or None
    if scope is not None and scope not in {summary.id for summary in ctx.banks}:
        raise InvalidInputError(f"There is no question bank {scope!r}.")
    plan = InterviewPlan(interview_on=day, bank=scope)
    set_interview_date(ctx.store, ctx.user_id, plan, ctx.now(), tz=ctx.zone)
