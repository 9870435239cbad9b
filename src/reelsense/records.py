"""Plain records every reader yields and every store keeps.

Nothing downstream knows which file format a record came from. A missing
value is ``None`` — never a sentinel such as the crawler's ``-1.0``.
Ratings are on the 1–10 scale.
"""

from __future__ import annotations

import hashlib
import operator
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Literal

RatingField = Literal["text", "headline"]


@dataclass(frozen=True, slots=True)
class StatedRating:
    """A rating the reviewer wrote in the text (``9/10``, ``***½ (of ****)``).

    ``value`` is normalised to the 1–10 scale; ``matched`` is the text as
    found; ``start``/``end`` are character offsets into ``field``.
    """

    value: float
    matched: str
    start: int
    end: int
    field: RatingField = "text"

    def __reduce__(self) -> tuple[Any, ...]:
        # Records cross a process boundary by the hundred thousand during a
        # parallel ingest: rebuild them through the constructor rather than the
        # dataclass default state functions, which look fields up per object.
        return (type(self), _state(self))


@dataclass(frozen=True, slots=True)
class Movie:
    """One movie. ``movie_id`` is the IMDb ``tt`` id when known.

    ``group`` and ``position`` keep the crawler's folder grouping
    (``Group3/Movie1.txt`` → group ``"Group3"``, position 1; position 0 is
    the original film).

    ``source_line``/``source_end_line`` are the first and last line of the
    movie's header in a line-based source (the crawler's ``<movie>`` up to
    its first ``<review>``), when known.
    """

    movie_id: str
    title: str | None = None
    year: int | None = None
    imdb_rating: float | None = None
    url: str | None = None
    group: str | None = None
    position: int | None = None
    source_file: str | None = None
    source_line: int | None = None
    source_end_line: int | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # Records cross a process boundary by the hundred thousand during a
        # parallel ingest: rebuild them through the constructor rather than the
        # dataclass default state functions, which look fields up per object.
        return (type(self), _state(self))


@dataclass(frozen=True, slots=True)
class Review:
    """One user review of one movie.

    ``rating`` is the rating the user gave (1–10) or ``None`` when there was
    none. ``email`` is personal data split off the username: it is stored
    apart and never shown unless asked for. ``external_id`` is a stable id
    from the source (aclImdb's ``train/pos/123_9``) when it has one.
    ``source_line``/``source_end_line`` are the first and last line the
    review was read from, when the source has lines.
    """

    movie_id: str
    position: int
    text: str
    date: date | None = None
    display_name: str | None = None
    email: str | None = None
    rating: float | None = None
    headline: str | None = None
    spoiler: bool = False
    stated: StatedRating | None = None
    source_file: str | None = None
    source_line: int | None = None
    external_id: str | None = None
    split: str | None = None
    label: str | None = None
    source_end_line: int | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # Records cross a process boundary by the hundred thousand during a
        # parallel ingest: rebuild them through the constructor rather than the
        # dataclass default state functions, which look fields up per object.
        return (type(self), _state(self))

    @property
    def key(self) -> str:
        """Identity used for de-duplication: the same review is stored once.

        A source id when there is one, otherwise the review's content, so
        the same review read from another copy of the file has the same key.
        """
        if self.external_id is not None:
            basis = f"id\x1f{self.external_id}"
        else:
            basis = "\x1f".join(
                [
                    self.movie_id,
                    self.display_name or "",
                    self.date.isoformat() if self.date else "",
                    self.headline or "",
                    self.text,
                ]
            )
        return hashlib.blake2b(basis.encode("utf-8"), digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in an input that did not stop it being read.

    ``str(problem)`` is ``file:line: message``. ``line`` is where the
    problem starts; ``end_line``, when set, is the last line it covers (a
    review cut off by the end of the file, a run of unexpected content).
    """

    source_file: str
    line: int | None
    message: str
    end_line: int | None = None

    def __str__(self) -> str:
        place = self.source_file if self.line is None else f"{self.source_file}:{self.line}"
        return f"{place}: {self.message}"

    def __reduce__(self) -> tuple[Any, ...]:
        # Records cross a process boundary by the hundred thousand during a
        # parallel ingest: rebuild them through the constructor rather than the
        # dataclass default state functions, which look fields up per object.
        return (type(self), _state(self))


_GETTERS: dict[type, operator.attrgetter[Any]] = {
    cls: operator.attrgetter(*(f.name for f in fields(cls)))
    for cls in (StatedRating, Movie, Review, Problem)
}


def _state(record: StatedRating | Movie | Review | Problem) -> tuple[Any, ...]:
    """A record's field values in declaration order (its constructor's arguments)."""
    state: tuple[Any, ...] = _GETTERS[type(record)](record)
    return state


Record = Movie | Review | Problem
"""What a reader yields: a movie comes before its reviews."""
