"""Full-text search: FTS5 on SQLite, tsvector on PostgreSQL, behind one query shape.

What a person types is never passed to the search engine as syntax. It is cut into words (letters
and digits only), each word or hyphenated group becomes a quoted term or phrase, and the last
word, if the person may still be typing it, matches as a prefix. So ``"``, ``*``, ``(``, ``-``,
``AND`` or ``NEAR`` are only ever text, and no input can raise a syntax error.

Which questions come first is :mod:`.ranking`'s business; this module makes the query and the
highlighted snippets of the page shown.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# SQLAlchemy is imported by the functions that run statements: the CLI's SQLite reader
# (:mod:`.readers`) parses queries here without it.

# PostgreSQL's GIN indexes of the search vectors (migrations 0001 and 0003).
POSTGRESQL_INDEXES = (
    "ix_questions_search_vector",
    "ix_questions_search_vector_question",
    "ix_questions_search_vector_summary",
)
# Characters that mark matches in the database's snippet, from Unicode's private use area so that
# real text does not contain them; a stray one could at worst add a (balanced, harmless) <mark>.
START = "\ue000"
STOP = "\ue001"
MAX_TERMS = 16
MAX_CHARS = 500
_WORD = re.compile(r"[^\W_]+")

# Common English words that say nothing about a question ("what is ..."). PostgreSQL's english
# configuration drops these itself; SQLite's tokenizer does not, so the query drops them.
STOP_WORDS = frozenset(
    {
        *("a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from"),
        *("how", "i", "in", "is", "it", "its", "of", "on", "or", "that", "the", "this", "to"),
        *("was", "what", "when", "where", "which", "who", "why", "will", "with", "you", "your"),
    }
)

# Column weights. SQLite (bm25, per column in index order): question, answer, key points, tags.
SQLITE_WEIGHTS = (8.0, 2.0, 4.0, 4.0)
# The tokenizer of the FTS5 index (migration 0001); snippets are made with the same one.
SQLITE_TOKENIZER = "porter unicode61 remove_diacritics 2"
SNIPPET_TOKENS = 32
HEADLINE_OPTIONS = f'StartSel="{START}", StopSel="{STOP}", MaxWords=35, MinWords=15, ShortWord=2'
# PostgreSQL's parser takes "<b>" for an HTML tag and ts_headline drops it from the snippet; the
# angle brackets are swapped for private-use characters around ts_headline and then restored.
ANGLES = "\ue002\ue003"


@dataclass(frozen=True)
class Term:
    """One quoted word or phrase of a query; ``prefix``: its last word may be incomplete."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class SearchQuery:
    terms: tuple[Term, ...]

    def fts5(self, columns: Sequence[str] | None = None) -> str:
        """The query as an FTS5 MATCH expression: every term required, in one of ``columns``
        (any column when ``None``)."""
        terms = " AND ".join(
            '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "") for term in self.terms
        )
        return terms if columns is None else "{" + " ".join(columns) + "} : (" + terms + ")"

    def tsquery(self) -> str:
        """The query as input for PostgreSQL's ``to_tsquery``: every term required."""
        parts = []
        for term in self.terms:
            words = [f"'{word}'" for word in term.words]
            if term.prefix:
                words[-1] += ":*"
            parts.append(" <-> ".join(words))
        return " & ".join(parts)


def parse_query(text: str) -> SearchQuery | None:
    """Turn what a person typed into a safe query, or ``None`` when it has no words to search.

    A chunk between spaces is one term (``cross-entropy`` is the phrase "cross entropy"). Common
    words are dropped unless nothing else is left. The last term is a prefix unless the text ends
    with a space: typing ``vanishing grad`` already finds "vanishing gradient".
    """
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS])
    chunks = text.split()
    terms = []
    for index, chunk in enumerate(chunks):
        words = tuple(word.lower() for word in _WORD.findall(chunk))
        if words:
            last = index == len(chunks) - 1 and not text[-1].isspace()
            terms.append(Term(words, prefix=last))
    if not terms:
        return None
    meaningful = [t for t in terms if len(t.words) > 1 or t.words[0] not in STOP_WORDS]
    return SearchQuery(tuple((meaningful or terms)[:MAX_TERMS]))


def settle_index(session: Session, dialect: str) -> None:
    """After writing many questions, make the search index fast to read again at once.

    On PostgreSQL a GIN index takes new rows into a pending list, which every search then reads
    through in full until a vacuum folds it into the index: after importing a large bank, some
    60 ms per query for the next minute. Folding it here costs a fraction of the import. Without
    the right to do it (the index belongs to another role) the vacuum still will, later.
    """
    if dialect != "postgresql":
        return
    from sqlalchemy import text
    from sqlalchemy.exc import ProgrammingError

    try:
        with session.begin_nested():
            for index in POSTGRESQL_INDEXES:
                session.execute(
                    text("SELECT gin_clean_pending_list(CAST(:index AS regclass))"),
                    {"index": index},
                )
    except ProgrammingError:
        pass


def snippets(
    session: Session, dialect: str, query: SearchQuery, pks: Sequence[int]
) -> dict[int, str]:
    """Highlighted snippets (safe HTML) for the given questions, by ``pk``.

    A question that matches by its tags only has none.
    """
    if not pks:
        return {}
    from sqlalchemy import bindparam, text

    # One snippet per text column: the question, the key points, the answer (tags make poor
    # snippets). The column with the most matches wins, the question first when tied.
    rows: Iterable[Sequence[Any]]
    if dialect == "sqlite":
        rows = _sqlite_snippets(session, query, pks)
        restore = None
    else:
        headline = "ts_headline('english', translate({}, '<>', :angles), query, :options)"
        rows = session.execute(
            text(
                f"SELECT pk, {headline.format('question')}, "
                f"{headline.format('key_points_text')}, {headline.format('answer')} "
                "FROM questions, to_tsquery('english', :match) AS query WHERE pk IN :pks"
            ).bindparams(bindparam("pks", expanding=True)),
            {
                "angles": ANGLES,
                "options": HEADLINE_OPTIONS,
                "match": query.tsquery(),
                "pks": list(pks),
            },
        )
        restore = str.maketrans(ANGLES, "<>")
    marked: dict[int, str] = {}
    for pk, *candidates in rows:
        best = max(candidates, key=lambda raw: (raw or "").count(START))
        if best and START in best:
            marked[pk] = best.translate(restore) if restore else best
    return {pk: to_safe_html(as_sentences(raw)) for pk, raw in marked.items()}


_LINE_BREAK = re.compile(rf"([.!?;:…])?([{START}{STOP}]*)[ \t]*\n\s*")


def as_sentences(raw: str) -> str:
    """One line of text from lines (key points, paragraphs) that may not end with a full stop.

    The key points are stored one a line, and a snippet shows them on one line: "… calling it
    overfitting\nChecks the validation path" would read as one sentence. A line without its
    own punctuation gets a full stop (after any match marker that closes it).
    """

    def join(match: re.Match[str]) -> str:
        stop, markers = match.group(1), match.group(2)
        return f"{stop}{markers} " if stop else f"{markers}. "

    return _LINE_BREAK.sub(join, raw).strip()


def _sqlite_snippets(
    session: Session, query: SearchQuery, pks: Sequence[int]
) -> list[tuple[int, str | None, str | None, str | None]]:
    """The question, key points and answer snippets of the questions ``pks``.

    They are made in a temporary FTS5 table (of this connection) holding just these questions.
    Asked of the real index, FTS5 would run the whole query once per question, and a prefix
    (the last word, as typed) means merging the lists of every word it starts, each time; a
    snippet depends only on the question's own text, so it comes out the same.
    """
    from sqlalchemy import bindparam, text

    session.execute(
        text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_page USING fts5("
            "question, answer, key_points_text, tags_text, "
            f"tokenize='{SQLITE_TOKENIZER}')"
        )
    )
    session.execute(text("DELETE FROM temp.search_page"))
    session.execute(
        text(
            "INSERT INTO temp.search_page(rowid, question, answer, key_points_text, tags_text) "
            "SELECT pk, question, answer, key_points_text, tags_text FROM questions "
            "WHERE pk IN :pks"
        ).bindparams(bindparam("pks", expanding=True)),
        {"pks": list(pks)},
    )
    # FTS5 numbers columns in table order: question 0, answer 1, key points 2, tags 3.
    snippet = "snippet(search_page, {}, :start, :stop, '…', :tokens)"
    rows = session.execute(
        text(
            f"SELECT rowid, {snippet.format(0)}, {snippet.format(2)}, {snippet.format(1)} "
            "FROM temp.search_page WHERE search_page MATCH :match"
        ),
        {"start": START, "stop": STOP, "tokens": SNIPPET_TOKENS, "match": query.fts5()},
    )
    return [(pk, question, key_points, answer) for pk, question, key_points, answer in rows]


def to_safe_html(raw: str) -> str:
    """Escape ``raw`` for HTML, turning the match markers into balanced ``<mark>`` elements."""
    out: list[str] = []
    inside = False
    for piece in re.split(f"([{START}{STOP}])", raw):
        if piece == START:
            if not inside:
                out.append("<mark>")
                inside = True
        elif piece == STOP:
            if inside:
                out.append("</mark>")
                inside = False
        else:
            out.append(html.escape(piece, quote=True))
    if inside:
        out.append("</mark>")
    return "".join(out)


def plain_snippet(text_: str, limit: int = 200) -> str:
    """The start of a text as safe HTML, for a match that has no snippet of its own."""
    text_ = as_sentences(text_.replace(START, "").replace(STOP, ""))
    short = text_ if len(text_) <= limit else text_[:limit].rsplit(" ", 1)[0] + " …"
    return html.escape(short, quote=True)
