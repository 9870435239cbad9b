"""The PostgreSQL store: psycopg 3, ``COPY`` bulk loads, ``tsvector`` + GIN search.

One connection per store, autocommit off, every operation in its own explicit
transaction (so no transaction is left open between calls). It behaves like
:class:`reelsense.store.sqlite.SQLiteStore`; the shared test suite in
``tests/store`` proves it.

Example
-------
>>> store = PostgresStore("postgresql://reel@127.0.0.1:5432/reviews")  # doctest: +SKIP
>>> store.counts().reviews  # doctest: +SKIP
0
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Any, TypeVar

import psycopg

from reelsense.errors import QueryError, StoreError
from reelsense.records import Movie, Problem, Record
from reelsense.store import postgres_analysis, postgres_export, postgres_movies
from reelsense.store.base import (
    AnalysisCounts,
    AnalysisRow,
    AspectMention,
    MovieSentiment,
    MovieSort,
    MovieStats,
    MovieSummary,
    RegisteredModel,
    ReviewInsight,
    SearchHit,
    SearchQuery,
    StoreCounts,
    StoredReview,
    WriteResult,
)
from reelsense.store.postgres_connection import PgConnection, connect, redacted, store_error
from reelsense.store.postgres_export import review_from_row
from reelsense.store.postgres_migrations import apply_postgres_migrations
from reelsense.store.postgres_search import search_reviews
from reelsense.store.postgres_write import STAGING_DDL, write_batch

__all__ = ["PostgresStore"]

log = logging.getLogger(__name__)

T = TypeVar("T")


def fetch_all(sql: str, params: Sequence[object], conn: PgConnection) -> list[Any]:
    """All rows of one query (bound with :func:`functools.partial` for a reader)."""
    return conn.execute(sql, params).fetchall()


_REVIEWS_SQL = """
SELECT r.*, {email} AS email
FROM reviews AS r {email_join}
WHERE r.review_id > %s {movie_filter}
ORDER BY r.review_id
LIMIT %s
"""


class PostgresStore:
    """A :class:`~reelsense.store.base.Store` in a PostgreSQL database.

    Parameters
    ----------
    url:
        ``postgresql://user[:password]@host[:port]/database`` (``postgres://``
        works too). The password never appears in messages.
    read_only:
        Open a read-only session; writes raise ``StoreError``.

    Raises
    ------
    StoreError
        The server cannot be reached, the database is not a reelsense one,
        its schema is newer than this code, or a migration failed.
    """

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        self.read_only = read_only
        self.label = redacted(url)
        self._lock = threading.RLock()
        conn = connect(url, label=self.label, read_only=read_only)
        try:
            apply_postgres_migrations(conn, label=self.label, read_only=read_only)
            if not read_only:
                with conn.transaction():
                    conn.execute(STAGING_DDL)
                    for ddl in postgres_analysis.STAGING_DDL:
                        conn.execute(ddl)
        except psycopg.Error as exc:
            conn.close()
            raise store_error(self.label, exc) from exc
        except BaseException:
            conn.close()
            raise
        self._conn: PgConnection | None = conn

    def __repr__(self) -> str:
        mode = ", read_only=True" if self.read_only else ""
        return f"PostgresStore({self.label!r}{mode})"

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextlib.contextmanager
    def _transaction(self, *, write: bool = False) -> Iterator[PgConnection]:
        """The connection inside one transaction, under the lock, errors translated."""
        if write and self.read_only:
            raise StoreError(f"{self.label}: the store was opened read-only; cannot write")
        with self._lock:
            if self._conn is None:
                raise StoreError(f"{self.label}: the store is closed")
            conn = self._conn
            try:
                with conn.transaction():
                    yield conn
            except psycopg.DataError as exc:
                # PostgreSQL text cannot hold NUL, so a lookup with one (a movie id, a
                # title query typed by a web user) matches nothing: a bad query, not a
                # broken database. Writes keep the StoreError.
                if not write and "0x00" in str(exc):
                    raise QueryError(
                        f"{self.label}: text with a NUL character matches nothing stored"
                    ) from exc
                raise store_error(self.label, exc) from exc
            except psycopg.Error as exc:
                raise store_error(self.label, exc) from exc
            except UnicodeEncodeError as exc:
                raise StoreError(
                    f"{self.label}: cannot store text that is not valid Unicode ({exc.reason})"
                ) from exc
            except OverflowError as exc:
                raise StoreError(f"{self.label}: a number is too large to store: {exc}") from exc

    def _read(self, action: Callable[[PgConnection], T]) -> T:
        with self._transaction() as conn:
            return action(conn)

    def _write(self, action: Callable[[PgConnection], T]) -> T:
        with self._transaction(write=True) as conn:
            return action(conn)

    # -- writing -------------------------------------------------------------

    def bulk_load(self) -> AbstractContextManager[None]:
        """Nothing to tune: the server checkpoints on its own (see the SQLite store)."""
        return contextlib.nullcontext()

    def write(self, records: Sequence[Record]) -> WriteResult:
        """Store movies, reviews and problems in one transaction (reviews via ``COPY``).

        Raises
        ------
        StoreError
            Read-only store, or a constraint failed (nothing of the batch is kept).
        TypeError
            A record of another type.
        """
        if not records:
            if self.read_only:
                raise StoreError(f"{self.label}: the store was opened read-only; cannot write")
            return WriteResult()
        return self._write(lambda conn: write_batch(conn, records))

    # -- movies --------------------------------------------------------------

    def list_movies(
        self,
        *,
        sort: MovieSort = "title",
        descending: bool = False,
        group: str | None = None,
        limit: int | None = None,
    ) -> list[MovieSummary]:
        """Movies with review counts and mean given rating (missing values sort last)."""
        return self._read(
            lambda conn: postgres_movies.list_movies(
                conn, sort=sort, descending=descending, group=group, limit=limit
            )
        )

    def find_movies(self, query: str) -> list[MovieSummary]:
        """Movies whose ``tt`` id is ``query`` (any case), else whose title has all its words."""
        return self._read(lambda conn: postgres_movies.find_movies(conn, query))

    def movie_stats(self, movie_id: str) -> MovieStats:
        """Counts, histogram and date range of one movie (``QueryError`` if unknown)."""
        return self._read(
            lambda conn: postgres_movies.movie_stats(conn, movie_id, label=self.label)
        )

    # -- search and streaming ------------------------------------------------

    def search(self, query: SearchQuery, *, include_personal: bool = False) -> list[SearchHit]:
        """Full-text search over headline and text, best matches first (see ``Store.search``)."""
        return self._read(
            lambda conn: search_reviews(conn, query, include_personal=include_personal)
        )

    def iter_reviews(
        self,
        *,
        movie_id: str | None = None,
        include_personal: bool = False,
        batch_size: int = 1000,
    ) -> Iterator[StoredReview]:
        """Stream stored reviews in id order, one short transaction per ``batch_size`` rows."""
        if batch_size < 1:
            raise QueryError(f"batch_size must be 1 or more, not {batch_size}")
        sql = _REVIEWS_SQL.format(
            email="e.email" if include_personal else "NULL",
            email_join=(
                "LEFT JOIN reviewer_emails AS e ON e.review_id = r.review_id"
                if include_personal
                else ""
            ),
            movie_filter="AND r.movie_id = %s" if movie_id is not None else "",
        )
        return self._iterate(sql, movie_id, batch_size)

    def _iterate(self, sql: str, movie_id: str | None, batch_size: int) -> Iterator[StoredReview]:
        last_id = 0
        resolved: str | None = None
        if movie_id is not None:
            resolved = self._read(lambda conn: postgres_movies.resolve_movie(conn, movie_id))
            if resolved is None:
                return
        while True:
            params: list[object] = [last_id]
            if resolved is not None:
                params.append(resolved)
            params.append(batch_size)
            rows = self._read(functools.partial(fetch_all, sql, params))
            for row in rows:
                yield StoredReview(int(row["review_id"]), review_from_row(row))
            if len(rows) < batch_size:
                return
            last_id = int(rows[-1]["review_id"])

    # -- analysis ------------------------------------------------------------

    def register_model(self, version: str, metadata_json: str) -> None:
        """Record a model version (once); it becomes the current one."""
        self._write(lambda conn: postgres_analysis.register_model(conn, version, metadata_json))

    def current_model(self) -> str | None:
        """The most recently registered model version, or ``None``."""
        return self._read(postgres_analysis.current_model)

    def count_unscored(self, model_version: str) -> int:
        """Reviews with no analysis row for this model version."""
        return self._read(lambda conn: postgres_analysis.count_unscored(conn, model_version))

    def iter_unscored(
        self, model_version: str, *, batch_size: int = 1000
    ) -> Iterator[list[StoredReview]]:
        """Batches of reviews not yet scored by ``model_version``, in id order."""
        if batch_size < 1:
            raise QueryError(f"batch_size must be 1 or more, not {batch_size}")
        return self._unscored(model_version, batch_size)

    def _unscored(self, model_version: str, batch_size: int) -> Iterator[list[StoredReview]]:
        last_id = 0
        while True:
            params = (last_id, model_version, batch_size)
            rows = self._read(functools.partial(fetch_all, postgres_analysis.UNSCORED_SQL, params))
            if not rows:
                return
            yield [StoredReview(int(row["review_id"]), review_from_row(row)) for row in rows]
            last_id = int(rows[-1]["review_id"])

    def write_analysis(
        self, rows: Sequence[AnalysisRow], aspects: Sequence[AspectMention] = ()
    ) -> int:
        """Store analysis rows and their aspect mentions in one transaction (``COPY`` + upsert)."""
        if not rows and not aspects:
            return 0

        def write(conn: PgConnection) -> int:
            postgres_analysis.write_aspects(conn, aspects)
            return postgres_analysis.write_analysis(conn, rows)

        return self._write(write)

    def movie_sentiment(self, movie_id: str, model_version: str) -> MovieSentiment:
        """Polarity counts and final-rating histograms of one movie's reviews."""
        return self._read(
            lambda conn: postgres_analysis.movie_sentiment(
                conn, movie_id, model_version, label=self.label
            )
        )

    def iter_movie_insight(
        self, movie_id: str, model_version: str | None, *, batch_size: int = 1000
    ) -> Iterator[ReviewInsight]:
        """Stream one movie's reviews with their analysis row and aspect mentions."""
        found = self._read(lambda conn: postgres_movies.resolve_movie(conn, movie_id))
        if found is None:
            raise QueryError(f"{self.label}: no movie {movie_id!r} in the store")
        return self._insights(found, model_version, batch_size)

    def _insights(
        self, movie_id: str, model_version: str | None, batch_size: int
    ) -> Iterator[ReviewInsight]:
        batch: list[StoredReview] = []
        for item in self.iter_reviews(movie_id=movie_id, batch_size=batch_size):
            batch.append(item)
            if len(batch) >= batch_size:
                yield from self._insight_batch(batch, model_version)
                batch = []
        yield from self._insight_batch(batch, model_version)

    def _insight_batch(
        self, batch: list[StoredReview], model_version: str | None
    ) -> list[ReviewInsight]:
        if model_version is None:
            return [ReviewInsight(item.review_id, item.review, None) for item in batch]
        analyses, aspects = self._analysis([item.review_id for item in batch], model_version)
        by_review = {row.review_id: row for row in analyses}
        mentions: dict[int, list[AspectMention]] = {}
        for mention in aspects:
            mentions.setdefault(mention.review_id, []).append(mention)
        return [
            ReviewInsight(
                item.review_id,
                item.review,
                by_review.get(item.review_id),
                tuple(mentions.get(item.review_id, ())),
            )
            for item in batch
        ]

    def _analysis(
        self, review_ids: Sequence[int], model_version: str | None
    ) -> tuple[list[AnalysisRow], list[AspectMention]]:
        def read(conn: PgConnection) -> tuple[list[AnalysisRow], list[AspectMention]]:
            return (
                postgres_analysis.analysis_rows(conn, review_ids, model_version),
                postgres_analysis.aspect_rows(conn, review_ids, model_version),
            )

        return self._read(read)

    def sample_texts(self, limit: int, *, exclude_movie: str | None = None) -> list[str]:
        """Up to ``limit`` review texts spread evenly over the store."""
        return self._read(lambda conn: postgres_analysis.sample_texts(conn, limit, exclude_movie))

    # -- export (streaming everything, for ``reelsense db copy``) -------------

    def iter_movies(self, *, batch_size: int = 1000) -> Iterator[Movie]:
        """Every movie as records that rebuild it: one per group it is in, in id order."""
        if batch_size < 1:
            raise QueryError(f"batch_size must be 1 or more, not {batch_size}")
        return postgres_export.iter_movies(self._read, batch_size)

    def iter_problems(self, *, batch_size: int = 1000) -> Iterator[Problem]:
        """Every recorded problem, oldest first."""
        if batch_size < 1:
            raise QueryError(f"batch_size must be 1 or more, not {batch_size}")
        return postgres_export.iter_problems(self._read, batch_size)

    def models(self) -> list[RegisteredModel]:
        """Every registered model, oldest registration first (the last is current)."""
        return self._read(postgres_export.models)

    def review_ids(self, keys: Sequence[str]) -> dict[str, int]:
        """The ids of the stored reviews among these :attr:`Review.key` values."""
        return self._read(lambda conn: postgres_export.review_ids(conn, keys))

    def analysis_for(
        self, review_ids: Sequence[int]
    ) -> tuple[list[AnalysisRow], list[AspectMention]]:
        """Every analysis row and aspect mention of these reviews, all model versions."""
        return self._analysis(review_ids, None)

    def analysis_counts(self) -> AnalysisCounts:
        """How many models, analysis rows and aspect mentions are stored."""
        return self._read(postgres_export.analysis_counts)

    # -- problems, totals, closing -------------------------------------------

    def problems(self, *, limit: int | None = None) -> list[Problem]:
        """Input problems recorded by earlier ingests, oldest first."""
        if limit is not None and limit < 0:
            raise QueryError(f"limit must be 0 or more, not {limit}")
        return self._read(lambda conn: postgres_export.problems(conn, limit))

    def counts(self) -> StoreCounts:
        """Totals across the store."""
        return self._read(postgres_export.counts)

    def close(self) -> None:
        """Close the connection; calling it again does nothing."""
        with self._lock:
            conn, self._conn = self._conn, None
            if conn is None:
                return
            try:
                conn.close()
            except psycopg.Error as exc:
                raise store_error(self.label, exc) from exc
