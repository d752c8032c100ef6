"""The feedback paragraph: the most important finding first, every message once."""

from __future__ import annotations

from interview_prep.grading.result import Coverage, KeyPointResult, Label
from interview_prep.grading.scoring.feedback import write_feedback
from interview_prep.grading.scoring.scoring import NO_EVIDENCE_MESSAGE

POINTS = [
    KeyPointResult(0, "Stops when validation loss stops improving", 1.0, Coverage.MISSED, 0.0)
]


def _feedback(label: Label, messages: list[str]) -> list[str]:
    text = write_feedback(
        label,
        key_points=POINTS,
        misconceptions=[],
        quickfire=None,
        structure=None,
        reference_only=False,
        messages=messages,
    )
    return text.splitlines()


def test_empty_talk_is_named_first_instead_of_part_of_the_answer_being_there():
    lines = _feedback(Label.WEAK, [NO_EVIDENCE_MESSAGE, "Answered in 0:40."])
    assert lines[0] == NO_EVIDENCE_MESSAGE and lines.count(NO_EVIDENCE_MESSAGE) == 1
    assert "Part of the answer is there" not in "\n".join(lines)
    assert lines[-1] == "Answered in 0:40."


def test_otherwise_the_label_opens():
    lines = _feedback(Label.WEAK, [])
    assert lines[0].startswith("Part of the answer is there")
    assert any("Stops when validation loss stops improving" in line for line in lines)
