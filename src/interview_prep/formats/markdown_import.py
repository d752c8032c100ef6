"""Read a bank from Markdown: the shape :mod:`.markdown` writes, and the same shape by hand.

    # Bank title
    A description (optional).

    ## Category
    ### 1. The question?
    *easy* · `tag`, `other-tag`          (optional; medium and no tags if left out)
    The model answer, any number of lines and paragraphs.

    **Expected answer:** 42              (each section optional, in any order)
    **Key points**
    - One statement an interviewer listens for
    **Common misconceptions**
    - ✗ A wrong claim
      ✓ Its correction
    **Errata**
    - The model answer says “a passage of the answer”; correct is: the correction
    **Follow-ups**
    - A follow-up question?

A question written by hand gets its id from its text, and the bank its id from the title. The
details only the grader needs come from the comment under a heading when the file was exported
(see :mod:`.markdown`), matched to the visible text; the visible text always wins.

Every problem is a :class:`BankFormatError` naming the file and line, quoting at most about 200
characters. Reading is one pass over the lines, with no recursion, so neither a huge line nor
deeply nested lists cost more than their size; the parsed bank is then measured and validated
exactly like a YAML or JSON bank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..domain.banks import Bank
from ..domain.questions import ExpectedAnswer, slugify
from ..errors import BankFormatError
from ..input_policy import quote
from . import limits
from .markdown_text import HEADING, HIDDEN_END, HIDDEN_START, SECTION, unescape
from .validation import validate_bank_data

_TITLE = re.compile(r"^#[ \t]+(.*)$|^#$")
_NUMBER = re.compile(r"^\d+[.)][ \t]+")
_META = re.compile(r"^\*(easy|medium|hard)\*(?:[ \t]*·[ \t]*(.*))?$", re.IGNORECASE)
_TAG = re.compile(r"`([^`]*)`")
_BULLET = re.compile(r"^ {0,3}[-*+][ \t]+(.*)$|^ {0,3}[-*+]$")
_ERRATUM = re.compile(
    r"^The model answer says[ \t]+(?:“(.*?)”|\"(.*?)\")[;,]?[ \t]*correct is:?[ \t]*(.*)$",
    re.IGNORECASE,
)
_FLOAT = re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")
_SECTIONS = {
    "expected answer": "expected",
    "key points": "key_points",
    "common misconceptions": "misconceptions",
    "misconceptions": "misconceptions",
    "errata": "errata",
    "follow-ups": "follow_ups",
    "follow-up questions": "follow_ups",
}
_QUESTION_DETAILS = (
    "id",
    "key_points",
    "misconceptions",
    "errata",
    "expected",
    "related",
    "references",
)
_BANK_DETAILS = ("id", "role", "version", "categories", "question_count")
_MAX_ID = 80

_SHAPES = {
    "key_points": "- A statement the interviewer listens for",
    "follow_ups": "- A follow-up question?",
    "misconceptions": "'- ✗ the wrong claim', with '  ✓ its correction' on the line below",
    "errata": "- The model answer says “a passage of the answer”; correct is: the correction",
}


@dataclass
class _Item:
    line: int
    lines: list[str]


@dataclass
class _Question:
    line: int
    category: str
    text: str
    details: dict[str, Any] = field(default_factory=dict)
    details_line: int = 0
    difficulty: str | None = None
    tags: list[str] = field(default_factory=list)
    answer: list[str] = field(default_factory=list)
    answer_line: int = 0
    expected: tuple[int, str] | None = None
    items: dict[str, list[_Item]] = field(default_factory=dict)


class _Reader:
    """One pass over the lines, building plain bank data as a YAML file would parse to."""

    def __init__(self, text: str, source: str, max_chars: int) -> None:
        self.source = source
        self.max_chars = max_chars
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.at = 0

    def error(self, line: int, message: str) -> BankFormatError:
        return BankFormatError(f"{self.source}: line {line}: {message}")

    # -- the file, top to bottom ----------------------------------------------------------

    def read(self) -> tuple[dict[str, Any], list[_Question]]:
        self._skip_blank()
        if self.at >= len(self.lines):
            raise BankFormatError(f"{self.source}: the file is empty")
        first = self.lines[self.at]
        title_match = _TITLE.match(first)
        if not title_match:
            raise self.error(
                self.at + 1,
                "a Markdown bank starts with its title, as '# Title'; found " + quote(first),
            )
        title = unescape(_heading_text(title_match.group(1) or ""))
        self.at += 1
        bank_details = self._hidden(_BANK_DETAILS) or {}
        description = self._block()
        questions: list[_Question] = []
        category: str | None = None
        while self.at < len(self.lines):
            line = self.lines[self.at]
            match = HEADING.match(line)
            if not match:
                if line.strip():  # a section marker with no question above it
                    raise self.error(
                        self.at + 1,
                        f"{quote(line)} must belong to a question: start one with "
                        "'### The question?' above it",
                    )
                self.at += 1
                continue
            number = self.at + 1
            text = _heading_text(match.group(2) or "")
            self.at += 1
            if len(match.group(1)) == 2:
                named = _without_count(text)
                category = unescape(named)
                if not named:
                    raise self.error(number, "a category heading ('## ...') needs a name")
                # Text between a category heading and its first question has no place in a bank.
                self._skip_blank()
                stray_line = self.at + 1
                stray = self._block()
                if stray:
                    raise self.error(
                        stray_line,
                        "text under a category heading must belong to a question: start it "
                        f"with '### The question?'; found {quote(stray[0])}",
                    )
                continue
            questions.append(self._question(number, text, category))
            if len(questions) > limits.MAX_QUESTIONS:
                raise BankFormatError(
                    f"{self.source}: more than {limits.MAX_QUESTIONS:,} questions; a bank may "
                    f"hold at most {limits.MAX_QUESTIONS:,}"
                )
        if not questions:
            raise BankFormatError(
                f"{self.source}: no questions: write each one under a heading, as "
                "'### The question?'"
            )
        data: dict[str, Any] = {
            "id": bank_details.get("id") or _slug(title, "bank"),
            "title": title,
        }
        for key in ("role", "version", "question_count"):
            if key in bank_details:
                data[key] = bank_details[key]
        if description:
            data["description"] = unescape("\n".join(description))
        data["categories"] = bank_details.get("categories") or list(
            dict.fromkeys(question.category for question in questions)
        )
        data["questions"] = _question_data(questions, self)
        return data, questions

    def _skip_blank(self) -> None:
        while self.at < len(self.lines) and not self.lines[self.at].strip():
            self.at += 1

    def _hidden(self, allowed: tuple[str, ...]) -> dict[str, Any] | None:
        """The details comment on the current line, if there is one."""
        if self.at >= len(self.lines) or not self.lines[self.at].startswith(HIDDEN_START):
            return None
        number = self.at + 1
        line = self.lines[self.at].rstrip()
        self.at += 1
        if not line.endswith(HIDDEN_END):
            raise self.error(
                number, f"the details comment must end with '{HIDDEN_END}' on its line"
            )
        body = line[len(HIDDEN_START) : -len(HIDDEN_END)]
        details = limits.load_json(body, f"{self.source}: line {number}: details", self.max_chars)
        if not isinstance(details, dict):
            raise self.error(number, "the details comment must hold a JSON object")
        unknown = sorted(str(key) for key in details if key not in allowed)
        if unknown:
            raise self.error(number, f"unknown detail(s): {quote(', '.join(unknown))}")
        return details

    def _block(self) -> list[str]:
        """Lines up to the next heading or section marker, without blank lines at either end."""
        start = self.at
        while self.at < len(self.lines):
            line = self.lines[self.at]
            if HEADING.match(line) or SECTION.match(line):
                break
            self.at += 1
        lines = self.lines[start : self.at]
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        return lines

    def _question(self, number: int, text: str, category: str | None) -> _Question:
        written = _NUMBER.sub("", text, count=1)
        question_text = unescape(written)
        if not written:
            raise self.error(number, "a question heading ('### ...') needs the question")
        item = _Question(line=number, category=category or "General", text=question_text)
        item.details_line = self.at + 1
        item.details = self._hidden(_QUESTION_DETAILS) or {}
        self._skip_blank()
        if self.at < len(self.lines):
            meta = _META.match(self.lines[self.at].strip())
            if meta:
                item.difficulty = meta.group(1).lower()
                item.tags = _tags(meta.group(2) or "")
                self.at += 1
        self._skip_blank()
        item.answer_line = self.at + 1
        item.answer = self._block()
        if not item.answer:
            raise self.error(
                number, "the question has no model answer: write it on the lines below its heading"
            )
        while self.at < len(self.lines):
            line = self.lines[self.at]
            section = SECTION.match(line)
            if not section:
                break
            self._section(item, section)
        return item

    def _section(self, item: _Question, section: re.Match[str]) -> None:
        number = self.at + 1
        name = _SECTIONS[section.group(1).lower()]
        rest = section.group(2).strip()
        self.at += 1
        if name == "expected":
            if not rest:
                raise self.error(number, "write the expected answer after '**Expected answer:**'")
            item.expected = (number, rest)
        elif rest:
            raise self.error(
                number,
                f"write the items of {quote(section.group(1))} on the lines below it, each "
                f"as: {_SHAPES[name]}",
            )
        items = item.items.setdefault(name, [])
        while self.at < len(self.lines):
            line = self.lines[self.at]
            if HEADING.match(line) or SECTION.match(line):
                break
            self.at += 1
            if not line.strip():
                continue
            bullet = _BULLET.match(line)
            if bullet and name != "expected":
                items.append(_Item(self.at, [bullet.group(1) or ""]))
            elif line[:1] in (" ", "\t") and items:
                items[-1].lines.append(line.strip())  # a wrapped line of the item above
            else:
                where = "the expected answer" if name == "expected" else quote(section.group(1))
                shape = "" if name == "expected" else f": each item is written {_SHAPES[name]}"
                raise self.error(
                    self.at, f"unexpected text after {where}{shape}; found {quote(line)}"
                )


# Both by hand rather than by regular expression: a pattern like ``[ \t]+#+$`` backtracks over
# every space of a line, and a 10 MB line of spaces would take hours.
def _heading_text(raw: str) -> str:
    """A heading's text without the optional closing run of ``#`` (CommonMark's rule)."""
    text = raw.strip()
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1] in " \t"):
        return bare.strip()
    return text


def _without_count(text: str) -> str:
    """A category heading's name without the count the export writes after it: ``Name (3)``."""
    if text.endswith(")"):
        opening = text.rfind("(")
        if opening > 0 and text[opening + 1 : -1].isdigit() and text[opening - 1] in " \t":
            return text[:opening].rstrip(" \t")
    return text


def _tags(text: str) -> list[str]:
    found = _TAG.findall(text)
    if not found:
        found = [part for part in re.split(r"[,\s]+", text) if part]
    return [unescape(tag.strip()) for tag in found]


def _slug(text: str, fallback: str) -> str:
    slug = slugify(text)[:_MAX_ID].strip("-")
    return slug or fallback


def _matched(details: Any, key: str, visible: str, used: set[int]) -> dict[str, Any]:
    """The hidden details entry written for the visible text (each entry is used once)."""
    if not isinstance(details, list):
        return {}
    for index, entry in enumerate(details):
        if index not in used and isinstance(entry, dict) and entry.get(key) == visible:
            used.add(index)
            return {name: value for name, value in entry.items() if name != key}
    return {}


def _question_data(questions: list[_Question], reader: _Reader) -> list[dict[str, Any]]:
    taken = {str(q.details["id"]) for q in questions if isinstance(q.details.get("id"), str)}
    data = []
    for question in questions:
        question_id = question.details.get("id")
        if question_id is None:
            base = _slug(question.text, "question")
            question_id, suffix = base, 2
            while question_id in taken:
                question_id, suffix = f"{base}-{suffix}", suffix + 1
            taken.add(question_id)
        item: dict[str, Any] = {
            "id": question_id,
            "category": question.category,
            "question": question.text,
            "answer": unescape("\n".join(question.answer)),
        }
        if question.difficulty:
            item["difficulty"] = question.difficulty
        if question.tags:
            item["tags"] = question.tags
        details = question.details
        for key in ("related", "references"):
            if key in details:
                item[key] = details[key]
        if question.expected:
            item["expected"] = _expected(unescape(question.expected[1]), details.get("expected"))
        groups = question.items
        if "key_points" in groups:
            used: set[int] = set()
            item["key_points"] = []
            for entry in groups["key_points"]:
                text = unescape(" ".join(entry.lines).strip())
                extra = _matched(details.get("key_points"), "text", text, used)
                item["key_points"].append({"text": text, **extra})
        if "misconceptions" in groups:
            used = set()
            item["misconceptions"] = []
            for entry in groups["misconceptions"]:
                claim, correction = _misconception(entry, reader)
                extra = _matched(details.get("misconceptions"), "claim", claim, used)
                item["misconceptions"].append({"claim": claim, "correction": correction, **extra})
        if "errata" in groups:
            used = set()
            item["errata"] = []
            for entry in groups["errata"]:
                match = _ERRATUM.match(" ".join(entry.lines).strip())
                if not match:
                    raise reader.error(
                        entry.line,
                        f"an erratum is written: {_SHAPES['errata']}; found "
                        + quote(entry.lines[0]),
                    )
                passage = unescape(match.group(1) if match.group(1) is not None else match.group(2))
                extra = _matched(details.get("errata"), "quote", passage, used)
                item["errata"].append(
                    {"quote": passage, "correction": unescape(match.group(3).strip()), **extra}
                )
        if "follow_ups" in groups:
            item["follow_ups"] = [
                unescape(" ".join(entry.lines).strip()) for entry in groups["follow_ups"]
            ]
        data.append(item)
    return data


def _misconception(entry: _Item, reader: _Reader) -> tuple[str, str]:
    first = entry.lines[0].strip()
    claim_lines = [first[1:].strip() if first.startswith("✗") else first]
    correction_lines: list[str] = []
    for line in entry.lines[1:]:
        if correction_lines or not line.startswith("✓"):
            (correction_lines or claim_lines).append(line)
        else:
            correction_lines.append(line[1:].strip())
    if not correction_lines:
        raise reader.error(
            entry.line,
            f"a misconception is written: {_SHAPES['misconceptions']}; found {quote(first)}",
        )
    return unescape(" ".join(claim_lines).strip()), unescape(" ".join(correction_lines).strip())


def _expected(visible: str, written: Any) -> Any:
    """The expected answer: the exported one while its display still reads as the sheet does,
    else what the line says (a number, or a phrase)."""
    if isinstance(written, dict):
        try:
            if ExpectedAnswer.from_dict(written).display() == visible:
                return written
        except (KeyError, TypeError, ValueError):
            return written  # the validator says what is wrong with it
    if _FLOAT.match(visible):
        return {"kind": "number", "value": float(visible), "tolerance": 0}
    return {"kind": "text", "text": visible}


_LOCATED = re.compile(r"question (?:'([^']*)'|\"([^\"]*)\"|#(\d+))|questions\[(\d+)\]")


def read_markdown_bank(text: str, source: str, *, max_chars: int) -> Bank:
    """Read and validate a Markdown bank (already decoded and cleaned by the input policy).

    Args:
        text: the file's text.
        source: its name, used in every error message.
        max_chars: the most text the bank may expand to (the file-size limit).

    Raises:
        BankFormatError: the Markdown is not in the bank's shape, or the bank it holds is not
            valid; the message names the line.
    """
    reader = _Reader(text, source, max_chars)
    data, questions = reader.read()
    limits.measure(data, source, max_chars)
    try:
        return validate_bank_data(data, source)
    except BankFormatError as error:
        raise _with_line(error, source, data, questions) from None


def _with_line(
    error: BankFormatError, source: str, data: dict[str, Any], questions: list[_Question]
) -> BankFormatError:
    """The validator's error, saying which line of the Markdown holds the question it is about."""
    message = error.message
    match = _LOCATED.search(message)
    line = 1  # a problem of the bank as a whole: its title line
    if match:
        index: int | None = None
        if match.group(3):
            index = int(match.group(3)) - 1
        elif match.group(4):
            index = int(match.group(4))
        else:
            wanted = match.group(1) if match.group(1) is not None else match.group(2)
            index = next(
                (n for n, item in enumerate(data["questions"]) if item.get("id") == wanted), None
            )
        if index is None or not 0 <= index < len(questions):
            return error
        line = questions[index].line
    elif "duplicate question id" in message:
        return error
    rest = message.removeprefix(f"{source}: ") if source else message
    return BankFormatError(f"{source}: line {line}: {rest}" if source else f"line {line}: {rest}")
