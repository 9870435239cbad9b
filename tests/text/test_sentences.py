"""Tests for reelsense.text.sentences."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reelsense.text.normalize import normalize_text
from reelsense.text.sentences import (
    count_glued,
    glued_positions,
    repair_glued,
    sentence_spans,
    split_sentences,
)

SEED = Path(__file__).resolve().parents[3] / "shared" / "data" / "seed" / "000_02b5297a58df6d9a.txt"


@pytest.mark.parametrize(
    ("glued", "repaired"),
    [
        ("I had to review it.But not this one.", "I had to review it. But not this one."),
        ("A grim movie.Pusher shows it.", "A grim movie. Pusher shows it."),
        ("It was wonderful!I loved it.", "It was wonderful! I loved it."),
        ("Who is at the end?The boss.", "Who is at the end? The boss."),
        ("Was it good?!Yes.", "Was it good?! Yes."),
        ('The sign said:"You lose" twice.', 'The sign said: "You lose" twice.'),
        ('Then a surprise."Duel" is next.', 'Then a surprise. "Duel" is next.'),
        ('He yelled "Run!"Then he ran.', 'He yelled "Run!" Then he ran.'),
        ("A small part (two lines).Then more.", "A small part (two lines). Then more."),
        ("It came out in 1996.The sequel later.", "It came out in 1996. The sequel later."),
        ("Seen on DVD.Extras are thin.", "Seen on DVD. Extras are thin."),
    ],
)
def test_repair_glued_inserts_the_lost_space(glued: str, repaired: str) -> None:
    assert repair_glued(glued) == repaired
    assert count_glued(glued) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Some films, e.g. Heat, i.e. Crime and U.S. drama.",
        "A U.S.A.Film title, but Mr.Smith and Dr.No stay.",
        "It scored 3.5 of 4 and version 2.0 came.",
        "Wait for it...Then nothing.. Or more....Again.",
        "See www.imdb.com or Amazon.com or http://example.org/Path.Html today.",
        "Written by J.R.R.Tolkien and J.Smith, mail me at a.b@X.Org now.",
        "Open movie.AVI and notes.TXT please.",
        "Alien vs.Predator is on.",
        "Small letters after.a dot are no join.",
        "DE ST?RSTE HELTE is a title with a lost letter.",
    ],
)
def test_repair_glued_leaves_abbreviations_decimals_urls_and_initials(text: str) -> None:
    assert glued_positions(text) == []
    assert repair_glued(text) is text


def test_repair_glued_repairs_several_joins_in_one_text() -> None:
    text = "Great start.Weak middle!Strong end?Yes.The end."
    assert repair_glued(text) == "Great start. Weak middle! Strong end? Yes. The end."
    assert count_glued(text) == 4


def test_glued_positions_index_the_original_text() -> None:
    text = "One.Two!Three"
    positions = glued_positions(text)
    assert positions == [4, 8]
    assert [text[p] for p in positions] == ["T", "T"]


def test_repair_glued_on_the_seed_file_finds_the_joins_and_spares_urls() -> None:
    if not SEED.is_file():
        pytest.skip(f"real seed file not found at {SEED}")
    raw = SEED.read_text(encoding="utf-8")
    bodies = re.findall(r"<(fullReview|shortDescription)>(.*?)</\1>", raw, re.DOTALL)
    assert bodies, "the seed file holds no reviews"
    total = 0
    for _, body in bodies:
        text = normalize_text(body)
        positions = glued_positions(text)
        total += len(positions)
        for pos in positions:
            word = text[text.rfind(" ", 0, pos) + 1 : pos]
            assert "://" not in word and "www." not in word, word
            assert not re.search(r"\d\.\d", text[pos - 2 : pos + 2]), word
            assert text[pos - 1] != "." or text[pos - 2] != ".", word
    assert total >= 100


def test_split_sentences_splits_on_sentence_ends_and_paragraphs() -> None:
    text = "It starts well. Then it drags! Does it end? Yes…\n\nA new paragraph begins"
    assert split_sentences(text) == [
        "It starts well.",
        "Then it drags!",
        "Does it end?",
        "Yes…",
        "A new paragraph begins",
    ]


def test_split_sentences_repairs_glued_sentences_first() -> None:
    assert split_sentences("Watch it.Then watch it again!It pays off.") == [
        "Watch it.",
        "Then watch it again!",
        "It pays off.",
    ]


def test_split_sentences_does_not_split_after_abbreviations_and_initials() -> None:
    text = (
        "Mr. Grey and Dr. Wu meet St. John, e.g. Tom. Films vs. Books are J. R. R. Tolkien "
        "and U.S. Marshals stuff. It rated 3.5 of 4. No. 5 is next."
    )
    assert split_sentences(text) == [
        "Mr. Grey and Dr. Wu meet St. John, e.g. Tom.",
        "Films vs. Books are J. R. R. Tolkien and U.S. Marshals stuff.",
        "It rated 3.5 of 4.",
        "No. 5 is next.",
    ]


def test_split_sentences_keeps_closing_quotes_and_starts_at_quotes_and_digits() -> None:
    text = 'He said "Stop." "Why?" she asked. 1996 was the year.'
    assert split_sentences(text) == ['He said "Stop."', '"Why?" she asked.', "1996 was the year."]


def test_split_sentences_does_not_split_before_lowercase() -> None:
    assert split_sentences("Wait... then what? nothing, etc. and so on.") == [
        "Wait... then what? nothing, etc. and so on."
    ]


def test_split_sentences_of_empty_text_is_empty() -> None:
    assert split_sentences("") == []
    assert split_sentences("  \n\n ") == []


def test_sentence_spans_index_the_given_text() -> None:
    text = "  One here. Two there!\n\nThree  "
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["One here.", "Two there!", "Three"]
    assert all(0 <= s < e <= len(text) for s, e in spans)
