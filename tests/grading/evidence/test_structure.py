from interview_prep.grading.evidence.structure import assess_structure, check_star


def test_star_finds_every_part_and_a_quantified_result(behavioral_question):
    answer = (
        "At my last job our team had a flaky training pipeline. I was responsible for making it "
        "reliable. I profiled the jobs and rewrote the data loader. As a result, failures dropped "
        "from 12 a week to 1."
    )
    star = check_star(answer)
    assert star.missing == []
    structure = assess_structure(behavioral_question, answer, quickfire=False)
    assert structure.star is not None
    assert "all there" in structure.remarks[-1]


def test_star_without_numbers_asks_for_a_quantified_result():
    star = check_star("We had a conflict. I talked to him and it improved things.")
    assert star.result and not star.quantified
    assert "quantified result" in star.missing


def test_short_and_quickfire_remarks(regularization_question, number_question):
    short = assess_structure(regularization_question, "L1 is sparse.", quickfire=False)
    assert any("short" in remark for remark in short.remarks)
    wordy = assess_structure(number_question, "word " * 80, quickfire=True)
    assert any("quick-fire" in remark for remark in wordy.remarks)
