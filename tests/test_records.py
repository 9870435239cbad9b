"""Records survive the trip to another process (pickling) unchanged."""

from __future__ import annotations

import pickle
from datetime import date

from reelsense.records import Movie, Problem, Review, StatedRating


def test_records_pickle_round_trip_keeps_every_field() -> None:
    review = Review(
        movie_id="tt0117407",
        position=3,
        text="Loved it. 9/10",
        date=date(2009, 5, 1),
        display_name="Mika",
        email="m@example.com",
        rating=9.0,
        headline="Fine",
        spoiler=True,
        stated=StatedRating(9.0, "9/10", 10, 14, "text"),
        source_file="Group1/Movie0.txt",
        source_line=12,
        external_id="x/1",
        split="train",
        label="pos",
    )
    movie = Movie("tt0117407", "Some Film", 1996, 7.5, "http://x", "Group1", 0, "f.txt")
    problem = Problem("f.txt", 4, "bad score")
    for record in (review, movie, problem, review.stated):
        for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
            copy = pickle.loads(pickle.dumps(record, protocol=protocol))
            assert copy == record and type(copy) is type(record)
    assert pickle.loads(pickle.dumps(review)).key == review.key
