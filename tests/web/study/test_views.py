"""What a bank page shows: filters parsed, questions grouped, long lists and searches cut."""

from __future__ import annotations

import pytest

from interview_prep.errors import InvalidInputError
from interview_prep.storage import Database, repository
from interview_prep.web.study import views as study
from interview_prep.web.study.views import Filters, bank_view


def test_filters_treat_blank_as_unset_and_trim_search() -> None:
    filters = Filters.parse(q="  adam  ", category="", difficulty=" ", tag=None)
    assert filters == Filters(q="adam")
    assert not filters.filtered
    assert Filters.parse(q="x" * 500).q == "x" * study.MAX_QUERY_CHARS


def test_filters_reject_an_unknown_difficulty() -> None:
    with pytest.raises(InvalidInputError, match="'brutal'"):
        Filters.parse(difficulty="brutal")


def test_long_lists_are_cut_and_say_how_many_there_are(
    study_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(study, "MAX_LISTED", 3)
    summary = repository.list_banks(study_db)[0]
    view = bank_view(study_db, summary, Filters())
    assert (view["shown"], view["total"], view["more"]) == (3, 8, True)
    assert sum(len(records) for _, records in view["groups"]) == 3


def test_searches_with_many_hits_are_cut_without_counting(
    study_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(study, "SEARCH_PAGE", 2)
    monkeypatch.setattr(repository, "count_questions", lambda *a, **k: pytest.fail("counted"))
    summary = repository.list_banks(study_db)[0]
    view = bank_view(study_db, summary, Filters(q="gradient"))
    assert view["hits"] is not None and len(view["hits"]) == 2
    assert view["more"] is True
