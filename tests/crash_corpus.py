"""A synthetic crawler-format corpus with known counts, for the crash-safety runs.

Every text is generated here from small word lists (no third-party review
text). The writer knows exactly what it wrote, so a test can compare the
store with the truth rather than with another run of the code under test:
movies, reviews, group rows, e-mails, the problems the reader must report
(a date that is not a date, an empty file) and, per review, whether the
final rating must come from the score field, from a rating stated in the
text, or from the model.

Example
-------
>>> corpus = write_corpus(tmp_path / "corpus", movies=4, reviews_per_movie=10)  # doctest: +SKIP
>>> corpus.reviews  # doctest: +SKIP
40
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Corpus", "write_corpus"]

_OPENERS = (
    "I watched this on a rainy evening",
    "My cousin dragged me to see this one",
    "This was the second time I saw it",
    "I went in knowing nothing about it",
    "We rented this for a quiet weekend",
)
# Sentences about the aspects the model knows (acting, story, music, visuals, ...).
_GOOD = (
    "The acting is superb and the lead is completely convincing",
    "The story is clever and keeps you guessing until the end",
    "The music is beautiful and fits every scene",
    "The photography is stunning and every frame looks lovely",
    "The dialogue is sharp and often very funny",
    "The direction is confident and the pacing is perfect",
)
_BAD = (
    "The acting is wooden and nobody seems to care",
    "The story makes no sense and drags for far too long",
    "The music is loud and annoying throughout",
    "The effects look cheap and the camera work is sloppy",
    "The dialogue is clumsy and the jokes fall flat",
    "The ending is a mess and ruins what came before",
)
_CLOSERS = (
    "I would watch it again",
    "Not something I will remember for long",
    "Worth a look if you like the genre",
    "I left the cinema thinking about it",
)
_TITLE_WORDS = ("Harbour", "Kite", "Winter", "Signal", "Orchard", "Lantern", "River", "Echo")


@dataclass(frozen=True, slots=True)
class Corpus:
    """Where a corpus was written and what any correct ingest must store from it."""

    root: Path
    movies: int
    reviews: int
    group_rows: int
    emails: int
    problems: int
    given: int
    """Reviews with a rating in the score field (final rating source ``given``)."""
    stated: int
    """Reviews without a score whose text ends in ``N/10`` (source ``stated``)."""
    predicted: int
    """Reviews with neither (source ``predicted``)."""


def _review(rng: random.Random, serial: int, mood: bool) -> tuple[str, bool, bool, bool, bool]:
    """One ``<review>`` element; returns it with (has e-mail, bad date, given, stated)."""
    pool = _GOOD if mood else _BAD
    sentences = [rng.choice(_OPENERS), *rng.sample(pool, 2), rng.choice(_CLOSERS)]
    # Glued sentences, as the crawler wrote them after stripping <br>.
    text = ".".join(sentences) + f". Viewing note {serial}."
    given = rng.random() < 0.6
    stated = not given and rng.random() < 0.5
    if stated:
        text += f" {rng.randint(7, 10) if mood else rng.randint(1, 4)}/10"
    score = (
        f"{rng.randint(6, 10) / 10 if mood else rng.randint(1, 4) / 10:.1f}" if given else "-1.0"
    )
    email = rng.random() < 0.1
    user = f"viewer{serial}" + (f" (viewer{serial}@example.org)" if email else "")
    bad_date = rng.random() < 0.01
    when = "someday" if bad_date else f"20{rng.randint(0, 15):02d}-{rng.randint(1, 12):02d}-15"
    headline = (
        "*** This review may contain spoilers ***"
        if rng.random() < 0.1
        else f"{'Lovely' if mood else 'Dull'} film number {serial}"
    )
    element = (
        "\t<review>\n"
        f"\t\t<date>{when}</date>\n"
        f"\t\t<username>{user}</username>\n"
        f"\t\t<score>{score}</score>\n"
        f"\t\t<shortDescription>{headline}</shortDescription>\n"
        f"\t\t<fullReview>{text}</fullReview>\n"
        "\t</review>\n"
    )
    return element, email, bad_date, given, stated


def write_corpus(
    root: Path,
    *,
    movies: int = 60,
    reviews_per_movie: int = 50,
    movies_per_group: int = 3,
    seed: int = 0,
) -> Corpus:
    """Write ``GroupN/MovieK.txt`` crawler files under ``root`` and return their truth.

    One extra group holds an empty file (one "empty file" problem); about
    one review in a hundred has a date that is not a date (one problem each,
    the review is still stored).

    Parameters
    ----------
    root:
        Folder to create (must not hold another corpus).
    movies, reviews_per_movie, movies_per_group:
        Size and shape of the corpus.
    seed:
        Seeds every choice: the same arguments write the same bytes.

    Returns
    -------
    Corpus
        The expected counts.
    """
    rng = random.Random(seed)
    counts = {"emails": 0, "problems": 0, "given": 0, "stated": 0, "predicted": 0}
    serial = 0
    for index in range(movies):
        group, position = divmod(index, movies_per_group)
        title = f"The {rng.choice(_TITLE_WORDS)} {rng.choice(_TITLE_WORDS)} {index}"
        parts = [
            "<movie>\n",
            f"\t<title>{title}</title>\n",
            f"\t<link>http://www.imdb.com/title/tt97{index:05d}/?ref_=fn_al_tt_1</link>\n",
            f"\t<year>{1980 + index % 40}</year>\n",
            f"\t<generalScore>{rng.randint(20, 90) / 100:.2f}</generalScore>\n",
        ]
        for _ in range(reviews_per_movie):
            serial += 1
            element, email, bad_date, given, stated = _review(rng, serial, rng.random() < 0.6)
            parts.append(element)
            counts["emails"] += email
            counts["problems"] += bad_date
            source = "given" if given else "stated" if stated else "predicted"
            counts[source] += 1
        parts.append("</movie>\n")
        path = root / f"Group{group + 1}" / f"Movie{position}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(parts), encoding="utf-8")
    # A group whose crawl failed: an empty file, reported as one problem.
    empty = root / f"Group{(movies - 1) // movies_per_group + 2}" / "Movie0.txt"
    empty.parent.mkdir(parents=True, exist_ok=True)
    empty.write_text("", encoding="utf-8")
    counts["problems"] += 1
    return Corpus(
        root=root,
        movies=movies,
        reviews=serial,
        group_rows=movies,
        **counts,
    )
