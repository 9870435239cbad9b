"""A small scored corpus for engine tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reelsense.records import Movie, Review, StatedRating
from reelsense.store import SQLiteStore

PRAISE = ["wonderful", "moving", "brilliant", "beautiful", "funny", "gripping"]
BLAME = ["boring", "awful", "dull", "clumsy", "tedious", "ugly"]


def corpus(n: int) -> list[Movie | Review]:
    """``n`` invented reviews with given, stated and missing ratings."""
    records: list[Movie | Review] = [Movie("tt0000101", "Test Film", 2000)]
    for i in range(n):
        good = i % 2 == 0
        words = PRAISE if good else BLAME
        text = f"Review {i}: a {words[i % 6]} and {words[(i + 1) % 6]} film."
        stated = StatedRating(8.0, "8/10", 0, 4) if i % 5 == 1 else None
        rating = float(9 if good else 2) if i % 3 else None
        records.append(Review("tt0000101", i, text, rating=rating, stated=stated))
    return records


@pytest.fixture
def store() -> Iterator[SQLiteStore]:
    with SQLiteStore(":memory:") as filled:
        filled.write(corpus(120))
        yield filled
