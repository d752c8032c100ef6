"""Password hashing through argon2-cffi."""

from __future__ import annotations

import pytest

from interview_prep.accounts.passwords import hash_password, needs_rehash, verify_password

pytestmark = pytest.mark.real_password_hashing


def test_a_hash_verifies_its_password_only() -> None:
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse batterY")
    assert not needs_rehash(stored)


def test_each_hash_is_salted() -> None:
    assert hash_password("same password") != hash_password("same password")


def test_no_hash_or_a_broken_one_never_verifies() -> None:
    assert not verify_password(None, "not a password anyone has")
    assert not verify_password("not-a-hash", "anything")


def test_weaker_parameters_ask_for_a_rehash() -> None:
    from argon2 import PasswordHasher

    old = PasswordHasher(time_cost=1, memory_cost=8192).hash("correct horse battery")
    assert verify_password(old, "correct horse battery")
    assert needs_rehash(old)


def test_hashes_use_owasps_argon2id_setting() -> None:
    # m=19 MiB, t=2, p=1: the OWASP Password Storage Cheat Sheet's argon2id parameters.
    assert hash_password("correct horse battery").startswith("$argon2id$v=19$m=19456,t=2,p=1$")
