"""Every misconception of the bundled ML bank against its own signals, with the real model.

(i) a misconception's own claim triggers it; (ii) so does a paraphrase in a candidate's words
(``misconception_paraphrases.yaml``, one per misconception); (iii) nothing the bank says is right
triggers any misconception: no key point, no correction, no good answer of ``ml_bank_answers.yaml``,
and no model answer except where an erratum says the model answer itself is wrong (listed below).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from interview_prep.domain import Bank, Question
from interview_prep.formats import load_bank_file
from interview_prep.grading.evidence.answers import view_answer
from interview_prep.grading.evidence.misconceptions import find_stated, sentence_views
from interview_prep.grading.evidence.rubric import Rubric, build_rubric
from interview_prep.grading.models.embedders import get_embedder
from interview_prep.grading.result import MisconceptionFinding

HERE = Path(__file__).parent
BANK_FILE = HERE.parents[2] / "src" / "interview_prep" / "data" / "banks" / "ml-engineer.yaml"
PARAPHRASES: list[dict[str, str]] = yaml.safe_load(
    (HERE / "misconception_paraphrases.yaml").read_text("utf-8")
)
GOOD_ANSWERS: dict[str, list[str]] = {}
for _block in yaml.safe_load((HERE.parent / "ml_bank_answers.yaml").read_text("utf-8")):
    for _answer in _block["answers"]:
        # Held-out answers are measured apart, never used as a target here.
        if _answer["kind"] == "good" and not _answer.get("held_out"):
            GOOD_ANSWERS.setdefault(_block["question"], []).append(_answer["text"])

# Model answers that state one of their question's misconceptions, each where an erratum quotes
# that very passage as wrong: these findings are right.
ERRATA_FINDINGS = {
    ("overfitting", "Cross-validation prevents overfitting"),
    (
        "validation-set",
        "The validation score is a fine number to report as final model performance",
    ),
    ("bagging-vs-boosting", "Bagging, like boosting, combines weak learners"),
    ("training-serving-skew", "Using a feature store guarantees there is no training-serving skew"),
    ("gpu-out-of-memory", "Mixed precision stores the weights in FP16 and halves total memory"),
    (
        "imbalanced-gpu-utilization",
        "DDP synchronizes gradients asynchronously, so the GPUs never wait for each other",
    ),
}

BANK: Bank = load_bank_file(BANK_FILE)
WITH_MISCONCEPTIONS = [q for q in BANK.questions if q.misconceptions]
# Misconceptions authored with rewordings but no signals are left to the learned judge; the
# signal rules are held to the ones that have signals.
WITH_SIGNALS = [q for q in WITH_MISCONCEPTIONS if any(m.signals for m in q.misconceptions)]


@cache
def _rubric(question_id: str) -> Rubric:
    question = BANK.question(question_id)
    assert question is not None
    return build_rubric(question, get_embedder())


def stated(question: Question, text: str) -> list[MisconceptionFinding]:
    rubric = _rubric(question.id)
    view = view_answer(text, rubric.keys, get_embedder())
    return find_stated(rubric, sentence_views(view), text)


def _misconceptions() -> list[Any]:
    return [
        pytest.param(question, number, id=f"{question.id}-{number}")
        for question in WITH_SIGNALS
        for number, item in enumerate(question.misconceptions)
        if item.signals
    ]


def test_every_misconception_has_one_paraphrase():
    expected = sorted((q.id, m.claim) for q in WITH_SIGNALS for m in q.misconceptions if m.signals)
    given = sorted((p["question"], p["claim"]) for p in PARAPHRASES)
    assert given == expected
    for entry in PARAPHRASES:
        assert entry["paraphrase"].strip().lower() != entry["claim"].strip().lower()


def test_every_signal_is_a_short_word_group():
    for question in WITH_MISCONCEPTIONS:
        for item in question.misconceptions:
            assert item.signals or item.examples, (question.id, item.claim)
            for group in item.signals:
                assert 1 <= len(group) <= 3, (question.id, group)
                assert all(len(word.split()) <= 4 for word in group), (question.id, group)


@pytest.mark.parametrize(("question", "number"), _misconceptions())
def test_the_claim_itself_triggers_its_misconception(question, number):
    claim = question.misconceptions[number].claim
    assert claim in [f.claim for f in stated(question, claim)]


@pytest.mark.parametrize(("question", "number"), _misconceptions())
def test_a_paraphrase_triggers_the_misconception(question, number):
    claim = question.misconceptions[number].claim
    [entry] = [p for p in PARAPHRASES if p["question"] == question.id and p["claim"] == claim]
    found = stated(question, entry["paraphrase"])
    assert claim in [f.claim for f in found], entry["paraphrase"]


@pytest.mark.parametrize("question", WITH_MISCONCEPTIONS, ids=lambda q: q.id)
def test_what_the_bank_says_is_right_triggers_nothing(question):
    texts = [point.text for point in question.key_points]
    texts += [item.correction for item in question.misconceptions]
    texts += GOOD_ANSWERS.get(question.id, [])
    for text in texts:
        assert stated(question, text) == [], text


def test_model_answers_trigger_only_what_their_errata_flag():
    found = set()
    for question in WITH_MISCONCEPTIONS:
        for finding in stated(question, question.answer):
            found.add((question.id, finding.claim))
            said = finding.clause or finding.sentence
            quotes = [
                (question.answer.find(e.quote), question.answer.find(e.quote) + len(e.quote))
                for e in question.errata
                if e.quote in question.answer
            ]
            assert any(start < said.end and said.start < end for start, end in quotes), (
                question.id,
                said.text,
            )
    assert found == ERRATA_FINDINGS
