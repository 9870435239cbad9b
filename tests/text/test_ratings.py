"""Tests for reelsense.text.ratings."""

from __future__ import annotations

import pytest

from reelsense.text.ratings import extract_stated_rating, find_stated_ratings, scale_rating


@pytest.mark.parametrize(
    ("text", "value", "matched"),
    [
        ("A tight little thriller. 9/10", 9.0, "9/10"),
        ("Loved every minute, 10 out of 10.", 10.0, "10 out of 10"),
        ("Solid work overall. 8 / 10", 8.0, "8 / 10"),
        ("Decent enough. 7.5/10", 7.5, "7.5/10"),
        ("Decent enough. 7,5/10", 7.5, "7,5/10"),
        ("Pretty good. 4/5", 8.0, "4/5"),
        ("Pretty good. 4/5 stars.", 8.0, "4/5 stars"),
        ("Fun but thin: 3 out of 5 stars", 6.0, "3 out of 5 stars"),
        ("A classic of its kind. ***½ (of ****)", 8.75, "***½ (of ****)"),
        ("A classic of its kind. ***? (of ****)", 8.75, "***? (of ****)"),
        ("Worth a look. *** 1/2 out of ****", 8.75, "*** 1/2 out of ****"),
        ("Nearly a turkey. *1/2 out of ****", 3.75, "*1/2 out of ****"),
        ("Awful. 1/2* out of *****", 1.0, "1/2* out of *****"),
        ("Nice. ** out of *****!", 4.0, "** out of *****"),
        ("Moody and slow. 3.5 stars out of 4", 8.75, "3.5 stars out of 4"),
        ("Rating: 7/10", 7.0, "7/10"),
        ("I give it 8 out of ten.", 8.0, "8 out of ten"),
        ("Too long. two stars out of five", 4.0, "two stars out of five"),
        ("Verdict (3/4)", 7.5, "3/4"),
        ("Score: 85/100", 8.5, "85/100"),
        ("Rather nice ★★★★☆", 8.0, "★★★★☆"),
        ("I'll give it 8 out 10.", 8.0, "8 out 10"),
        ("My vote: 7 and a half out of 10.", 7.5, "7 and a half out of 10"),
    ],
)
def test_extract_stated_rating_reads_common_forms(text: str, value: float, matched: str) -> None:
    rating = extract_stated_rating(text)
    assert rating is not None
    assert rating.value == pytest.approx(value)
    assert rating.matched == matched
    assert text[rating.start : rating.end] == matched
    assert rating.field == "text"


@pytest.mark.parametrize(
    "text",
    [
        "I only sat through 2/3 of the film.",
        "It drags for 1/2 hour in the middle.",
        "The first 1/4 of it is the best part.",
        "I saw it on 9/10/2001 in a cinema.",
        "It opened 10/12/99 in two cities.",
        "The crew worked 24/7 on it.",
        "A story set after 9/11 in a city.",
        "9 out of 10 people will love it.",
        "The IMDb rating 5.6/10 is far too kind.",
        "It goes to 11/10 on the noise scale.",
        "The hero drives 1/4 mile in the finale.",
        "It is the best in 9/10ths of the scenes.",
        "This one got a 6/10 from the critics.",
        "No rating here at all, and that is fine.",
        "",
    ],
)
def test_extract_stated_rating_ignores_things_that_are_not_ratings(text: str) -> None:
    assert extract_stated_rating(text) is None


def test_extract_stated_rating_prefers_the_last_rating() -> None:
    text = "The original was 9/10 but this one is 4/10"
    rating = extract_stated_rating(text)
    assert rating is not None
    assert rating.value == 4.0
    assert rating.start == text.rindex("4/10")


def test_extract_stated_rating_prefers_an_explicit_own_cue() -> None:
    text = "I give it 3/10. It is a shame since its prequel is easily 8/10"
    rating = extract_stated_rating(text)
    assert rating is not None
    assert rating.value == 3.0


def test_extract_stated_rating_skips_other_peoples_scores() -> None:
    rating = extract_stated_rating("My rating: 6/10. The IMDb average is 7.9/10.")
    assert rating is not None
    assert rating.value == 6.0


def test_extract_stated_rating_skips_hypothetical_ratings() -> None:
    text = "With a better ending I would have given it 8/10. As it is, 5/10."
    rating = extract_stated_rating(text)
    assert rating is not None
    assert rating.value == 5.0


def test_extract_stated_rating_skips_comparisons() -> None:
    text = "The cast alone earns it 4/10 instead of 1/10"
    rating = extract_stated_rating(text)
    assert rating is not None
    assert rating.value == 4.0


def test_extract_stated_rating_prefers_overall_over_parts() -> None:
    text = "Plot: 3/10\n\nActing: 8/10\n\nOverall: 5/10\n\nMusic: 9/10"
    rating = extract_stated_rating(text)
    assert rating is not None
    assert rating.value == 5.0


def test_extract_stated_rating_ignores_uncued_score_in_the_middle_of_a_long_text() -> None:
    filler = "The camera work is steady and the score is moody. " * 6
    text = "Its first half is 8/10 material. " + filler + "The end falls apart."
    assert extract_stated_rating(text) is None


def test_extract_stated_rating_accepts_a_cued_score_anywhere() -> None:
    filler = "The camera work is steady and the score is moody. " * 6
    text = "I give it 7/10 right away. " + filler
    rating = extract_stated_rating(text)
    assert rating is not None
    assert rating.value == 7.0


@pytest.mark.parametrize("text", ["Dreadful. 0/10", "Dreadful. 0 out of 10"])
def test_extract_stated_rating_maps_a_stated_zero_to_the_lowest_rating(text: str) -> None:
    rating = extract_stated_rating(text)
    assert rating is not None
    assert rating.value == 1.0


def test_extract_stated_rating_rejects_values_above_the_denominator() -> None:
    assert extract_stated_rating("Best ever! 12/10") is None
    assert extract_stated_rating("Best ever! 6 out of 5") is None


def test_extract_stated_rating_records_the_field() -> None:
    rating = extract_stated_rating("Great fun, 8/10", field="headline")
    assert rating is not None
    assert rating.field == "headline"


def test_extract_stated_rating_keeps_results_on_the_one_to_ten_scale() -> None:
    texts = [f"Verdict: {n}/{d}" for d in (4, 5, 10, 100) for n in range(d + 1)]
    for text in texts:
        rating = extract_stated_rating(text)
        assert rating is not None, text
        assert 1.0 <= rating.value <= 10.0


def test_find_stated_ratings_lists_every_statement_in_order() -> None:
    found = find_stated_ratings("Acting 8/10, story 2 out of 5, music ** out of ****.")
    assert [r.value for r in found] == [8.0, 4.0, 5.0]
    assert [r.start for r in found] == sorted(r.start for r in found)


@pytest.mark.parametrize(
    ("value", "denominator", "expected"),
    [(4, 5, 8.0), (3, 4, 7.5), (0, 10, 1.0), (85, 100, 8.5), (11, 10, None), (-1, 10, None)],
)
def test_scale_rating_maps_to_one_to_ten(
    value: float, denominator: float, expected: float | None
) -> None:
    assert scale_rating(value, denominator) == expected
