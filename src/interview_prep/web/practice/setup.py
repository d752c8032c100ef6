"""Setting up a practice session: the set-up form, today's queue, and the sessions to resume."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...domain.questions import Difficulty
from ...errors import InvalidInputError
from ...practice.queue import DailyQueue
from ...practice.service import start_session, todays_queue
from ...practice.sessions import (
    MAX_QUESTIONS,
    MAX_TIME_LIMIT_S,
    PracticeSession,
    SessionConfig,
    SessionMode,
)
from ...storage.records import BankSummary
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

    def to_config(self, banks: Sequence[BankSummary]) -> SessionConfig:
        """The session this form asks for.

        Raises:
            InvalidInputError: an unknown bank, difficulty or mode, or a count or time limit
                that is not a whole number in range.
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
        return SessionConfig(
            bank=bank,
            categories=categories,
            difficulty=difficulty,
            count=count,
            time_limit_s=time_limit,
            mode=SessionMode(self.mode),
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
    config = form.to_config(ctx.banks)
    return start_session(
        ctx.store,
        ctx.user_id,
        config,
        ctx.records,
        ctx.now(),
        settings=ctx.settings,
        tz=ctx.zone,
    )
