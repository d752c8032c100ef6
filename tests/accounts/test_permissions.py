"""The one permission check: every action for every kind of actor, and resources."""

from __future__ import annotations

import pytest

from interview_prep.accounts.permissions import Action, Actor, Resource, allowed
from interview_prep.accounts.users import Role

ALICE = Actor("alice", Role.CANDIDATE)
COACH = Actor("carol", Role.COACH, coaches=frozenset({"spring"}))
ADMIN = Actor("root", Role.ADMIN)

# Who may do each action at all (no resource): anonymous, candidate, coach, admin.
TABLE = {
    Action.VIEW_PUBLIC: (True, True, True, True),
    Action.VIEW_BANKS: (False, True, True, True),
    Action.GRADE: (False, True, True, True),
    Action.PRACTISE: (False, True, True, True),
    Action.VIEW_PROGRESS: (False, True, True, True),
    Action.MANAGE_OWN_ACCOUNT: (False, True, True, True),
    Action.CHOOSE_PASSWORD: (False, True, True, True),
    Action.VIEW_COHORT: (False, False, True, True),
    Action.MANAGE_COHORTS: (False, False, True, True),
    Action.MANAGE_USERS: (False, False, False, True),
    Action.MANAGE_BANKS: (False, False, False, True),
}


def test_every_action_has_a_row() -> None:
    assert set(TABLE) == set(Action)


@pytest.mark.parametrize("action", list(Action))
def test_who_may_do_each_action(action: Action) -> None:
    got = tuple(allowed(actor, action) for actor in (None, ALICE, COACH, ADMIN))
    assert got == TABLE[action]


@pytest.mark.parametrize("role", list(Role))
def test_a_one_time_password_opens_nothing_but_choosing_ones_own(role: Role) -> None:
    newcomer = Actor("nina", role, frozenset({"spring"}), must_choose_password=True)
    opened = {action for action in Action if allowed(newcomer, action)}
    assert opened == {Action.VIEW_PUBLIC, Action.CHOOSE_PASSWORD}
    assert not allowed(newcomer, Action.PRACTISE, Resource(owner_id="nina"))


def test_practice_is_only_ones_own() -> None:
    assert allowed(ALICE, Action.PRACTISE, Resource(owner_id="alice"))
    assert not allowed(ALICE, Action.PRACTISE, Resource(owner_id="bob"))
    # Not even an admin or a coach practises as someone else.
    assert not allowed(ADMIN, Action.PRACTISE, Resource(owner_id="bob"))
    assert not allowed(COACH, Action.PRACTISE, Resource(owner_id="bob"))


def test_a_coach_sees_the_progress_of_their_cohorts_only() -> None:
    in_cohort = Resource(owner_id="bob", cohort_ids=frozenset({"spring", "other"}))
    elsewhere = Resource(owner_id="dan", cohort_ids=frozenset({"autumn"}))
    assert allowed(COACH, Action.VIEW_PROGRESS, in_cohort)
    assert not allowed(COACH, Action.VIEW_PROGRESS, elsewhere)
    assert not allowed(ALICE, Action.VIEW_PROGRESS, in_cohort)
    assert allowed(ALICE, Action.VIEW_PROGRESS, Resource(owner_id="alice"))
    assert allowed(ADMIN, Action.VIEW_PROGRESS, elsewhere)


def test_a_coach_manages_only_their_cohorts() -> None:
    assert allowed(COACH, Action.VIEW_COHORT, Resource(cohort_ids=frozenset({"spring"})))
    assert not allowed(COACH, Action.VIEW_COHORT, Resource(cohort_ids=frozenset({"autumn"})))
    assert not allowed(COACH, Action.MANAGE_COHORTS, Resource(cohort_ids=frozenset()))
    assert allowed(ADMIN, Action.MANAGE_COHORTS, Resource(cohort_ids=frozenset({"autumn"})))
