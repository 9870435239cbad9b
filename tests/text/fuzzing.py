"""Hostile text for the sentence and stated-rating functions, and their promises.

Shared by the property tests in this folder and ``benchmarks/fuzz.py``.
Besides arbitrary Unicode, the strategies build "soup" from the pieces these
functions look for (sentence ends, capitals, abbreviations, quotes, digits,
slashes, ``out of``, stars, ``½`` and the ``?`` it was lost to), so that
nearly every example reaches the interesting branches.
"""

from __future__ import annotations

from hypothesis import strategies as st

from reelsense.text.normalize import normalize_text
from reelsense.text.ratings import extract_stated_rating, find_stated_ratings, scale_rating
from reelsense.text.sentences import (
    count_glued,
    glued_positions,
    repair_glued,
    sentence_spans,
    split_sentences,
)

SENTENCE_PIECES = [
    ".", "!", "?", "...", "…", ":", " ", "  ", "\n", "\n\n", "\t", "\u00a0", "\u2028",
    "A", "But", "The", "É", "Ø", "a", "it", "x", "3", "3.5", "No", "no", "Mr", "Dr", "vs",
    "e.g", "i.e", "U.S", "J.R.R", "www.imdb.com", "http://x.org", "clip.AVI", "a@b.c",
    '"', "“", "”", "'", "’", "(", ")", "[", "]", "*", "%", "_", "-", "S?erne", "ST?RSTE",
]  # fmt: skip
RATING_PIECES = [
    "0", "1", "2", "3", "4", "5", "7", "9", "10", "11", "100", "999", "3.5", "7,5", "1.",
    "/", " / ", "/10", "/5", "/4", "/100", "out of", " out of ", "out of a possible",
    "ten", "five", "four", "a hundred", "half", "and a half", "stars", "star", "points",
    "*", "**", "***", "****", "*****", "½", "1/2", "?", "(of ****)", "of", "★", "☆",
    "I give it ", "my rating: ", "IMDb ", "I would have given it ", "Overall: ", "Acting: ",
    "on ", "instead of ", " people", " of the film", "9/11", "24/7", "10/12/99", ".",
    " ", "\n", "-", ",", "(", ")", "\x00", "\ufffd",
]  # fmt: skip


def _soup(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=30).map("".join)


def sentence_texts() -> st.SearchStrategy[str]:
    """Arbitrary text, and text made of sentence ends, capitals and look-alikes."""
    return st.one_of(st.text(max_size=80), _soup(SENTENCE_PIECES), _soup(RATING_PIECES))


def rating_texts() -> st.SearchStrategy[str]:
    """Arbitrary text, and digits/slashes/stars soup that looks like ratings."""
    return st.one_of(st.text(max_size=80), _soup(RATING_PIECES), _soup(SENTENCE_PIECES))


def _non_space(text: str) -> str:
    return "".join(text.split())


def check_sentences(text: str) -> None:
    """Assert what :mod:`reelsense.text.sentences` promises, on raw and normalised text."""
    for candidate in (text, normalize_text(text)):
        _check_repair(candidate)
        _check_spans(candidate)
        repaired = repair_glued(candidate)
        spans = sentence_spans(repaired)
        assert split_sentences(candidate) == [repaired[a:b] for a, b in spans]


def _check_repair(text: str) -> None:
    positions = glued_positions(text)
    assert count_glued(text) == len(positions)
    assert positions == sorted(set(positions)), positions
    assert all(0 < pos <= len(text) for pos in positions), positions
    repaired = repair_glued(text)
    if not positions:
        assert repaired is text
        return
    # Exactly one space inserted at each position, nothing else changed.
    assert len(repaired) == len(text) + len(positions)
    for shift, pos in enumerate(positions):
        assert repaired[pos + shift] == " ", (pos, repaired)
    assert _without(repaired, positions) == text
    # Repair finds nothing more to repair in its own output.
    assert repair_glued(repaired) == repaired, (text, repaired)


def _without(repaired: str, positions: list[int]) -> str:
    """``repaired`` without the spaces inserted at ``positions`` of the original."""
    drop = {pos + shift for shift, pos in enumerate(positions)}
    return "".join(ch for i, ch in enumerate(repaired) if i not in drop)


def _check_spans(text: str) -> None:
    spans = sentence_spans(text)
    end = 0
    for start, stop in spans:
        assert end <= start < stop <= len(text), spans
        assert text[end:start].strip() == "", "only whitespace lies between sentences"
        sentence = text[start:stop]
        assert sentence == sentence.strip() and sentence, repr(sentence)
        end = stop
    assert text[end:].strip() == ""
    # No character other than whitespace is lost.
    assert _non_space("".join(text[a:b] for a, b in spans)) == _non_space(text)


def check_ratings(text: str) -> None:
    """Assert what :mod:`reelsense.text.ratings` promises about any text."""
    for field in ("text", "headline"):
        found = find_stated_ratings(text, field)  # type: ignore[arg-type]
        end = 0
        for rating in found:
            assert 1.0 <= rating.value <= 10.0, rating
            assert end <= rating.start < rating.end <= len(text), rating
            assert text[rating.start : rating.end] == rating.matched
            assert rating.field == field
            end = rating.end
        chosen = extract_stated_rating(text, field)  # type: ignore[arg-type]
        assert chosen is None or chosen in found, (chosen, found)


def check_scale(value: float, denominator: float) -> None:
    """``scale_rating`` is ``None`` or within 1–10, for any two floats."""
    scaled = scale_rating(value, denominator)
    assert scaled is None or 1.0 <= scaled <= 10.0, (value, denominator, scaled)
