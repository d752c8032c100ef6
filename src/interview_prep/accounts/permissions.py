"""Who may do what: named actions and the one function that decides.

Borrowed from Datasette: every route names the action it performs, and one check,
:func:`allowed`, answers for an actor, an action and (optionally) the resource acted on. Nothing
else in the app decides access, so this file is the whole policy and its tests are the proof.

An actor is ``None`` for a visitor who has not logged in. In single-user mode the visitor is the
local user, an admin, so the policy is the same code in both modes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from .users import Role


class Action(enum.StrEnum):
    """Everything a request can do, by name."""

    VIEW_PUBLIC = "view-public"
    """The login page, the API documentation, static files: open to anyone."""
    VIEW_BANKS = "view-banks"
    """Read banks and questions, search them (pages and API)."""
    GRADE = "grade"
    """Grade an answer without keeping it (``POST /api/grade``)."""
    PRACTISE = "practise"
    """Keep one's own practice: sessions, attempts, ratings."""
    VIEW_PROGRESS = "view-progress"
    """See a user's progress and history (the resource names its owner)."""
    CHOOSE_PASSWORD = "choose-password"
    """Replace a one-time password with one's own: the only thing such a login may do."""
    MANAGE_OWN_ACCOUNT = "manage-own-account"
    """Log out (here or everywhere), make API tokens for oneself."""
    VIEW_COHORT = "view-cohort"
    """See a cohort's dashboard and export it."""
    MANAGE_COHORTS = "manage-cohorts"
    """Make cohorts, invite people to them, assign work."""
    MANAGE_USERS = "manage-users"
    """Add, disable and reset the passwords of accounts."""
    MANAGE_BANKS = "manage-banks"
    """Import, edit and delete banks."""


@dataclass(frozen=True)
class Actor:
    """A logged-in user, as the permission check sees them."""

    user_id: str
    role: Role
    coaches: frozenset[str] = field(default_factory=frozenset)
    """Ids of the cohorts this user coaches."""
    must_choose_password: bool = False
    """Logged in with a one-time password: only choosing their own is open to them."""


@dataclass(frozen=True)
class Resource:
    """What an action is performed on, where that matters."""

    owner_id: str | None = None
    """The user whose data it is."""
    cohort_ids: frozenset[str] = field(default_factory=frozenset)
    """Cohorts the owner belongs to, or the one cohort acted on."""


_ANY_USER = frozenset(
    {
        Action.VIEW_BANKS,
        Action.GRADE,
        Action.PRACTISE,
        Action.MANAGE_OWN_ACCOUNT,
        Action.CHOOSE_PASSWORD,
    }
)
_BEFORE_CHOOSING_A_PASSWORD = frozenset({Action.VIEW_PUBLIC, Action.CHOOSE_PASSWORD})
_ADMIN_ONLY = frozenset({Action.MANAGE_USERS, Action.MANAGE_BANKS})


def allowed(actor: Actor | None, action: Action, resource: Resource | None = None) -> bool:
    """Whether ``actor`` may perform ``action`` (on ``resource``, if given).

    Args:
        actor: the logged-in user, or ``None`` for a visitor who has not logged in.
        action: what the request does.
        resource: whose data or which cohort; without it, whether the action is open to the
            actor at all (a route's own check, before any record is read).

    Returns:
        True if the action is allowed. Callers answer a refusal on someone's record as "not
        found", so that ids never reveal what exists.
    """
    if action is Action.VIEW_PUBLIC:
        return True
    if actor is None:
        return False
    if actor.must_choose_password and not open_before_choosing_a_password(action):
        return False
    admin = actor.role is Role.ADMIN
    if action in _ADMIN_ONLY:
        return admin
    if action in _ANY_USER:
        return resource is None or resource.owner_id in (None, actor.user_id)
    if action is Action.VIEW_PROGRESS:
        if resource is None or resource.owner_id == actor.user_id or admin:
            return True
        return actor.role is Role.COACH and bool(actor.coaches & resource.cohort_ids)
    if action in (Action.VIEW_COHORT, Action.MANAGE_COHORTS):
        if admin:
            return True
        if actor.role is not Role.COACH:
            return False
        return resource is None or bool(actor.coaches & resource.cohort_ids)
    raise AssertionError(f"no rule for action {action!r}")  # a new Action needs its rule here


def open_before_choosing_a_password(action: Action) -> bool:
    """Whether a user logged in with a one-time password may do ``action`` before choosing their
    own: nothing but that (and what anyone may do), so the password handed over is good for
    one thing only."""
    return action in _BEFORE_CHOOSING_A_PASSWORD
