"""The escapes of bank text in Markdown lines: undone exactly, for any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from interview_prep.formats.markdown_import import _heading_text
from interview_prep.formats.markdown_text import (
    HEADING,
    SECTION,
    block,
    heading,
    inline,
    unescape,
)

# Pieces that mean something to the writer or the reader, among any characters.
_PIECES = st.sampled_from(
    [
        "\\",
        "&#xA;",
        "&#32;",
        "&amp;",
        "## ",
        "### ",
        "**Key points**",
        "\n",
        "\r",
        "\t",
        " ",
        "\u2028",
        "\x85",
        "\xa0",
        "”",
        "#",
        "*",
        "<!--",
    ]
)
TEXT = st.lists(_PIECES | st.characters(exclude_characters="\x00"), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_inline_text_is_one_line_read_back_exactly(text: str) -> None:
    written = inline(text, also="”")
    assert "\n" not in written and "\r" not in written and written == written.strip()
    assert "”" not in written
    assert unescape(written) == text
    # A heading's closing run of "#" is dropped by the reader, so the writer escapes a last "#".
    assert unescape(_heading_text(heading(text))) == text


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_a_block_is_read_back_exactly_and_holds_no_structure(text: str) -> None:
    lines = block(text)
    assert not any(HEADING.match(line) or SECTION.match(line) for line in lines)
    if text:
        assert lines[0].strip() and lines[-1].strip()  # the reader trims blank edge lines
    assert unescape("\n".join(lines)) == text


def test_ordinary_text_is_written_as_it_is() -> None:
    text = "L2 adds $\\lambda \\|w\\|^2$ to the loss (see *Bishop*, §5)."
    assert inline(text) == text.replace("\\|", "\\\\|")
    assert block("First line.\n\nSecond paragraph.") == ["First line.", "", "Second paragraph."]
    assert block("## Not a heading") == ["\\## Not a heading"]
