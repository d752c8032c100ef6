"""Jinja2 set-up: one autoescaping environment, the helpers templates use, and ``render``.

Every template is autoescaped. Markup is built here only through :func:`markupsafe.escape`, so a
question or answer can never inject HTML; the one other trusted HTML is the storage layer's
search snippet, which escapes the text itself before adding ``<mark>``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, pass_context
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ..domain.questions import Erratum
from .localtime import duration

STATIC_DIR = Path(__file__).parent / "static"
HTMX_FILE = "htmx-2.0.11.min.js"
SITE_NAME = "Interview Prep"


@cache
def _static_version(path: str) -> str:
    """A short content hash, so that browsers may cache a static file until it changes."""
    data = (STATIC_DIR / path).read_bytes()
    return hashlib.sha256(data).hexdigest()[:10]


def static_url(path: str) -> str:
    return f"/static/{path}?v={_static_version(path)}"


def bank_url(bank_id: str, **filters: str | None) -> str:
    """The bank page, with only the filters that are set (so shared URLs stay short)."""
    query = urlencode({key: value for key, value in filters.items() if value})
    return f"/banks/{quote(bank_id)}" + (f"?{query}" if query else "")


def question_url(bank_id: str, question_id: str) -> str:
    return f"/questions/{quote(bank_id)}/{quote(question_id)}"


def practise_url(bank_id: str, question_id: str) -> str:
    """Where "Practise this" leads: a one-question drill, or the question added to a session."""
    return f"/practice/questions/{quote(bank_id)}/{quote(question_id)}"


def question_anchor(question_id: str) -> str:
    return f"q-{question_id}"


def category_anchor(category: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", category.lower()).strip("-")
    return f"cat-{slug or 'other'}"


def _quote_pattern(quote_text: str) -> re.Pattern[str]:
    # Quotes are verbatim, but a bank file may wrap lines differently from the answer.
    words = [re.escape(word) for word in quote_text.split()]
    return re.compile(r"\s+".join(words))


def _mark_errata(paragraph: str, errata: Iterable[Erratum], anchor: str) -> Markup:
    spans: list[tuple[int, int, int]] = []
    for number, erratum in enumerate(errata, start=1):
        if not erratum.quote.strip():
            continue
        for match in _quote_pattern(erratum.quote).finditer(paragraph):
            if all(match.end() <= start or match.start() >= end for start, end, _ in spans):
                spans.append((match.start(), match.end(), number))
    spans.sort()
    html = Markup()
    position = 0
    for start, end, number in spans:
        html += escape(paragraph[position:start])
        html += Markup(
            '<mark class="erratum" title="Erratum {0}: see the correction below">'
            '{1}<a class="erratum-ref" href="#{2}erratum-{0}" aria-label="Erratum {0}">'
            "<sup>{0}</sup></a></mark>"
        ).format(number, paragraph[start:end], anchor)
        position = end
    html += escape(paragraph[position:])
    return html


def answer_html(text: str, errata: Iterable[Erratum] = (), anchor: str = "") -> Markup:
    """An answer as paragraphs, with every erratum's quoted passage marked.

    Args:
        text: the plain-text answer; blank lines separate paragraphs.
        errata: the question's errata; each ``quote`` found in the text is wrapped in
            ``<mark class="erratum">`` with a link to its correction, ``#{anchor}erratum-N``.
        anchor: prefix of the corrections' ids, for pages that show several questions.

    Returns:
        Escaped HTML.
    """
    errata = tuple(errata)
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    html = Markup()
    for paragraph in paragraphs:
        body = _mark_errata(paragraph, errata, anchor) if errata else escape(paragraph)
        html += Markup("<p>{}</p>").format(body)
    return html


def code_html(text: str) -> Markup:
    """Escaped text with `backticks` as code."""
    escaped = str(escape(" ".join(text.split())))
    # Backticks survive escaping unchanged, and the text between them is escaped already.
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped))


def doc_html(text: str) -> Markup:
    """A docstring-like text as paragraphs, with `backticks` as code."""
    html = Markup()
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        if paragraph.strip():
            html += Markup("<p>{}</p>").format(code_html(paragraph))
    return html


@pass_context
def csrf_field(context: Mapping[str, Any]) -> Markup:
    """The hidden CSRF field a form needs in team mode (nothing in single-user mode)."""
    visitor = context.get("visitor")
    token = getattr(visitor, "csrf_token", None)
    if not token:
        return Markup()
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(token)


def spoken_answer(request: Request, attempt_id: str | None) -> dict[str, Any] | None:
    """The transcript and delivery of the recording an attempt was made from, for the practice
    feedback page's include (``recordings/_spoken_feedback.html``); ``None`` for a typed one.

    A template global rather than a key of the feedback view, so that spoken answers add one
    include line to the practice templates and nothing to their views.
    """
    from .auth import actor_of
    from .recordings.views import delivery_panel

    if attempt_id is None:
        return None
    store = request.app.state.recordings
    return delivery_panel(store.of_attempt(actor_of(request).user_id, attempt_id))


def delivery_trends(request: Request) -> dict[str, Any]:
    """The visitor's delivery trends (pace, fillers a minute), for the progress page's include
    (``recordings/_delivery_trends.html``); a template global for the reason given above."""
    from ..speech.trends import delivery_points, fillers_chart, pace_chart
    from .auth import actor_of
    from .localtime import local_datetime, visitor_zone

    points = delivery_points(request.app.state.recordings.deliveries(actor_of(request).user_id))
    zone = visitor_zone(request)
    return {
        "points": points,
        "pace_chart": Markup(pace_chart(points)),
        "fillers_chart": Markup(fillers_chart(points)),
        "rows": [
            {
                "when": local_datetime(point.when, zone),
                "pace": point.pace,
                "fillers": point.fillers_per_minute,
                "pauses": point.long_pauses,
            }
            for point in reversed(points)
        ],
    }


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    word = singular if count == 1 else (plural or singular + "s")
    return f"{count} {word}"


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("interview_prep.web", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.globals.update(
        site_name=SITE_NAME,
        static_url=static_url,
        htmx_file=HTMX_FILE,
        bank_url=bank_url,
        question_url=question_url,
        practise_url=practise_url,
        question_anchor=question_anchor,
        category_anchor=category_anchor,
        csrf_field=csrf_field,
        spoken_answer=spoken_answer,
        delivery_trends=delivery_trends,
    )
    env.filters.update(
        answer_html=answer_html,
        code_html=code_html,
        doc_html=doc_html,
        plural=_plural,
        duration=duration,
    )
    return env


def render_text(name: str, context: Mapping[str, Any]) -> str:
    return environment().get_template(name).render(context)


def shared_context(request: Request) -> dict[str, Any]:
    """What a page cached for every visitor may show: the app's mode, nobody's own data."""
    return {"team_mode": bool(request.app.state.config.team)}


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render a template to an HTML response; ``request`` is available to every template."""
    visitor = getattr(request.state, "visitor", None)
    context = {"request": request, "visitor": visitor, **shared_context(request), **(context or {})}
    html = render_text(name, context)
    return HTMLResponse(html, status_code=status_code, headers=headers)
