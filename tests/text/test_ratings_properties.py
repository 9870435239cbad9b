"""Property tests for stated-rating extraction on arbitrary text and digit/slash/star soup."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz_settings import TEXT_SUITE
from tests.text.fuzzing import check_ratings, check_scale, rating_texts


@TEXT_SUITE
@given(rating_texts())
def test_stated_ratings_are_within_one_to_ten_and_point_into_the_text(text: str) -> None:
    check_ratings(text)


@TEXT_SUITE
@given(st.floats(), st.floats())
def test_scale_rating_is_none_or_within_one_to_ten(value: float, denominator: float) -> None:
    check_scale(value, denominator)
