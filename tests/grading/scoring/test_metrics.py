import pytest

from interview_prep.grading.scoring.metrics import macro_f1


def test_macro_f1_is_the_mean_f1_of_the_true_classes():
    assert macro_f1(["a", "a", "b", "b"], ["a", "b", "b", "b"]) == pytest.approx((2 / 3 + 0.8) / 2)
    # A class only predicted, never true, is not averaged in; a class never found scores 0.
    assert macro_f1(["a", "a"], ["a", "c"]) == pytest.approx(2 / 3)
    assert macro_f1(["a", "b"], ["a", "a"]) == pytest.approx((2 / 3 + 0.0) / 2)
    assert macro_f1([], []) == 0.0
