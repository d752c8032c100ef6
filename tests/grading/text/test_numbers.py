import pytest

from interview_prep.grading.text.numbers import close, find_numbers


@pytest.mark.parametrize(
    "text",
    ["0.001", "1e-3", "1E-3", "10^-3", "10^{-3}", "1 x 10^-3", "1/1000", "one thousandth", ".001"],
)
def test_forms_of_one_thousandth(text):
    [mention] = find_numbers(text)
    assert close(mention.value, 0.001)
    assert mention.text == text


def test_digits_inside_names_are_not_numbers():
    assert find_numbers("L1 and L2, GPT-4 and top-5") == []


def test_scales_percent_and_words():
    found = find_numbers("3k tokens, 1,000,000 rows, 50% dropout, two hundred fifty six units")
    assert [m.value for m in found] == [3000, 1_000_000, 50, 256]
    assert found[2].values() == (50, 0.5)


def test_close_uses_absolute_tolerance_or_relative_equality():
    assert close(0.0011, 0.001, 0.0002)
    assert not close(0.0013, 0.001, 0.0002)
    assert close(1e-3, 0.001)
