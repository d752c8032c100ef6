"""The study pages, through the real app on a real SQLite database, checked with a parser."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from bs4 import Tag
from fastapi.testclient import TestClient

from interview_prep.domain import Bank
from interview_prep.storage import Database, open_database, repository
from interview_prep.web.app import create_app

from ..conftest import soup

HTMX = {"HX-Request": "true"}


def texts(elements: list[Tag]) -> list[str]:
    return [" ".join(element.get_text(" ", strip=True).split()) for element in elements]


def test_home_lists_each_bank_with_count_categories_and_description(client: TestClient) -> None:
    page = soup(client.get("/").text)
    cards = page.select(".bank-card")
    assert len(cards) == 1
    card = cards[0]
    link = card.select_one("h2 a")
    assert link is not None
    assert link["href"] == "/banks/ml-basics"
    assert link.get_text() == "Machine learning basics"
    assert "8 questions" in texts(card.select(".count-badge"))
    assert texts(card.select(".chips .chip")) == [
        "Deep learning 2",
        "Optimisation 3",
        "Evaluation 1",
        "Quick-fire 1",
        "Fundamentals 1",
    ]
    description = card.select_one(".description")
    assert description is not None
    assert description.get_text().startswith("Core questions on training")


def test_home_without_banks_says_how_to_add_one(tmp_path: object) -> None:
    database = open_database(f"sqlite:///{tmp_path}/empty.db", sync_bundled=False)
    try:
        with TestClient(create_app(database)) as client:
            page = soup(client.get("/").text)
    finally:
        database.close()
    assert page.select(".bank-card") == []
    empty = page.select_one(".empty")
    assert empty is not None
    assert "interview-prep import" in empty.get_text()


def test_bank_page_has_site_name_page_title_and_groups_with_counts(client: TestClient) -> None:
    response = client.get("/banks/ml-basics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = soup(response.text)
    assert page.select_one(".brand").get_text(strip=True).endswith("Interview Prep")
    assert texts(page.select("h1")) == ["Machine learning basics"]
    assert page.title is not None and page.title.get_text().startswith("Machine learning basics")
    groups = page.select("#results section.group")
    titles = [group.select_one("h2") for group in groups]
    assert texts([title for title in titles if title]) == [
        "Deep learning 2",
        "Optimisation 3",
        "Evaluation 1",
        "Quick-fire 1",
        "Fundamentals 1",
    ]
    optimisation = groups[1]
    assert [d["id"] for d in optimisation.select("details.question")] == [
        "q-gradient-descent",
        "q-gradient-clipping",
        "q-adam",
    ]


def test_every_question_is_a_details_with_marker_answer_and_links(client: TestClient) -> None:
    page = soup(client.get("/banks/ml-basics").text)
    questions = page.select("details.question")
    assert len(questions) == 8
    for details in questions:
        assert not details.has_attr("open")
        summary = details.find("summary", recursive=False)
        assert summary is not None
        marker = summary.select_one(".marker")
        assert marker is not None and marker.get_text() == "▾"
        assert marker["aria-hidden"] == "true"
        answer = details.select_one(".answer")
        assert answer is not None and answer.find("p") is not None
        question_id = details["data-question"]
        assert details.select_one(f'a.permalink[href="#q-{question_id}"]') is not None
        assert details.select_one(f'a[href="/questions/ml-basics/{question_id}"]') is not None


def test_bank_page_marks_erratum_inside_the_answer(client: TestClient) -> None:
    page = soup(client.get("/banks/ml-basics").text)
    details = page.select_one("#q-vanishing-gradients")
    assert details is not None
    mark = details.select_one(".answer mark.erratum")
    assert mark is not None
    assert mark.get_text().startswith("they stop learning")
    assert mark.a is not None and mark.a["href"] == "#q-vanishing-gradients-erratum-1"
    note = details.select_one("#q-vanishing-gradients-erratum-1")
    assert note is not None and note.find_parent(class_="erratum-note") is not None
    assert " ".join(note.get_text(" ", strip=True).split()) == (
        "The model answer says they stop learning ; correct is: they learn very slowly; "
        "they do not stop completely."
    )
    assert note.q is not None and note.q.get_text() == "they stop learning"


def test_bank_page_has_labelled_search_filters_and_bulk_controls(client: TestClient) -> None:
    page = soup(client.get("/banks/ml-basics").text)
    form = page.select_one("form.toolbar")
    assert form is not None and form["method"] == "get" and form["hx-get"] == "/banks/ml-basics"
    assert "delay:" in form["hx-trigger"]
    for control in form.select("input, select"):
        label = page.select_one(f'label[for="{control["id"]}"]')
        assert label is not None and label.get_text(strip=True)
    names = [control["name"] for control in form.select("input, select")]
    assert names == ["q", "category", "difficulty", "tag"]
    tag_options = [option["value"] for option in form.select("select[name=tag] option")]
    assert tag_options[0] == ""
    tags = "deep-networks generalisation gradients metrics normalisation optimisers rnn"
    assert tag_options[1:] == tags.split()
    actions = [button["data-action"] for button in page.select(".bulk-actions button")]
    assert actions == ["expand-all", "collapse-all"]


def test_filters_combine_and_show_in_the_controls(client: TestClient) -> None:
    page = soup(client.get("/banks/ml-basics?difficulty=medium&tag=gradients").text)
    ids = [details["data-question"] for details in page.select("details.question")]
    assert ids == ["vanishing-gradients", "gradient-clipping"]
    selected = page.select("select option[selected]")
    assert [(option.parent["name"], option["value"]) for option in selected] == [
        ("difficulty", "medium"),
        ("tag", "gradients"),
    ]
    status = page.select_one("#status")
    assert status is not None
    assert "Showing 2 of 8 questions" in status.get_text()
    assert status.select_one("a.clear-link")["href"] == "/banks/ml-basics"


def test_category_filter_shows_one_group(client: TestClient) -> None:
    page = soup(client.get("/banks/ml-basics?category=Optimisation&difficulty=medium").text)
    assert texts(page.select("#results h2")) == ["Optimisation 1"]
    assert [d["data-question"] for d in page.select("details.question")] == ["gradient-clipping"]


def test_no_match_for_filters_is_stated(client: TestClient) -> None:
    page = soup(client.get("/banks/ml-basics?category=Evaluation&difficulty=hard").text)
    assert page.select("details.question") == []
    assert "No questions match these filters." in page.select_one("#status").get_text()
    empty = page.select_one("#results .empty")
    assert " ".join(empty.get_text().split()) == (
        "Nothing found. No question matches all of these filters. Clear the filters"
    )
    assert empty.select_one("a")["href"] == "/banks/ml-basics"


def test_search_shows_ranked_hits_with_highlighted_snippets(client: TestClient) -> None:
    page = soup(client.get("/banks/ml-basics?q=clipping").text)
    hits = page.select("ol.hits details.question")
    assert hits[0]["data-question"] == "gradient-clipping"
    marks = hits[0].select(".snippet mark")
    assert marks and all(mark.get_text().lower().startswith("clip") for mark in marks)
    status = page.select_one("#status").get_text(" ", strip=True)
    assert f"{len(hits)} question" in status and "“clipping”" in status
    assert page.select_one("#search")["value"] == "clipping"


def test_search_with_no_results_says_so_plainly(client: TestClient) -> None:
    page = soup(client.get("/banks/ml-basics?q=zebra").text)
    assert page.select("details.question") == []
    assert "No questions match “zebra”." in page.select_one("#status").get_text()
    empty = page.select_one("#results .empty")
    assert empty is not None and empty.select_one('a[href="/banks/ml-basics"]') is not None
    assert "Check the spelling or try a shorter, more general word." in empty.get_text()
    assert empty.select_one("a").get_text() == "Clear the search"


def test_search_combines_with_filters(client: TestClient) -> None:
    page = soup(client.get("/banks/ml-basics?q=gradient&category=Optimisation").text)
    ids = {hit["data-question"] for hit in page.select("details.question")}
    assert ids and ids <= {"gradient-descent", "gradient-clipping", "adam"}


def test_htmx_request_gets_only_the_results_and_a_shareable_url(client: TestClient) -> None:
    response = client.get(
        "/banks/ml-basics", params={"q": "gradient", "category": "", "tag": ""}, headers=HTMX
    )
    assert response.status_code == 200
    assert response.headers["hx-replace-url"] == "/banks/ml-basics?q=gradient"
    assert "HX-Request" in response.headers["vary"]
    fragment = soup(response.text)
    assert fragment.find("html") is None and fragment.find("form") is None
    assert fragment.select("details.question")
    status = fragment.select_one("#status")
    assert status is not None and status["hx-swap-oob"] == "true"


def test_form_without_javascript_redirects_to_the_short_url(client: TestClient) -> None:
    response = client.get(
        "/banks/ml-basics?q=&category=Optimisation&difficulty=&tag=", follow_redirects=False
    )
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert location.path == "/banks/ml-basics"
    assert parse_qs(location.query) == {"category": ["Optimisation"]}


def test_bank_page_rejects_unknown_difficulty_with_a_page(client: TestClient) -> None:
    response = client.get("/banks/ml-basics?difficulty=brutal")
    assert response.status_code == 422
    page = soup(response.text)
    assert "brutal" in page.select_one(".lede").get_text()
    assert page.select_one("a.button")["href"] == "/"


def test_unknown_bank_is_a_friendly_404_page(client: TestClient) -> None:
    response = client.get("/banks/no-such-bank")
    assert response.status_code == 404
    page = soup(response.text)
    assert texts(page.select("h1")) == ["Not found"]
    assert "no-such-bank" in page.select_one(".lede").get_text()
    assert "Traceback" not in response.text


def test_unknown_path_is_a_friendly_404_page(client: TestClient) -> None:
    response = client.get("/nothing/here")
    assert response.status_code == 404
    assert soup(response.text).select_one(".error-status").get_text() == "Error 404"


def test_question_page_shows_answer_rubric_errata_and_links(client: TestClient) -> None:
    response = client.get("/questions/ml-basics/vanishing-gradients")
    assert response.status_code == 200
    page = soup(response.text)
    assert texts(page.select("h1")) == [
        "What is the vanishing gradient problem, and how can you fix it?"
    ]
    answer = page.select_one("section .answer")
    assert answer is not None
    mark = answer.select_one("mark.erratum")
    assert mark is not None and mark.get_text().startswith("they stop learning")
    assert mark.select_one("a")["href"] == "#erratum-1"

    errata = page.select_one("#errata")
    assert errata is not None
    item = errata.select_one("#erratum-1")
    assert item is not None
    said = " ".join(item.get_text(" ", strip=True).split())
    assert said.startswith("The model answer says they stop learning ; correct is:")
    assert item.select_one("q.erratum-quote").get_text() == "they stop learning"
    assert "they learn very slowly" in item.select_one(".erratum-correction").get_text()

    assert len(page.select(".key-points li")) == 3
    misconception = page.select_one(".misconceptions li")
    assert "Gradient clipping fixes" in misconception.select_one(".claim").get_text()
    assert "Clipping caps exploding" in misconception.select_one(".correction").get_text()

    follow_ups = page.select("section[aria-labelledby=follow-ups-title] li")
    assert follow_ups[0].select_one("a")["href"] == "/questions/ml-basics/gradient-clipping"
    assert follow_ups[1].select_one("a") is None
    assert follow_ups[1].get_text(strip=True) == "What is a highway network?"
    related = [a["href"] for a in page.select("section[aria-labelledby=related-title] a")]
    assert related == ["/questions/ml-basics/gradient-clipping", "/questions/ml-basics/batch-norm"]

    assert page.select_one("a[rel=prev]") is None
    assert page.select_one("a[rel=next]")["href"] == "/questions/ml-basics/gradient-descent"


def test_question_page_links_previous_and_next_within_the_bank(client: TestClient) -> None:
    page = soup(client.get("/questions/ml-basics/gradient-clipping").text)
    assert page.select_one("a[rel=prev]")["href"] == "/questions/ml-basics/gradient-descent"
    assert page.select_one("a[rel=next]")["href"] == "/questions/ml-basics/adam"
    last = soup(client.get("/questions/ml-basics/adam-default-lr").text)
    assert last.select_one("a[rel=next]") is None


def test_question_page_shows_the_quick_fire_answer(client: TestClient) -> None:
    page = soup(client.get("/questions/adam-default-lr").text)
    expected = page.select_one(".callout-expected .expected-answer")
    assert expected is not None and expected.get_text(strip=True) == "0.001"


def test_question_page_accepts_plain_id_and_bank_parameter(client: TestClient) -> None:
    assert client.get("/questions/adam").status_code == 200
    assert client.get("/questions/adam?bank=ml-basics").status_code == 200
    assert client.get("/questions/adam?bank=other").status_code == 404


def test_unknown_question_is_a_friendly_404_page(client: TestClient) -> None:
    response = client.get("/questions/ml-basics/no-such-question")
    assert response.status_code == 404
    assert "no-such-question" in soup(response.text).select_one(".lede").get_text()


def test_pages_load_nothing_from_other_hosts(client: TestClient) -> None:
    for path in ("/", "/banks/ml-basics", "/questions/adam", "/docs"):
        page = soup(client.get(path).text)
        sources = [tag.get("src") or tag.get("href") for tag in page.select("script, link")]
        assert sources, path
        assert all(str(source).startswith("/static/") for source in sources), (path, sources)


def test_pages_work_on_sqlite_and_postgresql(db: Database, study_bank: Bank) -> None:
    """The same pages on both databases the app supports (``db`` runs SQLite and PostgreSQL)."""
    repository.import_bank(db, study_bank)
    with TestClient(create_app(db)) as client:
        page = soup(client.get("/banks/ml-basics?q=exploding&difficulty=medium").text)
        assert [d["data-question"] for d in page.select("details.question")] == [
            "gradient-clipping"
        ]
        page = soup(client.get("/banks/ml-basics?tag=gradients&difficulty=medium").text)
        assert len(page.select("details.question")) == 2
        assert client.get("/questions/ml-basics/adam").status_code == 200
