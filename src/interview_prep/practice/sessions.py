"""A mock interview: its settings, its questions, and each answer's way from start to rating.

An item goes *pending → answering → submitted → graded → rated*. It may instead be *skipped*
(passed over unanswered: no attempt, no score, no review) or, once graded, *retried*: answered
again at once in a new item right after it, whose rating is the one that reaches FSRS. In a
*cram* session an item ends *crammed* instead of rated: graded and seen, with no review for FSRS.
The clock runs from
:meth:`PracticeSession.start`; a submission after the deadline is kept as it stands and marked
``timed_out``, and :meth:`PracticeSession.expire` submits the draft of an abandoned item once its
time is up (a browser tab closed mid-answer). In *interview* mode feedback, and so rating, waits
until every question is answered; in *drill* mode it follows each answer.

A *follow-up* is an item of its own right after its parent's answer: the parent's question ref,
with ``follow_up`` naming the follow-up item asked (``overfitting-fu2``). In interview mode the
interviewer asks it as soon as the answer is graded; in drill mode the user asks for it after
the feedback, before rating. It is answered, timed, skipped and graded like any answer, and ends
*answered* once graded: it takes no rating of its own (see :meth:`PracticeSession.rate`).

The whole session round-trips through :meth:`PracticeSession.to_dict`, which is what the web layer
stores so that a closed tab can resume.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ..errors import ConflictError, InvalidInputError
from .attempts import LOCAL_USER_ID, AnswerSource, QuestionRef, grade_score, new_id
from .clock import format_optional, format_utc, parse_optional, parse_utc, require_utc
from .scheduling import Rating, suggested_rating
from .summary import SessionSummary, summarise

FORMAT_VERSION = 1
MAX_QUESTIONS = 100
MAX_TIME_LIMIT_S = 3 * 60 * 60
SUBMIT_GRACE_S = 5.0
"""How late a submission may arrive and still count as made at the deadline: the countdown's
own submission reaches the server a moment after zero, and "1:01 of 1:00" would be untrue."""


class SessionStateError(ConflictError):
    """An action the session cannot take now, such as rating an answer before its feedback."""

    code = "session_state"
    title = "Not possible at this point of the session"


class SessionMode(enum.StrEnum):
    INTERVIEW = "interview"  # feedback at the end, like a real interview
    DRILL = "drill"  # feedback after each answer


class SessionOrder(enum.StrEnum):
    SCHEDULE = "schedule"  # due reviews, then new questions, then extra practice
    WEAKEST = "weakest"  # the lowest mastery first, due or not


class ItemStatus(enum.StrEnum):
    PENDING = "pending"
    ANSWERING = "answering"
    SUBMITTED = "submitted"
    GRADED = "graded"
    RATED = "rated"
    SKIPPED = "skipped"  # passed over without an answer
    RETRIED = "retried"  # graded, then answered again in the next item instead of rated
    CRAMMED = "crammed"  # graded and its feedback seen in a cram session: no rating, no review
    ANSWERED = "answered"  # a follow-up, graded: its parent's rating covers it

    @property
    def closed(self) -> bool:
        """Nothing more to do on the item."""
        return self in (
            ItemStatus.RATED,
            ItemStatus.SKIPPED,
            ItemStatus.RETRIED,
            ItemStatus.CRAMMED,
            ItemStatus.ANSWERED,
        )


@dataclass(frozen=True)
class SessionConfig:
    """What the user chose for a session; empty filters mean any.

    ``questions`` is a list the user gave (``bank/id`` keys) and ``search`` a search text: each
    narrows the pool further. ``order`` says which of the pool come first.
    """

    bank: str | None = None
    categories: tuple[str, ...] = ()
    difficulty: str | None = None
    count: int = 5
    time_limit_s: int | None = None
    mode: SessionMode = SessionMode.DRILL
    tags: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    search: str | None = None
    order: SessionOrder = SessionOrder.SCHEDULE
    cram: bool = False
    """Practise without touching the schedule: graded, attempts kept (marked), no reviews."""

    def __post_init__(self) -> None:
        if not 1 <= self.count <= MAX_QUESTIONS:
            raise InvalidInputError(
                f"number of questions must be between 1 and {MAX_QUESTIONS}, got {self.count}"
            )
        if self.time_limit_s is not None and not 1 <= self.time_limit_s <= MAX_TIME_LIMIT_S:
            raise InvalidInputError(
                f"time limit must be between 1 and {MAX_TIME_LIMIT_S} seconds, "
                f"got {self.time_limit_s}"
            )

    def to_dict(self) -> dict[str, Any]:
        return {
            "bank": self.bank,
            "categories": list(self.categories),
            "difficulty": self.difficulty,
            "count": self.count,
            "time_limit_s": self.time_limit_s,
            "mode": self.mode.value,
            "tags": list(self.tags),
            "questions": list(self.questions),
            "search": self.search,
            "order": self.order.value,
            "cram": self.cram,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionConfig:
        limit = data.get("time_limit_s")
        return cls(
            bank=data.get("bank"),
            categories=tuple(data.get("categories") or ()),
            difficulty=data.get("difficulty"),
            count=int(data.get("count", 5)),
            time_limit_s=int(limit) if limit is not None else None,
            mode=SessionMode(data.get("mode", SessionMode.DRILL.value)),
            tags=tuple(data.get("tags") or ()),
            questions=tuple(data.get("questions") or ()),
            search=data.get("search"),
            order=SessionOrder(data.get("order", SessionOrder.SCHEDULE.value)),
            cram=bool(data.get("cram", False)),
        )


@dataclass
class SessionItem:
    """One question of a session and everything that happened to it."""

    question: QuestionRef
    category: str = ""
    answer: str = ""
    """The draft while answering, the answer as submitted afterwards."""
    source: AnswerSource = AnswerSource.TYPED
    started_at: datetime | None = None
    submitted_at: datetime | None = None
    timed_out: bool = False
    attempt_id: str | None = None
    grade: dict[str, Any] | None = None
    suggested: Rating | None = None
    rating: Rating | None = None
    rated_at: datetime | None = None
    skipped_at: datetime | None = None
    retried: bool = False
    """Answered again at once (the next item); this answer is kept, graded, and not rated."""
    crammed_at: datetime | None = None
    """When its feedback was seen in a cram session (which rates nothing)."""
    follow_up: str | None = None
    """The follow-up item asked (``overfitting-fu2``), when this item follows up ``question``."""
    follows: str | None = None
    """A follow-up's parent: the attempt id of the answer it follows up."""
    asked_because: str = ""
    """What the parent's answer missed or said wrong that chose this follow-up (shown with
    the feedback; empty when nothing fitted and the rotation chose)."""

    @property
    def status(self) -> ItemStatus:
        if self.skipped_at is not None:
            return ItemStatus.SKIPPED
        if self.retried:
            return ItemStatus.RETRIED
        if self.crammed_at is not None:
            return ItemStatus.CRAMMED
        if self.rating is not None:
            return ItemStatus.RATED
        if self.grade is not None:
            return ItemStatus.ANSWERED if self.follow_up is not None else ItemStatus.GRADED
        if self.submitted_at is not None:
            return ItemStatus.SUBMITTED
        if self.started_at is not None:
            return ItemStatus.ANSWERING
        return ItemStatus.PENDING

    @property
    def score(self) -> float | None:
        return grade_score(self.grade)

    @property
    def time_taken_s(self) -> float | None:
        if self.started_at is None or self.submitted_at is None:
            return None
        return (self.submitted_at - self.started_at).total_seconds()

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question.key,
            "category": self.category,
            "answer": self.answer,
            "source": self.source.value,
            "started_at": format_optional(self.started_at),
            "submitted_at": format_optional(self.submitted_at),
            "timed_out": self.timed_out,
            "attempt_id": self.attempt_id,
            "grade": self.grade,
            "suggested": self.suggested.value if self.suggested else None,
            "rating": self.rating.value if self.rating else None,
            "rated_at": format_optional(self.rated_at),
            "skipped_at": format_optional(self.skipped_at),
            "retried": self.retried,
            "crammed_at": format_optional(self.crammed_at),
            "follow_up": self.follow_up,
            "follows": self.follows,
            "asked_because": self.asked_because,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionItem:
        suggested, rating = data.get("suggested"), data.get("rating")
        return cls(
            question=QuestionRef.parse(data["question"]),
            category=data.get("category", ""),
            answer=data.get("answer", ""),
            source=AnswerSource(data.get("source", AnswerSource.TYPED.value)),
            started_at=parse_optional(data.get("started_at")),
            submitted_at=parse_optional(data.get("submitted_at")),
            timed_out=bool(data.get("timed_out", False)),
            attempt_id=data.get("attempt_id"),
            grade=data.get("grade"),
            suggested=Rating(suggested) if suggested else None,
            rating=Rating(rating) if rating else None,
            rated_at=parse_optional(data.get("rated_at")),
            skipped_at=parse_optional(data.get("skipped_at")),
            retried=bool(data.get("retried", False)),
            crammed_at=parse_optional(data.get("crammed_at")),
            follow_up=data.get("follow_up"),
            follows=data.get("follows"),
            asked_because=data.get("asked_because", ""),
        )


@dataclass
class PracticeSession:
    """A mock interview in progress (or done)."""

    id: str
    user_id: str
    config: SessionConfig
    items: list[SessionItem]
    created_at: datetime

    @classmethod
    def create(
        cls,
        config: SessionConfig,
        questions: Sequence[tuple[QuestionRef, str]],
        now: datetime,
        *,
        user_id: str = LOCAL_USER_ID,
        session_id: str | None = None,
    ) -> PracticeSession:
        """A new session over the first ``config.count`` of ``questions`` ``(ref, category)``.

        Raises:
            InvalidInputError: no questions.
        """
        if not questions:
            raise InvalidInputError("no questions match this choice of bank, category and level")
        items = [SessionItem(question=ref, category=category) for ref, category in questions]
        return cls(
            id=session_id or new_id(),
            user_id=user_id,
            config=config,
            items=items[: config.count],
            created_at=require_utc(now, "now"),
        )

    def add_question(self, question: QuestionRef, category: str) -> SessionItem:
        """Append a question to answer after the others ("Practise this" on a question).

        Raises:
            SessionStateError: the question is already in the session and not yet answered, or
                the session is full.
        """
        if any(item.question == question and not _passed(item) for item in self.items):
            raise SessionStateError("this question is already in this session")
        if len(self.items) >= MAX_QUESTIONS:
            raise SessionStateError(f"a session holds at most {MAX_QUESTIONS} questions")
        item = SessionItem(question=question, category=category)
        self.items.append(item)
        return item

    # Where the session stands

    @property
    def current_index(self) -> int | None:
        """The item being (or to be) answered: the first one neither submitted nor skipped."""
        return next((i for i, item in enumerate(self.items) if not _passed(item)), None)

    @property
    def current(self) -> SessionItem | None:
        index = self.current_index
        return self.items[index] if index is not None else None

    @property
    def is_answered(self) -> bool:
        """Every question has been submitted or skipped."""
        return all(_passed(item) for item in self.items)

    @property
    def is_finished(self) -> bool:
        """Every answer is rated, skipped or retried."""
        return all(item.status.closed for item in self.items)

    def index_of(self, item: SessionItem) -> int:
        """Where ``item`` (this very object) stands in the session.

        Two items can be equal (the same question, both untouched), so this compares identity.
        """
        return next(i for i, other in enumerate(self.items) if other is item)

    def deadline(self, index: int) -> datetime | None:
        """When item ``index``'s time runs out; ``None`` without a time limit or before start."""
        item = self._item(index)
        if self.config.time_limit_s is None or item.started_at is None:
            return None
        return item.started_at + timedelta(seconds=self.config.time_limit_s)

    def remaining_s(self, now: datetime) -> float | None:
        """Seconds left on the current item (never below 0); ``None`` if untimed or not started."""
        index = self.current_index
        deadline = self.deadline(index) if index is not None else None
        if deadline is None:
            return None
        return max(0.0, (deadline - require_utc(now, "now")).total_seconds())

    @property
    def question_count(self) -> int:
        """How many questions the session asks, its follow-ups not counted."""
        return sum(1 for item in self.items if item.follow_up is None)

    @property
    def answered_count(self) -> int:
        """How many of its questions (follow-ups not counted) have been answered."""
        return sum(
            1 for item in self.items if item.follow_up is None and item.submitted_at is not None
        )

    def question_numbers(self) -> list[int]:
        """Each item's question number, from 1: a follow-up takes its question's (the one
        right before it), so "question 2 of 3" counts questions, not follow-ups."""
        numbers, number = [], 0
        for item in self.items:
            number += item.follow_up is None
            numbers.append(max(number, 1))
        return numbers

    def follow_up_of(self, index: int) -> SessionItem | None:
        """The follow-up asked after answer ``index``, if one was."""
        item = self._item(index)
        if item.attempt_id is None or item.follow_up is not None:
            return None
        return next((other for other in self.items if other.follows == item.attempt_id), None)

    def parent_of(self, index: int) -> SessionItem | None:
        """The answer that follow-up ``index`` follows up (``None`` for a main answer)."""
        item = self._item(index)
        if item.follows is None:
            return None
        return next((other for other in self.items if other.attempt_id == item.follows), None)

    def awaits_follow_up(self, index: int) -> bool:
        """Whether answer ``index`` waits for its follow-up: asked, and not answered or skipped
        yet (its feedback and rating come after it)."""
        follow_up = self.follow_up_of(index)
        return follow_up is not None and not _passed(follow_up)

    def interviewer_follows_up(self, index: int) -> bool:
        """Whether, in interview mode, the interviewer asks a follow-up after answer ``index``
        now (see :meth:`ask_follow_up`)."""
        return self.config.mode is SessionMode.INTERVIEW and self.can_follow_up(index)

    def can_follow_up(self, index: int) -> bool:
        """Whether a follow-up of answer ``index`` may be asked now (see :meth:`ask_follow_up`)."""
        return self._follow_up_refused(index) is None

    def _follow_up_refused(self, index: int) -> str | None:
        item = self._item(index)
        if item.follow_up is not None:
            return "a follow-up has no follow-up of its own"
        if item.status is not ItemStatus.GRADED:
            return "a follow-up is asked after the answer is graded, before its rating"
        if self.follow_up_of(index) is not None:
            return "this answer's follow-up has been asked already"
        if any(later.started_at is not None for later in self.items[index + 1 :]):
            return "a later question has been started: follow up from its page"
        if len(self.items) >= MAX_QUESTIONS:
            return f"a session holds at most {MAX_QUESTIONS} questions"
        return None

    def feedback_ready(self, index: int) -> bool:
        """Whether item ``index``'s feedback may show: graded, and in interview mode, at the end."""
        item = self._item(index)
        if item.grade is None:
            return False
        return self.config.mode is SessionMode.DRILL or self.is_answered

    # Transitions

    def start(self, now: datetime) -> SessionItem:
        """Start the clock on the current item; resuming a started item keeps its start time.

        Raises:
            SessionStateError: every question is already answered.
        """
        item = self.current
        if item is None:
            raise SessionStateError("every question of this session has been answered")
        if item.started_at is None:
            item.started_at = require_utc(now, "now")
        return item

    def save_draft(self, text: str, now: datetime) -> SessionItem:
        """Keep the answer as typed so far, so that a timeout or a lost tab submits it.

        Raises:
            SessionStateError: no question is being answered.
        """
        item = self._answering()
        require_utc(now, "now")
        item.answer = text
        return item

    def submit(
        self,
        answer: str,
        now: datetime,
        *,
        source: AnswerSource = AnswerSource.TYPED,
        attempt_id: str | None = None,
    ) -> SessionItem:
        """Submit the current answer; after the deadline it is kept as it stands and marked late.

        A submission within :data:`SUBMIT_GRACE_S` after the deadline is dated at the deadline,
        as :meth:`expire` dates one: it is the countdown's, so the time taken is the limit.

        Returns:
            The submitted item; its ``attempt_id`` is the id to save the attempt under.

        Raises:
            SessionStateError: no question is being answered.
        """
        item = self._answering()
        now = require_utc(now, "now")
        deadline = self.deadline(self.index_of(item))
        item.answer = answer
        item.source = source
        item.timed_out = deadline is not None and now > deadline
        late_by = (now - deadline).total_seconds() if deadline is not None else 0.0
        item.submitted_at = (
            deadline if deadline is not None and 0 < late_by <= SUBMIT_GRACE_S else now
        )
        item.attempt_id = attempt_id or new_id()
        return item

    def expire(self, now: datetime) -> SessionItem | None:
        """Submit the current draft if its time ran out while nobody submitted it.

        The submission is dated at the deadline, when the countdown submitted it.

        Returns:
            The item submitted, or ``None`` if nothing was overdue.
        """
        index = self.current_index
        if index is None:
            return None
        deadline = self.deadline(index)
        if deadline is None or require_utc(now, "now") <= deadline:
            return None
        item = self.items[index]
        item.submitted_at = deadline
        item.timed_out = True
        item.attempt_id = item.attempt_id or new_id()
        return item

    def skip(self, now: datetime) -> SessionItem:
        """Pass over the current question without answering it: no attempt, no score (a skip
        is not a zero) and no review; the summary shows it as skipped.

        Raises:
            SessionStateError: every question is already answered or skipped.
        """
        item = self.current
        if item is None:
            raise SessionStateError("every question of this session has been answered")
        item.skipped_at = require_utc(now, "now")
        item.answer = ""
        return item

    def retry(self, index: int) -> SessionItem:
        """Answer question ``index`` again at once: a new item right after it, graded afresh.

        The first answer stays (an attempt with its grade) but is not rated: the rating of the
        last try is the one that reaches FSRS.

        Returns:
            The new item.

        Raises:
            SessionStateError: the feedback is not shown yet, the answer is rated or already
                retried, interview mode (feedback only at the end), or the session is full.
        """
        item = self._item(index)
        if self.config.mode is not SessionMode.DRILL:
            raise SessionStateError("answers are retried in drill mode, after their feedback")
        if item.status is not ItemStatus.GRADED or not self.feedback_ready(index):
            raise SessionStateError("an answer is retried after its feedback, before its rating")
        if self.awaits_follow_up(index):
            raise SessionStateError("answer or skip the follow-up first")
        # The retry comes after the answer's own follow-up, which stays with the first try.
        after = index + 1 if self.follow_up_of(index) is None else index + 2
        if any(later.started_at is not None for later in self.items[after:]):
            raise SessionStateError("a later question has been started: retry it from its page")
        if len(self.items) >= MAX_QUESTIONS:
            raise SessionStateError(f"a session holds at most {MAX_QUESTIONS} questions")
        item.retried = True
        again = SessionItem(question=item.question, category=item.category)
        self.items.insert(after, again)
        return again

    def ask_follow_up(self, index: int, follow_up_id: str, because: str = "") -> SessionItem:
        """Ask a follow-up of answer ``index``: a new item right after it, to answer next.

        In interview mode the interviewer asks it once the answer is graded (its feedback still
        hidden); in drill mode, after the feedback and before the rating.

        Returns:
            The follow-up's item.

        Raises:
            SessionStateError: the item is a follow-up itself, is not graded (or is rated
                already), has its follow-up already, a later question has been started, or the
                session is full.
        """
        refused = self._follow_up_refused(index)
        if refused is not None:
            raise SessionStateError(refused)
        item = self.items[index]
        asked = SessionItem(
            question=item.question,
            category=item.category,
            follow_up=follow_up_id,
            follows=item.attempt_id,
            asked_because=because,
        )
        self.items.insert(index + 1, asked)
        return asked

    def attach_grade(self, index: int, grade: dict[str, Any]) -> SessionItem:
        """Attach the grader's result (``GradeResult.to_dict()``) to a submitted item.

        Raises:
            SessionStateError: the item is not submitted yet.
        """
        item = self._item(index)
        if item.submitted_at is None:
            raise SessionStateError("this answer has not been submitted yet")
        item.grade = dict(grade)
        item.suggested = suggested_rating(grade)
        return item

    def rate(self, index: int, rating: Rating | str, now: datetime) -> SessionItem:
        """Record the rating the user chose (the suggested one, or an override).

        Raises:
            SessionStateError: feedback not available yet, or the item already rated.
            ValueError: not a rating.
        """
        item = self._item(index)
        if self.config.cram:
            raise SessionStateError("a cram session rates nothing: it leaves the schedule alone")
        if item.follow_up is not None:
            # A follow-up is not a card of its own: it is never due, nor asked but after its
            # question, so FSRS has nothing to schedule. The question's rating covers it.
            raise SessionStateError("a follow-up is not rated: rate the question it follows up")
        if item.rating is not None:
            raise SessionStateError("this answer has already been rated")
        if item.retried:
            raise SessionStateError("this answer was retried: rate the last try")
        if not self.feedback_ready(index):
            raise SessionStateError(
                "rate an answer after its feedback: in interview mode, at the end"
            )
        item.rating = Rating.parse(rating)
        item.rated_at = require_utc(now, "now")
        return item

    def close_cram(self, index: int, now: datetime) -> SessionItem:
        """Move on from a crammed answer's feedback (a cram session's "rating", which logs
        nothing for FSRS).

        Raises:
            SessionStateError: not a cram session, or the feedback is not shown yet.
        """
        item = self._item(index)
        if not self.config.cram:
            raise SessionStateError("rate this answer: only a cram session moves on without")
        if item.status is not ItemStatus.GRADED or not self.feedback_ready(index):
            raise SessionStateError("move on from an answer after its feedback")
        item.crammed_at = require_utc(now, "now")
        return item

    def _item(self, index: int) -> SessionItem:
        if not 0 <= index < len(self.items):
            raise SessionStateError(f"this session has no question {index + 1}")
        return self.items[index]

    def _answering(self) -> SessionItem:
        item = self.current
        if item is None or item.started_at is None:
            raise SessionStateError("no question is being answered: start one first")
        return item

    # Summary and serialisation

    def summary(self, weakest: int = 3) -> SessionSummary:
        """Each question's score, time and ``weakest`` missed or partial key points."""
        return summarise(self.items, weakest)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "id": self.id,
            "user_id": self.user_id,
            "config": self.config.to_dict(),
            "created_at": format_utc(self.created_at),
            "items": [item.to_dict() for item in self.items],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PracticeSession:
        """Rebuild a stored session.

        Raises:
            ValueError: a session written by a newer version of the app.
        """
        version = int(data.get("format_version", 1))
        if version > FORMAT_VERSION:
            raise ValueError(f"session format {version} is newer than this app's {FORMAT_VERSION}")
        return cls(
            id=data["id"],
            user_id=data.get("user_id", LOCAL_USER_ID),
            config=SessionConfig.from_dict(data["config"]),
            created_at=parse_utc(data["created_at"]),
            items=[SessionItem.from_dict(item) for item in data["items"]],
        )


def _passed(item: SessionItem) -> bool:
    return item.submitted_at is not None or item.skipped_at is not None


__all__ = [
    "ItemStatus",
    "PracticeSession",
    "SessionConfig",
    "SessionItem",
    "SessionMode",
    "SessionOrder",
    "SessionStateError",
]
