"""Numbers in free text, read as numbers: "1e-3", "0.001", "10^-3", "1/1000" and "one thousandth"
are all 0.001, so that an answer is compared with a key point by value, never by spelling."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class NumberMention:
    value: float
    text: str
    start: int
    end: int
    percent: bool = False

    def values(self) -> tuple[float, ...]:
        """Every value the mention may mean: "50%" is 50 or 0.5."""
        return (self.value, self.value / 100.0) if self.percent else (self.value,)


_SCALE_SUFFIX = {"k": 1e3, "m": 1e6, "b": 1e9, "g": 1e9, "t": 1e12}

_NUMERIC = re.compile(
    r"""(?<![\w.])
    (?P<sign>[-−+])?
    (?:
        (?P<mant>\d+(?:\.\d+)?|\.\d+)\s*(?:[x×*]|·)\s*10\s*(?:\^|\*\*)\s*\{?\s*(?P<exp1>[-−+]?\d+)\s*\}?
      | 10\s*(?:\^|\*\*)\s*\{?\s*(?P<exp2>[-−+]?\d+)\s*\}?
      | (?P<num>\d+)\s*/\s*(?P<den>\d+)(?!\d|\.\d)
      | (?P<plain>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:[eE](?P<exp3>[-+]?\d+))?
        (?P<suffix>[kKmMbBgGtT](?![a-zA-Z]))?
    )
    (?P<pct>\s?%|\s?percent\b)?
    """,
    re.VERBOSE,
)

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1,
}  # fmt: skip
_MULTIPLIERS = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_FRACTIONS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
    "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10, "hundredth": 100, "hundredths": 100,
    "thousandth": 1e3, "thousandths": 1e3, "millionth": 1e6, "millionths": 1e6,
    "billionth": 1e9,
}  # fmt: skip
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*", re.IGNORECASE)


def _numeric_value(match: re.Match[str]) -> float | None:
    groups = match.groupdict()
    sign = -1.0 if groups["sign"] in ("-", "−") else 1.0
    try:
        if groups["exp1"] is not None:
            value = float(groups["mant"]) * 10.0 ** int(groups["exp1"].replace("−", "-"))
        elif groups["exp2"] is not None:
            value = 10.0 ** int(groups["exp2"].replace("−", "-"))
        elif groups["num"] is not None:
            denominator = float(groups["den"])
            if denominator == 0:
                return None
            value = float(groups["num"]) / denominator
        else:
            value = float(groups["plain"].replace(",", ""))
            if groups["exp3"] is not None:
                value *= 10.0 ** int(groups["exp3"])
            if groups["suffix"]:
                value *= _SCALE_SUFFIX[groups["suffix"].lower()]
    except (OverflowError, ValueError):
        return None
    if not math.isfinite(value):
        return None
    return sign * value


def _word_numbers(text: str) -> list[NumberMention]:
    """Spelled-out numbers: "two hundred fifty six", "one thousandth", "a half"."""
    words = [(m.group(0).lower(), m.start(), m.end()) for m in _WORD.finditer(text)]
    found: list[NumberMention] = []
    index = 0
    while index < len(words):
        word, start, _ = words[index]
        parts = word.split("-")
        if not all(part in _UNITS or part in _MULTIPLIERS for part in parts) or word in ("a", "an"):
            # "a thousandth", "a half" still start with "a": handled below via lookahead.
            if word in ("a", "an") and index + 1 < len(words):
                following = words[index + 1][0]
                if following in _FRACTIONS or following in _MULTIPLIERS:
                    pass
                else:
                    index += 1
                    continue
            else:
                index += 1
                continue
        total = 0.0
        current = 0.0
        end = start
        consumed = index
        seen_number = False
        while consumed < len(words):
            token, _, token_end = words[consumed]
            pieces = token.split("-")
            if all(piece in _UNITS for piece in pieces):
                current += sum(_UNITS[piece] for piece in pieces)
            elif token in _MULTIPLIERS:
                multiplier = _MULTIPLIERS[token]
                current = (current or 1.0) * multiplier
                if multiplier >= 1e3:
                    total += current
                    current = 0.0
            elif token == "and" and seen_number:
                consumed += 1
                continue
            else:
                break
            seen_number = True
            end = token_end
            consumed += 1
        value = total + current
        if consumed < len(words) and words[consumed][0] in _FRACTIONS and seen_number:
            value = (value or 1.0) / _FRACTIONS[words[consumed][0]]
            end = words[consumed][2]
            consumed += 1
        if seen_number and not (value == 1 and words[index][0] in ("a", "an") and end == start):
            span = text[start:end]
            if span.lower() not in ("a", "an", "one"):  # "one" alone is too often a pronoun
                found.append(NumberMention(value, span, start, end))
        index = max(consumed, index + 1)
    for match in re.finditer(r"\b(?:a\s+)?half\b", text, re.IGNORECASE):
        if not any(m.start <= match.start() < m.end for m in found):
            found.append(NumberMention(0.5, match.group(0), match.start(), match.end()))
    return found


def find_numbers(text: str) -> list[NumberMention]:
    """Every number mentioned in ``text``, in order, with its span."""
    found: list[NumberMention] = []
    for match in _NUMERIC.finditer(text):
        value = _numeric_value(match)
        if value is None:
            continue
        end = match.start() + len(match.group(0).rstrip())
        # L1, L2, GPT-4, top-5: a digit glued to letters is part of a name, not a number.
        before = text[: match.start()].rstrip("-")
        if before and before[-1].isalpha() and (text[match.start() - 1] != " "):
            continue
        if end < len(text) and text[end].isalpha() and not match.group("pct"):
            continue
        mention_text = text[match.start() : end]
        found.append(
            NumberMention(value, mention_text, match.start(), end, percent=bool(match.group("pct")))
        )
    taken = [(m.start, m.end) for m in found]
    for mention in _word_numbers(text):
        if not any(start < mention.end and mention.start < end for start, end in taken):
            found.append(mention)
    return sorted(found, key=lambda m: m.start)


def close(a: float, b: float, tolerance: float = 0.0) -> bool:
    """Equal within an absolute ``tolerance``, or within a relative 1e-6 when it is zero."""
    if tolerance > 0:
        return abs(a - b) <= tolerance + 1e-12
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)
