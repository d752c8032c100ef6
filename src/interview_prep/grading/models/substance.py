"""The substance probe: does a sentence commit to anything, or is it fluent talk about a topic?

"Regularisation is absolutely fundamental and every serious practitioner has to master the whole
bias-variance landscape" uses the topic's words and says nothing an interviewer could check. The
judge reads how a span relates to one rubric item, and such a span sits on the item's topic, so
it can sound like coverage. Whether a sentence states a mechanism, a definition or an example is
a property of the sentence alone, the same in every topic, so it is learned once, across
questions: a logistic regression on the frozen MiniLM sentence vector, trained in this repository
(``scripts/train_substance.py``) on sentences its authors wrote. Substantive ones are the bank's
key points, their examples (in plain words too), corrections and wrong claims (a wrong claim
commits to something); empty ones are written for that purpose, per question, in
``data/empty_talk.yaml``. The decision threshold is chosen on question-level cross-validation.

A span the probe calls empty is no evidence for a key point, however the judge reads it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import ConfigurationError
from .embedders import Vectors
from .shipped import FloatArray, data_file, read_checked

WEIGHTS_FILE = "substance.npz"
META_FILE = "substance.json"


class SubstanceUnavailableError(ConfigurationError):
    """The probe's weights are missing, damaged or do not match their recorded checksum."""

    code = "substance_unavailable"
    title = "Grading substance probe unavailable"


@dataclass(frozen=True)
class SubstanceProbe:
    """A linear probe on unit sentence vectors, with the threshold chosen when it was trained."""

    weight: FloatArray
    bias: float
    threshold: float
    meta: dict[str, Any] = field(default_factory=dict)

    def probability(self, vectors: Vectors) -> FloatArray:
        """P(substantive) for each row of ``vectors`` (unit-length sentence vectors)."""
        logits = np.asarray(vectors, dtype=np.float32) @ self.weight + self.bias
        result: FloatArray = (1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))).astype(np.float32)
        return result

    def substantive(self, vectors: Vectors) -> np.ndarray:
        """Whether each sentence commits to something (P at or above the threshold)."""
        return self.probability(vectors) >= self.threshold


def weights_path() -> Path:
    return data_file(WEIGHTS_FILE)


def meta_path() -> Path:
    return data_file(META_FILE)


def read_probe(weights: Path, meta: Path) -> SubstanceProbe:
    """Load a probe from its weights and metadata (which records their checksum).

    Raises:
        SubstanceUnavailableError: a file is missing, or the checksum or the shapes are wrong.
    """
    info, arrays = read_checked(weights, meta, SubstanceUnavailableError, "the substance probe")
    weight, bias = arrays.get("weight"), arrays.get("bias")
    if weight is None or bias is None or weight.ndim != 1 or bias.size != 1:
        raise SubstanceUnavailableError(f"{weights.name} lacks a weight vector and a bias")
    try:
        threshold = float(info["threshold"])
    except (KeyError, TypeError, ValueError):
        raise SubstanceUnavailableError(f"cannot read {meta.name}: no threshold") from None
    return SubstanceProbe(weight, float(bias), threshold, info)


_lock = threading.Lock()


@cache
def load_probe() -> SubstanceProbe:
    """The shipped probe, loaded and checked once per process."""
    with _lock:
        return read_probe(weights_path(), meta_path())
