"""Read bank files from disk or bytes, and write banks as YAML, JSON or Markdown.

Reading is strict and all-or-nothing: a file is size-checked, decoded, parsed and validated whole
before anything is returned, so a caller that stores the result never stores half a bank.
"""

from __future__ import annotations

import enum
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.banks import Bank
from ..errors import BankFormatError, InvalidInputError
from ..input_policy import clean_text, quote, shorten
from . import limits
from .validation import validate_bank_data

if TYPE_CHECKING:
    import yaml

# PyYAML is imported where a YAML file is read or written, not when the CLI starts (it costs
# a tenth of a second, and most commands never touch a file).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


class BankFormat(enum.StrEnum):
    YAML = "yaml"
    JSON = "json"
    SEED_PAGE = "seed-page"
    MARKDOWN = "markdown"
    ANKI = "anki"


READABLE = (
    BankFormat.YAML,
    BankFormat.JSON,
    BankFormat.SEED_PAGE,
    BankFormat.MARKDOWN,
    BankFormat.ANKI,
)
WRITABLE = (BankFormat.YAML, BankFormat.JSON, BankFormat.MARKDOWN, BankFormat.ANKI)

_SUFFIXES = {
    ".yaml": BankFormat.YAML,
    ".yml": BankFormat.YAML,
    ".json": BankFormat.JSON,
    ".txt": BankFormat.SEED_PAGE,
    ".md": BankFormat.MARKDOWN,
    ".markdown": BankFormat.MARKDOWN,
}


def parse_format(value: str | None, allowed: tuple[BankFormat, ...]) -> BankFormat | None:
    """Turn a user's ``--format`` value into a format, with an error listing the choices."""
    if value is None:
        return None
    try:
        chosen = BankFormat(value.strip().lower())
    except ValueError:
        chosen = None
    if chosen not in allowed:
        choices = ", ".join(item.value for item in allowed)
        raise InvalidInputError(f"unknown format {quote(value)}: choose one of {choices}")
    return chosen


def decode_text(data: bytes, source: str) -> str:
    """Decode UTF-8 (a BOM is allowed), naming the line and column of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise BankFormatError(
            f"{source}: line {line}, column {column}: not UTF-8 text (byte "
            f"0x{data[error.start]:02x}); save the file as UTF-8 and try again"
        ) from None


def detect_format(text: str, source: str) -> BankFormat:
    """Guess a bank file's format from its name, then from its first characters.

    Markdown is known by its name only: its first line, ``# Title``, is also a YAML comment.
    """
    suffix = Path(source).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return BankFormat.JSON
    if "▾" in text:
        return BankFormat.SEED_PAGE
    return BankFormat.YAML


def _parse_structured(
    text: str, source: str, fmt: BankFormat, max_chars: int, *, shipped: bool = False
) -> Any:
    """Parse YAML or JSON within the limits of :mod:`.limits` (validation applies the policy).

    A file shipped with the app is not measured for alias bombs first: it is ours, and the
    measuring pass is a tenth of a second of a fresh server's start-up.
    """
    if fmt is BankFormat.JSON:
        data = limits.load_json(text, source, max_chars)
    else:
        import yaml

        try:
            # Measured first, so that aliases cannot expand past the limits while loading.
            if not shipped:
                limits.check_yaml(text, source, max_chars, safe_loader())
            data = yaml.load(text, Loader=safe_loader())
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            problem = getattr(error, "problem", None) or str(error)
            raise BankFormatError(f"{source}: {where}invalid YAML: {shorten(problem)}") from None
        except ValueError as error:
            raise BankFormatError(
                f"{source}: invalid YAML: {limits.number_problem(error)}"
            ) from None
    return data


def read_bank_bytes(
    data: bytes,
    source: str,
    fmt: BankFormat | None = None,
    *,
    category: str | None = None,
    bank_id: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    shipped: bool = False,
) -> Bank:
    """Parse and validate a bank from raw bytes.

    Args:
        data: the file's content.
        source: its name, used in every error message.
        fmt: the format; guessed from the name and content when ``None``.
        category: seed pages only: put every question in this category instead of inferring.
        bank_id: seed pages only: the bank id (default: from the title).
        max_bytes: the size limit.
        shipped: a bank file shipped with the app: checked by the rules that need several
            fields, but not by the JSON Schema, which the test suite runs on every shipped file.

    Raises:
        BankFormatError: the file is too big, empty, not UTF-8, or not a valid bank.
    """
    if len(data) > max_bytes:
        raise BankFormatError(
            f"{source}: the file is {len(data) / 1024 / 1024:.1f} MB, over the "
            f"{max_bytes / 1024 / 1024:.0f} MB limit for a bank"
        )
    if fmt is BankFormat.ANKI or (
        fmt is None and (source.lower().endswith(".apkg") or data.startswith(b"PK\x03\x04"))
    ):
        from .anki_import import read_anki_package

        return read_anki_package(data, source, max_bytes=max_bytes)
    text = clean_text(decode_text(data, source))
    if not text.strip():
        raise BankFormatError(f"{source}: the file is empty")
    fmt = fmt or detect_format(text, source)
    if fmt is BankFormat.SEED_PAGE:
        from .seed_page import parse_seed_page

        page = parse_seed_page(text, source, category=category, bank_id=bank_id)
        # The same checks as a hand-written bank: ids, lengths, category names.
        return validate_bank_data(page.to_dict(), source)
    if fmt is BankFormat.MARKDOWN:
        from .markdown_import import read_markdown_bank

        return read_markdown_bank(text, source, max_chars=max_bytes)
    if fmt not in READABLE:
        raise InvalidInputError(f"{source}: {fmt.value} files cannot be imported")
    parsed = _parse_structured(text, source, fmt, max_chars=max_bytes, shipped=shipped)
    return validate_bank_data(parsed, source, check_schema=not shipped)


def load_bank_file(
    path: str | Path,
    fmt: BankFormat | None = None,
    *,
    category: str | None = None,
    bank_id: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Bank:
    """Read and validate a bank file. See :func:`read_bank_bytes` for the arguments and errors."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > max_bytes:
            # Refuse before reading: a huge file should not be pulled into memory.
            raise BankFormatError(
                f"{name}: the file is {size / 1024 / 1024:.1f} MB, over the "
                f"{max_bytes / 1024 / 1024:.0f} MB limit for a bank"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InvalidInputError(f"{path}: is a folder, not a bank file") from None
    except PermissionError:
        raise InvalidInputError(f"{path}: permission denied") from None
    return read_bank_bytes(data, name, fmt, category=category, bank_id=bank_id, max_bytes=max_bytes)


@cache
def safe_loader() -> type[yaml.SafeLoader]:
    """libyaml's loader when PyYAML was built with it, else the pure Python one.

    libyaml reads about five times faster, and the app reads its bundled bank on a first start;
    both load the same safe subset.
    """
    import yaml

    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader


@cache
def bank_dumper(*, libyaml: bool = True) -> type[yaml.SafeDumper]:
    """The dumper of bank files: libyaml's emitter when PyYAML was built with it (and
    ``libyaml``), else the pure Python one.

    libyaml writes the bundled bank in about a tenth of the time (0.08 s instead of 0.7 s), the
    most of ``export --format yaml``; the representers below are Python in both, and the two
    write the same text (``tests/formats/test_files.py`` compares them).
    """
    import yaml

    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper) if libyaml else yaml.SafeDumper

    class BankDumper(base):  # type: ignore[valid-type,misc]
        """Writes long text as folded blocks so that a bank stays pleasant to edit by hand."""

    BankDumper.add_representer(str, _represent_str)
    BankDumper.add_representer(list, _represent_list)
    dumper: type[yaml.SafeDumper] = BankDumper
    return dumper


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    # Short lists of words (tags, terms) read best on one line: [a, b, c].
    short = all(isinstance(item, str) and "\n" not in item for item in value)
    flow = short and sum(len(item) + 2 for item in value) <= 80
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


def _with_count(bank: Bank) -> dict[str, Any]:
    """The bank's data with ``question_count`` just before its questions, so that a copy cut
    short (which may still parse) is refused on import rather than read as a smaller bank."""
    data: dict[str, Any] = {}
    for key, value in bank.to_dict().items():
        if key == "questions":
            data["question_count"] = len(bank.questions)
        data[key] = value
    return data


def dump_bank(bank: Bank, fmt: BankFormat, *, libyaml: bool = True) -> str:
    """Write a bank as text in a writable text format (YAML, JSON or Markdown).

    Args:
        libyaml: YAML: write with libyaml's emitter when there is one (see :func:`bank_dumper`).
    """
    if fmt is BankFormat.YAML:
        import yaml

        return yaml.dump(
            _with_count(bank),
            Dumper=bank_dumper(libyaml=libyaml),
            sort_keys=False,
            allow_unicode=True,
            width=100,
        )
    if fmt is BankFormat.JSON:
        return json.dumps(_with_count(bank), ensure_ascii=False, indent=2) + "\n"
    if fmt is BankFormat.MARKDOWN:
        from .markdown import bank_to_markdown

        return bank_to_markdown(bank)
    raise InvalidInputError(f"{fmt.value} is not a text format; use export_bank_file")


def export_bank_file(bank: Bank, fmt: BankFormat, path: str | Path) -> Path:
    """Write a bank to ``path`` in any writable format, including Anki ``.apkg`` decks."""
    path = Path(path)
    if fmt is BankFormat.ANKI:
        from .anki import write_anki_deck

        write_anki_deck(bank, path)
    else:
        path.write_text(dump_bank(bank, fmt), encoding="utf-8")
    return path
