"""Grading fixtures: a fake embedder registered like a real one, and small questions."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence

import numpy as np
import pytest

from interview_prep.domain import (
    AcceptedName,
    ExpectedAnswer,
    ExpectedKind,
    KeyPoint,
    Misconception,
    Question,
)
from interview_prep.grading.models import embedders
from interview_prep.grading.text.tokens import tokenize


class HashingEmbedder:
    """Bag of word keys hashed into 384 dimensions: similar wording, similar vectors."""

    name = "fake-hashing"

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in tokenize(text):
                digest = hashlib.md5(token.key.encode(), usedforsecurity=False).digest()
                out[row, int.from_bytes(digest[:2], "little") % 384] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
        return out


@pytest.fixture
def fake_embedder() -> Iterator[HashingEmbedder]:
    """A HashingEmbedder registered as ``fake-hashing``, unregistered afterwards."""
    instance = HashingEmbedder()
    embedders.register_embedder(instance.name, lambda: instance)
    yield instance
    embedders.unregister_embedder(instance.name)


@pytest.fixture
def regularization_question() -> Question:
    return Question(
        id="l1-vs-l2",
        category="Fundamentals",
        question="What is the difference between L1 and L2 regularization?",
        answer=(
            "L1 regularization adds the sum of absolute weights to the loss and drives many "
            "weights to exactly zero, giving sparse models. L2 regularization adds the sum of "
            "squared weights and shrinks all weights smoothly towards zero without making them "
            "exactly zero."
        ),
        key_points=(
            KeyPoint(
                "L1 penalises the absolute value of the weights and drives some weights to exactly "
                "zero, which gives sparse models and feature selection",
                weight=1.5,
                terms=("absolute", "sparse", "exactly zero", "feature selection"),
            ),
            KeyPoint(
                "L2 penalises the squared weights and shrinks them smoothly without making them "
                "zero",
                weight=1.5,
                terms=("squared", "shrink", "weight decay"),
            ),
            KeyPoint(
                "L2 is a Gaussian prior and L1 a Laplace prior on the weights",
                weight=0.5,
                terms=("gaussian", "laplace", "prior"),
            ),
        ),
        misconceptions=(
            Misconception(
                claim="L2 regularization makes weights exactly zero",
                correction="L2 shrinks weights towards zero but almost never makes them exactly "
                "zero; it is L1 that gives exact zeros.",
                signals=(("L2", "exactly zero"), ("ridge", "exactly zero")),
                key_point=1,
            ),
        ),
    )


@pytest.fixture
def number_question() -> Question:
    return Question(
        id="adam-default-lr",
        category="Quick-fire",
        question="What is the default learning rate of Adam in most libraries?",
        answer="0.001",
        expected=ExpectedAnswer(kind=ExpectedKind.NUMBER, value=0.001, tolerance=0.0),
    )


@pytest.fixture
def names_question() -> Question:
    return Question(
        id="name-optimizers",
        category="Quick-fire",
        question="Name two adaptive optimizers.",
        answer="Adam, RMSProp, Adagrad.",
        expected=ExpectedAnswer(
            kind=ExpectedKind.NAMES,
            names=(
                AcceptedName("Adam"),
                AcceptedName("RMSProp", aliases=("RMS prop",)),
                AcceptedName("Adagrad", aliases=("AdaGrad",)),
            ),
            required=2,
        ),
    )


@pytest.fixture
def expansion_question() -> Question:
    return Question(
        id="what-is-lstm",
        category="Quick-fire",
        question="What does LSTM stand for?",
        answer="Long short-term memory.",
        expected=ExpectedAnswer(kind=ExpectedKind.EXPANSION, text="long short-term memory"),
    )


@pytest.fixture
def behavioral_question() -> Question:
    return Question(
        id="conflict",
        category="Behavioral",
        question="Tell me about a time you disagreed with a teammate.",
        answer="Use STAR: situation, task, action, result.",
        key_points=(
            KeyPoint("Describes a concrete disagreement and the context", terms=("disagree",)),
            KeyPoint("Explains the actions taken to resolve it", terms=("talked", "proposed")),
            KeyPoint("States a measurable outcome", terms=("result", "reduced", "improved")),
        ),
    )
