"""The fuzz properties of ``benchmarks/fuzz_importers.py``, run briefly on every test run.

Every importer (YAML, JSON, seed page) either imports a bank that round-trips through export, or
fails with the app's own error and leaves the database as it was; every exporter (Markdown,
Anki) writes each valid bank whole; the search query parser takes any text. The benchmark runs
the same properties for ten minutes.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "fuzz_importers.py"


@pytest.fixture(scope="module")
def fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_importers", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def properties(fuzz: ModuleType, tmp_path: Path) -> Iterator[tuple[dict, object]]:
    tally = fuzz.Tally()
    db = fuzz.fuzz_database(tmp_path)
    try:
        yield fuzz.properties(db, tmp_path, tally, examples=25), tally
    finally:
        db.close()


@pytest.mark.parametrize("name", ["importers", "round_trips", "exporters", "search"])
def test_property_holds(properties: tuple[dict, object], name: str) -> None:
    tests, tally = properties
    tests[name]()  # Hypothesis raises, with the smallest failing input, if it does not hold
    assert sum(tally.inputs.values()) >= 10  # type: ignore[attr-defined]


def test_the_benchmark_counts_inputs_and_failures(fuzz: ModuleType) -> None:
    tally = fuzz.run(seconds=2, examples_per_round=3)
    assert sum(tally.inputs.values()) > 0 and not tally.failures, tally.examples
