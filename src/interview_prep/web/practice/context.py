"""What a practice request works with: storage, settings, the clock and the visitor's zone.

Every practice and progress page builds one :class:`PracticeContext` from the app's state and
hands it to the functions below its route.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from starlette.requests import Request

from ...domain.questions import Question
from ...errors import NotFoundError
from ...practice.attempts import LOCAL_USER_ID, QuestionRef
from ...practice.clock import Clock
from ...practice.service import Grader, PracticeSettings
from ...practice.sessions import SessionItem
from ...practice.store import PracticeStore
from ...settings import Config
from ...storage import repository
from ...storage.database import Database
from ...storage.records import BankSummary, QuestionRecord
from ..auth import actor_of
from ..cache import QuestionSet
from ..localtime import visitor_zone


@dataclass(frozen=True)
class PracticeContext:
    """What a practice request works with: storage, settings, the clock and the visitor's zone."""

    db: Database
    store: PracticeStore
    config: Config
    clock: Clock
    zone: tzinfo
    banks: list[BankSummary]
    questions: QuestionSet = field(repr=False)
    user_id: str = LOCAL_USER_ID

    @classmethod
    def of(cls, request: Request) -> PracticeContext:
        """The context of a request whose route has checked its permission (web/auth.py)."""
        state = request.app.state
        return cls(
            db=state.db,
            store=state.practice,
            config=state.config,
            clock=state.clock,
            zone=visitor_zone(request),
            banks=state.banks.all(),
            questions=state.questions.get(),
            user_id=actor_of(request).user_id,
        )

    @property
    def records(self) -> list[QuestionRecord]:
        """Every current question, in bank order."""
        return self.questions.records

    @property
    def settings(self) -> PracticeSettings:
        return PracticeSettings.from_config(self.config)

    def now(self) -> datetime:
        return self.clock()

    def grader(self) -> Grader:
        """The configured grader (settings ``grader`` and ``max_answer_chars``)."""
        from ...grading.service import grade  # heavy: loaded on first use only

        name = str(self.config.grader or "") or None
        max_chars = int(self.config.max_answer_chars)

        def grade_as_dict(question: Question, answer: str) -> dict[str, Any]:
            result: dict[str, Any] = grade(
                question, answer, grader_name=name, max_chars=max_chars
            ).to_dict()
            return result

        return grade_as_dict

    def record(self, ref: QuestionRef) -> QuestionRecord:
        """A question of a session: a current one, or one retired since (still readable).

        Raises:
            NotFoundError: the question is gone (its bank was deleted).
        """
        record = self.questions.by_key.get((ref.bank_id, ref.question_id))
        if record is not None:
            return record
        return repository.get_question(self.db, ref.question_id, bank=ref.bank_id)

    def follow_ups(self, ref: QuestionRef) -> tuple[Question, ...]:
        """The follow-up items of a question, in its order; none for a user's bank."""
        from ...catalog import follow_up_items  # reads the follow-up file on first use

        bank = self._bank(ref.bank_id)
        return tuple(follow_up_items(self.db, bank).get(ref.question_id, ())) if bank else ()

    def question_of(self, item: SessionItem) -> Question:
        """What a session item asks: its question, or the follow-up of it that it asks.

        Raises:
            NotFoundError: the question, or the follow-up, is gone.
        """
        if item.follow_up is None:
            return self.record(item.question).question
        from ...catalog import follow_up_question

        bank = self._bank(item.question.bank_id)
        if bank is None:
            raise NotFoundError(f"The bank of follow-up {item.follow_up!r} is gone.")
        return follow_up_question(self.db, bank, item.question.question_id, item.follow_up)

    def _bank(self, bank_id: str) -> BankSummary | None:
        return next((bank for bank in self.banks if bank.id == bank_id), None)
