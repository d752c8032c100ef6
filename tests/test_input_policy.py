"""The one input policy: NULs, surrogates, lengths, numbers and short quotes."""

from __future__ import annotations

import pytest

from interview_prep.errors import InvalidInputError
from interview_prep.input_policy import (
    MAX_OFFSET,
    bounded_int,
    bounded_text,
    clean_text,
    clean_tree,
    quote,
    shorten,
)


def test_clean_text_removes_nul_and_replaces_lone_surrogates() -> None:
    assert clean_text("a\x00b") == "ab"
    assert clean_text("x\ud800y") == "x\ufffdy"
    assert clean_text("\udfff") == "\ufffd"
    # A pair, as a \ud83d\ude00 escape gives it, is joined into its character.
    assert clean_text("smile \ud83d\ude00") == "smile 😀"
    assert clean_text("plain ünïcode 😀") == "plain ünïcode 😀"
    clean_text("x\ud800").encode("utf-8")  # always encodable afterwards


def test_bounded_text_names_the_field_and_not_the_value() -> None:
    with pytest.raises(InvalidInputError, match=r"^answer is 11 characters long; at most 10"):
        bounded_text("x" * 11, "answer", 10)
    assert bounded_text("ok\x00", "answer", 2) == "ok"


@pytest.mark.parametrize("value", [-1, MAX_OFFSET + 1, 2**63, 10**30, True, "3"])
def test_bounded_int_refuses_what_is_out_of_range(value: object) -> None:
    with pytest.raises(InvalidInputError, match="offset"):
        bounded_int(value, "offset")  # type: ignore[arg-type]


def test_clean_tree_cleans_keys_and_values_and_checks_numbers() -> None:
    data = {"a\x00": ["x\ud800", {"n": 1, "f": 0.5}], "b": None, "t": True}
    assert clean_tree(data) == {"a": ["x\ufffd", {"n": 1, "f": 0.5}], "b": None, "t": True}
    with pytest.raises(InvalidInputError, match=r"version: the number .* too large"):
        clean_tree({"version": 10**23})
    with pytest.raises(InvalidInputError, match=r"x\[0\]: inf is not a finite number"):
        clean_tree({"x": [float("inf")]})


def test_clean_tree_does_not_recurse() -> None:
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    clean_tree(deep)


def test_quote_keeps_about_200_characters() -> None:
    quoted = quote("y" * 10_000_000)
    assert len(quoted) < 260 and quoted.endswith("(9,999,800 more characters)")
    assert quote("short") == "'short'"
    assert len(shorten("z" * 5000)) < 260
