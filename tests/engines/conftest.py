"""A small scored corpus for engine tests, and one Dask cluster shared by them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reelsense.records import Movie, Review, StatedRating
from reelsense.store import SQLiteStore

PRAISE = ["wonderful", "moving", "brilliant", "beautiful", "funny", "gripping"]
BLAME = ["boring", "awful", "dull", "clumsy", "tedious", "ugly"]


def corpus(n: int) -> list[Movie | Review]:
    """``n`` invented reviews with given, stated and missing ratings, and aspect sentences."""
    records: list[Movie | Review] = [Movie("tt0000101", "Test Film", 2000)]
    for i in range(n):
        good = i % 2 == 0
        words = PRAISE if good else BLAME
        text = (
            f"Review {i}: a {words[i % 6]} and {words[(i + 1) % 6]} film. "
            f"The acting was {words[(i + 2) % 6]}. The music felt {words[(i + 3) % 6]}."
        )
        stated = StatedRating(8.0, "8/10", 0, 4) if i % 5 == 1 else None
        rating = float(9 if good else 2) if i % 3 else None
        records.append(Review("tt0000101", i, text, rating=rating, stated=stated))
    return records


@pytest.fixture
def store() -> Iterator[SQLiteStore]:
    with SQLiteStore(":memory:") as filled:
        filled.write(corpus(120))
        yield filled


@pytest.fixture(scope="session")
def dask_scheduler() -> Iterator[str]:
    """The address of a two-worker LocalCluster, started once per test session."""
    distributed = pytest.importorskip("distributed", reason="dask[distributed] is not installed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": ":0"},
    ) as cluster:
        yield cluster.scheduler_address
