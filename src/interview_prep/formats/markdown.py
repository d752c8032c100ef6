"""Write a bank as Markdown: readable on its own, a faithful study sheet when printed, and a file
that imports back as the same bank (:mod:`.markdown_import`).

What a reader sees is the bank's text: the title and description, a heading for each run of
questions in one category, and for each question its difficulty and tags, model answer, expected
answer, key points, misconceptions, errata and follow-ups. What only the grader needs (ids,
weights, terms, example phrasings, signals, related questions) rides along in one HTML comment
under each heading, which Markdown renders as nothing. The visible text is the source of truth:
the comment carries no text a reader sees, only details matched to it (a key point's weight is
matched by the key point's text), so an edit of the sheet is an edit of the bank.

Text is escaped only where the sheet's structure needs it (see :mod:`.markdown_text`).
"""

from __future__ import annotations

import json
from typing import Any

from ..domain.banks import Bank
from ..domain.questions import Question
from .markdown_text import HIDDEN_END, HIDDEN_START, block, heading, inline

ERRATUM_CLOSE = "”"


def hidden(details: dict[str, Any]) -> str:
    """The comment line that carries ``details``.

    ``>`` is written as ``\\u003e`` (the same JSON), so the comment cannot end early.
    """
    text = json.dumps(details, ensure_ascii=False, separators=(", ", ": ")).replace(">", "\\u003e")
    return f"{HIDDEN_START} {text} {HIDDEN_END}"


def _details(question: Question) -> dict[str, Any]:
    """What the grader needs of a question beyond its visible text."""
    details: dict[str, Any] = {"id": question.id}
    points = []
    for point in question.key_points:
        extra = {key: value for key, value in point.to_dict().items() if key != "text"}
        if extra.get("weight") == 1.0:
            del extra["weight"]
        if extra:
            points.append({"text": point.text, **extra})
    if points:
        details["key_points"] = points
    misconceptions = [
        {"claim": item.claim, **extra}
        for item in question.misconceptions
        if (extra := {k: v for k, v in item.to_dict().items() if k not in ("claim", "correction")})
    ]
    if misconceptions:
        details["misconceptions"] = misconceptions
    errata = [
        {"quote": item.quote, **extra}
        for item in question.errata
        if (extra := {k: v for k, v in item.to_dict().items() if k not in ("quote", "correction")})
    ]
    if errata:
        details["errata"] = errata
    if question.expected:
        details["expected"] = question.expected.to_dict()
    if question.related:
        details["related"] = list(question.related)
    if question.references:
        details["references"] = list(question.references)
    return details


def _question_markdown(number: int, question: Question) -> list[str]:
    lines = [
        f"### {number}. {heading(question.question)}",
        hidden(_details(question)),
        "",
        f"*{question.difficulty.value}*"
        + (" · " + ", ".join(f"`{tag}`" for tag in question.tags) if question.tags else ""),
        "",
        *block(question.answer),
        "",
    ]
    if question.expected:
        lines += [f"**Expected answer:** {inline(question.expected.display())}", ""]
    if question.key_points:
        lines += ["**Key points**", ""]
        lines += [f"- {inline(point.text)}" for point in question.key_points]
        lines.append("")
    if question.misconceptions:
        lines += ["**Common misconceptions**", ""]
        lines += [
            f"- ✗ {inline(item.claim)}  \n  ✓ {inline(item.correction)}"
            for item in question.misconceptions
        ]
        lines.append("")
    if question.errata:
        lines += ["**Errata**", ""]
        lines += [
            f"- The model answer says “{inline(item.quote, also=ERRATUM_CLOSE)}”; correct is: "
            f"{inline(item.correction)}"
            for item in question.errata
        ]
        lines.append("")
    if question.follow_ups:
        lines += ["**Follow-ups**", ""]
        lines += [f"- {inline(item)}" for item in question.follow_ups]
        lines.append("")
    return lines


def _bank_details(bank: Bank) -> dict[str, Any]:
    details: dict[str, Any] = {"id": bank.id}
    if bank.role:
        details["role"] = bank.role
    if bank.version != 1:
        details["version"] = bank.version
    in_use = list(dict.fromkeys(question.category for question in bank.questions))
    if bank.ordered_categories() != in_use:
        details["categories"] = bank.ordered_categories()
    # So that a copy cut short, which may still read as a smaller bank, is refused on import.
    details["question_count"] = len(bank.questions)
    return details


def bank_to_markdown(bank: Bank) -> str:
    """The whole bank as one Markdown document, in bank order, with a heading for each run of
    questions in one category (a bank grouped by category has one heading per category)."""
    lines = [f"# {heading(bank.title)}", hidden(_bank_details(bank)), ""]
    if bank.description:
        lines += [*block(bank.description), ""]
    runs: list[list[Question]] = []
    for question in bank.questions:
        if runs and runs[-1][0].category == question.category:
            runs[-1].append(question)
        else:
            runs.append([question])
    number = 0
    for run in runs:
        lines += [f"## {inline(run[0].category)} ({len(run)})", ""]
        for question in run:
            number += 1
            lines += _question_markdown(number, question)
    return "\n".join(lines).rstrip() + "\n"
