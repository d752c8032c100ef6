"""The judge applied to one answer: which spans cover which key points, and which say a wrong claim.

Items are everything the rubric holds, each with the examples its author wrote: a key point is
judged against the answer as its own text and as each of its examples (the best of them counts,
so "the penalty pushes some weights all the way to nothing" can be recognised through an example
in plain words even where the key point says "sparsity"); a misconception through its claim and
its rewordings; an erratum of the model answer through its wrong claim and its rewordings, which
makes every erratum a misconception with no second writing.

Spans are the answer's sentences and, for sentences that join several claims, their clauses: a
sentence that says one right thing and one wrong one is judged piece by piece.

The judge does not bind who does what: it hears "L2 adds the squared weights" as the claim "L1
regularization penalises the squared weights". So a span that names only the other side of an
often-swapped pair that an item names (L2 or ridge, for an item on L1) is no evidence for that
item, either way (``text.sides``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from ..models.embedders import Embedder, TokenStates
from ..models.judge import JudgeModel, Side, Verdict
from ..models.shipped import FloatArray
from ..models.substance import SubstanceProbe
from ..result import Evidence, MisconceptionFinding, MisconceptionKind
from ..text.sides import Sides, sides_of, speaks_of_other_side, with_context
from ..text.tokens import Span, split_clauses
from .answers import AnswerView
from .rubric import Rubric

ItemKind = Literal["point", "claim", "erratum"]
MAX_SPANS = 48
TOPIC_MIN = 0.5
"""The cosine a span must reach with a wrong claim (or one of its rewordings) before the judge's
word on it counts. The judge reads how two texts relate, and out of its training data it can be
sure of a claim in a sentence about something else; a claim is only said by a span on its topic.
Set before measurement: unrelated sentences of one field sit near 0.2-0.4 under MiniLM."""
NEAREST_MARGIN = 0.0
"""How much closer a span must be to the wrong claim (or a rewording of it) than to every right
text the author wrote (each key point and its examples, each correction) before the judge may say
that it states the claim. The judge reads frozen token vectors and cannot always tell who does
what ("lasso selects features" heard as "ridge selects features"); the nearest authored neighbour
is a second, independent witness, and a sentence nearest to a right text is not called wrong.
Set from the authored examples alone, before any answer was graded with it: leaving each example
out in turn, with the topic bar above, a margin of 0 keeps 78 % of the rewordings of wrong claims
and lets 9 % of the right texts through (and 33 % of the near misses, which the judge's own
reading must then turn down)."""
NEAR_MISS_MARGIN = 0.0
"""The same witness for coverage: a span covers a key point only if it is at least this much
nearer to the point or one of its examples than to the point's near misses (sentences on its
topic that do not say it). Set from the authored sentences alone, each left out in turn: a margin
of 0 keeps 93 % of the examples and turns away 34 % of the near misses and 53 % of the wrong
claims on the question, before the judge reads any of them."""

POINT_TOPIC_MIN = 0.35
"""The cosine a span must reach with a key point or one of its examples before it can cover the
point: the judge, out of its training data, can be sure of coverage from a sentence about
something else ("I went hiking last summer" for a lesson learned). Set from the authored
examples alone: leaving each out in turn, 97.5 % of them reach 0.35 with their point's other
texts (the same share the substance probe keeps), and 29 % of the other points' examples do not."""


@dataclass(frozen=True)
class RubricItems:
    """The rubric's items, prepared once: what each row is, and the rows' judge inputs."""

    kinds: tuple[ItemKind, ...]
    owners: tuple[int, ...]
    """Index of the key point, misconception or erratum each row belongs to."""
    primary: tuple[bool, ...]
    """Whether the row is the item's own text (not one of its examples)."""
    side: Side
    claim_rows: tuple[int, ...]
    """The rows of wrong claims (misconceptions and errata, with their rewordings)."""
    claim_vectors: FloatArray
    """Sentence vectors of those rows, for the topic check of a wrong claim."""
    right_vectors: FloatArray
    """Sentence vectors of every right text: key points, their examples, and the corrections."""
    point_vectors: tuple[FloatArray, ...]
    """Per key point: sentence vectors of its text and its examples."""
    near_miss_vectors: tuple[FloatArray, ...]
    """Per key point: sentence vectors of its near misses (none for a derived point)."""
    sides: tuple[Sides, ...]
    """Per row: the sides of often-swapped pairs that its item's own text names (L1, ridge)."""


@dataclass(frozen=True)
class Judgement:
    """The judge's view of one answer."""

    spans: tuple[Span, ...]
    sentence_of: tuple[int, ...]
    """Index in ``spans`` of the sentence each span belongs to."""
    point_covers: FloatArray
    """(key points, spans): best P(covers) over the point's text and its examples."""
    point_contradicts: FloatArray
    """(key points, spans): P(contradicts) against the point's own text."""
    claim_states: FloatArray
    """(misconceptions, spans): P(covers) with the claim's own text as the item.

    Not the best over its rewordings, as for a key point's examples: in the judge's training a
    rewording is an item only against other rewordings of its claim, always "covers", so as an
    item it has never been shown a sentence that does not say it, and it hears its claim in
    anything on the topic ("I was responsible for the model" as "blaming another team"). The
    claim's own text was trained against corrections, right points and other points."""
    erratum_states: FloatArray
    """(errata, spans): the same for the model answer's own errors, through the wrong claim."""
    claim_similarity: FloatArray
    """(misconceptions, spans): best cosine of the span to the claim or one of its rewordings."""
    erratum_similarity: FloatArray
    """(errata, spans): the same for the errata."""
    right_similarity: FloatArray
    """(spans,): best cosine of the span to any right text of the rubric."""
    point_witnessed: npt.NDArray[np.bool_] | None = None
    """(key points, spans): whether the span may be evidence for the point: on its topic, nearer
    to the point (or an example) than to its near misses, and, when a substance probe was given,
    committed to something; ``None`` means no witness was asked, and every span is eligible."""


def rubric_items(rubric: Rubric) -> list[tuple[str, ItemKind, int, bool]]:
    rows: list[tuple[str, ItemKind, int, bool]] = []
    for index, point in enumerate(rubric.key_points):
        rows.append((point.text, "point", index, True))
        rows.extend((example, "point", index, False) for example in point.examples)
    if not rubric.reference_only:
        for index, item in enumerate(rubric.question.misconceptions):
            rows.append((item.claim, "claim", index, True))
            rows.extend((example, "claim", index, False) for example in item.examples)
        for index, erratum in enumerate(rubric.question.errata):
            rows.append((erratum.wrong_claim, "erratum", index, True))
            rows.extend((example, "erratum", index, False) for example in erratum.examples)
    return rows


def right_texts(rubric: Rubric) -> list[str]:
    """What the rubric says is right: each key point and its examples, and each correction."""
    texts = [text for point in rubric.key_points for text in (point.text, *point.examples)]
    if not rubric.reference_only:
        texts.extend(item.correction for item in rubric.question.misconceptions)
        texts.extend(erratum.correction for erratum in rubric.question.errata)
    return texts


def prepare_items(rubric: Rubric, embedder: Embedder, judge: JudgeModel) -> RubricItems:
    """The rubric's judge inputs (memoised on the rubric and its key points)."""

    def build() -> RubricItems:
        rows = rubric_items(rubric)
        # An example is judged as its item, so it speaks of what the item's own text names.
        own_sides = {(kind, owner): sides_of(text) for text, kind, owner, first in rows if first}
        states = token_states(embedder, [text for text, *_ in rows])
        claim_rows = tuple(i for i, (_, kind, _, _) in enumerate(rows) if kind != "point")
        return RubricItems(
            tuple(kind for _, kind, _, _ in rows),
            tuple(owner for _, _, owner, _ in rows),
            tuple(primary for *_, primary in rows),
            judge.prepare(states),
            claim_rows,
            embedder.embed([rows[i][0] for i in claim_rows]),
            embedder.embed(right_texts(rubric)),
            tuple(embedder.embed([p.text, *p.examples]) for p in rubric.key_points),
            tuple(embedder.embed(list(p.near_misses)) for p in rubric.key_points),
            tuple(own_sides[(kind, owner)] for _, kind, owner, _ in rows),
        )

    return rubric.memo("judge_items", build)


def token_states(embedder: Embedder, texts: list[str]) -> list[TokenStates]:
    reader = getattr(embedder, "token_states", None)
    if reader is None:
        raise TypeError(f"embedder {embedder.name!r} gives no token vectors for the judge")
    states: list[TokenStates] = reader(texts)
    return states


def supports_judge(embedder: Embedder | None) -> bool:
    """Whether ``embedder`` gives token vectors (a wrapper counts if what it wraps does)."""
    inner = getattr(embedder, "inner", embedder)
    return embedder is not None and callable(getattr(inner, "token_states", None))


def answer_spans(answer: AnswerView) -> tuple[list[Span], list[int]]:
    """The sentences of the answer, each followed by its clauses when it has more than one."""
    spans: list[Span] = []
    sentence_of: list[int] = []
    for sentence in answer.sentences:
        own = len(spans)
        spans.append(sentence)
        sentence_of.append(own)
        clauses = split_clauses(sentence)
        if len(clauses) > 1:
            for clause in clauses:
                spans.append(clause)
                sentence_of.append(own)
        if len(spans) >= MAX_SPANS:
            break
    return spans[:MAX_SPANS], sentence_of[:MAX_SPANS]


def _other_side(
    items: RubricItems, spans: list[Span], sentence_of: list[int]
) -> npt.NDArray[np.bool_]:
    """(rows, spans): whether the span speaks only of the other side of a pair the row's item names.

    A clause that names neither side of a pair speaks of what its sentence names.
    """
    own = [sides_of(span.text) for span in spans]
    read = [
        sides if sentence == index else with_context(sides, own[sentence])
        for index, (sides, sentence) in enumerate(zip(own, sentence_of, strict=True))
    ]
    other = np.zeros((len(items.kinds), len(spans)), dtype=bool)
    verdicts: dict[Sides, npt.NDArray[np.bool_]] = {}
    for row, sides in enumerate(items.sides):
        if sides not in verdicts:
            verdicts[sides] = np.array([speaks_of_other_side(sides, span) for span in read])
        other[row] = verdicts[sides]
    return other


def _group_max(
    values: FloatArray, rows: RubricItems, kind: ItemKind, count: int, primary_only: bool = False
) -> FloatArray:
    result = np.zeros((count, values.shape[1]), dtype=np.float32)
    for row, (row_kind, owner, primary) in enumerate(
        zip(rows.kinds, rows.owners, rows.primary, strict=True)
    ):
        if row_kind != kind or (primary_only and not primary) or owner >= count:
            continue
        result[owner] = np.maximum(result[owner], values[row])
    return result


def _eligible(
    items: RubricItems,
    span_vectors: FloatArray,
    sentence_of: list[int],
    substance: SubstanceProbe | None,
) -> npt.NDArray[np.bool_]:
    """(key points, spans): whether each span may be evidence for each point at all."""
    witnessed = np.ones((len(items.point_vectors), len(span_vectors)), dtype=bool)
    for index, (own, near) in enumerate(
        zip(items.point_vectors, items.near_miss_vectors, strict=True)
    ):
        if not len(own):
            continue
        nearest_own = (own @ span_vectors.T).max(axis=0)
        witnessed[index] = nearest_own >= POINT_TOPIC_MIN
        if len(near):
            nearest_miss = (near @ span_vectors.T).max(axis=0)
            witnessed[index] &= nearest_own >= nearest_miss + NEAR_MISS_MARGIN
    if substance is not None:
        # The probe reads whole sentences, as it was trained; a clause is as empty as its
        # sentence ("teams that invest in one move much faster" is filler in its sentence and
        # sounds like a claim alone).
        said = substance.substantive(span_vectors)
        witnessed &= said[sentence_of][None, :]
    return witnessed


def judge_answer(
    rubric: Rubric,
    answer: AnswerView,
    embedder: Embedder,
    judge: JudgeModel,
    substance: SubstanceProbe | None = None,
    *,
    claims: bool = True,
) -> Judgement:
    """Run the judge over the items of ``rubric`` and the spans of ``answer``.

    With ``substance``, a span that the probe hears as empty talk is evidence for no key point.
    Without ``claims`` only coverage is judged: the wrong-claim rows are skipped, and each key
    point is judged only against the spans that may be evidence for it (the other entries stay
    0), which is most of the judge's work when the rules decide the wrong claims.
    """
    items = prepare_items(rubric, embedder, judge)
    spans, sentence_of = answer_spans(answer)
    points = len(rubric.key_points)
    claims_count = 0 if rubric.reference_only else len(rubric.question.misconceptions)
    errata = 0 if rubric.reference_only else len(rubric.question.errata)
    span_vectors = embedder.embed([span.text for span in spans])
    witnessed = _eligible(items, span_vectors, sentence_of, substance)
    other = _other_side(items, spans, sentence_of)
    for row, (kind, owner, first) in enumerate(
        zip(items.kinds, items.owners, items.primary, strict=True)
    ):
        if kind == "point" and first and owner < points:
            witnessed[owner] &= ~other[row]
    probabilities = np.zeros((len(items.kinds), len(spans), 3), dtype=np.float32)
    # Blocks of (rubric rows, spans) to judge: every row that is heard against every span, or,
    # for coverage alone, each key point's rows against only the spans that may be evidence for
    # it. A wrong claim is heard only through its own text (see ``Judgement.claim_states``), so
    # its rewordings are never judged; they still witness the claim's topic through their vectors.
    blocks: list[tuple[list[int], list[int]]] = []
    if claims:
        heard = [
            row for row, kind in enumerate(items.kinds) if kind == "point" or items.primary[row]
        ]
        blocks.append((heard, list(range(len(spans)))))
    else:
        for index in range(points):
            point_rows = [
                row for row, (kind, owner) in enumerate(zip(items.kinds, items.owners, strict=True))
                if kind == "point" and owner == index
            ]  # fmt: skip
            blocks.append((point_rows, [int(c) for c in np.flatnonzero(witnessed[index])]))
    used = sorted({column for _, columns in blocks for column in columns})
    if used:
        span_side = judge.prepare(token_states(embedder, [spans[c].text for c in used]))
        position = {column: place for place, column in enumerate(used)}
        for rows, columns in blocks:
            if rows and columns:
                probabilities[np.ix_(rows, columns)] = judge.probabilities(
                    items.side.take(rows), span_side.take([position[c] for c in columns])
                )
    probabilities[other] = 0.0  # a span about the other side is no evidence either way
    covers = probabilities[:, :, Verdict.COVERS]
    contradicts = probabilities[:, :, Verdict.CONTRADICTS]
    similarity = np.zeros_like(covers)
    right = np.zeros(len(spans), dtype=np.float32)
    if items.claim_rows and claims:
        similarity[list(items.claim_rows)] = items.claim_vectors @ span_vectors.T
        if len(items.right_vectors):
            right = (items.right_vectors @ span_vectors.T).max(axis=0)
    return Judgement(
        tuple(spans),
        tuple(sentence_of),
        _group_max(covers, items, "point", points),
        _group_max(contradicts, items, "point", points, primary_only=True),
        _group_max(covers, items, "claim", claims_count, primary_only=True),
        _group_max(covers, items, "erratum", errata, primary_only=True),
        _group_max(similarity, items, "claim", claims_count),
        _group_max(similarity, items, "erratum", errata),
        right,
        witnessed,
    )


def _evidence(span: Span, probability: float) -> Evidence:
    return Evidence(span.text, span.start, span.end, probability)


def _stated_span(
    judgement: Judgement, row: FloatArray, key_point: int | None, threshold: float
) -> int | None:
    """The span that says a wrong claim, if one does: the claim must beat the right idea.

    A wrong claim and the key point it gets wrong are about the same thing, so a correct sentence
    can look like either. A span is taken to state the claim only when the judge hears the claim
    there more clearly than it hears the point the claim is about (any point, when the claim names
    none): being accused of an error costs a candidate more than a missed flag.
    """
    points = judgement.point_covers
    rival = (
        points[key_point]
        if key_point is not None and 0 <= key_point < points.shape[0]
        else (points.max(axis=0) if points.shape[0] else np.zeros_like(row))
    )
    eligible = (row >= threshold) & (row > rival)
    if not eligible.any():
        return None
    return int(np.argmax(np.where(eligible, row, -1.0)))


def judged_misconceptions(
    rubric: Rubric, judgement: Judgement, thresholds: dict[str, float]
) -> list[MisconceptionFinding]:
    """Wrong claims the judge hears: listed misconceptions, errata, and contradicted key points.

    A contradicted key point is reported only where no listed claim already explains the span,
    and only when the judge is surer of the contradiction than of coverage, so that a sentence
    that says the point in other words is never called wrong.
    """
    if rubric.reference_only or not judgement.spans:
        return []
    states = thresholds.get("states_claim", 0.75)
    contradiction = thresholds.get("contradicts", 0.9)
    findings: list[MisconceptionFinding] = []
    used: set[int] = set()

    def add(kind: MisconceptionKind, claim: str, correction: str, key_point: int | None,
            span_index: int, probability: float, detail: str) -> None:  # fmt: skip
        span = judgement.spans[span_index]
        sentence = judgement.spans[judgement.sentence_of[span_index]]
        used.add(judgement.sentence_of[span_index])
        findings.append(
            MisconceptionFinding(
                kind=kind,
                claim=claim,
                correction=correction,
                sentence=_evidence(sentence, probability),
                key_point=key_point,
                detail=detail,
                clause=_evidence(span, probability) if span is not sentence else None,
            )
        )

    margin = thresholds.get("nearest_margin", NEAREST_MARGIN)

    def witnessed(similarity: FloatArray) -> npt.NDArray[np.bool_]:
        # On the claim's topic, and nearer to the claim than to anything right.
        return (similarity >= TOPIC_MIN) & (similarity > judgement.right_similarity + margin)

    for number, item in enumerate(rubric.question.misconceptions):
        row = np.where(
            witnessed(judgement.claim_similarity[number]), judgement.claim_states[number], 0.0
        )
        best = _stated_span(judgement, row, item.key_point, states)
        if best is not None:
            p = float(judgement.claim_states[number, best])
            add(MisconceptionKind.STATED, item.claim, item.correction, item.key_point, best,
                p, f"the judge hears this claim (p={p:.2f})")  # fmt: skip
    for number, erratum in enumerate(rubric.question.errata):
        row = np.where(
            witnessed(judgement.erratum_similarity[number]), judgement.erratum_states[number], 0.0
        )
        best = _stated_span(judgement, row, erratum.key_point, states)
        if best is not None:
            add(MisconceptionKind.ERRATUM, erratum.wrong_claim, erratum.correction,
                erratum.key_point, best, float(judgement.erratum_states[number, best]),
                "the model answer makes this error too; it is listed in its errata")  # fmt: skip
    for index, point in enumerate(rubric.key_points):
        row = judgement.point_contradicts[index]
        best = int(np.argmax(row))
        if (
            row[best] >= contradiction
            and row[best] > judgement.point_covers[index, best]
            # An answer that says the point rightly elsewhere is not taken to deny it here.
            and float(judgement.point_covers[index].max()) < thresholds.get("covers", 0.5)
            and judgement.sentence_of[best] not in used
        ):
            detail = f"the judge reads this as contradicting the key point (p={row[best]:.2f})"
            correction = f"The key point is: {point.text}"
            said = judgement.spans[best].text
            add(MisconceptionKind.JUDGED, said, correction, index, best, float(row[best]), detail)
    return findings
