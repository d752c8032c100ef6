"""Password hashes with argon2id (argon2-cffi), at OWASP's recommended parameters.

Nothing here is home-made: argon2-cffi salts, hashes, encodes the parameters into the hash and
compares in constant time. :func:`needs_rehash` lets a login bring a hash made with other
parameters to these in place.

The parameters are the OWASP Password Storage Cheat Sheet's argon2id setting of 19 MiB, two
passes, one lane, not argon2-cffi's default (64 MiB, three passes, four lanes). Both are in the
range OWASP recommends; the default costs 0.135 s of both cores of a 2-core server per login, so
a cohort of 200 logging in at the start of a class waited up to a minute and some timed out
(benchmarks/team_load.py), where this setting takes 0.03 s of one core.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verified when the username is unknown, so that a wrong name costs the same time as a wrong
# password and the timing does not tell which names exist. Made on first use: a hash takes a
# good part of a second, which every command's start would otherwise pay.
_DUMMY_HASH: str | None = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _HASHER.hash("not a password anyone has")
    return _DUMMY_HASH


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (with its salt and parameters), to store."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``; without a hash, take as long and say no."""
    try:
        return _HASHER.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's defaults."""
    return _HASHER.check_needs_rehash(stored_hash)
