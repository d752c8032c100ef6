"""Shared fixtures: real databases (SQLite files and a throw-away PostgreSQL cluster) and a bank.

``db`` runs a test once on SQLite and once on PostgreSQL. The PostgreSQL cluster is started once
per test session from Debian's server binaries and gives each test a fresh database. Without those
binaries the PostgreSQL runs are skipped, except on CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, LiteralString, NoReturn

import pytest

from interview_prep.domain import Bank
from interview_prep.formats.validation import validate_bank_data
from interview_prep.storage import Database, import_bank, open_database

POSTGRES_USER = "app"
# Starlette's test client calls the app as http://testserver: allow that one name, the way a
# deployment names its own in this setting. Tests of the host guard pass their own settings.
os.environ.setdefault("INTERVIEW_PREP_ALLOWED_HOSTS", "testserver")


@pytest.fixture(autouse=True)
def fast_password_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash passwords with argon2id's smallest parameters: the real ones take most of a second
    per hash on this class of machine. Tests marked ``real_password_hashing`` keep them."""
    if request.node.get_closest_marker("real_password_hashing"):
        return
    from argon2 import PasswordHasher

    from interview_prep.accounts import passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    monkeypatch.setattr(passwords, "_HASHER", cheap)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", cheap.hash("not a password anyone has"))


_database_numbers = itertools.count(1)


def _postgres_bin() -> Path | None:
    def major(path: str) -> int:
        version = Path(path).parent.parent.name
        return int(version) if version.isdigit() else 0

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=major)
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is required on CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL not available: {reason}")


@dataclass(frozen=True)
class PostgresCluster:
    port: int
    folder: Path
    binaries: Path
    as_owner: tuple[str, ...] = ()

    def restart(self) -> None:
        """Restart the server (fast shutdown: open connections are cut, transactions abort)."""
        # With its log file named, as at start: otherwise the new server would hold the output
        # pipe of this call open, and the call would never return.
        command = [self.binaries / "pg_ctl", "-D", self.folder / "data", "-w", "-m", "fast"]
        command += ["-l", self.folder / "log", "restart"]
        subprocess.run([*self.as_owner, *map(str, command)], check=True, capture_output=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{POSTGRES_USER}@127.0.0.1:{self.port}/{database}"

    def _admin(self, statement: LiteralString, name: str) -> None:
        import psycopg
        from psycopg import sql

        admin = f"postgresql://{POSTGRES_USER}@127.0.0.1:{self.port}/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(sql.SQL(statement).format(sql.Identifier(name)))

    def create_database(self) -> str:
        """Create a new, empty database and return its URL."""
        name = f"test_{os.getpid()}_{next(_database_numbers)}"
        self._admin("CREATE DATABASE {}", name)
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by :meth:`create_database`, closing what is still connected."""
        self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", url.rsplit("/", 1)[1])


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A PostgreSQL server of its own for this test session (trust auth, no fsync)."""
    binaries = _postgres_bin()
    if binaries is None:
        _unavailable("no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="interview-prep-pg-"))
    # initdb refuses to run as root: run the server as the postgres user in a folder it owns.
    as_owner: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    port = _free_port()

    def run(*command: str | Path) -> None:
        subprocess.run([*as_owner, *map(str, command)], check=True, capture_output=True, text=True)

    try:
        run(binaries / "initdb", "-D", data, "-U", POSTGRES_USER, "--auth=trust", "--no-sync")
        options = f"-h 127.0.0.1 -p {port} -k {folder} -F"
        run(binaries / "pg_ctl", "-D", data, "-w", "-l", folder / "log", "-o", options, "start")
    except (OSError, subprocess.CalledProcessError) as error:
        shutil.rmtree(folder, ignore_errors=True)
        details = getattr(error, "stderr", "") or str(error)
        _unavailable(f"the test cluster did not start: {details.strip()}")
    try:
        yield PostgresCluster(port, folder, binaries, tuple(as_owner))
    finally:
        subprocess.run(
            [*as_owner, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_cluster: PostgresCluster) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped after the test."""
    url = postgres_cluster.create_database()
    yield url
    postgres_cluster.drop_database(url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """The URL of a new SQLite database file (not yet created)."""
    return f"sqlite:///{tmp_path / 'interview-prep.db'}"


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def database_url(request: pytest.FixtureRequest) -> str:
    """A new, empty database: once SQLite, once PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(name)
    return url


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """An open, migrated database without the bundled banks: once SQLite, once PostgreSQL."""
    database = open_database(database_url, sync_bundled=False)
    try:
        yield database
    finally:
        database.close()


def _sample_bank_data() -> dict[str, Any]:
    return {
        "id": "ml-basics",
        "title": "Machine learning basics",
        "role": "ML Engineer",
        "description": "Core questions on training neural networks and evaluating models.",
        "version": 1,
        "categories": ["Deep learning", "Optimisation", "Evaluation"],
        "questions": [
            {
                "id": "vanishing-gradients",
                "category": "Deep learning",
                "difficulty": "medium",
                "tags": ["gradients", "deep-networks"],
                "question": "What is the vanishing gradient problem, and how can you fix it?",
                "answer": (
                    "In a deep network the gradient is a product of many per-layer factors; "
                    "with saturating activations such as sigmoid those factors are below one, "
                    "so the gradient reaching the early layers shrinks exponentially and they "
                    "stop learning. Fixes: ReLU-like activations, careful initialisation "
                    "(Xavier/He), residual connections, normalisation layers, and gated units "
                    "(LSTM/GRU) in recurrent networks."
                ),
                "key_points": [
                    {"text": "Gradients shrink exponentially as they flow back through layers"},
                    {"text": "Saturating activations like sigmoid and tanh cause it"},
                    {"text": "Residual connections, ReLU and good initialisation fix it"},
                ],
                "related": ["gradient-clipping"],
            },
            {
                "id": "gradient-descent",
                "category": "Optimisation",
                "difficulty": "easy",
                "tags": ["gradients", "optimisers"],
                "question": "Explain gradient descent and the role of the learning rate.",
                "answer": (
                    "Gradient descent moves the parameters a small step against the gradient "
                    "of the loss. The learning rate sets the step size: too large and the loss "
                    "diverges or oscillates, too small and training crawls. Stochastic gradient "
                    "descent estimates the gradient on mini-batches."
                ),
                "key_points": [
                    {"text": "Step against the gradient of the loss"},
                    {"text": "The learning rate is the step size and trades speed for stability"},
                ],
            },
            {
                "id": "gradient-clipping",
                "category": "Optimisation",
                "difficulty": "medium",
                "tags": ["gradients", "rnn"],
                "question": "Why do we clip gradients when training recurrent networks?",
                "answer": (
                    "Clipping caps the gradient norm so that one exploding gradient cannot "
                    "throw the weights far away. It treats exploding gradients only: it does "
                    "nothing for vanishing ones, which need gating or residual paths."
                ),
                "key_points": [{"text": "It bounds the update when gradients explode"}],
            },
            {
                "id": "adam",
                "category": "Optimisation",
                "difficulty": "hard",
                "tags": ["optimisers"],
                "question": "How does Adam differ from SGD with momentum?",
                "answer": (
                    "Adam keeps running averages of the gradient and of its square and scales "
                    "each parameter's step by them, with bias correction early on; momentum "
                    "SGD keeps only the first average and one global learning rate."
                ),
            },
            {
                "id": "batch-norm",
                "category": "Deep learning",
                "difficulty": "medium",
                "tags": ["deep-networks", "normalisation"],
                "question": "What does batch normalisation do during training and inference?",
                "answer": (
                    "It normalises each feature over the mini-batch, then applies a learned "
                    "scale and shift; this smooths the loss surface and helps gradient flow. "
                    "At inference it uses running averages of the mean and variance."
                ),
            },
            {
                "id": "precision-recall",
                "category": "Evaluation",
                "difficulty": "easy",
                "tags": ["metrics"],
                "question": "When would you prefer precision over recall?",
                "answer": (
                    "When false positives cost more than false negatives: a spam filter that "
                    "hides real mail, or an alert that wakes someone up at night."
                ),
            },
            {
                "id": "bias-variance",
                "category": "Fundamentals",
                "difficulty": "easy",
                "tags": ["generalisation"],
                "question": "Explain the bias-variance trade-off.",
                "answer": (
                    "Bias is error from wrong assumptions (underfitting); variance is error "
                    "from sensitivity to the training sample (overfitting). More capacity "
                    "lowers bias and raises variance; regularisation moves the other way."
                ),
            },
        ],
    }


@pytest.fixture
def bank_data() -> dict[str, Any]:
    """A small, realistic machine-learning bank as a bank file would hold it (a fresh copy)."""
    return _sample_bank_data()


@pytest.fixture
def bank(bank_data: dict[str, Any]) -> Bank:
    """A small machine-learning bank: seven questions, four categories, several on gradients."""
    return validate_bank_data(bank_data, source="test bank")


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def bank_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A database holding ``bank``, shared by a module's read-only tests: SQLite, PostgreSQL."""
    cluster: PostgresCluster | None = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('bank-db') / 'interview-prep.db'}"
    else:
        cluster = request.getfixturevalue("postgres_cluster")
        url = cluster.create_database()
    database = open_database(url, sync_bundled=False)
    try:
        import_bank(database, validate_bank_data(_sample_bank_data(), source="test bank"))
        yield database
    finally:
        database.close()
        if cluster is not None:
            cluster.drop_database(url)
