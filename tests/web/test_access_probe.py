"""The isolation, IDOR and CSRF probe: every route, tried as everyone who must be refused.

Two candidates and a coach share a team-mode server. Alice practises (an answer with a marker
text, a rating). Then every route of the app (the OpenAPI's and the pages', read from the app
itself so that a new route is probed without editing this file) is tried:

* logged out;
* as Bob and as the coach, on Alice's ids (and, for every page, looking for Alice's answer);
* with Bob's cookie and Alice's CSRF token;
* as Alice, with a hostile ``Origin`` or a hostile ``Host`` (DNS rebinding).

The probe counts what it tried and what got through; what got through must be nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from interview_prep.accounts.permissions import Action
from interview_prep.accounts.users import Role
from interview_prep.speech.recordings import NewRecording
from interview_prep.speech.transcript import TimedWord, Transcript
from interview_prep.storage import Database
from interview_prep.storage.accounts import DatabaseAccountStore
from interview_prep.storage.cohorts import DatabaseCohortStore
from interview_prep.storage.recordings import DatabaseRecordingStore

from .conftest import soup
from .teams import CREATED, add_user, log_in, team_app

MARKER = "alice-private-answer-7731"
SAFE = {"GET", "HEAD"}


@dataclass
class Tally:
    tried: int = 0
    got_through: list[str] = field(default_factory=list)

    def check(self, attack: str, refused: bool) -> None:
        self.tried += 1
        if not refused:
            self.got_through.append(attack)


@dataclass
class World:
    app: object
    alice: TestClient
    alice_csrf: str
    bob: TestClient
    bob_csrf: str
    coach: TestClient
    coach_csrf: str
    anonymous: TestClient
    session_id: str
    question: str
    """The question Alice answered, whose page lists her attempts."""
    cohort_id: str
    """Dora's cohort, with Alice in it."""
    invitation: str
    recording_id: str
    """Alice's recorded answer, its transcript holding the marker."""


def _action(route: APIRoute) -> Action | None:
    found = [
        dependency.call.action  # type: ignore[union-attr]
        for dependency in route.dependant.dependencies
        if hasattr(dependency.call, "action")
    ]
    assert len(found) == 1, f"{route.path} must name exactly one action, names {found}"
    return found[0]


def _api_routes(routes) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        # FastAPI 0.16x keeps an included router as one entry holding the original.
        elif hasattr(route, "original_router"):
            yield from _api_routes(route.original_router.routes)


def routes(app) -> list[tuple[str, str, Action]]:
    """Every (method, path template, action) the app serves."""
    found = []
    for route in _api_routes(app.routes):
        action = _action(route)
        for method in sorted(route.methods - {"HEAD"}):
            found.append((method, route.path, action))
    return found


@pytest.fixture
def world(study_db: Database) -> Iterator[World]:
    add_user(study_db, "alice")
    add_user(study_db, "bob")
    carol = add_user(study_db, "carol", Role.COACH)
    dora = add_user(study_db, "dora", Role.COACH)
    app = team_app(study_db)
    # Dora coaches Alice; Carol, another coach, must not see that cohort.
    cohorts = DatabaseCohortStore(study_db)
    cohort = cohorts.create("Dora's group", dora.id, CREATED)
    alice_id = DatabaseAccountStore(study_db).user_by_username("alice").id
    cohorts.join(cohort.id, alice_id, CREATED)
    carols = cohorts.create("Carol's group", carol.id, CREATED)
    invitation = cohorts.create_invitation(carols.id, carol.id, CREATED + timedelta(days=365))
    with (
        TestClient(app) as alice,
        TestClient(app) as bob,
        TestClient(app) as coach,
        TestClient(app) as anonymous,
    ):
        alice_csrf = log_in(alice, "alice")
        started = alice.post(
            "/practice/sessions",
            data={"bank": "ml-basics", "count": "1", "mode": "drill", "csrf_token": alice_csrf},
            follow_redirects=False,
        )
        session_url = started.headers["location"]
        alice.get(session_url)
        alice.post(
            f"{session_url}/answer",
            data={"index": "0", "answer": MARKER, "csrf_token": alice_csrf},
        )
        alice.post(
            f"{session_url}/rate", data={"index": "0", "rating": "good", "csrf_token": alice_csrf}
        )
        (attempt,) = alice.get("/history/export?format=json").json()["attempts"]
        assert attempt["answer"] == MARKER
        recording_id = _alices_recording(study_db, alice_id)
        assert MARKER in alice.get(f"/recordings/{recording_id}").text
        yield World(
            app,
            alice,
            alice_csrf,
            bob,
            log_in(bob, "bob"),
            coach,
            log_in(coach, "carol"),
            anonymous,
            session_url.rsplit("/", 1)[1],
            attempt["question"],
            cohort.id,
            invitation,
            recording_id,
        )


def _alices_recording(db: Database, alice_id: str) -> str:
    """A transcribed recording of Alice's (stored directly: the probe needs no real audio)."""
    recordings = DatabaseRecordingStore(db)
    recordings.save(
        NewRecording(
            "alices-recording", alice_id, "ml-basics", "adam", "audio/webm", b"audio", CREATED
        )
    )
    recordings.start_transcribing("alices-recording")
    words = (TimedWord(MARKER, 0.1, 0.9),)
    recordings.finish_transcribing(
        "alices-recording", Transcript(words, duration=1.0, model="tiny.en"), keep_audio=True
    )
    return "alices-recording"


def _url(path: str, world: World) -> str:
    values = {
        "session_id": world.session_id,
        "bank_id": "ml-basics",
        # A path that names the bank takes the question's own id, not its bank/id reference.
        "question_id": world.question.split("/", 1)[1] if "{bank_id}" in path else world.question,
        "number": "1",
        "fmt": "yaml",
        "cohort_id": world.cohort_id,
        "token": world.invitation,
        "username": "alice",
        "recording_id": world.recording_id,
    }
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda match: values[match.group(1)], path)


def _send(
    client: TestClient,
    method: str,
    url: str,
    csrf: str | None,
    headers: dict[str, str] | None = None,
):
    if method in SAFE:
        return client.request(method, url, headers=headers, follow_redirects=False)
    if url.startswith("/api/"):
        body = {"question_id": "ml-basics/gradient-descent", "answer": "probe"}
        headers = {**(headers or {}), **({"X-CSRF-Token": csrf} if csrf else {})}
        return client.request(method, url, json=body, headers=headers, follow_redirects=False)
    data = {"index": "0", "answer": "probe", "rating": "good", "bank": "ml-basics", "count": "1"}
    data |= {"name": "probe", "mode": "drill"}
    if csrf:
        data["csrf_token"] = csrf
    return client.request(method, url, data=data, headers=headers, follow_redirects=False)


def _refused_login(response) -> bool:
    """Not let in: sent to the login page, or a 401."""
    if response.status_code == 401:
        return True
    return response.status_code == 303 and response.headers["location"].startswith("/login")


def test_no_one_gets_in_where_they_do_not_belong(world: World) -> None:
    tally = Tally()
    probed = routes(world.app)
    assert len(probed) >= 20
    for method, path, action in probed:
        url = _url(path, world)
        name = f"{method} {url}"
        if action is not Action.VIEW_PUBLIC:
            response = _send(world.anonymous, method, url, None)
            tally.check(f"logged out: {name}", _refused_login(response))
        for intruder, csrf in ((world.bob, world.bob_csrf), (world.coach, world.coach_csrf)):
            if action is Action.MANAGE_OWN_ACCOUNT and method not in SAFE:
                continue  # acts on the intruder's own account (it would log them out)
            response = _send(intruder, method, url, csrf)
            tally.check(f"wrong user reads Alice's answer: {name}", MARKER not in response.text)
            ids = ("{session_id}", "{cohort_id}", "{recording_id}", "{username}")
            if any(name in path for name in ids) or action is Action.MANAGE_USERS:
                tally.check(f"wrong user on Alice's session: {name}", response.status_code == 404)
        if method not in SAFE and path != "/login":
            response = _send(world.bob, method, url, world.alice_csrf)
            tally.check(f"foreign CSRF token: {name}", response.status_code == 403)
            response = _send(world.alice, method, url, None)
            tally.check(f"no CSRF token: {name}", response.status_code == 403)
            hostile = {"Origin": "http://evil.example"}
            response = _send(world.alice, method, url, world.alice_csrf, hostile)
            tally.check(f"hostile Origin: {name}", response.status_code == 403)
        response = _send(world.alice, method, url, world.alice_csrf, {"Host": "evil.example"})
        tally.check(f"hostile Host: {name}", response.status_code == 400)
    print(f"\naccess probe: {tally.tried} tried, {len(tally.got_through)} got through")
    assert tally.got_through == [], tally.got_through
    assert tally.tried >= 140
    # The intruders stayed logged in (so every try was a real one), and Alice's data was
    # untouched by all of it.
    assert world.bob.get("/api/banks").status_code == 200
    assert world.coach.get("/api/banks").status_code == 200
    assert MARKER in world.alice.get("/history/export?format=json").text
    assert world.alice.get(f"/recordings/{world.recording_id}/audio").content == b"audio"


def test_every_route_names_one_action(world: World) -> None:
    actions = {action for _, _, action in routes(world.app)}
    assert {Action.VIEW_PUBLIC, Action.VIEW_BANKS, Action.PRACTISE, Action.GRADE} <= actions


def test_a_wrong_users_pages_show_only_their_own_practice(world: World) -> None:
    assert MARKER in world.alice.get(f"/questions/{world.question}").text
    page = soup(world.bob.get(f"/questions/{world.question}").text)
    assert MARKER not in page.text
    assert world.bob.get("/history/export?format=csv").text.count("\n") <= 1
