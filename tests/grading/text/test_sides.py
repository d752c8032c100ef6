"""Which side of an often-swapped pair a text speaks of, and when a span is about the other one."""

from hypothesis import given
from hypothesis import strategies as st

from interview_prep.grading.text.sides import sides_of, speaks_of_other_side, with_context
from interview_prep.grading.text.terms import SWAPPED_TERMS

L1_CLAIM = sides_of("L1 regularization penalises the squared weights")


def test_a_span_that_names_only_the_other_side_is_about_the_other_side():
    assert speaks_of_other_side(L1_CLAIM, sides_of("L2 adds the squared weights"))
    # An alias names its side: ridge is L2, and "weight decay" too.
    assert speaks_of_other_side(L1_CLAIM, sides_of("Ridge adds the squared weights"))
    assert speaks_of_other_side(L1_CLAIM, sides_of("Weight decay shrinks them"))


def test_a_span_that_names_the_same_side_both_or_neither_may_speak_of_the_item():
    assert not speaks_of_other_side(L1_CLAIM, sides_of("L1 squares the weights"))
    assert not speaks_of_other_side(L1_CLAIM, sides_of("Lasso squares the weights"))
    assert not speaks_of_other_side(L1_CLAIM, sides_of("Unlike L2, L1 squares the weights"))
    assert not speaks_of_other_side(L1_CLAIM, sides_of("It squares the weights"))


def test_an_item_that_names_both_sides_or_neither_takes_any_span():
    both = sides_of("L1 gives exact zeros while L2 only shrinks")
    assert not speaks_of_other_side(both, sides_of("L2 adds the squared weights"))
    assert not speaks_of_other_side(sides_of("Both add a penalty"), sides_of("L2 shrinks"))


def test_multi_word_terms_and_their_aliases_are_told_apart():
    type_one = sides_of("A false positive is a Type I error")
    assert type_one == sides_of("Type I errors")
    assert speaks_of_other_side(type_one, sides_of("A Type II error"))
    assert speaks_of_other_side(type_one, sides_of("false negatives are missed cases"))
    assert speaks_of_other_side(sides_of("Recall is TP / (TP + FN)"), sides_of("Precision asks"))
    assert not speaks_of_other_side(sides_of("Recall is TP / (TP + FN)"), sides_of("Sensitivity"))


def test_a_clause_without_either_term_speaks_of_what_its_sentence_names():
    sentence = sides_of("L1 adds the absolute weights, which drives some weights to zero")
    clause = with_context(sides_of("which drives some weights to zero"), sentence)
    assert clause == sentence
    l2_claim = sides_of("L2 regularization drives weights to exactly zero")
    assert speaks_of_other_side(l2_claim, clause)
    # A clause that names a side of its own keeps it.
    own = with_context(sides_of("and L2 shrinks them"), sides_of("L1 gives zeros and L2 shrinks"))
    assert own == sides_of("L2")


@given(st.sampled_from(SWAPPED_TERMS), st.sampled_from(["{} does it", "with {} it is so"]))
def test_a_text_is_never_about_the_other_side_of_itself(pair, template):
    for term in pair:
        text = sides_of(template.format(term))
        assert text, term
        assert not speaks_of_other_side(text, text)


def test_short_forms_name_their_side():
    assert sides_of("FP") >= sides_of("false positive")
    assert speaks_of_other_side(sides_of("A false positive is costly"), sides_of("an FN is worse"))
    assert sides_of("a type 2 error") >= sides_of("a type II error")
