"""Write a bank as an Anki deck (``.apkg``): one note per question, rubric on the back.

Each note also carries the whole question (and its bank's details) as JSON in a field the cards
do not show, so that importing the deck again (:mod:`.anki_import`) loses nothing.
"""

from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path

from ..domain.banks import Bank
from ..domain.questions import Question

RUBRIC = "Rubric"
"""The field holding the question as JSON (HTML-escaped, as Anki fields are HTML)."""


def _stable_id(text: str) -> int:
    # Anki wants 31-bit-ish ids that stay the same across exports, so re-imports update notes.
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16) % (1 << 30) + (1 << 30)


def _back(question: Question) -> str:
    parts = [f"<p>{html.escape(question.answer)}</p>"]
    if question.expected:
        parts.append(f"<p><b>Expected:</b> {html.escape(question.expected.display())}</p>")
    if question.key_points:
        items = "".join(f"<li>{html.escape(point.text)}</li>" for point in question.key_points)
        parts.append(f"<p><b>Key points</b></p><ul>{items}</ul>")
    if question.misconceptions:
        items = "".join(
            f"<li>✗ {html.escape(item.claim)}<br>✓ {html.escape(item.correction)}</li>"
            for item in question.misconceptions
        )
        parts.append(f"<p><b>Common misconceptions</b></p><ul>{items}</ul>")
    if question.errata:
        items = "".join(
            f"<li>The model answer says “{html.escape(e.quote)}”; correct is: "
            f"{html.escape(e.correction)}</li>"
            for e in question.errata
        )
        parts.append(f"<p><b>Errata</b></p><ul>{items}</ul>")
    return "".join(parts)


def _field(text: str) -> str:
    """Text as an Anki field: HTML-escaped, and without U+001F, which Anki uses to separate a
    note's fields (the Rubric keeps the text exactly)."""
    return html.escape(text).replace("\x1f", " ")


def write_anki_deck(bank: Bank, path: Path) -> None:
    """Write ``bank`` to ``path`` as an Anki package."""
    import genanki

    model = genanki.Model(
        # A new id with the Rubric field: Anki keeps a note type's fields by its id.
        _stable_id("interview-prep-model-2"),
        "Interview Prep question",
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Category"}, {"name": RUBRIC}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "<div class=cat>{{Category}}</div>{{Question}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Answer}}",
            }
        ],
        css=".card{font-family:sans-serif;font-size:18px;text-align:left}.cat{color:#666;font-size:13px}",
    )
    deck = genanki.Deck(_stable_id(f"deck:{bank.id}"), bank.title)
    details = {key: value for key, value in bank.to_dict().items() if key != "questions"}
    for question in bank.questions:
        rubric = json.dumps({"bank": details, "question": question.to_dict()}, ensure_ascii=False)
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[
                    _field(question.question),
                    _back(question).replace("\x1f", " "),
                    _field(question.category),
                    html.escape(rubric, quote=False),
                ],
                guid=genanki.guid_for(bank.id, question.id),
                tags=[tag.replace(" ", "_") for tag in question.tags],
            )
        )
    genanki.Package(deck).write_to_file(str(path))
