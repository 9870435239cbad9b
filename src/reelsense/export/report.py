"""One self-contained HTML report: per-movie insight, charts and the comparison.

The file needs nothing else to be viewed: CSS is inline, charts are inline
SVG drawn in Python, and there is no script and no external URL. Every piece
of review-derived text goes through Jinja2's autoescaping.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from reelsense.errors import ConfigError, QueryError, StoreError
from reelsense.export.charts import aspect_bars_svg, rating_histogram_svg, years_svg
from reelsense.insight.compare import AspectBalance, Comparison, MovieSide, compare_movies
from reelsense.insight.movie import movie_insight
from reelsense.insight.results import MovieInsight
from reelsense.store.base import Store

__all__ = ["render_report", "report_movie_ids", "write_report"]

logger = logging.getLogger(__name__)

TEMPLATE = "report.html.j2"


@dataclass(frozen=True, slots=True)
class _MovieView:
    insight: MovieInsight
    histogram: Markup
    years: Markup
    aspects: Markup


def _num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _balance(side: MovieSide, aspect: str) -> AspectBalance | None:
    return next((a for a in side.aspects if a.aspect == aspect), None)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("reelsense.export", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(num=_num, pct=_pct, balance=_balance)
    return env


def report_movie_ids(
    store: Store, movie_ids: Sequence[str] = (), group: str | None = None
) -> list[str]:
    """The movies a report covers: the group's members by position, then ``movie_ids``.

    Raises
    ------
    ConfigError
        Neither movies nor a group were given.
    QueryError
        The group does not exist.
    """
    ids: list[str] = []
    if group is not None:
        members = store.list_movies(group=group)
        if not members:
            raise QueryError(f"no movies in group {group!r}")
        position = {
            m.movie_id: store.movie_stats(m.movie_id).group_positions.get(group, 1 << 30)
            for m in members
        }
        ids.extend(sorted(position, key=lambda movie_id: (position[movie_id], movie_id)))
    ids.extend(movie_ids)
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise ConfigError("a report needs at least one movie or a group")
    return ids


def render_report(
    store: Store,
    movie_ids: Sequence[str] = (),
    *,
    group: str | None = None,
    model_version: str | None = None,
    title: str | None = None,
    resamples: int = 10_000,
) -> str:
    """The report as an HTML string (see :func:`write_report`)."""
    ids = report_movie_ids(store, movie_ids, group)
    version = model_version if model_version is not None else store.current_model()
    views = []
    for movie_id in ids:
        insight = movie_insight(store, movie_id, model_version=version)
        views.append(
            _MovieView(
                insight,
                rating_histogram_svg(insight.ratings),
                years_svg(insight.years),
                aspect_bars_svg(insight.aspects),
            )
        )
    comparison: Comparison | None = None
    if len(ids) > 1:
        comparison = compare_movies(
            store, ids, model_version=version, group=group, resamples=resamples
        )
    if title is None:
        title = (
            f"Reviews of {group}"
            if group
            else "Reviews of " + ", ".join(v.insight.label for v in views)
        )
    aspect_names = (
        sorted({a.aspect for s in comparison.movies for a in s.aspects}) if comparison else []
    )
    from reelsense import __version__

    html = (
        _environment()
        .get_template(TEMPLATE)
        .render(
            title=title,
            version=__version__,
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            model_version=version,
            movies=views,
            comparison=comparison,
            aspect_names=aspect_names,
        )
    )
    logger.debug("rendered report of %d movies (%d characters)", len(ids), len(html))
    return html


def write_report(
    store: Store,
    path: Path,
    movie_ids: Sequence[str] = (),
    *,
    group: str | None = None,
    model_version: str | None = None,
    title: str | None = None,
    resamples: int = 10_000,
) -> Path:
    """Write one self-contained HTML report of some movies (and their comparison) to ``path``.

    Parameters
    ----------
    store:
        Where the reviews and their analysis live.
    path:
        The ``.html`` file to write (its folder must exist).
    movie_ids:
        ``tt`` ids to include, after the group's members.
    group:
        A crawler group (``Group3``): its movies, the original first.
    model_version:
        Whose scores to use; default the store's current model.
    title:
        The report's heading; default names the group or the movies.
    resamples:
        Bootstrap resamples for each comparison interval.

    Returns
    -------
    Path
        ``path``. With two or more movies the report includes the comparison
        (each movie against the first).

    Raises
    ------
    ConfigError
        No movies and no group.
    QueryError
        An unknown movie or group.
    StoreError
        The file cannot be written.

    Example
    -------
    >>> write_report(store, Path("group3.html"), group="Group3")  # doctest: +SKIP
    """
    html = render_report(
        store, movie_ids, group=group, model_version=model_version, title=title, resamples=resamples
    )
    try:
        path.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"{path}: cannot write the report: {exc.strerror or exc}") from exc
    return path
