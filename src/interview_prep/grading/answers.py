"""A candidate's answer prepared for grading: sentences, words and (optionally) their embeddings."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .embedders import Embedder, Vectors
from .rubric import content_words
from .text import Span, Token, is_content, split_sentences, tokenize

MAX_EMBEDDED_SENTENCES = 64
"""Past this many sentences only the first ones are embedded (a pasted essay, not an answer)."""
MAX_EMBEDDED_WORDS = 300


@dataclass
class AnswerView:
    text: str
    sentences: list[Span]
    tokens: list[Token]
    keys: list[str]
    words: list[str]
    """Content lemmas not in the question."""
    all_words: list[str]
    sentence_tokens: list[list[Token]] = field(default_factory=list)
    vector: Vectors | None = None
    sentence_vectors: Vectors | None = None
    demoted_vector: Vectors | None = None
    word_vectors: Vectors | None = None
    all_word_vectors: Vectors | None = None

    @property
    def embedded(self) -> bool:
        return self.vector is not None


def mean_direction(vectors: Vectors | None) -> Vectors | None:
    """The normalised mean of unit vectors (None for none)."""
    if vectors is None or len(vectors) == 0:
        return None
    mean = vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    result: Vectors = (mean / norm if norm > 0 else mean).astype(np.float32)
    return result


def view_answer(
    text: str, question_keys: frozenset[str], embedder: Embedder | None = None
) -> AnswerView:
    """Cut ``text`` into sentences and words, and embed them with ``embedder`` if given.

    Only sentences and words are run through the model. The whole answer's vector is the mean
    direction of its sentences, and its question-demoted vector that of its words: running the
    whole text again would double the model's work for a 150-word answer (see
    benchmarks/README.md for what it costs and what it gains).
    """
    tokens = tokenize(text)
    sentences = split_sentences(text)
    if not sentences and text.strip():
        stripped = text.strip()
        start = text.find(stripped)
        sentences = [Span(stripped, start, start + len(stripped))]
    sentences = sentences[:MAX_EMBEDDED_SENTENCES]
    view = AnswerView(
        text=text,
        sentences=sentences,
        tokens=tokens,
        keys=[token.key for token in tokens if is_content(token)],
        words=content_words(tokens, question_keys)[:MAX_EMBEDDED_WORDS],
        all_words=content_words(tokens)[:MAX_EMBEDDED_WORDS],
        sentence_tokens=[
            [token for token in tokens if span.start <= token.start < span.end]
            for span in sentences
        ],
    )
    if embedder is not None and text.strip():
        sentence_texts = [span.text for span in view.sentences]
        unique = list(dict.fromkeys([*sentence_texts, *view.words, *view.all_words]))
        vectors = embedder.embed(unique)
        row = {item: index for index, item in enumerate(unique)}
        view.sentence_vectors = vectors[[row[item] for item in sentence_texts]]
        view.word_vectors = vectors[[row[item] for item in view.words]]
        view.all_word_vectors = vectors[[row[item] for item in view.all_words]]
        view.vector = mean_direction(view.sentence_vectors)
        demoted = mean_direction(view.word_vectors)
        view.demoted_vector = demoted if demoted is not None else view.vector
    return view
