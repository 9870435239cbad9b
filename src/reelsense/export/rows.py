"""What rows and typed columns each ``--what`` gives, streamed from the store.

* ``reviews``: one row per review (``email`` only with personal data).
* ``movies``: one row per movie, with counts and crawler groups.
* ``analysis``: one row per review scored by the current model.
* ``aspects``: one row per aspect mention found by the current model.

Each writer (CSV, JSONL, Parquet, XLSX) takes an :class:`ExportTable`: the
column names and types, and an iterator of row tuples in column order whose
values are ``str``, ``int``, ``float``, ``bool``, :class:`datetime.date` or
``None``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from reelsense.errors import ConfigError
from reelsense.export.catalog import iter_movie_entries
from reelsense.export.filters import ExportFilters
from reelsense.export.selection import (
    SelectedReview,
    iter_selected,
    movie_scope,
    require_model,
)
from reelsense.store.base import Store

__all__ = [
    "WHATS",
    "Column",
    "ColumnType",
    "ExportTable",
    "Value",
    "What",
    "build_table",
    "columns_for",
]

What = Literal["reviews", "movies", "analysis", "aspects"]
WHATS: tuple[What, ...] = get_args(What)
ColumnType = Literal["str", "int", "float", "bool", "date"]
Value = str | int | float | bool | date | None


@dataclass(frozen=True, slots=True)
class Column:
    """One exported column: its name and value type (every column may hold ``None``)."""

    name: str
    type: ColumnType


@dataclass(slots=True)
class ExportTable:
    """Columns and a stream of rows (tuples in column order)."""

    what: What
    columns: tuple[Column, ...]
    rows: Iterator[tuple[Value, ...]]

    @property
    def names(self) -> list[str]:
        """The column names, in order."""
        return [c.name for c in self.columns]


def _cols(spec: str) -> tuple[Column, ...]:
    """``"a:int b:str"`` → columns."""
    out = []
    for item in spec.split():
        name, kind = item.split(":")
        out.append(Column(name, kind))  # type: ignore[arg-type]
    return tuple(out)


_REVIEW_HEAD = _cols("review_id:int movie_id:str title:str position:int date:date author:str")
_REVIEW_TAIL = _cols(
    "rating:float headline:str spoiler:bool text:str stated_rating:float "
    "stated_rating_text:str external_id:str split:str label:str source_file:str source_line:int"
)
_EMAIL = Column("email", "str")
_MOVIES = _cols(
    "movie_id:str title:str year:int imdb_rating:float url:str groups:str "
    "reviews:int rated:int mean_rating:float"
)
_ANALYSIS = _cols(
    "review_id:int movie_id:str model_version:str rating:float polarity:str "
    "p_positive:float predicted_rating:int predicted_confidence:float final_rating:float "
    "rating_source:str rating_confidence:float"
)
_ASPECTS = _cols(
    "review_id:int movie_id:str model_version:str sentence:int aspect:str polarity:str "
    "score:float sentence_text:str"
)


def columns_for(what: What, *, include_personal: bool = False) -> tuple[Column, ...]:
    """The columns of ``what``; ``email`` is a reviews column only with personal data.

    Example
    -------
    >>> [c.name for c in columns_for("aspects")][:4]
    ['review_id', 'movie_id', 'model_version', 'sentence']
    """
    if what == "reviews":
        extra = (_EMAIL,) if include_personal else ()
        return _REVIEW_HEAD + extra + _REVIEW_TAIL
    if what == "movies":
        return _MOVIES
    if what == "analysis":
        return _ANALYSIS
    if what == "aspects":
        return _ASPECTS
    raise ConfigError(f"cannot export {what!r}: choose one of {', '.join(WHATS)}")


def build_table(
    store: Store,
    what: What,
    filters: ExportFilters,
    *,
    include_personal: bool = False,
    batch_size: int = 1000,
) -> ExportTable:
    """The rows of ``what`` that pass ``filters``, streamed lazily.

    Parameters
    ----------
    store:
        Where the data is.
    what:
        ``reviews``, ``movies``, ``analysis`` or ``aspects``.
    filters:
        What to keep. Review filters (rating, date, sentiment) do not apply
        to ``movies``.
    include_personal:
        Add the ``email`` column to ``reviews``; e-mails appear nowhere else.
    batch_size:
        Rows per store query.

    Returns
    -------
    ExportTable
        Columns now; rows as they are iterated.

    Raises
    ------
    ConfigError
        An unknown ``what``, review filters with ``movies``, or analysis
        asked for before any model scored reviews.
    QueryError
        A ``--movie`` query names no movie or several.

    Example
    -------
    >>> table = build_table(store, "reviews", ExportFilters(min_rating=8))  # doctest: +SKIP
    >>> table.names[:3]  # doctest: +SKIP
    ['review_id', 'movie_id', 'title']
    """
    columns = columns_for(what, include_personal=include_personal)
    if what == "movies":
        if filters.selects_reviews:
            raise ConfigError(
                "rating, date and sentiment filters select reviews: use them with "
                "--what reviews, analysis or aspects, not movies"
            )
        return ExportTable(what, columns, _movie_rows(store, filters))
    with_analysis = what in ("analysis", "aspects")
    if with_analysis:
        require_model(store)
    scope = movie_scope(store, filters)
    selected = iter_selected(
        store,
        filters,
        include_personal=include_personal and what == "reviews",
        with_analysis=with_analysis,
        scope=scope,
        batch_size=batch_size,
    )
    if what == "reviews":
        titles = {s.movie_id: s.title for s in store.list_movies()}
        return ExportTable(what, columns, _review_rows(selected, titles, include_personal))
    if what == "analysis":
        return ExportTable(what, columns, _analysis_rows(selected))
    return ExportTable(what, columns, _aspect_rows(selected))


def _review_rows(
    selected: Iterator[SelectedReview], titles: dict[str, str | None], include_personal: bool
) -> Iterator[tuple[Value, ...]]:
    for item in selected:
        r = item.review
        head: tuple[Value, ...] = (
            item.review_id,
            r.movie_id,
            titles.get(r.movie_id),
            r.position,
            r.date,
            r.display_name,
        )
        extra: tuple[Value, ...] = (r.email,) if include_personal else ()
        stated = r.stated
        yield (
            head
            + extra
            + (
                r.rating,
                r.headline,
                r.spoiler,
                r.text,
                stated.value if stated else None,
                stated.matched if stated else None,
                r.external_id,
                r.split,
                r.label,
                r.source_file,
                r.source_line,
            )
        )


def _movie_rows(store: Store, filters: ExportFilters) -> Iterator[tuple[Value, ...]]:
    scope = movie_scope(store, filters)
    if scope is not None and not scope:
        return
    for entry in iter_movie_entries(store, scope or (), group=filters.group):
        s = entry.summary
        groups = ", ".join(
            name if pos is None else f"{name}/{pos}" for name, pos in entry.memberships
        )
        yield (
            s.movie_id,
            s.title,
            s.year,
            s.imdb_rating,
            entry.url,
            groups or None,
            s.reviews,
            s.rated,
            s.mean_rating,
        )


def _analysis_rows(selected: Iterator[SelectedReview]) -> Iterator[tuple[Value, ...]]:
    for item in selected:
        a = item.analysis
        if a is None:
            continue
        yield (
            item.review_id,
            item.review.movie_id,
            a.model_version,
            item.review.rating,
            a.polarity,
            a.p_positive,
            a.predicted_rating,
            a.predicted_confidence,
            a.final_rating,
            a.rating_source,
            a.rating_confidence,
        )


def _aspect_rows(selected: Iterator[SelectedReview]) -> Iterator[tuple[Value, ...]]:
    for item in selected:
        for m in item.aspects:
            yield (
                item.review_id,
                item.review.movie_id,
                m.model_version,
                m.sentence,
                m.aspect,
                m.polarity,
                m.score,
                m.text,
            )
