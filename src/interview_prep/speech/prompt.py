"""The text that primes the recogniser: the question's key terms, and a disfluent opening.

Whisper takes an ``initial_prompt`` as if it were the text just before the recording. Key terms in
it make "L2 regularization" come out instead of "to regular donation". A prompt with fillers in it
keeps the fillers in the transcript: Whisper otherwise writes tidy text and drops every "um",
which the delivery coaching needs to see.
"""

from __future__ import annotations

from ..domain import Question

_DISFLUENT = "Umm, let me think, uh, like, hmm."
MAX_TERMS = 40  # Whisper keeps at most 224 prompt tokens; the question itself comes first


def key_terms(question: Question) -> list[str]:
    """Technical terms of ``question``: key-point terms, tags and accepted names, in order."""
    seen: set[str] = set()
    terms: list[str] = []

    def add(term: str) -> None:
        cleaned = term.strip().replace("-", " ") if term.islower() else term.strip()
        if cleaned and cleaned.lower() not in seen:
            seen.add(cleaned.lower())
            terms.append(cleaned)

    for point in question.key_points:
        for term in point.terms:
            add(term)
    if question.expected is not None:
        for name in question.expected.names:
            add(name.name)
        if question.expected.text:
            add(question.expected.text)
    for tag in question.tags:
        add(tag)
    return terms[:MAX_TERMS]


def initial_prompt(question: Question) -> str:
    """The prompt for an answer to ``question``."""
    terms = key_terms(question)
    glossary = f" Terms: {', '.join(terms)}." if terms else ""
    return f"{question.question}{glossary} {_DISFLUENT}"
