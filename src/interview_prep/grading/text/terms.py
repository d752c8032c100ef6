"""Shared word lists: the terms that answers often swap for each other.

They live here, below both the clause reader and the contradiction rules, because both need them:
clauses split "L1 ..., while L2 ..." at a swapped term, and contradictions flag the swap itself.
"""

from __future__ import annotations

# Pairs of terms that are each other's usual mix-up. Each side is a phrase, matched on lemmas.
SWAPPED_TERMS: tuple[tuple[str, str], ...] = (
    ("L1", "L2"), ("lasso", "ridge"), ("LIFO", "FIFO"), ("stack", "queue"),
    ("precision", "recall"), ("bias", "variance"), ("overfitting", "underfitting"),
    ("false positive", "false negative"), ("type I", "type II"), ("sensitivity", "specificity"),
    ("encoder", "decoder"), ("convex", "non-convex"), ("supervised", "unsupervised"),
    ("generative", "discriminative"), ("parametric", "non-parametric"), ("sigmoid", "softmax"),
    ("batch norm", "layer norm"), ("bagging", "boosting"), ("synchronous", "asynchronous"),
    ("underflow", "overflow"), ("exploding", "vanishing"), ("sparse", "dense"),
    ("series", "parallel"), ("row", "column"), ("mean", "median"), ("maximize", "minimize"),
    ("maximum", "minimum"), ("validation set", "test set"),
    # Short forms of the pairs above (see SHORT_FORMS), so that "FP ... and FN ..." is two claims.
    ("FP", "FN"), ("type 1", "type 2"), ("type one", "type two"),
)  # fmt: skip
# Directions and quantities: everyday words whose swap is only evidence with more context.
GENERIC_SWAPPED_TERMS: tuple[tuple[str, str], ...] = (
    ("increase", "decrease"), ("increase", "reduce"), ("higher", "lower"), ("larger", "smaller"),
    ("more", "fewer"), ("more", "less"), ("before", "after"), ("first", "last"),
    ("always", "never"), ("ascending", "descending"),
)  # fmt: skip
# Written short forms of a phrase: a candidate writes "FP" or "type 2" for what a signal spells out.
SHORT_FORMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("false positive", ("FP",)), ("false negative", ("FN",)),
    ("true positive", ("TP",)), ("true negative", ("TN",)),
    ("type I", ("type 1", "type one")), ("type II", ("type 2", "type two")),
)  # fmt: skip
