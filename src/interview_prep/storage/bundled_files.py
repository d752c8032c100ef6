"""The bank files shipped with the app, and the hashes that tell whether one changed.

Apart from :mod:`.bundled` (which needs SQLAlchemy) so that the CLI's sqlite3 path
(:mod:`.sqlite_file`) can check, without it, that every shipped file is already stored.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

BUNDLED_FOLDER = Path(__file__).resolve().parent.parent / "data" / "banks"


def bundled_bank_files(folder: Path | None = None) -> list[Path]:
    """The bank files shipped with the app (``data/banks/*.yaml``), by name."""
    folder = BUNDLED_FOLDER if folder is None else folder
    return sorted(path for path in folder.glob("*.yaml") if path.is_file())


def file_hash(data: bytes) -> str:
    """The hash stored with a bundled bank: SHA-256 of its file's bytes, in hex."""
    return hashlib.sha256(data).hexdigest()
