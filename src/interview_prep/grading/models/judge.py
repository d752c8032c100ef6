"""The learned judge: does a span of an answer cover a rubric item, contradict it, or neither?

A rubric item is a key point, a misconception's claim or an erratum's wrong claim; a span is a
sentence or clause of the answer. Cosine similarity of sentence embeddings cannot tell "L1 drives
weights to zero" from the same sentence with L2 (0.90-0.99 either way), and no NLI model ships in
a package that can be installed here, so the judge is a small head trained in this repository
(``scripts/train_judge.py``) on top of the frozen MiniLM encoder's token vectors.

Its shape is the decomposable-attention family of NLI models: each word piece of one side is
aligned softly with the other side's, compared with what it aligned to (the difference and the
product of the two vectors, and whether the same word piece occurs on the other side at all), and
the comparisons are pooled into three probabilities. Only the head is learned (about 60k numbers,
well under a megabyte), which trains in minutes on two cores; the encoder run that the grader
already makes for its sentence vectors provides the token vectors, so judging costs no extra
encoder work. Inference is plain numpy, so neither PyTorch nor a second ONNX graph is needed.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ...errors import ConfigurationError
from .embedders import TokenStates
from .shipped import FloatArray, data_file, read_checked

WEIGHTS_FILE = "judge.npz"
META_FILE = "judge.json"
MAX_TOKENS = 64
"""Word pieces of an item or a span that the judge reads; longer spans are cut (rare: a span is a
sentence, and the encoder itself stops at 128)."""
SPECIAL_IDS = frozenset({0, 101, 102})
"""[PAD], [CLS] and [SEP]: the same on every side, so they never count as a shared word."""

PARAMETERS = (
    "proj_w",
    "proj_b",
    "cmp_self",
    "cmp_aligned",
    "cmp_product",
    "cmp_match",
    "cmp_b",
    "out_w1",
    "out_b1",
    "out_w2",
    "out_b2",
)
JOINT_PARAMETERS = (
    "jt_segment",
    "jt_in_w",
    "jt_in_b",
    "jt_out_w",
    "jt_out_b",
    "jt_norm1_w",
    "jt_norm1_b",
    "jt_ff1_w",
    "jt_ff1_b",
    "jt_ff2_w",
    "jt_ff2_b",
    "jt_norm2_w",
    "jt_norm2_b",
)
"""The joint layer's parameters: present in a judge trained with ``--joint``, absent otherwise."""
JOINT_HEADS = 4


class Verdict(IntEnum):
    """The judge's three answers, in the order of its outputs."""

    NEITHER = 0
    COVERS = 1
    CONTRADICTS = 2


class JudgeUnavailableError(ConfigurationError):
    """The judge's weights are missing, damaged or do not match their recorded checksum."""

    code = "judge_unavailable"
    title = "Grading judge unavailable"


@dataclass(frozen=True)
class Side:
    """One side of many pairs, prepared once: projected token vectors and word-piece ids."""

    projected: FloatArray
    """(count, tokens, width) after the shared projection; padding rows are zero."""
    mask: npt.NDArray[np.bool_]
    ids: npt.NDArray[np.int64]
    pooled: FloatArray
    """Unit-length mean of the raw token vectors: the sentence embedding, for its cosine."""

    def take(self, rows: Sequence[int]) -> Side:
        """The side of only ``rows`` (in that order)."""
        index = list(rows)
        return Side(self.projected[index], self.mask[index], self.ids[index], self.pooled[index])


@dataclass
class JudgeModel:
    """The head's parameters and the thresholds chosen when it was trained."""

    weights: dict[str, FloatArray]
    thresholds: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def width(self) -> int:
        return int(self.weights["proj_b"].shape[0])

    def prepare(self, texts: Sequence[TokenStates]) -> Side:
        """Project the token vectors of ``texts`` (done once per rubric item or answer span)."""
        count = len(texts)
        longest = max((min(len(t.ids), MAX_TOKENS) for t in texts), default=1)
        raw = np.zeros((count, longest, self.weights["proj_w"].shape[0]), dtype=np.float32)
        ids = np.zeros((count, longest), dtype=np.int64)
        mask = np.zeros((count, longest), dtype=bool)
        for row, text in enumerate(texts):
            size = min(len(text.ids), MAX_TOKENS)
            raw[row, :size] = text.states[:size]
            ids[row, :size] = text.ids[:size]
            mask[row, :size] = True
        projected = np.maximum(raw @ self.weights["proj_w"] + self.weights["proj_b"], 0.0)
        projected *= mask[:, :, None]
        pooled = (raw * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1), 1)[:, None]
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-9)
        return Side(projected.astype(np.float32), mask, ids, pooled.astype(np.float32))

    @property
    def joint(self) -> bool:
        """Whether the head reads both sides together (a self-attention layer) before aligning."""
        return all(name in self.weights for name in JOINT_PARAMETERS)

    def probabilities(self, items: Side, spans: Side) -> FloatArray:
        """(items, spans, 3) probabilities of :class:`Verdict` for every item against every span."""
        if not len(items.mask) or not len(spans.mask):
            return np.zeros((len(items.mask), len(spans.mask), 3), dtype=np.float32)
        w = self.weights
        count_i, count_s = len(items.mask), len(spans.mask)
        # (items, 1, m, d) and (1, spans, n, d): what depends on one side only is computed once
        # and broadcast over the other (matmul broadcasts; einsum over broadcast views was the
        # slowest step of grading with the judge).
        p: FloatArray = items.projected[:, None]
        h: FloatArray = spans.projected[None, :]
        if self.joint:
            # The joint layer makes each word piece's vector depend on the other side, so every
            # pair gets its own copy of both sides.
            p, h = self._read_together(
                np.broadcast_to(p, (count_i, count_s, *items.projected.shape[1:])),
                np.broadcast_to(h, (count_i, count_s, *spans.projected.shape[1:])),
                items.mask,
                spans.mask,
            )
        scale = 1.0 / np.sqrt(self.width)
        energy = (p @ np.swapaxes(h, -1, -2)) * scale
        span_ok = spans.mask[None, :, None, :]
        item_ok = items.mask[:, None, :, None]
        aligned_to_item = _softmax(np.where(span_ok, energy, -1e9), axis=3)
        aligned_to_span = _softmax(np.where(item_ok, energy, -1e9), axis=2)
        h_hat = aligned_to_item @ h
        p_hat = np.swapaxes(aligned_to_span, -1, -2) @ p
        # Whether each word piece also occurs on the other side: the one thing a soft alignment
        # blurs ("L1" lines up with "L2" almost as well as with "L1").
        same = items.ids[:, None, :, None] == spans.ids[None, :, None, :]
        same &= span_ok & item_ok
        special = np.isin(items.ids, list(SPECIAL_IDS))
        match_item = same.any(axis=3) & ~special[:, None, :]
        match_span = same.any(axis=2) & ~np.isin(spans.ids, list(SPECIAL_IDS))[None, :, :]
        compared_item = np.maximum(
            p @ w["cmp_self"]
            + h_hat @ w["cmp_aligned"]
            + (p * h_hat) @ w["cmp_product"]
            + match_item[..., None] * w["cmp_match"]
            + w["cmp_b"],
            0.0,
        )
        compared_span = np.maximum(
            h @ w["cmp_self"]
            + p_hat @ w["cmp_aligned"]
            + (h * p_hat) @ w["cmp_product"]
            + match_span[..., None] * w["cmp_match"]
            + w["cmp_b"],
            0.0,
        )
        item_mask = np.broadcast_to(items.mask[:, None, :], compared_item.shape[:3])
        span_mask = np.broadcast_to(spans.mask[None, :, :], compared_span.shape[:3])
        cosine = (items.pooled @ spans.pooled.T)[..., None]
        pooled = np.concatenate(
            [
                _masked_mean(compared_item, item_mask),
                _masked_max(compared_item, item_mask),
                _masked_mean(compared_span, span_mask),
                _masked_max(compared_span, span_mask),
                cosine,
            ],
            axis=-1,
        )
        hidden = np.maximum(pooled @ w["out_w1"] + w["out_b1"], 0.0)
        logits = hidden @ w["out_w2"] + w["out_b2"]
        result: FloatArray = _softmax(logits, axis=-1).astype(np.float32)
        return result

    def _read_together(
        self,
        p: FloatArray,
        h: FloatArray,
        item_mask: npt.NDArray[np.bool_],
        span_mask: npt.NDArray[np.bool_],
    ) -> tuple[FloatArray, FloatArray]:
        """PyTorch's ``TransformerEncoderLayer`` (post-norm, ReLU) over item and span together."""
        w = self.weights
        count_i, count_s, m, width = p.shape
        n = h.shape[2]
        both = np.concatenate([p + w["jt_segment"][0], h + w["jt_segment"][1]], axis=2)
        both = both.reshape(count_i * count_s, m + n, width)
        valid = np.concatenate(
            [
                np.broadcast_to(item_mask[:, None, :], (count_i, count_s, m)),
                np.broadcast_to(span_mask[None, :, :], (count_i, count_s, n)),
            ],
            axis=2,
        ).reshape(count_i * count_s, m + n)
        heads = JOINT_HEADS
        size = width // heads
        qkv = both @ w["jt_in_w"] + w["jt_in_b"]
        q, k, v = np.split(qkv, 3, axis=-1)

        def split(x: FloatArray) -> FloatArray:
            return x.reshape(x.shape[0], x.shape[1], heads, size).transpose(0, 2, 1, 3)

        energy = split(q) @ split(k).transpose(0, 1, 3, 2) / np.sqrt(size)
        energy = np.where(valid[:, None, None, :], energy, -1e9)
        attended = (_softmax(energy, axis=-1) @ split(v)).transpose(0, 2, 1, 3)
        attended = attended.reshape(both.shape) @ w["jt_out_w"] + w["jt_out_b"]
        both = _layer_norm(both + attended, w["jt_norm1_w"], w["jt_norm1_b"])
        hidden = np.maximum(both @ w["jt_ff1_w"] + w["jt_ff1_b"], 0.0)
        both = _layer_norm(
            both + hidden @ w["jt_ff2_w"] + w["jt_ff2_b"], w["jt_norm2_w"], w["jt_norm2_b"]
        )
        both = (both * valid[..., None]).reshape(count_i, count_s, m + n, width)
        return both[:, :, :m].astype(np.float32), both[:, :, m:].astype(np.float32)

    def judge(self, items: Sequence[TokenStates], spans: Sequence[TokenStates]) -> FloatArray:
        """Probabilities for token states of items against token states of spans."""
        return self.probabilities(self.prepare(items), self.prepare(spans))


def _softmax(values: npt.NDArray[Any], axis: int) -> npt.NDArray[Any]:
    shifted = values - values.max(axis=axis, keepdims=True)
    exp = np.exp(shifted)
    result: npt.NDArray[Any] = exp / exp.sum(axis=axis, keepdims=True)
    return result


def _layer_norm(values: FloatArray, weight: FloatArray, bias: FloatArray) -> FloatArray:
    mean = values.mean(axis=-1, keepdims=True)
    variance = values.var(axis=-1, keepdims=True)
    result: FloatArray = (values - mean) / np.sqrt(variance + 1e-5) * weight + bias
    return result


def _masked_mean(values: FloatArray, mask: npt.NDArray[np.bool_]) -> FloatArray:
    total = (values * mask[..., None]).sum(axis=-2)
    result: FloatArray = total / np.maximum(mask.sum(axis=-1), 1)[..., None]
    return result


def _masked_max(values: FloatArray, mask: npt.NDArray[np.bool_]) -> FloatArray:
    # Values are ReLU outputs (>= 0), so zeroing the padding leaves every maximum unchanged.
    result: FloatArray = (values * mask[..., None]).max(axis=-2)
    return result


def weights_path() -> Path:
    return data_file(WEIGHTS_FILE)


def meta_path() -> Path:
    return data_file(META_FILE)


def read_judge(weights: Path, meta: Path) -> JudgeModel:
    """Load a judge from its weights file and its metadata (which records their checksum).

    Raises:
        JudgeUnavailableError: a file is missing, or the checksum or the parameters are wrong.
    """
    info, arrays = read_checked(weights, meta, JudgeUnavailableError, "the judge")
    missing = [name for name in PARAMETERS if name not in arrays]
    if missing:
        raise JudgeUnavailableError(f"{weights.name} lacks parameters: {', '.join(missing)}")
    thresholds = {str(k): float(v) for k, v in (info.get("thresholds") or {}).items()}
    return JudgeModel(arrays, thresholds, info)


_lock = threading.Lock()


@cache
def load_judge() -> JudgeModel:
    """The shipped judge, loaded and checked once per process."""
    with _lock:
        return read_judge(weights_path(), meta_path())
