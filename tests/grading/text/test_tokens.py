from interview_prep.grading.text.tokens import (
    lemma,
    negated_positions,
    split_clauses,
    split_sentences,
    stem,
    tokenize,
)


def test_sentences_keep_their_spans_in_the_original_text():
    text = (
        "L1 (e.g. Lasso) is sparse. It uses 0.5 as\n- a bullet\n- another one! <b>HTML</b> 😀 ok?"
    )
    spans = split_sentences(text)
    assert [s.text for s in spans] == [
        "L1 (e.g. Lasso) is sparse.",
        "It uses 0.5 as",
        "a bullet",
        "another one!",
        "<b>HTML</b> 😀 ok?",
    ]
    for span in spans:
        assert text[span.start : span.end] == span.text


def test_clauses_split_at_semicolons_and_linking_words():
    [sentence] = split_sentences(
        "A stack is LIFO; a queue is FIFO, which means first in first out."
    )
    assert [c.text for c in split_clauses(sentence)] == [
        "A stack is LIFO",
        "a queue is FIFO",
        "which means first in first out.",
    ]


def test_lemmas_make_inflections_agree():
    assert lemma("evaporated") == lemma("evaporates") == "evaporate"
    assert lemma("regularisation") == "regularization"
    assert lemma("batches") == "batch"
    assert lemma("doesn't") == "not"
    assert lemma("L2") == "l2"


def test_keys_treat_hyphens_and_spaces_alike():
    assert [t.key for t in tokenize("cross-validation")] == [
        t.key for t in tokenize("cross validation")
    ]


def test_negation_reaches_forward_until_a_contrast():
    tokens = tokenize("L1 does not shrink weights to zero, but L2 does")
    negated = {tokens[i].text for i in negated_positions(tokens)}
    assert negated == {"shrink", "weights", "to", "zero"}


def test_stemming_in_many_threads_at_once_gives_each_word_its_own_stem():
    # The server grades answers in parallel threads; a stemmer shared between them mixed up
    # their words (wrong stems, or an IndexError).
    import random
    import string
    from concurrent.futures import ThreadPoolExecutor

    import snowballstemmer

    rng = random.Random(7)
    words = [
        "".join(rng.choices(string.ascii_lowercase, k=rng.randint(6, 14))) + suffix
        for suffix in ("ational", "ization", "fulness", "ively", "ings")
        for _ in range(4000)
    ]
    expected = snowballstemmer.stemmer("english").stemWords(words)
    uncached = stem.__wrapped__
    with ThreadPoolExecutor(max_workers=8) as pool:
        chunks = [words[start::8] for start in range(8)]
        results = list(pool.map(lambda chunk: [uncached(word) for word in chunk], chunks))
    for start, result in enumerate(results):
        assert result == expected[start::8]
