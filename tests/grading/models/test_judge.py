"""The shipped judge: its file is the one trained, its numpy port gives PyTorch's numbers, and a
damaged or missing file is refused with the app's own error."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from interview_prep.grading.models.embedders import get_embedder
from interview_prep.grading.models.judge import (
    JOINT_PARAMETERS,
    PARAMETERS,
    JudgeModel,
    JudgeUnavailableError,
    Verdict,
    load_judge,
    meta_path,
    read_judge,
    weights_path,
)


@pytest.fixture(scope="module")
def judge():
    return load_judge()


@pytest.fixture(scope="module")
def encoder():
    return get_embedder()


def test_shipped_file_is_small_and_complete(judge):
    assert weights_path().stat().st_size < 30_000_000
    assert set(PARAMETERS) <= set(judge.weights)
    assert 0 < judge.thresholds["covers"] < 1
    assert 0 < judge.thresholds["contradicts"] < 1


def test_numpy_port_gives_the_probabilities_pytorch_gave_in_training(judge, encoder):
    checks = judge.meta["check"]
    assert len(checks) >= 5
    for check in checks:
        item, span = encoder.token_states([check["item"], check["span"]])
        got = judge.judge([item], [span])[0, 0]
        assert got == pytest.approx(check["probabilities"], abs=2e-4), check


def test_probabilities_are_a_distribution_for_every_pair(judge, encoder):
    texts = ["L1 drives weights to zero.", "Ridge shrinks every weight.", "I like trains."]
    states = encoder.token_states(texts)
    probabilities = judge.judge(states, states)
    assert probabilities.shape == (3, 3, 3)
    assert np.allclose(probabilities.sum(axis=2), 1.0, atol=1e-5)
    assert (probabilities >= 0).all()


def test_an_unrelated_sentence_is_neither(judge, encoder):
    item, span = encoder.token_states(
        ["L1 regularization drives some weights to exactly zero.", "My cat sleeps all afternoon."]
    )
    verdict = Verdict(int(np.argmax(judge.judge([item], [span])[0, 0])))
    assert verdict is Verdict.NEITHER


def test_a_damaged_weights_file_is_refused(tmp_path):
    weights = tmp_path / "judge.npz"
    meta = tmp_path / "judge.json"
    shutil.copy(weights_path(), weights)
    shutil.copy(meta_path(), meta)
    read_judge(weights, meta)  # an intact copy loads
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(JudgeUnavailableError, match="sha256"):
        read_judge(weights, meta)


def test_missing_files_are_refused(tmp_path):
    with pytest.raises(JudgeUnavailableError, match="missing"):
        read_judge(tmp_path / "judge.npz", tmp_path / "judge.json")


def test_metadata_records_how_it_was_trained():
    meta = json.loads(meta_path().read_text("utf-8"))
    assert meta["trained_with"].startswith("python scripts/train_judge.py")
    assert meta["pairs"] > 0


def test_the_judge_grader_shows_a_span_of_the_answer_as_evidence():
    from interview_prep.formats.files import load_bank_file
    from interview_prep.grading import service
    from interview_prep.storage.bundled import bundled_bank_files

    bank = load_bank_file(bundled_bank_files()[0])
    question = bank.question("l1-vs-l2-regularization")
    answer = (
        "The absolute-value penalty pushes some weights all the way to zero, so it also picks "
        "features. The squared penalty only makes every weight smaller."
    )
    result = service.grade(question, answer, grader_name="judge")
    assert result.grader == "judge"
    for point in result.key_points:
        if point.evidence is not None:
            assert answer[point.evidence.start : point.evidence.end] == point.evidence.text


def _with_joint_layer(judge, seed=0):
    """The shipped head with a random joint layer: its numbers mean nothing, its shape does."""
    rng = np.random.default_rng(seed)
    width = judge.width
    shapes = {
        "jt_segment": (2, width), "jt_in_w": (width, 3 * width), "jt_in_b": (3 * width,),
        "jt_out_w": (width, width), "jt_out_b": (width,), "jt_norm1_w": (width,),
        "jt_norm1_b": (width,), "jt_ff1_w": (width, 2 * width), "jt_ff1_b": (2 * width,),
        "jt_ff2_w": (2 * width, width), "jt_ff2_b": (width,), "jt_norm2_w": (width,),
        "jt_norm2_b": (width,),
    }  # fmt: skip
    assert set(shapes) == set(JOINT_PARAMETERS)
    weights = dict(judge.weights)
    for name, shape in shapes.items():
        weights[name] = (rng.normal(size=shape) * 0.2).astype(np.float32)
    return JudgeModel(weights, judge.thresholds, judge.meta)


def test_a_joint_head_judges_each_pair_alone_whatever_else_is_in_the_batch(judge, encoder):
    joint = _with_joint_layer(judge)
    assert joint.joint and not judge.joint
    texts = ["L1 drives weights to zero.", "Ridge shrinks every weight a little, never to zero."]
    spans = ["Lasso sets some weights exactly to zero.", "No.", "I like trains and boats a lot."]
    items_states, span_states = encoder.token_states(texts), encoder.token_states(spans)
    together = joint.judge(items_states, span_states)
    assert together.shape == (2, 3, 3)
    assert np.allclose(together.sum(axis=2), 1.0, atol=1e-5)
    # Padding to the longest text of a batch must not change a pair's verdict.
    for i, item in enumerate(items_states):
        for s, span in enumerate(span_states):
            alone = joint.judge([item], [span])[0, 0]
            assert alone == pytest.approx(together[i, s], abs=1e-5)
