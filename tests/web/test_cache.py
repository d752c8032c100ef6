"""Bank summaries and rendered pages kept in memory, and when they are thrown away."""

from __future__ import annotations

import pytest

from interview_prep.domain import Bank
from interview_prep.errors import NotFoundError
from interview_prep.storage import Database, repository
from interview_prep.web.cache import BankCatalog, PageCache


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_catalog_sees_a_new_bank_after_the_ttl(study_db: Database, xss_bank: Bank) -> None:
    clock = Clock()
    catalog = BankCatalog(study_db, ttl=1.0, clock=clock)
    assert [bank.id for bank in catalog.all()] == ["ml-basics"]
    repository.import_bank(study_db, xss_bank)
    assert [bank.id for bank in catalog.all()] == ["ml-basics"]
    clock.now = 1.5
    assert sorted(bank.id for bank in catalog.all()) == ["ml-basics", "xss-probe"]


def test_catalog_rereads_summaries_only_when_a_bank_changed(
    study_db: Database, study_bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    catalog = BankCatalog(study_db, ttl=1.0, clock=clock)
    reads: list[int] = []
    list_banks = repository.list_banks
    monkeypatch.setattr(repository, "list_banks", lambda db: reads.append(1) or list_banks(db))
    assert catalog.get("ml-basics").version == 1
    clock.now = 5
    assert catalog.get("ml-basics").version == 1
    assert len(reads) == 1
    changed = type(study_bank)(**{**study_bank.__dict__, "version": 2})
    repository.import_bank(study_db, changed, replace=True)
    clock.now = 10
    assert catalog.get("ml-basics").version == 2
    assert len(reads) == 2


def test_catalog_forgets_a_deleted_bank(study_db: Database) -> None:
    clock = Clock()
    catalog = BankCatalog(study_db, ttl=1.0, clock=clock)
    catalog.get("ml-basics")
    repository.delete_bank(study_db, "ml-basics")
    clock.now = 2
    with pytest.raises(NotFoundError):
        catalog.get("ml-basics")


def test_catalog_looks_again_at_once_for_an_unknown_bank(
    study_db: Database, xss_bank: Bank
) -> None:
    catalog = BankCatalog(study_db, ttl=60, clock=Clock())
    catalog.all()
    repository.import_bank(study_db, xss_bank)
    assert catalog.get("xss-probe").question_count == 1
    with pytest.raises(NotFoundError, match="no question bank 'nope'"):
        catalog.get("nope")


def test_page_cache_serves_a_page_only_for_the_same_summary(study_db: Database) -> None:
    summary = repository.list_banks(study_db)[0]
    pages = PageCache()
    renders: list[int] = []

    def render() -> str:
        renders.append(1)
        return f"page {len(renders)}"

    assert pages.get_or_render(summary, "key", render) == "page 1"
    assert pages.get_or_render(summary, "key", render) == "page 1"
    changed = type(summary)(**{**summary.__dict__, "version": summary.version + 1})
    assert pages.get_or_render(changed, "key", render) == "page 2"


def test_page_cache_drops_the_least_recently_used(study_db: Database) -> None:
    summary = repository.list_banks(study_db)[0]
    pages = PageCache(max_entries=2)
    pages.put(summary, "a", "A")
    pages.put(summary, "b", "B")
    assert pages.get(summary, "a") == "A"
    pages.put(summary, "c", "C")
    assert pages.get(summary, "b") is None
    assert pages.get(summary, "a") == "A"
