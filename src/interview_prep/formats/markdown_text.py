"""How bank text is written into the lines of a Markdown bank, and read back exactly.

The Markdown a bank exports is a study sheet first, so ordinary text is written as it is. Only
what would change the sheet's structure or be lost in a text editor is escaped, and the escapes
are CommonMark's own, so that the sheet renders as the text reads:

* a backslash before ASCII punctuation (``\\#``, ``\\*``, ``\\\\``) stands for that character;
  the writer doubles a backslash only where it would otherwise start such an escape;
* a numeric character reference (``&#xA;``, ``&#32;``) stands for its character; the writer uses
  it for control characters, line and paragraph separators, whitespace at the edges of a field
  (which editors strip), and line breaks inside a one-line field;
* a line of a multi-line field (a model answer, the description) that the reader would take for
  a heading or a section marker starts with a backslash.

Everything else is literal: a backslash before a letter (``\\sigma``), or an ``&amp;``, is read as
written. :func:`unescape` undoes :func:`inline` and :func:`block` exactly, for any text.
"""

from __future__ import annotations

import re
import string
import unicodedata

# Lines the reader takes for structure: a category (##) or question (###) heading, and the bold
# markers that open a question's sections. The writer escapes answer lines that match these.
HEADING = re.compile(r"^(#{2,3})(?:[ \t]+(.*))?$")
SECTION = re.compile(
    r"^\*\*(expected answer|key points|common misconceptions|misconceptions|errata|follow-ups"
    r"|follow-up questions)[ \t]*(?::[ \t]*)?\*\*:?[ \t]*(.*)$",
    re.IGNORECASE,
)
HIDDEN_START = "<!-- interview-prep:"
HIDDEN_END = "-->"

_PUNCTUATION = frozenset(string.punctuation)
_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])|&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));")


def _reference(char: str) -> str:
    return f"&#x{ord(char):X};"


def _escape(text: str, *, keep: str = "", also: str = "") -> str:
    """Escape backslashes, numeric references, control characters (but those in ``keep``), the
    characters in ``also``, and the whitespace at both ends of ``text`` (which editors strip)."""
    lead = len(text) - len(text.lstrip())
    trail = len(text) - len(text.rstrip()) if lead < len(text) else 0

    def refer(index: int) -> bool:
        char = text[index]
        if index < lead or index >= len(text) - trail or char in also:
            return True
        return char not in keep and unicodedata.category(char) in ("Cc", "Zl", "Zp")

    out: list[str] = []
    for index, char in enumerate(text):
        if refer(index):
            out.append(_reference(char))
        elif char == "\\":
            # Doubled only where the reader would otherwise see an escape or a hard line break:
            # before punctuation, a reference (which starts with "&"), a line break or the end.
            after = index + 1
            doubled = after == len(text) or text[after] in _PUNCTUATION or text[after] == "\n"
            out.append("\\\\" if doubled or refer(after) else "\\")
        elif char == "&" and _REFERENCE.match(text, index):
            out.append("\\&")
        else:
            out.append(char)
    return "".join(out)


def inline(text: str, *, also: str = "") -> str:
    """One field written on one line (a title, a question, a key point).

    Args:
        text: the field.
        also: characters to write as references wherever they are, because the line's shape
            uses them as separators (the closing quote of an erratum).
    """
    return _escape(text, keep="\t", also=also)


def heading(text: str) -> str:
    """A field written as a heading's text: a closing ``#`` would be read as the heading's end."""
    written = inline(text)
    if written.endswith("#"):
        written = written[:-1] + "\\#"
    return written


def block(text: str) -> list[str]:
    """A multi-line field (a model answer, a description) as the lines to write."""
    lines = _escape(text, keep="\t\n").split("\n")
    return ["\\" + line if HEADING.match(line) or SECTION.match(line) else line for line in lines]


def unescape(written: str) -> str:
    """The text a written field stands for (see the module docstring)."""
    if "\\" not in written and "&#" not in written:
        return written

    def replace(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return match.group(1)
        number = int(match.group(2), 16) if match.group(2) else int(match.group(3))
        # Out of range is kept as written; NULs and surrogates are cleaned later by the policy.
        return chr(number) if number <= 0x10FFFF else match.group(0)

    return _ESCAPE.sub(replace, written)
