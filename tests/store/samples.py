"""Small hand-written movies and reviews for the store tests (no third-party text)."""

from __future__ import annotations

from datetime import date

from reelsense.records import Movie, Problem, Review, StatedRating

LIGHTHOUSE = Movie(
    "tt0000001",
    title="The Lighthouse Keeper",
    year=1999,
    imdb_rating=7.4,
    url="https://www.imdb.com/title/tt0000001/",
    group="Group1",
    position=0,
    source_file="Group1/Movie0.txt",
)
LIGHTHOUSE_REMAKE = Movie(
    "tt0000002",
    title="The Lighthouse Keeper Returns",
    year=2015,
    imdb_rating=5.1,
    group="Group1",
    position=1,
    source_file="Group1/Movie1.txt",
)
CAFE = Movie("tt0000003", title="Café Société Blues", year=2004, imdb_rating=None)


def review(
    movie_id: str = "tt0000001",
    position: int = 0,
    text: str = "A quiet film about a keeper and his lamp.",
    **fields: object,
) -> Review:
    """A review with sensible defaults; ``fields`` override any other attribute."""
    return Review(movie_id=movie_id, position=position, text=text, **fields)  # type: ignore[arg-type]


def corpus() -> list[Movie | Review | Problem]:
    """Three movies, six reviews, one problem: the shared search/stats fixture."""
    return [
        LIGHTHOUSE,
        review(
            position=0,
            text="The storm sequence is breathtaking and the lighthouse itself feels alive.",
            headline="A breathtaking storm",
            display_name="Ann",
            email="ann@example.org",
            rating=9.0,
            date=date(2001, 3, 4),
        ),
        review(
            position=1,
            text="Slow pacing ruined the mystery for me. The ending drags on and on.",
            headline="Too slow",
            display_name="Bob",
            rating=3.0,
            date=date(2002, 5, 6),
        ),
        review(
            position=2,
            text="No score given here, but honestly this deserves 8/10 for the lighthouse views.",
            headline="*** This review may contain spoilers ***",
            display_name="Cy",
            spoiler=True,
            stated=StatedRating(8.0, "8/10", 47, 51),
            date=date(2003, 7, 8),
        ),
        LIGHTHOUSE_REMAKE,
        review(
            movie_id="tt0000002",
            position=0,
            text="A remake that keeps the storm but loses the soul of the original keeper.",
            headline="Pale copy",
            display_name="Dee",
            rating=4.5,
            date=date(2016, 1, 2),
        ),
        CAFE,
        review(
            movie_id="tt0000003",
            position=0,
            text="The café scenes are charming; a breathtaking jazz score carries the whole film.",
            headline="Charming café",
            display_name="Eve",
            email="eve@example.net",
            rating=6.5,
            date=date(2005, 9, 10),
        ),
        review(
            movie_id="tt0000003",
            position=1,
            text="Thrilling finale, surprising twists and a terrific cast.",
            headline=None,
            display_name="Fay",
            rating=6.4,
            date=date(2006, 11, 12),
        ),
        Problem("Group1/Movie2.txt", 12, "review has no text"),
    ]
