"""Exact checks for quick-fire questions: a number within a tolerance, names from a set, what an
acronym stands for, or a short phrase. Each check says what it accepted, as the answer wrote it."""

from __future__ import annotations

from ..domain import ExpectedAnswer, ExpectedKind
from .numbers import close, find_numbers
from .result import QuickfireResult
from .text import Token, is_content, tokenize

EXPANSION_SHARE = 0.8
"""Share of an expansion's content words an answer must give (order and filler words aside)."""


def _phrase_at(tokens: list[Token], phrase: list[str]) -> tuple[int, int] | None:
    """Token index range where the keys of ``phrase`` occur consecutively, if they do."""
    size = len(phrase)
    keys = [token.key for token in tokens]
    for start in range(len(keys) - size + 1):
        if keys[start : start + size] == phrase:
            return start, start + size
    return None


def _form_keys(form: str) -> list[str]:
    return [token.key for token in tokenize(form)]


def _find_form(answer: str, tokens: list[Token], form: str) -> str | None:
    """The text of ``answer`` that spells ``form`` (by word keys, or verbatim for symbols)."""
    keys = _form_keys(form)
    if keys:
        found = _phrase_at(tokens, keys)
        if found is not None:
            start, stop = found
            return answer[tokens[start].start : tokens[stop - 1].end]
    lowered = answer.lower()
    position = lowered.find(form.lower())
    if form.strip() and position >= 0:
        before = lowered[position - 1] if position > 0 else " "
        after_index = position + len(form)
        after = lowered[after_index] if after_index < len(lowered) else " "
        if not before.isalnum() and not after.isalnum():
            return answer[position:after_index]
    return None


def check_number(expected: ExpectedAnswer, answer: str) -> QuickfireResult:
    value = expected.value if expected.value is not None else 0.0
    mentions = find_numbers(answer)
    accepted = [m for m in mentions if any(close(v, value, expected.tolerance) for v in m.values())]
    display = expected.display()
    if accepted:
        others = [m.text for m in mentions if m not in accepted]
        message = f"{accepted[0].text} is within the accepted range of {display}."
        if others:
            message += f" The answer also gives {', '.join(others)}."
        return QuickfireResult(
            "number", True, display, tuple(m.text for m in accepted), 1.0, message
        )
    if mentions:
        given = ", ".join(m.text for m in mentions)
        message = f"The answer gives {given}; the expected value is {display}."
    else:
        message = f"No number found in the answer; the expected value is {display}."
    return QuickfireResult("number", False, display, (), 0.0, message)


def check_names(expected: ExpectedAnswer, answer: str) -> QuickfireResult:
    tokens = tokenize(answer)
    accepted: list[str] = []
    for name in expected.names:
        for form in (name.name, *name.aliases):
            found = _find_form(answer, tokens, form)
            if found is not None:
                accepted.append(found)
                break
    required = max(1, expected.required)
    fraction = min(1.0, len(accepted) / required)
    passed = len(accepted) >= required
    display = expected.display()
    if passed:
        message = f"Named {len(accepted)} of the {required} required: {', '.join(accepted)}."
    elif accepted:
        message = f"Named {len(accepted)} of the {required} required ({', '.join(accepted)})."
    else:
        message = f"None of the expected names found ({display})."
    return QuickfireResult("names", passed, display, tuple(accepted), fraction, message)


def _best_share(answer: str, tokens: list[Token], forms: list[str]) -> tuple[float, str]:
    """The best share of any form's content words present in the answer, and the text used."""
    best = (0.0, "")
    for form in forms:
        exact = _find_form(answer, tokens, form)
        if exact is not None:
            return 1.0, exact
        wanted = [t.key for t in tokenize(form) if is_content(t)] or _form_keys(form)
        if not wanted:
            continue
        hits = [t for t in tokens if t.key in set(wanted)]
        share = len({t.key for t in hits}) / len(set(wanted))
        if share > best[0]:
            text = answer[hits[0].start : hits[-1].end] if hits else ""
            best = (share, text)
    return best


def check_phrase(expected: ExpectedAnswer, answer: str) -> QuickfireResult:
    kind = expected.kind.value
    forms = [form for form in (expected.text, *expected.accept) if form]
    tokens = tokenize(answer)
    share, text = _best_share(answer, tokens, forms)
    needed = EXPANSION_SHARE if expected.kind is ExpectedKind.EXPANSION else 1.0
    passed = share >= needed
    display = expected.display()
    if passed:
        message = f"Accepted “{text}” for {display}."
    elif share > 0:
        message = f"Partly there (“{text}”); expected {display}."
    else:
        message = f"Expected {display}."
    return QuickfireResult(
        kind, passed, display, (text,) if text and passed else (), share, message
    )


def check_expected(expected: ExpectedAnswer, answer: str) -> QuickfireResult:
    """Run the exact check ``expected`` describes against ``answer``."""
    if expected.kind is ExpectedKind.NUMBER:
        return check_number(expected, answer)
    if expected.kind is ExpectedKind.NAMES:
        return check_names(expected, answer)
    return check_phrase(expected, answer)
