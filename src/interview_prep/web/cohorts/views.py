"""What the cohort pages show: a coach's cohorts, and one cohort's dashboard and export."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request

from ...accounts.permissions import Action, Resource
from ...practice.attempts import QuestionRef
from ...practice.cohort_report import AssignmentScope, CohortReport, Member, build_report
from ...storage.cohorts import Cohort
from ..auth import actor_of, ensure


def cohort_for(request: Request, cohort_id: str, action: Action) -> Cohort:
    """A cohort the visitor may act on; anyone else's answers as not found.

    Raises:
        NotFoundError: no such cohort, or not one the visitor coaches.
    """
    ensure(request, action, Resource(cohort_ids=frozenset({cohort_id})))
    cohort: Cohort = request.app.state.cohorts.get(cohort_id)
    return cohort


def visible_cohorts(request: Request) -> list[Cohort]:
    """The cohorts the visitor coaches (an admin sees every one)."""
    actor = actor_of(request)
    cohorts: list[Cohort] = request.app.state.cohorts.all()
    from ...accounts.permissions import allowed

    return [
        cohort
        for cohort in cohorts
        if allowed(actor, Action.VIEW_COHORT, Resource(cohort_ids=frozenset({cohort.id})))
    ]


def report_of(request: Request, cohort: Cohort) -> CohortReport:
    """The cohort's dashboard: its members' attempts, assignments over the current questions."""
    state = request.app.state
    members = [
        Member(member.user_id, member.name)
        for member in state.cohorts.members(cohort.id)
        if member.role == "member"
    ]
    attempts = {member.user_id: state.practice.attempts(member.user_id) for member in members}
    records = state.questions.get().records
    titles = {bank.id: bank.title for bank in state.banks.all()}
    scopes = []
    for assignment in state.cohorts.assignments(cohort.id):
        questions = frozenset(
            QuestionRef(record.bank_id, record.question.id)
            for record in records
            if record.bank_id == assignment.bank_id
            and (assignment.category is None or record.question.category == assignment.category)
        )
        title = titles.get(assignment.bank_id, assignment.bank_id)
        if assignment.category:
            title += f" · {assignment.category}"
        scopes.append(AssignmentScope(assignment.id, title, assignment.due_at, questions))
    now: datetime = state.clock()
    states = {member.user_id: state.practice.card_states(member.user_id) for member in members}
    return build_report(members, attempts, now, scopes, states)


def dashboard_context(request: Request, cohort: Cohort, **extra: Any) -> dict[str, Any]:
    report = report_of(request, cohort)
    banks = request.app.state.banks.all()
    return {
        "cohort": cohort,
        "report": report,
        "banks": banks,
        "coaches": [m for m in request.app.state.cohorts.members(cohort.id) if m.role == "coach"],
        **extra,
    }
