"""The one policy for text and numbers that enter the app, applied at every edge.

Answers, drafts, filters, search words, ids and bank fields come in through forms, query strings,
JSON bodies, files and the command line. They all pass through here, so they all get the same
treatment:

* **NUL characters are removed and lone surrogates become U+FFFD.** Neither can be part of text
  a person wrote: they come from broken encoders, ``\\u0000``/``\\ud800`` escapes in JSON or
  YAML, or undecodable command-line bytes. PostgreSQL refuses NUL in text, UTF-8 cannot encode a
  lone surrogate, and the tokenizer of the embedding grader crashes on one. Cleaning them (rather
  than refusing the text) loses nothing the person wrote, which matters for a draft that is
  submitted by the clock. A valid surrogate *pair* (which ``\\ud83d\\ude00`` escapes produce) is
  joined into its character.
* **Lengths are bounded** by the caller's limit, with an error naming the field, never quoting
  the whole value.
* **Numbers are range-checked** before they reach the database, whose integers are 64-bit.

Error messages quote a value through :func:`quote`, which keeps at most about 200 characters, so
that a 10 MB line cannot make a 10 MB error.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from .errors import InvalidInputError

# The largest offset or count a query may ask for: far beyond any bank, far below 2**63.
MAX_OFFSET = 1_000_000_000
# The widest integer a bank file may hold (64-bit signed, as both databases store them).
MAX_INTEGER = 2**63 - 1
# Filters, ids and search words: longer than any real one.
MAX_FILTER_CHARS = 500
QUOTE_CHARS = 200

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: str) -> str:
    """Apply the text policy: drop NUL characters, join surrogate pairs, replace lone ones.

    Args:
        value: text from outside the app.

    Returns:
        The same text when it was clean (the common case costs one scan).
    """
    if "\x00" in value:
        value = value.replace("\x00", "")
    if _SURROGATE.search(value):
        # UTF-16 round trip: a high+low pair becomes one character, a lone half becomes U+FFFD.
        value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return value


def clean_optional(value: str | None) -> str | None:
    """:func:`clean_text` for an optional value."""
    return None if value is None else clean_text(value)


def bounded_text(value: str, field: str, max_chars: int) -> str:
    """Clean ``value`` and check its length.

    Raises:
        InvalidInputError: the cleaned text is longer than ``max_chars``.
    """
    value = clean_text(value)
    if len(value) > max_chars:
        raise InvalidInputError(
            f"{field} is {len(value):,} characters long; at most {max_chars:,} are accepted"
        )
    return value


def bounded_int(value: int, field: str, minimum: int = 0, maximum: int = MAX_OFFSET) -> int:
    """Check that an integer lies in ``[minimum, maximum]``.

    Raises:
        InvalidInputError: it does not (or it is not an integer at all).
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(f"{field} must be a whole number")
    if not minimum <= value <= maximum:
        raise InvalidInputError(
            f"{field} must be between {minimum:,} and {maximum:,}; got {quote(str(value), 40)}"
        )
    return value


def clean_tree(data: Any, where: str = "") -> Any:
    """Apply the policy to parsed data (a bank file): clean every string, keys included, and
    range-check every number.

    Returns a cleaned copy (the caller's data is left as it was). Walks without recursion, so
    that nesting depth (already bounded by the readers) cannot exhaust Python's stack here.

    Raises:
        InvalidInputError: an integer beyond 64 bits, or a float that is infinite or NaN.
    """
    root: list[Any] = [data]
    stack: list[tuple[Any, Any, str]] = [(root, 0, where)]
    while stack:
        parent, key, path = stack.pop()
        value = parent[key]
        if isinstance(value, str):
            parent[key] = clean_text(value)
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if not -MAX_INTEGER - 1 <= value <= MAX_INTEGER:
                raise InvalidInputError(
                    f"{path or 'value'}: the number {quote(str(value), 40)} is too large "
                    "(at most 19 digits)"
                )
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise InvalidInputError(f"{path or 'value'}: {value} is not a finite number")
        elif isinstance(value, Mapping):
            cleaned = {clean_text(str(k)) if isinstance(k, str) else k: v for k, v in value.items()}
            parent[key] = cleaned
            for item_key in cleaned:
                stack.append((cleaned, item_key, f"{path}.{item_key}" if path else str(item_key)))
        elif isinstance(value, list):
            copied = list(value)
            parent[key] = copied
            for index in range(len(copied)):
                stack.append((copied, index, f"{path}[{index}]"))
    return root[0]


def quote(value: object, limit: int = QUOTE_CHARS) -> str:
    """``repr(value)``, cut to about ``limit`` characters with a note of how much was left out.

    Only the start of a long string is formatted, so quoting a huge value costs little.
    """
    if isinstance(value, str) and len(value) > limit:
        head = repr(value[:limit])
        return f"{head[:-1]}…{head[-1]} ({len(value) - limit:,} more characters)"
    text = repr(value)
    if len(text) > limit:
        return f"{text[:limit]}… ({len(text) - limit:,} more characters)"
    return text


def shorten(message: str, limit: int = QUOTE_CHARS) -> str:
    """A library's message (which may hold a whole value), cut to about ``limit`` characters."""
    if len(message) <= limit:
        return message
    return f"{message[:limit]}… ({len(message) - limit:,} more characters)"
