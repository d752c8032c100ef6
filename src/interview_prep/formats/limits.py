"""Limits on what a bank file may expand to, checked before the file is turned into objects.

A size limit on the file alone is not enough. YAML aliases let a 1.4 KB file name the same
value a billion times ("billion laughs"), or one 90 KB answer in 3,000 questions; each copy is
as real to the validator, the database and the pages as if it had been written out. JSON can
nest deeper than Python's stack. So a structured bank file is measured as it would be *expanded*:

* at most :data:`MAX_NODES` values (scalars, lists and mappings, each alias counting as a full
  copy of what it names),
* at most :data:`MAX_DEPTH` levels of nesting (a bank needs about six),
* at most as many characters of text as the file-size limit allows bytes, so aliases cannot
  grow a bank past what a file written out in full could hold,
* at most :data:`MAX_QUESTIONS` questions.

YAML is measured from the parser's event stream, which holds each anchored value's expanded size
once, so the measure itself stays linear in the file's size and never builds the expansion.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import BankFormatError
from ..input_policy import shorten

MAX_NODES = 2_000_000
MAX_DEPTH = 64
MAX_QUESTIONS = 10_000


class _Budget:
    """Counts nodes and characters against the limits, raising as soon as one is passed."""

    def __init__(self, source: str, max_chars: int) -> None:
        self.source = source
        self.max_chars = max_chars
        self.nodes = 0
        self.chars = 0

    def spend(self, nodes: int, chars: int) -> None:
        self.nodes += nodes
        self.chars += chars
        if self.nodes > MAX_NODES:
            raise BankFormatError(
                f"{self.source}: the bank expands to more than {MAX_NODES:,} values "
                "(YAML aliases count once for every place they are used)"
            )
        if self.chars > self.max_chars:
            raise BankFormatError(
                f"{self.source}: the bank expands to more than {self.max_chars:,} characters of "
                "text, over the size limit for a bank (YAML aliases count once for every place "
                "they are used)"
            )

    def depth(self, depth: int, where: str) -> None:
        if depth > MAX_DEPTH:
            raise BankFormatError(
                f"{self.source}: {where}values are nested more than {MAX_DEPTH} levels deep; "
                "a bank needs only a few"
            )


def check_yaml(text: str, source: str, max_chars: int, loader: Any) -> None:
    """Measure a YAML bank as expanded, without expanding it.

    Raises:
        BankFormatError: a limit is passed (see the module's docstring).
        yaml.YAMLError: the text is not YAML at all (the caller reports where).
    """
    import yaml  # imported where a YAML file is read, as in .files

    budget = _Budget(source, max_chars)
    # One frame per open list or mapping: its anchor and its expanded size so far.
    frames: list[list[Any]] = []
    anchors: dict[str, tuple[int, int]] = {}

    def add(nodes: int, chars: int) -> None:
        budget.spend(nodes, chars)
        if frames:
            frames[-1][1] += nodes
            frames[-1][2] += chars

    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.ScalarEvent):
            chars = len(event.value)
            if event.anchor:
                anchors[event.anchor] = (1, chars)
            add(1, chars)
        elif isinstance(event, yaml.CollectionStartEvent):
            mark = event.start_mark
            budget.depth(len(frames) + 1, f"line {mark.line + 1}: " if mark else "")
            frames.append([event.anchor, 1, 0])
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, nodes, chars = frames.pop()
            if anchor:
                anchors[anchor] = (nodes, chars)
            # Its children were spent as they came; now the collection itself, then pass the
            # whole size up to the enclosing collection.
            budget.spend(1, 0)
            if frames:
                frames[-1][1] += nodes
                frames[-1][2] += chars
        elif isinstance(event, yaml.AliasEvent):
            nodes, chars = anchors.get(event.anchor or "", (1, 0))
            add(nodes, chars)


def load_json(text: str, source: str, max_chars: int) -> Any:
    """Parse a JSON bank within the limits.

    Raises:
        BankFormatError: invalid JSON, a number Python will not read (over 4,300 digits, NaN or
            Infinity), nesting beyond :data:`MAX_DEPTH` or a limit passed.
    """
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise BankFormatError(
            f"{source}: line {error.lineno}, column {error.colno}: invalid JSON: {error.msg}"
        ) from None
    except RecursionError:
        raise BankFormatError(
            f"{source}: values are nested more than {MAX_DEPTH} levels deep; "
            "a bank needs only a few"
        ) from None
    except ValueError as error:
        raise BankFormatError(f"{source}: invalid JSON: {number_problem(error)}") from None
    measure(data, source, max_chars)
    return data


def number_problem(error: ValueError) -> str:
    """What a parser's ``ValueError`` means for a bank file, in a short sentence."""
    message = str(error)
    if "integer string conversion" in message:
        # Python refuses to read integers of over 4,300 digits (quadratic-time conversion).
        return "a number has more than 4,300 digits"
    return shorten(message)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a bank can hold")


def measure(data: Any, source: str, max_chars: int) -> None:
    """Count parsed data against the node and character limits, without recursion.

    Raises:
        BankFormatError: a limit is passed.
    """
    budget = _Budget(source, max_chars)
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            budget.spend(1, len(value))
        elif isinstance(value, dict):
            budget.depth(depth, "")
            budget.spend(1, sum(len(key) for key in value if isinstance(key, str)))
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            budget.depth(depth, "")
            budget.spend(1, 0)
            stack.extend((item, depth + 1) for item in value)
        else:
            budget.spend(1, 0)


def check_question_count(data: Any, source: str) -> None:
    """Refuse a bank with more than :data:`MAX_QUESTIONS` questions, and one whose declared
    ``question_count`` differs from the questions it holds (a file cut short).

    Raises:
        BankFormatError: either one.
    """
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        return
    found = len(data["questions"])
    if found > MAX_QUESTIONS:
        raise BankFormatError(
            f"{source}: {found:,} questions; a bank may hold at most {MAX_QUESTIONS:,}"
        )
    declared = data.get("question_count")
    if isinstance(declared, int) and not isinstance(declared, bool) and declared != found:
        raise BankFormatError(
            f"{source}: the file says it holds {declared:,} question(s) but {found:,} were "
            "read: it may have been cut short. Copy it again in full, or remove question_count "
            "if you removed questions on purpose"
        )
