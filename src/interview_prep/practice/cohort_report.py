"""A cohort's dashboard from its members' attempts: who practised, mastery per category, the
questions the cohort gets wrong most, each person's weekly trend, progress on assignments.

Pure: it reads :class:`Attempt` values and returns dataclasses; the web layer fetches and renders.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import fmean

from .attempts import Attempt, QuestionRef
from .mastery import masteries
from .scheduling import CardState

TREND_WEEKS = 6
MISSED_LISTED = 10
# A graded answer under this score (of 5) counts as missed.
MISSED_BELOW = 2.5


@dataclass(frozen=True)
class Member:
    user_id: str
    name: str


@dataclass(frozen=True)
class MemberSummary:
    member: Member
    attempts: int
    last_practised: datetime | None
    mean_score: float | None
    trend: tuple[float | None, ...]
    """Mean score per week, oldest first, the last entry the current week."""
    practised_this_week: bool


@dataclass(frozen=True)
class CategoryMastery:
    category: str
    mean_score: float
    attempts: int
    people: int
    mastery: float = 0.0
    """0-1: the mean, over each member's questions in it, of their mastery (see
    :mod:`.mastery`: the whole history of scores, times FSRS retrievability)."""


@dataclass(frozen=True)
class MissedQuestion:
    question: QuestionRef
    category: str
    missed: int
    attempts: int
    people: int
    mean_score: float


@dataclass(frozen=True)
class AssignmentScope:
    """What an assignment covers: its questions, and the date they are due."""

    id: str
    title: str
    due_at: datetime
    questions: frozenset[QuestionRef]


@dataclass(frozen=True)
class AssignmentProgress:
    assignment: AssignmentScope
    done: dict[str, int]
    """Per member id, how many of the assignment's questions they answered by the due date."""

    @property
    def total(self) -> int:
        return len(self.assignment.questions)

    def share(self, user_id: str) -> float:
        return self.done.get(user_id, 0) / self.total if self.total else 0.0


@dataclass(frozen=True)
class CohortReport:
    members: tuple[MemberSummary, ...]
    categories: tuple[CategoryMastery, ...]
    missed: tuple[MissedQuestion, ...]
    assignments: tuple[AssignmentProgress, ...]
    week_starts: tuple[datetime, ...]

    @property
    def practised_this_week(self) -> int:
        return sum(summary.practised_this_week for summary in self.members)


def _mean(values: Sequence[float]) -> float | None:
    return fmean(values) if values else None


def build_report(
    members: Sequence[Member],
    attempts: Mapping[str, Sequence[Attempt]],
    now: datetime,
    assignments: Sequence[AssignmentScope] = (),
    states: Mapping[str, Mapping[QuestionRef, CardState]] | None = None,
) -> CohortReport:
    """The dashboard of ``members`` given each one's attempts (by user id) at ``now``, and
    each one's FSRS cards (by user id) for their mastery."""
    this_week = now - timedelta(days=7)
    starts = tuple(now - timedelta(days=7 * (TREND_WEEKS - week)) for week in range(TREND_WEEKS))
    summaries = []
    by_category: dict[str, list[tuple[str, float]]] = defaultdict(list)
    by_question: dict[QuestionRef, list[tuple[str, float]]] = defaultdict(list)
    categories_of: dict[QuestionRef, str] = {}
    mastered: dict[str, list[float]] = defaultdict(list)
    for member in members:
        own = attempts.get(member.user_id, ())
        cards = (states or {}).get(member.user_id, {})
        for ref, known in masteries(own, cards, now).items():
            category = next(a.category for a in own if a.question == ref)
            mastered[category].append(known.value)
        graded = [(a, a.score) for a in own if a.score is not None]
        weekly = []
        for start in starts:
            end = start + timedelta(days=7)
            weekly.append(_mean([s for a, s in graded if start < a.submitted_at <= end]))
        for attempt, score in graded:
            by_category[attempt.category].append((member.user_id, score))
            by_question[attempt.question].append((member.user_id, score))
            categories_of[attempt.question] = attempt.category
        summaries.append(
            MemberSummary(
                member=member,
                attempts=len(own),
                last_practised=max((a.submitted_at for a in own), default=None),
                mean_score=_mean([s for _, s in graded]),
                trend=tuple(weekly),
                practised_this_week=any(a.submitted_at > this_week for a in own),
            )
        )
    mastery = sorted(
        (
            CategoryMastery(
                name,
                fmean(s for _, s in scores),
                len(scores),
                len({u for u, _ in scores}),
                fmean(mastered[name]) if mastered[name] else 0.0,
            )
            for name, scores in by_category.items()
        ),
        key=lambda row: (row.mastery, row.mean_score, row.category),
    )
    missed = [
        MissedQuestion(
            question=ref,
            category=categories_of[ref],
            missed=sum(score < MISSED_BELOW for _, score in scores),
            attempts=len(scores),
            people=len({u for u, _ in scores}),
            mean_score=fmean(s for _, s in scores),
        )
        for ref, scores in by_question.items()
    ]
    missed = sorted(
        (row for row in missed if row.missed),
        key=lambda row: (-row.missed, row.mean_score, row.question.key),
    )[:MISSED_LISTED]
    progress = []
    for scope in assignments:
        done = {
            member.user_id: len(
                {
                    a.question
                    for a in attempts.get(member.user_id, ())
                    if a.question in scope.questions and a.submitted_at <= scope.due_at
                }
            )
            for member in members
        }
        progress.append(AssignmentProgress(scope, done))
    return CohortReport(tuple(summaries), tuple(mastery), tuple(missed), tuple(progress), starts)


CSV_COLUMNS = ["user", "name", "attempts", "mean_score", "last_practised", "practised_this_week"]


def report_to_csv(report: CohortReport) -> str:
    """One row per member: attempts, mean score, last practice, weekly trend, assignments."""
    weeks = [f"week_{start:%Y-%m-%d}" for start in report.week_starts]
    work = [f"assignment_{p.assignment.id}" for p in report.assignments]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, *weeks, *work])
    for summary in report.members:
        writer.writerow(
            [
                summary.member.user_id,
                _cell(summary.member.name),
                summary.attempts,
                "" if summary.mean_score is None else f"{summary.mean_score:.2f}",
                summary.last_practised.isoformat() if summary.last_practised else "",
                "true" if summary.practised_this_week else "false",
                *("" if week is None else f"{week:.2f}" for week in summary.trend),
                *(f"{p.done.get(summary.member.user_id, 0)}/{p.total}" for p in report.assignments),
            ]
        )
    return buffer.getvalue()


def _cell(text: str) -> str:
    # A spreadsheet runs a cell that starts with = + - @ as a formula: keep names as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
