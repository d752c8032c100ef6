from interview_prep.domain import AcceptedName, ExpectedAnswer, ExpectedKind
from interview_prep.grading.quickfire import check_expected


def number(value, tolerance=0.0):
    return ExpectedAnswer(kind=ExpectedKind.NUMBER, value=value, tolerance=tolerance)


def test_number_accepts_every_spelling_of_the_value():
    for answer in ("1e-3", "It is 10^-3 usually", "0.001", "one thousandth"):
        result = check_expected(number(0.001), answer)
        assert result.passed, answer
        assert result.accepted


def test_number_outside_tolerance_fails_and_says_what_was_given():
    result = check_expected(number(0.9, 0.01), "beta1 is 0.95")
    assert not result.passed
    assert "0.95" in result.message


def test_number_with_tolerance():
    assert check_expected(number(768, 0), "768 dimensions").passed
    assert check_expected(number(3.0, 0.5), "about 3.4").passed


def test_names_need_the_required_count_and_take_aliases():
    expected = ExpectedAnswer(
        kind=ExpectedKind.NAMES,
        names=(AcceptedName("RMSProp", ("RMS prop",)), AcceptedName("Adam"), AcceptedName("SGD")),
        required=2,
    )
    result = check_expected(expected, "I'd say Adam and rms-prop.")
    assert result.passed
    assert result.accepted == ("rms-prop", "Adam")
    partial = check_expected(expected, "Adam only")
    assert not partial.passed and partial.fraction == 0.5


def test_expansion_ignores_order_of_filler_and_case():
    expected = ExpectedAnswer(kind=ExpectedKind.EXPANSION, text="Long Short-Term Memory")
    assert check_expected(expected, "it stands for long short term memory").passed
    result = check_expected(expected, "long memory")
    assert not result.passed and 0 < result.fraction < 1


def test_text_phrase_any_accepted_form():
    expected = ExpectedAnswer(
        kind=ExpectedKind.TEXT, text="ReLU", accept=("rectified linear unit",)
    )
    assert check_expected(expected, "A rectified linear unit.").passed
    assert not check_expected(expected, "sigmoid").passed
