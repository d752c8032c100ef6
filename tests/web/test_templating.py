"""Markup built in Python: escaped text, paragraphs, errata marks, URLs."""

from __future__ import annotations

from interview_prep.domain import Erratum
from interview_prep.web.templating import answer_html, bank_url, category_anchor, doc_html

from .conftest import soup


def test_answer_paragraphs_are_escaped() -> None:
    html = answer_html("First <b>bold</b> & more.\n\nSecond <script>x()</script>")
    assert str(html) == (
        "<p>First &lt;b&gt;bold&lt;/b&gt; &amp; more.</p>"
        "<p>Second &lt;script&gt;x()&lt;/script&gt;</p>"
    )


def test_erratum_quote_is_marked_and_linked_to_its_correction() -> None:
    errata = [
        Erratum(quote="bias decreases", correction="..."),
        Erratum(quote="sum of <bias>", correction="..."),
    ]
    html = answer_html("As capacity grows, bias\ndecreases. Total is the sum of <bias>.", errata)
    marks = soup(str(html)).select("mark.erratum")
    assert [mark.contents[0] for mark in marks] == ["bias\ndecreases", "sum of <bias>"]
    assert [mark.a["href"] for mark in marks] == ["#erratum-1", "#erratum-2"]
    assert "&lt;bias&gt;" in str(html)


def test_an_erratum_quote_not_in_the_answer_changes_nothing() -> None:
    html = answer_html("Plain answer.", [Erratum(quote="elsewhere", correction="x")])
    assert str(html) == "<p>Plain answer.</p>"


def test_overlapping_quotes_mark_once() -> None:
    errata = [Erratum(quote="a b c", correction="x"), Erratum(quote="b c d", correction="y")]
    assert len(soup(str(answer_html("a b c d", errata))).select("mark")) == 1


def test_bank_url_keeps_only_set_filters_and_encodes_them() -> None:
    assert bank_url("ml") == "/banks/ml"
    assert bank_url("ml", q=None, category="Deep dive", tag="") == "/banks/ml?category=Deep+dive"
    assert bank_url("ml", q="a&b") == "/banks/ml?q=a%26b"


def test_category_anchor_is_a_safe_id() -> None:
    assert category_anchor("Quick-fire") == "cat-quick-fire"
    assert category_anchor("<img>") == "cat-img"
    assert category_anchor("???") == "cat-other"


def test_doc_html_escapes_and_renders_backticks_as_code() -> None:
    html = doc_html("Use `bank/id` <here>.\n\nSecond  para.")
    assert str(html) == "<p>Use <code>bank/id</code> &lt;here&gt;.</p><p>Second para.</p>"


def test_erratum_links_take_a_prefix_for_pages_with_many_questions() -> None:
    html = answer_html("It is wrong.", [Erratum(quote="wrong", correction="x")], "q-a-")
    assert soup(str(html)).select_one("mark a")["href"] == "#q-a-erratum-1"
