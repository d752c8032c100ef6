"""Where practice data lives: the :class:`PracticeStore` protocol and an in-memory store.

The practice core does no I/O of its own; everything it keeps goes through these methods. The
database implementation (``interview_prep.storage``) provides the same methods over tables, each
write in its own transaction; :class:`InMemoryPracticeStore` serves tests and throw-away runs.
A write that changes what a session document shows (an answer, its grade, its rating) takes the
document along (``session_document``), so that the two are stored together or not at all.
Everything is kept per user id, and every list comes back oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from ..errors import ConflictError, NotFoundError
from .attempts import Attempt, QuestionRef
from .plan import InterviewPlan
from .scheduling import CardState, ReviewLogEntry
from .sessions import PracticeSession


class PracticeStore(Protocol):
    """What the practice service needs from storage."""

    def save_attempt_before_grading(
        self, attempt: Attempt, session_document: PracticeSession | None = None
    ) -> None:
        """Keep an answer as soon as it is submitted, before the (slow) grader sees it, with
        the session document that names it, atomically.

        Raises:
            ConflictError: an attempt with this id exists.
        """

    def attach_grade(
        self,
        user_id: str,
        attempt_id: str,
        grade: dict[str, Any],
        session_document: PracticeSession | None = None,
    ) -> Attempt:
        """Store the grade of a saved attempt (and the session document showing it,
        atomically) and return the graded attempt.

        Raises:
            NotFoundError: no such attempt for this user.
        """

    def record_review(
        self,
        user_id: str,
        state: CardState,
        entry: ReviewLogEntry,
        session_document: PracticeSession | None = None,
    ) -> None:
        """Replace the question's card state and append the review to the log (and store the
        session document showing the rating), atomically."""

    def card_state(self, user_id: str, question: QuestionRef) -> CardState | None:
        """The question's scheduling state, or ``None`` if never rated."""

    def card_states(self, user_id: str) -> dict[QuestionRef, CardState]:
        """Every scheduling state of the user."""

    def first_seen(self, user_id: str) -> dict[QuestionRef, datetime]:
        """When the user first submitted an answer to each question they have answered,
        outside cram sessions."""

    def attempts(self, user_id: str, question: QuestionRef | None = None) -> list[Attempt]:
        """The user's attempts (at one question, if given), oldest submission first.

        Answers to follow-ups are not among them: mastery, progress, the plan and the
        schedule are about the questions themselves (see :meth:`follow_up_attempts`).
        """

    def follow_up_attempts(
        self, user_id: str, question: QuestionRef | None = None
    ) -> list[Attempt]:
        """The user's answers to follow-ups (of ``question``, if given), oldest submission
        first."""

    def review_logs(
        self, user_id: str, question: QuestionRef | None = None
    ) -> list[ReviewLogEntry]:
        """The user's reviews (of one question, if given), oldest first."""

    def save_session(self, session: PracticeSession) -> None:
        """Insert or replace a session (``session.to_dict()``) under its user and id."""

    def load_session(self, user_id: str, session_id: str) -> PracticeSession | None:
        """A stored session, or ``None``."""

    def unfinished_sessions(self, user_id: str) -> list[PracticeSession]:
        """Sessions not finished yet, most recently created first, to offer to resume."""

    def interview_plan(self, user_id: str) -> InterviewPlan | None:
        """The user's interview date and scope, if they set one."""

    def save_interview_plan(self, user_id: str, plan: InterviewPlan | None) -> None:
        """Set (or, with ``None``, clear) the user's interview date."""


@dataclass
class InMemoryPracticeStore:
    """A :class:`PracticeStore` in dicts, copying sessions in and out as the database would."""

    _attempts: dict[str, Attempt] = field(default_factory=dict)
    _states: dict[tuple[str, QuestionRef], CardState] = field(default_factory=dict)
    _reviews: list[tuple[str, ReviewLogEntry]] = field(default_factory=list)
    _sessions: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    _plans: dict[str, InterviewPlan] = field(default_factory=dict)

    def interview_plan(self, user_id: str) -> InterviewPlan | None:
        return self._plans.get(user_id)

    def save_interview_plan(self, user_id: str, plan: InterviewPlan | None) -> None:
        if plan is None:
            self._plans.pop(user_id, None)
        else:
            self._plans[user_id] = plan

    def save_attempt_before_grading(
        self, attempt: Attempt, session_document: PracticeSession | None = None
    ) -> None:
        if attempt.id in self._attempts:
            raise ConflictError(f"attempt {attempt.id} is already saved")
        self._attempts[attempt.id] = attempt
        if session_document is not None:
            self.save_session(session_document)

    def attach_grade(
        self,
        user_id: str,
        attempt_id: str,
        grade: dict[str, Any],
        session_document: PracticeSession | None = None,
    ) -> Attempt:
        attempt = self._attempts.get(attempt_id)
        if attempt is None or attempt.user_id != user_id:
            raise NotFoundError(f"no attempt {attempt_id}")
        graded = attempt.with_grade(grade)
        self._attempts[attempt_id] = graded
        if session_document is not None:
            self.save_session(session_document)
        return graded

    def record_review(
        self,
        user_id: str,
        state: CardState,
        entry: ReviewLogEntry,
        session_document: PracticeSession | None = None,
    ) -> None:
        self._states[(user_id, entry.question)] = state
        self._reviews.append((user_id, entry))
        if session_document is not None:
            self.save_session(session_document)

    def card_state(self, user_id: str, question: QuestionRef) -> CardState | None:
        return self._states.get((user_id, question))

    def card_states(self, user_id: str) -> dict[QuestionRef, CardState]:
        return {ref: state for (user, ref), state in self._states.items() if user == user_id}

    def first_seen(self, user_id: str) -> dict[QuestionRef, datetime]:
        seen: dict[QuestionRef, datetime] = {}
        for attempt in self.attempts(user_id):  # follow-ups left out
            if not attempt.cram:
                seen.setdefault(attempt.question, attempt.submitted_at)
        return seen

    def _answers(
        self, user_id: str, question: QuestionRef | None, *, follow_ups: bool
    ) -> list[Attempt]:
        found = [
            a
            for a in self._attempts.values()
            if a.user_id == user_id
            and (a.follow_up is not None) == follow_ups
            and (question is None or a.question == question)
        ]
        return sorted(found, key=lambda a: a.submitted_at)

    def attempts(self, user_id: str, question: QuestionRef | None = None) -> list[Attempt]:
        return self._answers(user_id, question, follow_ups=False)

    def follow_up_attempts(
        self, user_id: str, question: QuestionRef | None = None
    ) -> list[Attempt]:
        return self._answers(user_id, question, follow_ups=True)

    def review_logs(
        self, user_id: str, question: QuestionRef | None = None
    ) -> list[ReviewLogEntry]:
        found = [
            entry
            for user, entry in self._reviews
            if user == user_id and (question is None or entry.question == question)
        ]
        return sorted(found, key=lambda entry: entry.reviewed_at)

    def save_session(self, session: PracticeSession) -> None:
        self._sessions[(session.user_id, session.id)] = session.to_dict()

    def load_session(self, user_id: str, session_id: str) -> PracticeSession | None:
        data = self._sessions.get((user_id, session_id))
        return PracticeSession.from_dict(data) if data is not None else None

    def unfinished_sessions(self, user_id: str) -> list[PracticeSession]:
        sessions = [
            PracticeSession.from_dict(data)
            for (user, _), data in self._sessions.items()
            if user == user_id
        ]
        open_ones = [session for session in sessions if not session.is_finished]
        return sorted(open_ones, key=lambda session: session.created_at, reverse=True)
