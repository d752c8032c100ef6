"""Today's queue: due reviews (most overdue first), then new questions within the allowance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from interview_prep.practice.attempts import QuestionRef
from interview_prep.practice.queue import Candidate, QueueFilter, QueueReason, build_queue
from interview_prep.practice.scheduling import make_scheduler, schedule

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def ref(name: str, bank: str = "ml") -> QuestionRef:
    return QuestionRef(bank, name)


def reviewed(name: str, due: datetime, *, category="Fundamentals", first_seen=None, bank="ml"):
    """A candidate whose card falls due at ``due``."""
    question = ref(name, bank)
    state, _ = schedule(
        None,
        "easy",
        due - timedelta(days=8),
        question=question,
        scheduler=make_scheduler(fuzz=False),
    )
    assert state.due == due
    return Candidate(
        question, category, state=state, first_seen=first_seen or due - timedelta(days=8)
    )


def new(name: str, *, category="Fundamentals", difficulty="medium", bank="ml", first_seen=None):
    return Candidate(ref(name, bank), category, difficulty, first_seen=first_seen)


def names(queue):
    return [(item.question.question_id, item.reason.value) for item in queue.items]


def test_reviews_most_overdue_first_then_new_in_bank_order():
    candidates = [
        new("n1"),
        reviewed("due-yesterday", NOW - timedelta(days=1)),
        reviewed("due-next-week", NOW + timedelta(days=7)),
        new("n2"),
        reviewed("due-last-week", NOW - timedelta(days=7)),
        reviewed("due-tonight", NOW + timedelta(hours=8)),
        new("n3"),
    ]
    queue = build_queue(candidates, NOW, new_per_day=2)
    assert names(queue) == [
        ("due-last-week", "review"),
        ("due-yesterday", "review"),
        ("due-tonight", "review"),
        ("n1", "new"),
        ("n2", "new"),
    ]
    assert queue.due_count == 3 and queue.new_allowance == 2
    assert queue.count(QueueReason.NEW) == 2


def test_new_questions_introduced_today_use_up_the_allowance_across_banks():
    earlier_today = NOW - timedelta(hours=3)
    candidates = [
        reviewed("seen-today", NOW + timedelta(days=3), first_seen=earlier_today, bank="other"),
        new("n1"),
        new("n2"),
        new("n3"),
    ]
    queue = build_queue(candidates, NOW, new_per_day=3, where=QueueFilter(bank="ml"))
    assert queue.introduced_today == 1 and queue.new_allowance == 2
    assert names(queue) == [("n1", "new"), ("n2", "new")]
    assert build_queue(candidates, NOW, new_per_day=1).items == ()


def test_an_unrated_answer_from_today_returns_without_using_the_allowance():
    candidates = [new("n1"), new("answered-not-rated", first_seen=NOW - timedelta(hours=1))]
    queue = build_queue(candidates, NOW, new_per_day=1)
    assert names(queue) == [("answered-not-rated", "new")]
    assert build_queue(candidates, NOW, new_per_day=2).questions == [
        ref("answered-not-rated"),
        ref("n1"),
    ]


def test_an_unrated_answer_from_an_earlier_day_is_new_again_first():
    candidates = [new("n1"), new("abandoned", first_seen=NOW - timedelta(days=2))]
    assert names(build_queue(candidates, NOW, new_per_day=1)) == [("abandoned", "new")]


def test_filters_by_bank_category_and_difficulty():
    candidates = [
        new("a", category="Fundamentals", difficulty="easy"),
        new("b", category="Debugging", difficulty="easy"),
        new("c", category="Debugging", difficulty="hard"),
        new("d", category="Debugging", difficulty="hard", bank="other"),
    ]
    where = QueueFilter(bank="ml", categories=("Debugging",), difficulty="hard")
    assert names(build_queue(candidates, NOW, new_per_day=10, where=where)) == [("c", "new")]
    where = QueueFilter(categories=("Fundamentals", "Debugging"), difficulty="easy")
    assert build_queue(candidates, NOW, new_per_day=10, where=where).questions == [
        ref("a"),
        ref("b"),
    ]


def test_today_ends_at_the_users_local_midnight():
    # 22:30 UTC on 2 March is already 3 March in Tokyo (UTC+9): a card due at 10:00 UTC on
    # 3 March (19:00 in Tokyo) is due "today" there, but not in London.
    late = datetime(2026, 3, 2, 22, 30, tzinfo=UTC)
    candidates = [reviewed("r", datetime(2026, 3, 3, 10, 0, tzinfo=UTC))]
    tokyo = timezone(timedelta(hours=9))
    assert build_queue(candidates, late, new_per_day=0, tz=tokyo).questions == [ref("r")]
    assert build_queue(candidates, late, new_per_day=0, tz=UTC).questions == []


def test_limit_and_fill_top_up_with_the_soonest_due():
    candidates = [
        reviewed("due", NOW - timedelta(days=1)),
        reviewed("later", NOW + timedelta(days=9)),
        reviewed("sooner", NOW + timedelta(days=2)),
        new("n1"),
        new("n2"),
    ]
    assert names(build_queue(candidates, NOW, new_per_day=1, limit=1)) == [("due", "review")]
    assert names(build_queue(candidates, NOW, new_per_day=1, limit=4, fill=True)) == [
        ("due", "review"),
        ("n1", "new"),
        ("sooner", "extra"),
        ("later", "extra"),
    ]
    assert len(build_queue(candidates, NOW, new_per_day=1, limit=4).items) == 2
    # Past the seen ones, new questions beyond today's allowance fill a session too.
    assert names(build_queue(candidates, NOW, new_per_day=1, limit=5, fill=True))[-1] == (
        "n2",
        "extra",
    )


def test_bad_arguments():
    with pytest.raises(ValueError, match="new_per_day"):
        build_queue([], NOW, new_per_day=-1)
    with pytest.raises(ValueError, match="limit"):
        build_queue([], NOW, new_per_day=1, limit=-2)
    with pytest.raises(ValueError, match="timezone-aware"):
        build_queue([], datetime(2026, 3, 2), new_per_day=1)
