"""Signals: short word groups, said together of one thing, and not taken back."""

import pytest

from interview_prep.grading.evidence.signals import compile_signals, match_signal
from interview_prep.grading.text.clauses import claims_of
from interview_prep.grading.text.tokens import split_sentences

L2_ZEROS = compile_signals([["l2", "exactly zero"], ["ridge", "exactly zero"], ["l2", "sparse"]])


def says(signals, text):
    return any(
        match_signal(signal, claim, text) is not None
        for sentence in split_sentences(text)
        for claim in claims_of(sentence)
        for signal in signals
    )


@pytest.mark.parametrize(
    "text",
    [
        "L2 drives weights to exactly zero.",
        "L2 regularization drive the weights exactly to zero.",
        "With L2, driving the weights to exactly zero is what happens.",
        "Ridge sets many coefficients to exactly zero.",
        "L2 adds squared weights and also drives weights to exactly zero, which is why it's used.",
        "Unlike L1, L2 drives weights to exactly zero.",
        "L2, unlike L1, drives weights to exactly zero.",
        "Both L1 and L2 drive weights to exactly zero.",
        "L2 gives sparse models.",
    ],
)
def test_the_claim_is_found_in_the_candidates_words(text):
    assert says(L2_ZEROS, text)


@pytest.mark.parametrize(
    "text",
    [
        "L2 never drives weights to exactly zero.",
        "L2 does not drive weights to exactly zero.",
        "L2 doesn't make weights exactly zero; it shrinks them.",
        "L2 rarely drives weights to exactly zero.",
        "L2 shrinks weights rather than driving them to exactly zero.",
        "L2 shrinks weights without making them exactly zero.",
        "L2 shrinks weights instead of setting them to exactly zero.",
        "Unlike L1, which drives weights to exactly zero, L2 only shrinks them.",
        "Unlike L2, L1 drives weights to exactly zero.",
        "L1 drives weights to exactly zero, whereas L2 shrinks them.",
        "L1 drives weights to exactly zero while L2 shrinks them.",
        "L1 drives weights to exactly zero and L2 shrinks them smoothly.",
        "L1 drives weights to exactly zero but L2 only shrinks them.",
        "It is a myth that L2 drives weights to exactly zero.",
        "L2 gives non-sparse solutions.",
        "Elastic net mixes L1 and L2, so it gives sparse models.",
        "L2 shrinks weights. L1 drives them to exactly zero.",
    ],
)
def test_a_denied_or_misattributed_claim_is_not_found(text):
    assert not says(L2_ZEROS, text)


def test_inflections_and_spellings_agree():
    signals = compile_signals([["lasso", "penalizes", "squared"]])
    for text in ("Lasso penalises the squared weights", "lasso penalizing squared weights"):
        assert says(signals, text), text
    assert says(compile_signals([["gpu", "always faster"]]), "GPUs are always faster")
    assert says(compile_signals([["empty_cache", "fix"]]), "torch.cuda.empty_cache() fixes it")


def test_a_denial_inside_the_signal_is_part_of_the_claim():
    signals = compile_signals([["boosting", "never overfits"]])
    assert says(signals, "Boosting does not overfit.")
    assert says(signals, "Boosting can't really overfit.")
    assert not says(signals, "It is not true that boosting never overfits.")


def test_numbers_match_by_value_and_symbols_as_written():
    assert says(compile_signals([["default", "0.01"]]), "The default is 1e-2.")
    assert not says(compile_signals([["default", "0.01"]]), "The default is 0.001.")
    signals = compile_signals([["data drift", "p(y|x)"]])
    assert says(signals, "Data drift is a change in P(y|x).")
    assert not says(signals, "Data drift is a change in P(x).")


def test_a_term_said_with_its_counterpart_is_set_apart_by_than():
    signals = compile_signals([["l2", "more robust"]])
    assert says(signals, "L2 loss is more robust to outliers than L1.")
    assert not says(signals, "L1 is more robust to outliers than L2.")


def test_small_words_only_between_the_words_of_a_phrase():
    signals = compile_signals([["along the gradient", "minimize"]])
    assert says(signals, "To minimize the loss we step along the gradient.")
    assert not says(signals, "To minimize the loss we step along the negative gradient.")


def test_short_forms_are_the_phrase():
    signals = compile_signals([["false positive", "type ii"]])
    assert says(signals, "A false positive is a type II error.")
    assert says(signals, "FP is a type 2 error.")
    assert says(signals, "An FP is what they call a type two error.")
    # Each side said of its own counterpart is two claims, both right.
    assert not says(signals, "FP is a type 1 error and FN is a type 2 error.")
    assert not says(signals, "FP is a type I error.")
