"""Text from banks and answers, made safe to print on a terminal.

A bank field can hold terminal escapes: ``ESC [ 2 J`` clears the screen, an OSC sequence
(``ESC ] 8 ; ; url``) draws a link that hides its target or sets the window title, and some
terminals answer a query with keystrokes. Whatever an imported bank holds, the CLI shows it as
text: escape sequences are removed, and other control characters too (except line breaks and
tabs), before rich reads the text, whose own markup is escaped as well.
"""

from __future__ import annotations

import re

from rich.markup import escape as escape_markup

# ESC-introduced sequences (CSI with its parameters, OSC and the other string commands up to
# their terminator), their 8-bit C1 forms, then any single control character left over.
_ESCAPES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?            # CSI ... final byte
  | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])      # OSC, DCS, SOS, PM, APC ...
    [^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?         # ... up to BEL or ST
  | \x1b[ -/]*[0-~]?                              # other ESC sequences
  | [\x00-\x08\x0b-\x1f\x7f-\x9f]                 # any other control character
    """,
    re.VERBOSE,
)


def printable(text: str) -> str:
    """``text`` without terminal escape sequences or control characters (keeps \\n and \\t)."""
    return _ESCAPES.sub("", text)


def escape(text: str) -> str:
    """User text for rich's ``print``: printable, with rich markup escaped."""
    return escape_markup(printable(text))
