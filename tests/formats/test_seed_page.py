"""The seed-page importer, on the real seed page and on small pages made here."""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_prep.errors import BankFormatError
from interview_prep.formats import BankFormat, read_bank_bytes
from interview_prep.formats.seed_page import infer_category, parse_seed_page

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_0a627cbd178ed323.txt"


def seed_pairs() -> list[tuple[str, str]]:
    """Every (question, answer) of the seed, read independently of the importer."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    return [
        (line[:-1].strip(), lines[index + 1].strip())
        for index, line in enumerate(lines)
        if line.endswith("▾")
    ]


@pytest.fixture(scope="module")
def seed_bank():
    if not SEED.exists():
        pytest.fail(f"the seed page is missing: {SEED}")
    return read_bank_bytes(SEED.read_bytes(), SEED.name, BankFormat.SEED_PAGE)


def test_seed_page_yields_every_question_and_answer_exactly_once(seed_bank):
    expected = seed_pairs()
    assert len(expected) == 54
    got = [(q.question, q.answer) for q in seed_bank.questions]
    assert got == expected
    assert len({q.id for q in seed_bank.questions}) == 54


def test_seed_page_title_and_role(seed_bank):
    assert seed_bank.title == "Machine Learning Engineer Interview Questions"
    assert seed_bank.role == "Machine Learning Engineer"
    assert seed_bank.id == "machine-learning-engineer-interview-questions"


def test_categories_can_be_given_for_the_whole_page():
    page = "Site\nMy page\nWhat is X?▾\nX is a thing.\nWhat is Y?▾\nY is another.\n"
    bank = parse_seed_page(page, "p.txt", category="Warm-up")
    assert [q.category for q in bank.questions] == ["Warm-up", "Warm-up"]


def test_category_headings_in_the_page_are_used():
    page = (
        "Site\nMy page\nBasics\nWhat is X?▾\nX is a thing.\n"
        "Hard ones\nExplain Y in depth.▾\nY is deep.\n"
    )
    bank = parse_seed_page(page, "p.txt")
    assert [(q.category, q.question) for q in bank.questions] == [
        ("Basics", "What is X?"),
        ("Hard ones", "Explain Y in depth."),
    ]


@pytest.mark.parametrize(
    ("question", "category"),
    [
        ("Design a real-time fraud detection system.", "System design"),
        ("Tell me about a time you failed.", "Behavioral"),
        ("Your job crashes with an OOM error. How do you debug it?", "Debugging"),
        ("Your model degrades in production. How do you monitor it?", "Scenarios"),
        ("What does MLOps stand for?", "Quick-fire"),
        ("Explain the mathematical formulation of attention.", "Deep dive"),
        ("What is overfitting?", "Fundamentals"),
    ],
)
def test_infer_category(question, category):
    assert infer_category(question) == category


def test_multi_line_answers_are_kept_as_paragraphs():
    bank = parse_seed_page("T\nQ one?▾\nFirst line.\nSecond line.\n", "p.txt")
    assert bank.questions[0].answer == "First line.\n\nSecond line."


def test_question_without_answer_names_its_line():
    page = "Title\nWhat is X?▾\nX is a thing.\nWhat is Y?▾\nWhat is Z?▾\nZ is z.\n"
    with pytest.raises(BankFormatError, match=r"line 4: the question 'What is Y\?' has no answer"):
        parse_seed_page(page, "p.txt")


def test_duplicate_question_names_both_lines():
    page = "Title\nWhat is X?▾\nA.\nWhat is  x?▾\nB.\n"
    with pytest.raises(BankFormatError, match=r"line 4: duplicate question \(same as line 2\)"):
        parse_seed_page(page, "p.txt")


def test_page_without_questions_is_refused():
    with pytest.raises(BankFormatError, match="no questions found"):
        parse_seed_page("Just a title\nand some text\n", "p.txt")


def test_similar_questions_get_distinct_ids():
    page = (
        "T\nWhat is the difference between a b c d e f?▾\nOne.\n"
        "What is the difference between a b c d e g?▾\nTwo.\n"
    )
    bank = parse_seed_page(page, "p.txt")
    assert len({q.id for q in bank.questions}) == 2


def test_the_title_is_the_first_line_after_the_site_name():
    from interview_prep.formats.seed_page import parse_seed_page

    page = (
        "Interview Prep\nData Engineer Interview Questions\nUpdated weekly by our team.\n"
        "What is a join?▾\nIt combines rows of two tables.\n"
    )
    bank = parse_seed_page(page, "p.txt")
    assert bank.title == "Data Engineer Interview Questions"
    assert bank.id == "data-engineer-interview-questions"
