"""Exact checks for quick-fire questions: a number within a tolerance, names from a set, what an
acronym stands for, or a short phrase. Each check says what it accepted, as the answer wrote it and
where, and which names it did not accept.

The check is the authority on the key points that state the expected answer
(:func:`points_stated` finds them, :func:`apply_check` rules on them): a passed check covers them,
with the accepted words as evidence, and a failed one cannot leave them covered.
"""

from __future__ import annotations

import dataclasses
import re

from ...domain import ExpectedAnswer, ExpectedKind, KeyPoint
from ..result import Coverage, Evidence, KeyPointResult, QuickfireResult
from ..text.numbers import close, find_numbers
from ..text.tokens import STOPWORDS, Token, is_content, tokenize

EXPANSION_SHARE = 0.8
"""Share of an expansion's content words an answer must give (order and filler words aside)."""
MAX_NAME_WORDS = 3
"""A listed item of at most this many words that matches no accepted name is reported as such."""

_ITEM_BREAK = re.compile(r"[,;/\n&+•]|\s+(?:and|or|plus)\s+|\.\s|\.$", re.IGNORECASE)
_FILLER_WORDS = """
    and or also maybe perhaps probably possibly i'd i say think guess e.g eg like such as the a an
    plus etc too well definitely then
"""
_FILLER = frozenset(_FILLER_WORDS.split())
_NOUN = re.compile(
    r"^\s*(?:name|list|give|mention)\s+(?:me\s+)?(?:(?:any|at least|a few|some|the)\s+)?"
    r"(?:\w+\s+)?(?:(?:popular|common|well-known|widely used|real|different|main)\s+)*"
    r"(?P<noun>[a-z][\w\s-]*?)\s*[.?!]?\s*$",
    re.IGNORECASE,
)


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


def _find_form(answer: str, tokens: list[Token], form: str) -> tuple[int, int] | None:
    """Where ``answer`` spells ``form`` (by word keys, or verbatim for symbols), if it does."""
    keys = _form_keys(form)
    if keys:
        found = _phrase_at(tokens, keys)
        if found is not None:
            start, stop = found
            return tokens[start].start, tokens[stop - 1].end
    lowered = answer.lower()
    position = lowered.find(form.lower())
    if form.strip() and position >= 0:
        before = lowered[position - 1] if position > 0 else " "
        after_index = position + len(form)
        after = lowered[after_index] if after_index < len(lowered) else " "
        if not before.isalnum() and not after.isalnum():
            return position, after_index
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
            "number",
            True,
            display,
            tuple(m.text for m in accepted),
            1.0,
            message,
            spans=tuple((m.start, m.end) for m in accepted),
        )
    if mentions:
        given = ", ".join(m.text for m in mentions)
        message = f"The answer gives {given}; the expected value is {display}."
    else:
        message = f"No number found in the answer; the expected value is {display}."
    return QuickfireResult("number", False, display, (), 0.0, message)


def _items(answer: str) -> list[tuple[int, int]]:
    """The items of a listed answer ("A, B and C"), as character ranges."""
    items = []
    start = 0
    for match in _ITEM_BREAK.finditer(answer):
        items.append((start, match.start()))
        start = match.end()
    items.append((start, len(answer)))
    return [(begin, end) for begin, end in items if answer[begin:end].strip()]


def _unaccepted_names(
    answer: str, tokens: list[Token], accepted: list[tuple[int, int]]
) -> list[str]:
    """Short listed items that match no accepted name: "MySQL" in "Pinecone, Milvus and MySQL"."""
    rejected = []
    for begin, end in _items(answer):
        if any(begin < stop and start < end for start, stop in accepted):
            continue
        words = [t for t in tokens if begin <= t.start and t.end <= end]
        while words and words[0].text.lower() in _FILLER:
            words = words[1:]
        while words and words[-1].text.lower() in _FILLER:
            words = words[:-1]
        if not words or len(words) > MAX_NAME_WORDS:
            continue
        if all(word.lemma in STOPWORDS for word in words):
            continue
        rejected.append(answer[words[0].start : words[-1].end])
    return list(dict.fromkeys(rejected))


def _noun(question: str) -> str:
    """What a "Name three X" question asks for ("vector databases"), else "answers"."""
    match = _NOUN.match(question)
    return match.group("noun").strip() if match else "answers"


def check_names(expected: ExpectedAnswer, answer: str, question: str = "") -> QuickfireResult:
    tokens = tokenize(answer)
    spans: list[tuple[int, int]] = []
    for name in expected.names:
        for form in (name.name, *name.aliases):
            found = _find_form(answer, tokens, form)
            if found is not None:
                spans.append(found)
                break
    accepted = [answer[start:end] for start, end in spans]
    rejected = _unaccepted_names(answer, tokens, spans)
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
    if rejected:
        listed = _join(rejected)
        verb = "is not one" if len(rejected) == 1 else "are not among"
        message += f" {listed} {verb} of the accepted {_noun(question)}."
    return QuickfireResult(
        "names", passed, display, tuple(accepted), fraction, message, tuple(rejected), tuple(spans)
    )


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _best_share(
    answer: str, tokens: list[Token], forms: list[str]
) -> tuple[float, tuple[int, int] | None]:
    """The best share of any form's content words present in the answer, and where."""
    best: tuple[float, tuple[int, int] | None] = (0.0, None)
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
            best = (share, (hits[0].start, hits[-1].end) if hits else None)
    return best


def check_phrase(expected: ExpectedAnswer, answer: str) -> QuickfireResult:
    kind = expected.kind.value
    forms = [form for form in (expected.text, *expected.accept) if form]
    tokens = tokenize(answer)
    share, where = _best_share(answer, tokens, forms)
    text = answer[where[0] : where[1]] if where else ""
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
        kind,
        passed,
        display,
        (text,) if text and passed else (),
        share,
        message,
        spans=(where,) if where and passed else (),
    )


def check_expected(expected: ExpectedAnswer, answer: str, question: str = "") -> QuickfireResult:
    """Run the exact check ``expected`` describes against ``answer``.

    Args:
        expected: the question's expected answer.
        answer: the candidate's answer.
        question: the question's text, to name what was asked for ("vector databases") when the
            answer gives names that are not accepted.
    """
    if expected.kind is ExpectedKind.NUMBER:
        return check_number(expected, answer)
    if expected.kind is ExpectedKind.NAMES:
        return check_names(expected, answer, question)
    return check_phrase(expected, answer)


def _forms(expected: ExpectedAnswer) -> list[str]:
    if expected.kind is ExpectedKind.NAMES:
        return [form for name in expected.names for form in (name.name, *name.aliases)]
    return [form for form in (expected.text, *expected.accept) if form]


def points_stated(expected: ExpectedAnswer, points: tuple[KeyPoint, ...]) -> list[int]:
    """The key points that state the expected answer.

    A number's key point is the one whose text has that number (by value); a list of names', the
    one that names at least two of them (or all required); a phrase's, the one that writes the
    most of its accepted forms. None when no key point states it.
    """
    counts = []
    for point in points:
        text = point.text
        tokens = tokenize(text)
        if expected.kind is ExpectedKind.NUMBER:
            value = expected.value if expected.value is not None else 0.0
            tolerance = max(expected.tolerance, abs(value) * 1e-6)
            found = any(close(v, value, tolerance) for m in find_numbers(text) for v in m.values())
            counts.append(int(found))
        else:
            counts.append(
                sum(_find_form(text, tokens, form) is not None for form in _forms(expected))
            )
    needed = 1
    if expected.kind is ExpectedKind.NAMES:
        needed = min(2, max(1, expected.required))
    best = max(counts, default=0)
    if best < needed:
        return []
    return [index for index, count in enumerate(counts) if count == best]


def apply_check(
    results: list[KeyPointResult], check: QuickfireResult, stated: list[int], answer: str
) -> list[KeyPointResult]:
    """Key-point results made consistent with the check, for the key points it speaks for.

    A passed check covers them, with the accepted words as evidence. A failed one leaves a number
    or a set of names missed (partly, when some names were right); a phrase the check did not
    find may still be said in other words, so it can be partly covered but not covered. For a
    phrase, only the key points that write what the answer wrote are covered by a pass.
    """
    updated = list(results)
    evidence = None
    if check.spans:
        start = min(begin for begin, _ in check.spans)
        end = max(stop for _, stop in check.spans)
        evidence = Evidence(answer[start:end], start, end, 1.0)
    for index in stated:
        point = updated[index]
        if point.contradicted:
            continue
        if check.passed:
            if check.kind in ("text", "expansion") and not _writes(point.text, check.accepted):
                continue
            updated[index] = dataclasses.replace(
                point, status=Coverage.COVERED, evidence=evidence, similarity=1.0
            )
        elif check.kind in ("number", "names"):
            status = Coverage.PARTLY if check.fraction > 0 else Coverage.MISSED
            updated[index] = dataclasses.replace(
                point, status=status, evidence=evidence if status is Coverage.PARTLY else None
            )
        elif point.status is Coverage.COVERED:
            updated[index] = dataclasses.replace(point, status=Coverage.PARTLY)
    return updated


def _writes(text: str, accepted: tuple[str, ...]) -> bool:
    tokens = tokenize(text)
    return any(_find_form(text, tokens, form) is not None for form in accepted)
