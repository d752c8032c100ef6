"""A candidate's answer prepared for grading: sentences, words and (optionally) their embeddings."""

from __future__ import annotations

from dataclasses import dataclass

from .embedders import Embedder, Vectors
from .rubric import content_words, demote
from .text import Span, Token, is_content, split_sentences, tokenize

MAX_EMBEDDED_SENTENCES = 64
"""Past this many sentences only the first ones are embedded (a pasted essay, not an answer)."""


@dataclass
class AnswerView:
    text: str
    sentences: list[Span]
    tokens: list[Token]
    keys: list[str]
    words: list[str]
    """Content lemmas not in the question."""
    all_words: list[str]
    vector: Vectors | None = None
    sentence_vectors: Vectors | None = None
    demoted_vector: Vectors | None = None
    word_vectors: Vectors | None = None
    all_word_vectors: Vectors | None = None

    @property
    def embedded(self) -> bool:
        return self.vector is not None


def view_answer(
    text: str, question_keys: frozenset[str], embedder: Embedder | None = None
) -> AnswerView:
    """Cut ``text`` into sentences and words, and embed them with ``embedder`` if given."""
    tokens = tokenize(text)
    sentences = split_sentences(text)
    if not sentences and text.strip():
        stripped = text.strip()
        start = text.find(stripped)
        sentences = [Span(stripped, start, start + len(stripped))]
    view = AnswerView(
        text=text,
        sentences=sentences[:MAX_EMBEDDED_SENTENCES],
        tokens=tokens,
        keys=[token.key for token in tokens if is_content(token)],
        words=content_words(tokens, question_keys),
        all_words=content_words(tokens),
    )
    if embedder is not None and text.strip():
        demoted = demote(text, question_keys)
        sentence_texts = [span.text for span in view.sentences]
        batch = [text, demoted, *sentence_texts, *view.words, *view.all_words]
        unique = list(dict.fromkeys(batch))
        vectors = embedder.embed(unique)
        row = {item: index for index, item in enumerate(unique)}
        view.vector = vectors[row[text]]
        view.demoted_vector = vectors[row[demoted]]
        view.sentence_vectors = vectors[[row[item] for item in sentence_texts]]
        view.word_vectors = vectors[[row[item] for item in view.words]]
        view.all_word_vectors = vectors[[row[item] for item in view.all_words]]
    return view
