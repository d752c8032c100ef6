"""Bank files in and out: YAML, JSON, seed pages, Markdown and Anki."""

from .files import (
    READABLE,
    WRITABLE,
    BankFormat,
    dump_bank,
    export_bank_file,
    load_bank_file,
    parse_format,
    read_bank_bytes,
)
from .validation import bank_schema, validate_bank_data

__all__ = [
    "READABLE",
    "WRITABLE",
    "BankFormat",
    "bank_schema",
    "dump_bank",
    "export_bank_file",
    "load_bank_file",
    "parse_format",
    "read_bank_bytes",
    "validate_bank_data",
]
