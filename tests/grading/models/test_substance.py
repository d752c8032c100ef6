"""The shipped substance probe: its file is the one trained, it tells statements from empty talk
on sentences it never saw, and a damaged or missing file is refused with the app's own error."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from interview_prep.grading.models.embedders import get_embedder
from interview_prep.grading.models.substance import (
    SubstanceUnavailableError,
    load_probe,
    meta_path,
    read_probe,
    weights_path,
)

# Written for this test, not for the probe's training (none is in the bank or empty_talk.yaml).
STATEMENTS = [
    "Dropout zeroes a random half of the activations at each training step, so units cannot "
    "rely on one another.",
    "Batch normalisation rescales each feature of a layer's input using the mini-batch mean and "
    "variance.",
    "If you double the batch size you can usually raise the learning rate too, roughly in "
    "proportion.",
    "You keep a few hundred examples aside that the model never trains on and measure the error "
    "there.",
]
EMPTY = [
    "Dropout is honestly one of the most elegant ideas in deep learning and everyone should "
    "love it.",
    "Batch normalisation really depends on so many factors that it is hard to say anything "
    "general.",
    "I would think carefully about the batch size, align with the team and iterate on it.",
    "Getting the learning rate right just makes everything work so much better across the board.",
]


@pytest.fixture(scope="module")
def probe():
    return load_probe()


def test_shipped_file_is_tiny_and_records_its_training(probe):
    assert weights_path().stat().st_size < 100_000
    assert probe.weight.shape == (get_embedder().dimension,)
    meta = json.loads(meta_path().read_text("utf-8"))
    assert meta["cv"]["by"] == "question"
    assert meta["cv"]["keeps_substantive"] >= 0.95
    assert 0 < probe.threshold < 1


def test_statements_pass_and_empty_talk_ranks_below_them(probe):
    vectors = get_embedder().embed(STATEMENTS + EMPTY)
    p = probe.probability(vectors)
    statements, empty = p[: len(STATEMENTS)], p[len(STATEMENTS) :]
    assert (statements >= probe.threshold).all(), p
    assert statements.min() > empty.max(), p
    # The threshold keeps 97.5 % of statements, so some empty talk passes: about 7 in 10 of the
    # empty sentences of held-out questions are turned away in its cross-validation.
    assert (empty < probe.threshold).sum() >= len(EMPTY) // 2, p


def test_probabilities_are_probabilities(probe):
    p = probe.probability(np.zeros((3, probe.weight.shape[0]), dtype=np.float32))
    assert p.shape == (3,) and np.all((p > 0) & (p < 1))


def test_a_damaged_weights_file_is_refused(tmp_path):
    weights, meta = tmp_path / "substance.npz", tmp_path / "substance.json"
    shutil.copy(weights_path(), weights)
    shutil.copy(meta_path(), meta)
    read_probe(weights, meta)  # an intact copy loads
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(SubstanceUnavailableError, match="sha256"):
        read_probe(weights, meta)


def test_missing_files_and_bad_metadata_are_refused(tmp_path):
    with pytest.raises(SubstanceUnavailableError, match="missing"):
        read_probe(tmp_path / "substance.npz", tmp_path / "substance.json")
    weights, meta = tmp_path / "substance.npz", tmp_path / "substance.json"
    shutil.copy(weights_path(), weights)
    recorded = json.loads(meta_path().read_text("utf-8"))
    meta.write_text(json.dumps({"sha256": recorded["sha256"]}), "utf-8")
    with pytest.raises(SubstanceUnavailableError, match="no threshold"):
        read_probe(weights, meta)
    meta.write_text("[1, 2]", "utf-8")
    with pytest.raises(SubstanceUnavailableError, match="cannot read"):
        read_probe(weights, meta)
