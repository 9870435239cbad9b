"""A small hand-written corpus for insight, comparison and report tests (no third-party text).

Group7 holds an original film (liked: acting praised) and its remake (disliked:
story criticised); a third movie is background. Analysis rows and aspect
mentions are written by hand as a model would.
"""

from __future__ import annotations

from datetime import date

from reelsense.records import Movie, Record, Review, StatedRating
from reelsense.store import SQLiteStore
from reelsense.store.base import AnalysisRow, AspectMention, AspectPolarity

VERSION = "test-insight-1"
ORIGINAL, REMAKE, OTHER = "tt0100001", "tt0100002", "tt0100003"
SCRIPT = "<script>alert(1)</script>"

MOVIES = [
    Movie(ORIGINAL, title="Harbour Lights", year=1990, group="Group7", position=0),
    Movie(REMAKE, title="Harbour Lights", year=2012, group="Group7", position=1),
    Movie(OTHER, title="Desert Road", year=2001),
]

PRAISE = [
    "The acting by the whole cast is superb and the fisherman feels real.",
    "Marta Vell gives a haunting performance as the harbour widow.",
    "Every actor in the fishing village is believable and warm.",
]
CRITICISM = [
    "The story of the remake wanders and the smuggling plot makes no sense.",
    "The new plot twist with the drone is silly and predictable.",
    "The storyline drags through a pointless subplot about a casino.",
]


def _original_reviews() -> list[Review]:
    reviews = []
    for i in range(30):
        sentence = PRAISE[i % 3]
        reviews.append(
            Review(
                ORIGINAL,
                position=i,
                text=f"{sentence} The fog over the harbour lighthouse is lovely. Review {i}.",
                date=date(1998 + i % 4, 1 + i % 12, 1 + i % 27),
                display_name=f"Sailor{i % 7}",
                rating=[8.0, 9.0, 10.0, 7.0, 9.0][i % 5],
                headline=f"Lovely harbour {i}",
            )
        )
    reviews.append(
        Review(
            ORIGINAL,
            position=30,
            text=f"Wonderful fog and harbour mood, truly. {SCRIPT} 9/10",
            date=date(2001, 6, 1),
            display_name="Mika Vale",
            email="mika@example.org",
            rating=None,
            headline=f"Harbour {SCRIPT}",
            stated=StatedRating(9.0, "9/10", 40, 44),
        )
    )
    reviews.append(
        Review(
            ORIGINAL,
            position=31,
            text="Dull, tedious and badly acted harbour nonsense, I hated every minute.",
            date=date(2000, 2, 2),
            display_name="Grump",
            rating=10.0,
            headline="Clicked the wrong star",
        )
    )
    return reviews


def _remake_reviews() -> list[Review]:
    reviews = []
    for i in range(24):
        sentence = CRITICISM[i % 3]
        reviews.append(
            Review(
                REMAKE,
                position=i,
                text=f"{sentence} The drone casino nonsense ruins the harbour. Note {i}.",
                date=date(2012 + i % 3, 1 + i % 12, 1 + i % 27),
                display_name=f"Viewer{i % 5}",
                rating=[3.0, 4.0, 5.0, 2.0, 6.0, 4.0][i % 6] if i % 4 else None,
                headline=f"Remake {i}",
            )
        )
    return reviews


def _other_reviews() -> list[Review]:
    return [
        Review(
            OTHER,
            position=i,
            text=f"A long drive across the desert road with a mechanic and a dog. Trip {i}.",
            date=date(2003, 1, 1 + i),
            display_name=f"Driver{i}",
            rating=6.0,
        )
        for i in range(20)
    ]


def records() -> list[Record]:
    """The movies and reviews of the corpus."""
    return [*MOVIES, *_original_reviews(), *_remake_reviews(), *_other_reviews()]


def _analysis(review_id: int, review: Review) -> AnalysisRow:
    if review.headline == "Clicked the wrong star":
        p = 0.05
    elif review.movie_id == REMAKE:
        p = 0.15
    elif review.movie_id == ORIGINAL:
        p = 0.9
    else:
        p = 0.6
    predicted = 8 if p > 0.5 else 3
    if review.rating is not None:
        final, source = review.rating, "given"
    elif review.stated is not None:
        final, source = review.stated.value, "stated"
    else:
        final, source = float(predicted), "predicted"
    return AnalysisRow(
        review_id=review_id,
        model_version=VERSION,
        polarity="positive" if p > 0.5 else "negative",
        p_positive=p,
        predicted_rating=predicted,
        predicted_confidence=0.6,
        final_rating=final,
        rating_source=source,  # type: ignore[arg-type]
        rating_confidence=1.0 if source == "given" else 0.6,
    )


def _aspects(review_id: int, review: Review) -> list[AspectMention]:
    first = review.text.split(". ")[0] + "."
    polarity: AspectPolarity
    if review.movie_id == ORIGINAL and review.position < 30:
        polarity, aspect, score = "positive", "acting", 0.7 + (review.position % 5) / 20
        mentions = [AspectMention(review_id, VERSION, 0, aspect, polarity, score, first)]
        if review.position % 6 == 0:
            mentions.append(
                AspectMention(review_id, VERSION, 1, "music", "neutral", 0.5, "There is music.")
            )
        return mentions
    if review.movie_id == REMAKE:
        score = 0.05 + (review.position % 5) / 20
        mentions = [AspectMention(review_id, VERSION, 0, "story", "negative", score, first)]
        if review.position % 3 == 0:
            mentions.append(
                AspectMention(
                    review_id,
                    VERSION,
                    1,
                    "acting",
                    "positive",
                    0.8,
                    "At least the lead actor tries hard in every scene.",
                )
            )
        return mentions
    if review.position == 30:
        return [
            AspectMention(
                review_id, VERSION, 0, "visuals", "positive", 0.95, f"Wonderful fog {SCRIPT}."
            )
        ]
    return []


def build_store(*, analysis: bool = True, aspects: bool = True) -> SQLiteStore:
    """An in-memory store with the corpus; optionally scored by a hand-written 'model'."""
    store = SQLiteStore(":memory:")
    store.write(records())
    if not analysis:
        return store
    store.register_model(VERSION, '{"version": "test-insight-1"}')
    items = list(store.iter_reviews())
    store.write_analysis([_analysis(item.review_id, item.review) for item in items])
    if aspects:
        store.write_analysis(
            [], [m for item in items for m in _aspects(item.review_id, item.review)]
        )
    return store
