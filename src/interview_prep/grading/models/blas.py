"""numpy's BLAS kept to one thread while grading.

Grading multiplies small matrices (a few dozen sentence or word vectors against a few dozen key
points or reference words). OpenBLAS spreads even those over every core, and waking its threads
costs far more than the product itself, more still while the ONNX session holds the same cores:
on two cores a 62 x 53 product took 2 ms with the default threads and 0.04 ms with one, and a
150-word answer graded in half the time (see benchmarks/README.md). OpenBLAS has no per-call
setting, so the process-wide one is set once, when a grader with a model is loaded, unless the
user chose a thread count through the environment.
"""

from __future__ import annotations

import ctypes
import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)

_SETTERS = (
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)
_ENVIRONMENT = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
_done = False


def _openblas_files() -> list[Path]:
    import numpy

    here = Path(numpy.__file__).resolve().parent
    return sorted((here.parent / "numpy.libs").glob("*openblas*")) + sorted(
        here.glob("**/*openblas*.so*")
    )


def limit_blas_threads(count: int = 1) -> bool:
    """Set numpy's OpenBLAS to ``count`` threads, once per process; True if it was set.

    Does nothing when a thread count is set in the environment, and nothing (but a debug log)
    when numpy is built against another BLAS: grading is then merely slower.
    """
    global _done
    if _done:
        return True
    if any(os.environ.get(name) for name in _ENVIRONMENT):
        return False
    for path in _openblas_files():
        try:
            library = ctypes.CDLL(str(path))
        except OSError:
            continue
        for name in _SETTERS:
            setter = getattr(library, name, None)
            if setter is not None:
                setter(count)
                _done = True
                return True
    logger.debug("no OpenBLAS found next to numpy; BLAS threads left as they are")
    return False
