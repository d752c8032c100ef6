"""The service end to end, with the real model, a fake embedder, and the lexical fallback."""

import json
import sys
import time
from pathlib import Path

import pytest

from interview_prep.domain import Question
from interview_prep.errors import ConfigurationError
from interview_prep.formats import load_bank_file
from interview_prep.grading import service
from interview_prep.grading.graders import EmbeddingGrader, register_grader, unregister_grader
from interview_prep.grading.models import embedders
from interview_prep.grading.result import Coverage, Label, Rating

GOOD = (
    "L1 adds the absolute value of the weights to the loss and drives many weights to exactly "
    "zero, so the model is sparse and does feature selection. L2 adds the squared weights and "
    "shrinks them smoothly towards zero without making them exactly zero. In Bayesian terms L2 "
    "is a Gaussian prior and L1 a Laplace prior."
)


def test_a_good_answer_scores_high_and_serialises(regularization_question):
    result = service.grade(regularization_question, GOOD, grader_name="embedding")
    assert result.score >= 4.0 and result.label is Label.STRONG
    assert result.rating in (Rating.GOOD, Rating.EASY)
    assert all(point.status is Coverage.COVERED for point in result.key_points)
    assert result.misconceptions == ()
    data = json.loads(json.dumps(result.to_dict()))
    assert data["score"] == round(result.score, 2)
    assert data["key_points"][0]["evidence"]["text"] in GOOD
    assert "You covered" in result.feedback


def test_a_misconception_costs_points_and_is_explained(regularization_question):
    answer = "L2 regularization drives weights to exactly zero. L1 adds absolute weights."
    result = service.grade(regularization_question, answer, grader_name="embedding")
    assert result.score < 2.5
    assert result.misconceptions[0].sentence.text.startswith("L2 regularization drives")
    assert result.key_points[1].contradicted
    assert result.misconceptions[0].correction in result.feedback
    assert result.rating in (Rating.AGAIN, Rating.HARD)


def test_an_empty_answer_scores_zero_with_a_message(regularization_question):
    for answer in ("", "   \n"):
        result = service.grade(regularization_question, answer)
        assert result.score == 0 and result.rating is Rating.AGAIN
        assert "empty" in result.messages[0]
        # Said once, first, without a verdict that says the same in vaguer words.
        assert result.feedback == result.messages[0]


def test_a_100kb_answer_is_truncated_with_a_notice_and_stays_fast(regularization_question):
    answer = (GOOD + " ") * (100_000 // len(GOOD))
    service.grade(regularization_question, GOOD)  # warm up
    started = time.perf_counter()
    result = service.grade(regularization_question, answer, max_chars=20_000)
    elapsed = time.perf_counter() - started
    assert result.truncated
    assert any("only the first" in message for message in result.messages)
    assert elapsed < 3.0


def test_other_languages_emoji_and_html_are_text(regularization_question):
    for answer in (
        "La régularisation L1 met des poids à zéro. 😀",
        "<script>alert('x')</script> L1 makes <b>sparse</b> weights",
        "正则化 L1 L2 🤖🤖🤖",
    ):
        result = service.grade(regularization_question, answer)
        assert 0 <= result.score <= 5
        json.dumps(result.to_dict())
    html = service.grade(
        regularization_question,
        "<b>L1</b> regularization drives many weights to exactly zero, giving sparse models.",
    )
    assert any(p.evidence and "<b>L1</b>" in p.evidence.text for p in html.key_points), (
        "HTML is kept as text in the evidence"
    )


def test_quickfire_checks_decide_the_score(number_question, names_question, expansion_question):
    right = service.grade(number_question, "1e-3")
    assert right.quickfire and right.quickfire.passed and right.score >= 4.5
    assert right.quickfire.accepted == ("1e-3",)
    wrong = service.grade(number_question, "0.1")
    assert not wrong.quickfire.passed and wrong.score <= 1.0
    assert service.grade(names_question, "Adam and RMSProp").quickfire.passed
    half = service.grade(names_question, "Adam")
    assert not half.quickfire.passed and half.quickfire.fraction == 0.5
    assert service.grade(expansion_question, "long short-term memory").score >= 4.5


def test_behavioral_answers_get_a_star_check(behavioral_question):
    answer = (
        "At my last job our team disagreed about the data pipeline. I was responsible for the "
        "training jobs. I talked to my teammate, proposed a benchmark and we ran both designs. "
        "As a result, we reduced training time by 30%."
    )
    result = service.grade(behavioral_question, answer)
    assert result.structure.star.missing == []
    vague = service.grade(behavioral_question, "I always get along with everyone.")
    assert vague.score < result.score
    assert "STAR: add" in vague.feedback


def test_reference_only_mode_derives_key_points():
    question = Question(
        id="salt",
        category="Science",
        question="How did you separate the salt from the water?",
        answer="The water was evaporated, leaving the salt.",
        references=("We let the water evaporate and the salt stayed behind.",),
    )
    good = service.grade(question, "Let the water evaporate and the salt is left behind.")
    bad = service.grade(question, "We used a magnet.")
    assert good.reference_only and len(good.key_points) >= 1
    assert good.score > bad.score + 1


def test_a_fake_embedder_plugs_in_like_the_real_one(fake_embedder, regularization_question):
    register_grader("fake", lambda: EmbeddingGrader("fake-hashing"))
    try:
        result = service.grade(regularization_question, GOOD, grader_name="fake")
        assert fake_embedder.calls > 0
        assert result.grader == "embedding"
        assert 0 <= result.score <= 5
        calls = fake_embedder.calls
        service.grade(regularization_question, "Another answer.", grader_name="fake")
        assert fake_embedder.calls == calls + 1, "the rubric's embeddings are cached"
    finally:
        unregister_grader("fake")


def test_without_the_model_package_auto_falls_back_to_lexical(monkeypatch, regularization_question):
    monkeypatch.setitem(sys.modules, embedders.MODEL_PACKAGE, None)
    monkeypatch.setattr(embedders, "_instances", {})
    service.clear_graders()
    try:
        result = service.grade(regularization_question, GOOD, grader_name="auto")
        assert result.grader == "lexical"
        assert "unavailable" in result.messages[0] and "word overlap" in result.feedback
        assert result.score > 3
        with pytest.raises(ConfigurationError):
            service.get_grader("embedding")
    finally:
        service.clear_graders()


def test_a_model_that_fails_at_run_time_still_gives_a_grade(monkeypatch, regularization_question):
    class Broken:
        name = "broken"

        def embed(self, texts):
            raise RuntimeError("onnxruntime exploded")

    register_grader("broken", lambda: EmbeddingGrader(Broken()))
    try:
        result = service.grade(regularization_question, GOOD, grader_name="broken")
        assert result.grader == "lexical"
        assert "RuntimeError" in result.messages[0]
    finally:
        unregister_grader("broken")


def test_unknown_grader_names_are_configuration_errors(regularization_question):
    with pytest.raises(ConfigurationError, match="unknown grader"):
        service.grade(regularization_question, GOOD, grader_name="nope")


ML_BANK = load_bank_file(
    Path(__file__).parents[2] / "src" / "interview_prep" / "data" / "banks" / "ml-engineer.yaml"
)


def ml_question(question_id: str) -> Question:
    question = ML_BANK.question(question_id)
    assert question is not None
    return question


def test_a_stated_misconception_contradicts_its_key_point_and_caps_the_score():
    answer = (
        "L1 regularization adds the sum of absolute weights to the loss, which pushes some "
        "weights to exactly zero so you get sparse models. L2 adds squared weights and also "
        "drives weights to exactly zero, which is why it's used for feature selection."
    )
    result = service.grade(ml_question("l1-vs-l2-regularization"), answer, grader_name="embedding")
    [wrong] = result.misconceptions
    assert wrong.claim.startswith("L2 regularization drives weights to exactly zero")
    assert wrong.clause is not None and wrong.clause.text.startswith("L2 adds squared weights")
    l2 = result.key_points[2]
    assert l2.contradicted and l2.status is Coverage.MISSED
    assert l2.evidence is not None and "exactly zero" in l2.evidence.text
    assert result.key_points[1].status is Coverage.COVERED  # what L1 was said to do is right
    # The wrong sentence is evidence for no key point.
    assert all(
        p.evidence is None or not p.evidence.text.startswith("L2 adds") or p.contradicted
        for p in result.key_points
    )
    assert result.score <= 3.0 and result.label in (Label.WEAK, Label.INCORRECT)
    assert result.rating is Rating.HARD
    assert result.feedback.startswith("One claim here is wrong.\nFix this first:")
    assert wrong.correction in result.feedback


def test_the_right_part_of_a_sentence_keeps_its_credit():
    answer = (
        "Overfitting means training error is low but validation error is much higher, and "
        "cross-validation prevents overfitting."
    )
    result = service.grade(ml_question("overfitting"), answer, grader_name="embedding")
    assert [m.claim for m in result.misconceptions] == ["Cross-validation prevents overfitting"]
    assert result.key_points[0].status is not Coverage.MISSED
    assert result.key_points[0].evidence is not None
    assert "cross-validation" not in result.key_points[0].evidence.text


def test_a_passed_quickfire_check_covers_the_key_point_it_states():
    result = service.grade(ml_question("adam-default-learning-rate"), "1e-3")
    point = result.key_points[0]
    assert point.status is Coverage.COVERED and point.evidence is not None
    assert point.evidence.text == "1e-3"
    saying_it = [line for line in result.feedback.splitlines() if "0.001 (1e-3)" in line]
    assert saying_it and all(line.startswith("You covered") for line in saying_it)
    wrong = service.grade(ml_question("adam-default-learning-rate"), "0.01")
    assert wrong.key_points[0].status is Coverage.MISSED


def test_names_that_are_not_accepted_are_said_so():
    result = service.grade(ml_question("vector-databases"), "Pinecone, Milvus and MySQL")
    assert result.quickfire is not None and result.quickfire.rejected == ("MySQL",)
    assert result.key_points[0].status is Coverage.PARTLY
    assert "MySQL is not one of the accepted vector databases." in result.feedback
    assert result.to_dict()["quickfire"]["rejected"] == ["MySQL"]


def test_vector_databases_take_the_vector_product_not_the_plain_database_or_a_library():
    # FAISS is an ANN library, and Postgres or MongoDB store vectors only with pgvector or
    # Atlas Vector Search; naming the vector product counts, the bare name does not.
    question = ml_question("vector-databases")
    bare = service.grade(question, "FAISS, PostgreSQL and MongoDB")
    assert bare.quickfire is not None
    assert bare.quickfire.accepted == ()
    assert bare.quickfire.rejected == ("FAISS", "PostgreSQL", "MongoDB")
    named = service.grade(
        question, "Pinecone, PostgreSQL with pgvector and MongoDB Atlas Vector Search"
    )
    assert named.quickfire is not None and named.quickfire.passed


SUPERVISED_ANSWER = (
    "Supervised learning trains a model on labelled examples and minimises a loss against "
    "those labels; typical tasks are classification and regression. Unsupervised learning "
    "has no labels: it finds structure in the data, such as clusters with k-means."
)


@pytest.mark.xfail(
    strict=True,
    reason="the judge reads the correct 'Supervised learning trains a model on labelled examples "
    "and minimises a loss against those labels' as contradicting its key point (p=0.94), and "
    "does not hear it as covering the point",
)
def test_no_labels_is_not_read_as_denying_unsupervised_structure():
    from interview_prep.grading.service import grade

    question = ml_question("supervised-vs-unsupervised")
    result = grade(question, SUPERVISED_ANSWER)
    # "No labels" is not heard as denying the key point on what unsupervised learning finds.
    assert not [f for f in result.misconceptions if f.kind.value != "stated"]
    denial = grade(question, "Unsupervised learning does not find structure in unlabelled data.")
    assert denial.to_dict()["misconceptions"]


@pytest.mark.parametrize(
    "answer",
    [
        # The judge heard the claim "L1 regularization penalises the squared weights" here.
        "L1 adds the sum of absolute weights to the loss and drives some weights exactly to "
        "zero. L2 adds the squared weights and only shrinks them.",
        "L1 adds the sum of absolute weights to the loss and drives some weights exactly to "
        "zero; L2 adds the squared weights and only shrinks them.",
        # ... and "L2 regularization drives weights to exactly zero" in the relative clause.
        "L1 adds the sum of absolute weights to the loss, which tends to drive some weights "
        "exactly to zero.",
    ],
)
def test_a_sentence_about_one_side_is_not_heard_as_a_claim_about_the_other(answer):
    result = service.grade(ml_question("l1-vs-l2-regularization"), answer)
    assert result.misconceptions == ()
    # Nor is a span that speaks of L1 alone evidence for the L2 point.
    l2 = result.key_points[2]
    assert l2.status is Coverage.MISSED or (l2.evidence is not None and "L2" in l2.evidence.text)


def test_the_swap_itself_is_still_heard():
    answer = "L2 regularization drives weights to exactly zero, so it performs feature selection."
    result = service.grade(ml_question("l1-vs-l2-regularization"), answer)
    assert [m.claim for m in result.misconceptions][:1] == [
        ml_question("l1-vs-l2-regularization").misconceptions[0].claim
    ]


def test_a_correct_answer_about_k_means_is_not_accused_of_the_knn_claim():
    from interview_prep.grading.service import grade

    # The judge once heard the KNN claim in the clause "it finds structure in the data, such as
    # clusters with k-means", cut from its subject.
    result = grade(ml_question("supervised-vs-unsupervised"), SUPERVISED_ANSWER)
    assert not [f for f in result.misconceptions if "Nearest Neighbours" in f.claim]


PLAIN_GRADIENT_DESCENT = (
    "You start with some guess for the parameters, look at which direction makes the error go "
    "down fastest, and take a small step that way. The size of the step matters: too big and you "
    "bounce around or blow up, too small and it takes forever."
)


@pytest.mark.xfail(
    strict=True,
    reason="the judge still credits the batch sizes, convexity and momentum points to a plain "
    "answer that says none of them (backpropagation no longer: benchmarks/README.md)",
)
def test_a_point_the_answer_never_makes_gets_no_credit():
    # Written for this test, not in any training or tuning file: the answer says how a step is
    # taken and what the step size does, nothing about backpropagation, convexity or momentum.
    result = service.grade(ml_question("gradient-descent"), PLAIN_GRADIENT_DESCENT)
    credited = {p.index for p in result.key_points if p.status is not Coverage.MISSED}
    assert credited <= {0, 1}, [result.key_points[i].text for i in sorted(credited - {0, 1})]


def test_only_the_stretch_with_the_wrong_claim_loses_credit():
    answer = (
        "I would train a gradient boosted model on transaction features and aim for 99% "
        "accuracy, because accuracy is a good metric to report to the business."
    )
    result = service.grade(ml_question("fraud-detection-system"), answer, grader_name="embedding")
    [wrong] = result.misconceptions
    assert wrong.claim.startswith("Accuracy is a good headline metric")
    model_point = result.key_points[3]
    assert model_point.status is Coverage.COVERED and model_point.evidence is not None
    assert (
        model_point.evidence.text
        == "I would train a gradient boosted model on transaction features"
    )
    assert result.key_points[5].contradicted


# Two answers of my own, tried as a new user would after the judge was retrained; written
# before they were graded, and in no training or tuning file.
RIGHT_THRESHOLD_TRADE = (
    "Precision asks: of everything I flagged, how much was really positive. Recall asks: of all "
    "the real positives, how many did I catch. Raising the threshold usually trades recall for "
    "precision."
)
HOLISTIC_OVERFITTING = (
    "Overfitting is a really important concept in machine learning and it is crucial to keep it "
    "in mind holistically across the whole pipeline, considering data, models and evaluation in "
    "a robust way."
)


@pytest.mark.xfail(
    strict=True,
    reason="the judge does not bind direction: 'raising the threshold trades recall for "
    "precision' is heard as the claim 'raising the decision threshold increases recall'",
)
def test_the_right_direction_of_the_threshold_trade_is_not_an_accusation():
    result = service.grade(ml_question("precision-and-recall"), RIGHT_THRESHOLD_TRADE)
    assert not result.misconceptions, [f.claim for f in result.misconceptions]


@pytest.mark.xfail(
    strict=True,
    reason="the substance probe lets this sentence through, and the judge hears three points of "
    "overfitting in it",
)
def test_talk_about_overfitting_that_says_nothing_scores_low():
    result = service.grade(ml_question("overfitting"), HOLISTIC_OVERFITTING)
    assert result.score <= 1.5, result.score


@pytest.mark.xfail(
    strict=True,
    reason="the judge reads 'it does well on training data and badly on new data' as "
    "contradicting the key point on more data (p=0.96), a contradiction no author listed",
)
def test_a_plain_right_answer_on_overfitting_is_not_accused():
    # My own answer, tried through the API as a new user would.
    answer = (
        "Overfitting is when the model memorises noise in the training data, so it does well on "
        "training data and badly on new data. Regularisation, more data and early stopping help."
    )
    result = service.grade(ml_question("overfitting"), answer)
    assert not result.misconceptions, [f.detail for f in result.misconceptions]


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        pytest.param(
            "softmax-purpose",
            "Softmax squashes each score independently into the range zero to one, so the "
            "outputs do not need to sum to one.",
            marks=pytest.mark.xfail(
                strict=True,
                reason="a quick-fire form under a denial still passes ('do not need to sum to "
                "one'); refusing it cost 0.008 Spearman on the held-out answers "
                "(benchmarks/README.md)",
            ),
            id="quickfire-value-denied",
        ),
        pytest.param(
            "parameters-vs-hyperparameters",
            "Hyperparameters are the weights the model learns during training, and parameters "
            "are the settings you choose before training, like the learning rate.",
            marks=pytest.mark.xfail(
                strict=True,
                reason="the judge does not bind a definition to its term: swapped definitions "
                "name both terms, and it hears both key points in them",
            ),
            id="swapped-definitions",
        ),
    ],
)
def test_a_wrong_answer_in_the_bank_s_own_terms_scores_low(question_id, answer):
    result = service.grade(ml_question(question_id), answer)
    assert result.score < 2.0


@pytest.mark.xfail(
    strict=True,
    reason="the judge hears the claim 'Fine-tuning means training only the final layer' in the "
    "right 'fine-tune it, or only its last layers', an option rather than a definition",
)
def test_fine_tuning_only_the_last_layers_as_an_option_is_not_accused():
    answer = (
        "You take a network already trained on a big dataset, keep what it learned, and "
        "fine-tune it, or only its last layers, on your smaller task."
    )
    result = service.grade(ml_question("transfer-learning"), answer)
    assert result.misconceptions == ()
