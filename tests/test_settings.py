"""One settings table, read from the environment and flags, and kept true in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from interview_prep.errors import ConfigurationError
from interview_prep.settings import SETTINGS, load_config

README = Path(__file__).resolve().parents[1] / "README.md"


def test_defaults():
    config = load_config(environ={})
    assert config.host == "127.0.0.1"
    assert config.port == 8000


def test_environment_then_flags():
    environ = {"INTERVIEW_PREP_PORT": "9000", "INTERVIEW_PREP_HOST": "0.0.0.0"}
    config = load_config({"port": 7000, "host": None}, environ=environ)
    assert config.port == 7000
    assert config.host == "0.0.0.0"


def test_wrong_type_is_a_readable_error():
    with pytest.raises(ConfigurationError, match=r"INTERVIEW_PREP_PORT.*'many' is not a int"):
        load_config(environ={"INTERVIEW_PREP_PORT": "many"})


def test_sqlite_in_data_dir_by_default(tmp_path):
    config = load_config(environ={"INTERVIEW_PREP_DATA_DIR": str(tmp_path)})
    assert config.resolved_database_url == f"sqlite:///{tmp_path}/interview-prep.db"


def test_every_setting_is_documented_in_the_readme():
    text = README.read_text(encoding="utf-8")
    documented = set(re.findall(r"`(INTERVIEW_PREP_[A-Z_]+)`", text))
    assert documented == {setting.env for setting in SETTINGS}
