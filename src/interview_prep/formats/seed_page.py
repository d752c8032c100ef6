"""Import a study page of the seed's shape: title lines, then questions ending in "▾", each
followed by its answer paragraph.

A short line that stands between one answer and the next question is read as a category heading
("Deep dive"). Without headings, categories are inferred from the wording of each question, or
given for the whole page with ``category=``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..domain.banks import Bank
from ..domain.questions import Question, slugify
from ..errors import BankFormatError
from ..input_policy import quote

MARKER = "▾"
MAX_HEADING_CHARS = 60
# As in the bank schema: refused here already, before the category rules read a huge line.
MAX_QUESTION_CHARS = 5000

# Ordered: the first rule that matches a question decides its category.
_CATEGORY_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "Behavioral",
        re.compile(
            r"\b(tell me about a time|describe a (time|situation|conflict)|why do you want|"
            r"how do you prioriti[sz]e|a conflict|your greatest|walk me through your)\b",
            re.I,
        ),
    ),
    ("System design", re.compile(r"^(design|architect|how would you design)\b", re.I)),
    (
        "Debugging",
        re.compile(
            r"^(your|you|a|an|during|the|after|while)\b.*\b(crash(es|ed)?|error|nan|oom|"
            r"out of memory|debug|trace|loss is|utili[sz]ation|diverg\w*)\b",
            re.I,
        ),
    ),
    (
        "Scenarios",
        re.compile(
            r"^(your|you|a|an|during|the|imagine|suppose|after|while)\b.*"
            r"\b(how do you|how would you|what is your|what would you|what do you)\b",
            re.I,
        ),
    ),
    (
        "Quick-fire",
        re.compile(
            r"^(name (a|an|one|two|three|\d+)\b|what does .+ stand for|what is the default)", re.I
        ),
    ),
    (
        "Deep dive",
        re.compile(
            r"\b(mathematical|mechanics|formulation|implement|derive|architecture and|"
            r"in depth|under the hood|optimi[sz]e .+ using)\b",
            re.I,
        ),
    ),
)
DEFAULT_CATEGORY = "Fundamentals"


def infer_category(question: str) -> str:
    """Guess a question's category from its wording (see the rules above)."""
    for category, pattern in _CATEGORY_RULES:
        if pattern.search(question):
            return category
    return DEFAULT_CATEGORY


@dataclass
class _Draft:
    line: int
    text: str
    category: str | None
    answer: list[str] = field(default_factory=list)


def _is_heading(line: str, following: str | None) -> bool:
    """A short unpunctuated line directly before a question line is a category heading."""
    return (
        following is not None
        and following.endswith(MARKER)
        and len(line) <= MAX_HEADING_CHARS
        and not line.endswith((".", "?", "!", ":", ";", ","))
    )


def parse_seed_page(
    text: str, source: str, *, category: str | None = None, bank_id: str | None = None
) -> Bank:
    """Turn a seed-format page into a bank.

    Args:
        text: the page, already decoded.
        source: its name, for error messages.
        category: put every question in this category instead of inferring one.
        bank_id: the bank's id; by default derived from the page title.

    Raises:
        BankFormatError: naming the line of a question without an answer, a duplicate question,
            or a page with no questions at all.
    """
    lines = [line.strip() for line in text.splitlines()]
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if line]
    titles: list[str] = []
    drafts: list[_Draft] = []
    heading: str | None = None
    for index, (number, line) in enumerate(numbered):
        following = numbered[index + 1][1] if index + 1 < len(numbered) else None
        if line.endswith(MARKER):
            question = line[: -len(MARKER)].strip()
            if not question:
                raise BankFormatError(f"{source}: line {number}: a '{MARKER}' with no question")
            if len(question) > MAX_QUESTION_CHARS:
                raise BankFormatError(
                    f"{source}: line {number}: the question is {len(question):,} characters "
                    f"long; at most {MAX_QUESTION_CHARS:,} are allowed: {quote(question, 60)}"
                )
            drafts.append(_Draft(number, question, category or heading))
        elif not drafts:
            if len(titles) >= 2 and _is_heading(line, following):
                # Site and page title are taken: a third short line before a question heads it.
                heading = line
            else:
                titles.append(line)
        elif drafts[-1].answer and _is_heading(line, following):
            heading = line
        else:
            drafts[-1].answer.append(line)
    if not drafts:
        raise BankFormatError(
            f"{source}: no questions found (a question is a line ending in '{MARKER}', "
            "followed by its answer)"
        )
    for draft in drafts:
        if not draft.answer:
            raise BankFormatError(
                f"{source}: line {draft.line}: the question {quote(draft.text)} has no answer"
            )

    questions: list[Question] = []
    seen: dict[str, int] = {}
    ids: set[str] = set()
    for draft in drafts:
        key = " ".join(draft.text.lower().split())
        if key in seen:
            raise BankFormatError(
                f"{source}: line {draft.line}: duplicate question (same as line {seen[key]}): "
                f"{quote(draft.text)}"
            )
        seen[key] = draft.line
        question_id = _unique_id(slugify(draft.text), ids)
        questions.append(
            Question(
                id=question_id,
                category=draft.category or infer_category(draft.text),
                question=draft.text,
                answer="\n\n".join(draft.answer),
            )
        )

    # The page's title is the first line after the site's name, not whatever line (a tagline,
    # a date) happens to stand last before the first question.
    title = (titles[1] if len(titles) > 1 else titles[0]) if titles else "Imported questions"
    site = titles[0] if len(titles) > 1 else ""
    role = re.sub(r"\s*interview questions?\s*$", "", title, flags=re.I).strip()
    description = f"Imported from {source}" + (f" ({site})" if site else "") + "."
    return Bank(
        id=bank_id or slugify(title),
        title=title,
        role=role if role != title else "",
        description=description,
        questions=tuple(questions),
    )


def _unique_id(base: str, taken: set[str]) -> str:
    candidate, counter = base, 2
    while candidate in taken:
        candidate = f"{base}-{counter}"
        counter += 1
    taken.add(candidate)
    return candidate
