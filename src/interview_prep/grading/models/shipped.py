"""Weights that ship inside the package: read only when they match the checksum they were
written with, so that a damaged or hand-edited file is refused instead of grading wrongly."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ...errors import ConfigurationError

FloatArray = npt.NDArray[np.float32]


def data_file(name: str) -> Path:
    """A file of ``grading/data`` in the installed package."""
    return Path(str(resources.files("interview_prep.grading").joinpath("data", name)))


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_checked(
    weights: Path, meta: Path, error: type[ConfigurationError], what: str
) -> tuple[dict[str, Any], dict[str, FloatArray]]:
    """The metadata and the float32 arrays of a weights file checked against its metadata.

    Raises:
        ``error``: a file is missing or unreadable, or the weights do not match their checksum.
    """
    if not weights.is_file() or not meta.is_file():
        raise error(f"{what}'s files are missing ({weights.name}, {meta.name})")
    try:
        info = json.loads(meta.read_text("utf-8"))
    except (OSError, ValueError) as problem:
        raise error(f"cannot read {meta.name}: {problem}") from None
    if not isinstance(info, dict):
        raise error(f"cannot read {meta.name}: not a JSON object")
    actual = sha256_file(weights)
    if actual != info.get("sha256"):
        raise error(
            f"{weights.name} has sha256 {actual}, expected {info.get('sha256')}: not loading it"
        )
    with np.load(weights, allow_pickle=False) as data:
        arrays = {name: data[name].astype(np.float32) for name in data.files}
    return info, arrays
