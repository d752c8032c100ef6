"""The practice store in the database: attempts, FSRS card states, the review log and sessions.

:class:`DatabasePracticeStore` is the :class:`~interview_prep.practice.store.PracticeStore` the
app uses. Each method runs in one transaction of its own; every write takes a write session
(``BEGIN IMMEDIATE`` on SQLite) and inserts that may race with another process are upserts, so
several app processes (web workers, a CLI command) can share one database.

Attempts, card states and review logs reference their question by ``(bank_id, question_id)``
with a foreign key, so practice on a question that is not stored is refused, and a bank's
practice goes when the bank is deleted (see :mod:`.schema`). Sessions hold their questions
inside a JSON document, which no foreign key can see: :func:`delete_sessions_of_bank` removes
them with the bank instead.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Text, cast, delete, func, select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from ..errors import (
    ConflictError,
    InterviewPrepError,
    InvalidInputError,
    NotFoundError,
    StaleWriteError,
)
from ..practice.attempts import Attempt, QuestionRef
from ..practice.plan import InterviewPlan
from ..practice.scheduling import CardState, ReviewLogEntry
from ..practice.sessions import PracticeSession
from .database import Database, dialect_insert
from .practice_records import attempt_record, review_entry
from .schema import (
    AttemptRow,
    CardStateRow,
    InterviewPlanRow,
    PracticeSessionRow,
    QuestionRow,
    ReviewLogRow,
    utcnow,
)


class DatabasePracticeStore:
    """A :class:`~interview_prep.practice.store.PracticeStore` in the app's database.

    Every method is scoped to one user id, and returns timezone-aware UTC datetimes on SQLite
    and PostgreSQL alike.
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    def __repr__(self) -> str:
        return f"DatabasePracticeStore({self.db!r})"

    # Attempts

    def save_attempt_before_grading(
        self, attempt: Attempt, session_document: PracticeSession | None = None
    ) -> None:
        """Insert an ungraded attempt, committed before this returns.

        Args:
            session_document: the session that now names the attempt, written in the same
                transaction: both are stored or neither is, whatever stops the process.

        Raises:
            ConflictError: an attempt with this id exists (for any user).
            StaleWriteError: the session already has an attempt at this item (the same
                answer sent twice at once, perhaps to two processes), or the session document
                was moved on by another request; nothing is written.
            NotFoundError: the attempt's question is not stored.
            InvalidInputError: the answer cannot be stored (PostgreSQL refuses NUL characters).
        """
        try:
            with self.db.session(write=True) as session:
                if session.get(AttemptRow, attempt.id) is not None:
                    raise _attempt_taken(attempt.id)
                session.add(_attempt_row(attempt))
                if session_document is not None:
                    session.flush()  # the attempt's own conflicts first, then the document's
                    self._write_session(session, session_document)
        except IntegrityError as error:
            # Another process saved this id between our check and our insert, or the question
            # is missing: ask again in a fresh transaction which of the two it was.
            raise self._explain(
                error,
                attempt.question,
                attempt_id=attempt.id,
                session_item=(attempt.session_id, attempt.session_item),
            ) from error
        except DataError as error:
            raise InvalidInputError(f"the answer cannot be stored: {error.orig}") from error

    def attach_grade(
        self,
        user_id: str,
        attempt_id: str,
        grade: dict[str, Any],
        session_document: PracticeSession | None = None,
    ) -> Attempt:
        """Store the grade of a saved attempt (replacing any earlier one).

        Args:
            session_document: the session showing the grade, written in the same transaction.

        Returns:
            The graded attempt, as :meth:`attempts` will return it.

        Raises:
            NotFoundError: the user has no attempt with this id.
        """
        with self.db.session(write=True) as session:
            row = session.get(AttemptRow, attempt_id)
            if row is None or row.user_id != user_id:
                raise NotFoundError(f"no attempt {attempt_id!r}")
            row.grade = dict(grade)
            session.flush()
            session.refresh(row)  # the grade as stored (through JSON), as later reads see it
            if session_document is not None:
                self._write_session(session, session_document)
            return attempt_record(row)

    def attempts(self, user_id: str, question: QuestionRef | None = None) -> list[Attempt]:
        """The user's attempts (at one question, if given), oldest submission first; answers
        to follow-ups are left out (see :meth:`follow_up_attempts`)."""
        return self._answers(user_id, question, AttemptRow.follow_up.is_(None))

    def follow_up_attempts(
        self, user_id: str, question: QuestionRef | None = None
    ) -> list[Attempt]:
        """The user's answers to follow-ups (of ``question``, if given), oldest submission
        first."""
        return self._answers(user_id, question, AttemptRow.follow_up.is_not(None))

    def _answers(
        self, user_id: str, question: QuestionRef | None, kind: ColumnElement[bool]
    ) -> list[Attempt]:
        statement = select(AttemptRow).where(AttemptRow.user_id == user_id, kind)
        if question is not None:
            statement = statement.where(*_is_question(AttemptRow, question))
        statement = statement.order_by(AttemptRow.submitted_at, AttemptRow.id)
        with self.db.session() as session:
            return [attempt_record(row) for row in session.scalars(statement)]

    def first_seen(self, user_id: str) -> dict[QuestionRef, datetime]:
        """When the user first submitted an answer to each question they have answered, outside
        cram sessions (cramming leaves the schedule, new questions included, alone)."""
        first = func.min(AttemptRow.submitted_at)
        statement = (
            select(AttemptRow.bank_id, AttemptRow.question_id, first)
            .where(
                AttemptRow.user_id == user_id,
                AttemptRow.cram.is_(False),
                AttemptRow.follow_up.is_(None),
            )
            .group_by(AttemptRow.bank_id, AttemptRow.question_id)
        )
        with self.db.session() as session:
            return {
                QuestionRef(bank_id, question_id): seen
                for bank_id, question_id, seen in session.execute(statement)
            }

    # Scheduling

    def record_review(
        self,
        user_id: str,
        state: CardState,
        entry: ReviewLogEntry,
        session_document: PracticeSession | None = None,
    ) -> None:
        """Replace the card state of ``entry.question`` and append ``entry`` to the review log,
        in one transaction: both are stored or neither is (and ``session_document``, the
        session showing the rating, with them).

        Raises:
            ConflictError: a review with this entry's id is already logged.
            StaleWriteError: the entry's attempt is already reviewed (two ratings at once).
            NotFoundError: the question is not stored.
        """
        try:
            with self.db.session(write=True) as session:
                self._upsert_card_state(session, user_id, entry.question, state)
                session.add(_review_row(user_id, entry))
                if session_document is not None:
                    session.flush()
                    self._write_session(session, session_document)
        except IntegrityError as error:
            raise self._explain(
                error, entry.question, review_id=entry.id, reviewed_attempt=entry.attempt_id
            ) from error

    def _upsert_card_state(
        self, session: Session, user_id: str, question: QuestionRef, state: CardState
    ) -> None:
        # An upsert, not read-then-write: two processes rating a new question at once would
        # otherwise both insert it on PostgreSQL, where a write session does not exclude others.
        insert = dialect_insert(self.db.dialect)
        statement = insert(CardStateRow).values(
            user_id=user_id,
            bank_id=question.bank_id,
            question_id=question.question_id,
            card=dict(state.card),
            due=state.due,
            reps=state.reps,
            lapses=state.lapses,
        )
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["user_id", "bank_id", "question_id"],
                set_={name: statement.excluded[name] for name in ("card", "due", "reps", "lapses")},
            )
        )

    def card_state(self, user_id: str, question: QuestionRef) -> CardState | None:
        """The question's scheduling state, or ``None`` if the user never rated it."""
        with self.db.session() as session:
            row = session.get(CardStateRow, (user_id, question.bank_id, question.question_id))
            return _card_state(row) if row is not None else None

    def card_states(self, user_id: str) -> dict[QuestionRef, CardState]:
        """Every scheduling state of the user."""
        statement = select(CardStateRow).where(CardStateRow.user_id == user_id)
        with self.db.session() as session:
            return {
                QuestionRef(row.bank_id, row.question_id): _card_state(row)
                for row in session.scalars(statement)
            }

    def review_logs(
        self, user_id: str, question: QuestionRef | None = None
    ) -> list[ReviewLogEntry]:
        """The user's reviews (of one question, if given), oldest first."""
        statement = select(ReviewLogRow).where(ReviewLogRow.user_id == user_id)
        if question is not None:
            statement = statement.where(*_is_question(ReviewLogRow, question))
        statement = statement.order_by(ReviewLogRow.reviewed_at, ReviewLogRow.pk)
        with self.db.session() as session:
            return [review_entry(row) for row in session.scalars(statement)]

    # Sessions

    def save_session(self, session: PracticeSession) -> None:
        """Insert or replace a session under its user and id.

        Raises:
            StaleWriteError: the stored session has come further than this copy of it (another
                request answered, graded or rated meanwhile): the copy is not written.
            InvalidInputError: the session cannot be stored.
        """
        with self.db.session(write=True) as transaction:
            self._write_session(transaction, session)

    def _write_session(self, transaction: Session, session: PracticeSession) -> None:
        """Upsert ``session`` inside ``transaction`` (see :meth:`save_session`)."""
        insert = dialect_insert(self.db.dialect)
        statement = insert(PracticeSessionRow).values(
            user_id=session.user_id,
            id=session.id,
            data=session.to_dict(),
            created_at=session.created_at,
            updated_at=utcnow(),
            finished=session.is_finished,
            progress=session_progress(session),
        )
        upsert = statement.on_conflict_do_update(
            index_elements=["user_id", "id"],
            set_={
                name: statement.excluded[name]
                for name in ("data", "updated_at", "finished", "progress")
            },
            # A copy with as much progress as the stored one (a newer draft) replaces it; a copy
            # with less was loaded before another request moved the session on.
            where=PracticeSessionRow.progress <= statement.excluded.progress,
        ).returning(PracticeSessionRow.id)
        try:
            # RETURNING, not rowcount: psycopg reports -1 for this upsert.
            written = len(transaction.execute(upsert).all())
        except DataError as error:
            raise InvalidInputError(f"the session cannot be stored: {error.orig}") from error
        if written == 0:
            raise StaleWriteError("this session was moved on by another request")

    def load_session(self, user_id: str, session_id: str) -> PracticeSession | None:
        """A stored session of the user, or ``None``."""
        with self.db.session() as session:
            row = session.get(PracticeSessionRow, (user_id, session_id))
            return PracticeSession.from_dict(row.data) if row is not None else None

    def unfinished_sessions(self, user_id: str) -> list[PracticeSession]:
        """The user's sessions not finished yet, most recently created first."""
        statement = (
            select(PracticeSessionRow.data)
            .where(
                PracticeSessionRow.user_id == user_id,
                PracticeSessionRow.finished.is_(False),
            )
            .order_by(PracticeSessionRow.created_at.desc(), PracticeSessionRow.id.desc())
        )
        with self.db.session() as session:
            return [PracticeSession.from_dict(data) for data in session.scalars(statement)]

    # The interview date

    def interview_plan(self, user_id: str) -> InterviewPlan | None:
        """The user's interview date and scope, if they set one."""
        with self.db.session() as session:
            row = session.get(InterviewPlanRow, user_id)
            if row is None:
                return None
            return InterviewPlan.from_dict({**row.scope, "interview_on": row.interview_on})

    def save_interview_plan(self, user_id: str, plan: InterviewPlan | None) -> None:
        """Set (an upsert, so two tabs setting it at once both succeed) or clear the plan."""
        with self.db.session(write=True) as session:
            if plan is None:
                session.execute(delete(InterviewPlanRow).where(InterviewPlanRow.user_id == user_id))
                return
            insert = dialect_insert(self.db.dialect)
            statement = insert(InterviewPlanRow).values(
                user_id=user_id,
                interview_on=plan.interview_on,
                scope={"bank": plan.bank, "categories": list(plan.categories)},
                set_at=utcnow(),
            )
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=["user_id"],
                    set_={
                        name: statement.excluded[name]
                        for name in ("interview_on", "scope", "set_at")
                    },
                )
            )

    # Errors

    def _explain(
        self,
        error: IntegrityError,
        question: QuestionRef,
        *,
        attempt_id: str | None = None,
        session_item: tuple[str | None, int | None] = (None, None),
        review_id: str | None = None,
        reviewed_attempt: str | None = None,
    ) -> InterviewPrepError | IntegrityError:
        """The error a person can read for a refused write, or ``error`` itself if it is a bug."""
        with self.db.session() as session:
            if attempt_id is not None and session.get(AttemptRow, attempt_id) is not None:
                return _attempt_taken(attempt_id)
            session_id, place = session_item
            if session_id is not None and session.scalar(
                select(AttemptRow.id).where(
                    AttemptRow.session_id == session_id, AttemptRow.session_item == place
                )
            ):
                return StaleWriteError(f"question {question.key} of this session is answered")
            if reviewed_attempt is not None and session.scalar(
                select(ReviewLogRow.pk).where(ReviewLogRow.attempt_id == reviewed_attempt)
            ):
                return StaleWriteError("this answer is already rated")
            if review_id is not None and session.scalar(
                select(ReviewLogRow.pk).where(ReviewLogRow.id == review_id)
            ):
                return ConflictError(f"review {review_id} is already logged")
            stored = session.scalar(
                select(QuestionRow.pk).where(*_is_question(QuestionRow, question))
            )
        if stored is None:
            return NotFoundError(f"no question {question.key!r} to practise")
        return error


def session_progress(session: PracticeSession) -> int:
    """How many steps the session has taken: each item added, started, submitted, graded,
    rated, skipped or retried counts one. Every change but a draft adds to it, so it orders
    copies of one session."""
    return len(session.items) + sum(
        (item.started_at is not None)
        + (item.submitted_at is not None)
        + (item.grade is not None)
        + (item.rating is not None)
        + (item.skipped_at is not None)
        + item.retried
        + (item.crammed_at is not None)
        for item in session.items
    )


def delete_sessions_of_bank(session: Session, bank_id: str) -> int:
    """Delete every practice session that has a question of ``bank_id``, in the caller's
    transaction (deleting the bank). Returns how many were deleted.

    A session's questions live in its JSON document, out of reach of the foreign keys that take
    the bank's attempts and reviews with it; left behind, an unfinished one would be offered to
    resume and fail on its missing questions.
    """
    # The text search only narrows the rows to read (bank ids are slugs, which JSON never
    # escapes); each candidate is then checked properly.
    candidates = session.execute(
        select(PracticeSessionRow.user_id, PracticeSessionRow.id, PracticeSessionRow.data).where(
            cast(PracticeSessionRow.data, Text).contains(f'"{bank_id}/', autoescape=True)
        )
    ).all()
    doomed = [
        (user_id, session_id)
        for user_id, session_id, data in candidates
        if any(_bank_of(item.get("question")) == bank_id for item in data.get("items", ()))
    ]
    for user_id, session_id in doomed:
        session.execute(
            delete(PracticeSessionRow).where(
                PracticeSessionRow.user_id == user_id, PracticeSessionRow.id == session_id
            )
        )
    return len(doomed)


def _bank_of(key: object) -> str | None:
    return key.partition("/")[0] if isinstance(key, str) else None


def _attempt_taken(attempt_id: str) -> ConflictError:
    return ConflictError(f"attempt {attempt_id} is already saved")


def _is_question(
    table: type[AttemptRow | ReviewLogRow | QuestionRow], question: QuestionRef
) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return table.bank_id == question.bank_id, table.question_id == question.question_id


# Rows and records


def _attempt_row(attempt: Attempt) -> AttemptRow:
    return AttemptRow(
        id=attempt.id,
        user_id=attempt.user_id,
        bank_id=attempt.question.bank_id,
        question_id=attempt.question.question_id,
        category=attempt.category,
        answer=attempt.answer,
        source=attempt.source.value,
        started_at=attempt.started_at,
        submitted_at=attempt.submitted_at,
        timed_out=attempt.timed_out,
        session_id=attempt.session_id,
        session_item=attempt.session_item,
        cram=attempt.cram,
        follow_up=attempt.follow_up,
        grade=dict(attempt.grade) if attempt.grade is not None else None,
    )


def _card_state(row: CardStateRow) -> CardState:
    return CardState(card=dict(row.card), due=row.due, reps=row.reps, lapses=row.lapses)


def _review_row(user_id: str, entry: ReviewLogEntry) -> ReviewLogRow:
    return ReviewLogRow(
        id=entry.id,
        user_id=user_id,
        bank_id=entry.question.bank_id,
        question_id=entry.question.question_id,
        card_id=entry.card_id,
        rating=entry.rating.value,
        reviewed_at=entry.reviewed_at,
        phase_before=entry.phase_before.value if entry.phase_before else None,
        due_before=entry.due_before,
        due_after=entry.due_after,
        suggested=entry.suggested.value if entry.suggested else None,
        attempt_id=entry.attempt_id,
        duration_ms=entry.duration_ms,
    )


__all__ = ["DatabasePracticeStore", "delete_sessions_of_bank"]
