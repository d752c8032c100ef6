from interview_prep.domain import AcceptedName, ExpectedAnswer, ExpectedKind
from interview_prep.grading.evidence.quickfire import check_expected


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


def test_names_not_accepted_are_reported_as_written():
    expected = ExpectedAnswer(
        kind=ExpectedKind.NAMES,
        names=(AcceptedName("Pinecone"), AcceptedName("Milvus"), AcceptedName("Qdrant")),
        required=3,
    )
    result = check_expected(
        expected, "Pinecone, Milvus and MySQL", "Name three popular vector databases."
    )
    assert result.accepted == ("Pinecone", "Milvus") and result.rejected == ("MySQL",)
    assert "MySQL is not one of the accepted vector databases." in result.message
    assert result.spans == ((0, 8), (10, 16))
    assert check_expected(expected, "MySQL, Excel and Oracle.").rejected == (
        "MySQL",
        "Excel",
        "Oracle",
    )
    prose = check_expected(expected, "FAISS is the only one, the others are normal databases.")
    assert prose.rejected == ()


def test_the_key_points_a_check_speaks_for():
    from interview_prep.domain import KeyPoint
    from interview_prep.grading.evidence.quickfire import points_stated

    points = (
        KeyPoint("The default lr is 0.001 (1e-3)"),
        KeyPoint("Other defaults are betas (0.9, 0.999)"),
    )
    assert points_stated(number(0.001), points) == [0]
    names = ExpectedAnswer(
        kind=ExpectedKind.NAMES,
        names=(AcceptedName("Pinecone"), AcceptedName("Milvus"), AcceptedName("FAISS")),
        required=3,
    )
    listed = (KeyPoint("Uses FAISS as a library"), KeyPoint("Names three: Pinecone, Milvus, ..."))
    assert points_stated(names, listed) == [1]
    assert points_stated(number(42), points) == []


def test_a_check_rules_on_its_key_points():
    from interview_prep.grading.evidence.quickfire import apply_check
    from interview_prep.grading.result import Coverage, KeyPointResult

    missed = [KeyPointResult(0, "The default lr is 0.001 (1e-3)", 2.0, Coverage.MISSED, 0.2)]
    passed = check_expected(number(0.001), "I think 1e-3")
    [point] = apply_check(missed, passed, [0], "I think 1e-3")
    assert point.status is Coverage.COVERED and point.evidence.text == "1e-3"
    covered = [KeyPointResult(0, "The default lr is 0.001", 2.0, Coverage.COVERED, 0.7)]
    failed = check_expected(number(0.001), "The default lr is 0.01")
    [point] = apply_check(covered, failed, [0], "The default lr is 0.01")
    assert point.status is Coverage.MISSED
