"""The SQLite store: one file, WAL journaling, FTS5 full-text search.

Example
-------
>>> from reelsense.records import Movie, Review
>>> with SQLiteStore(":memory:") as store:
...     store.write([Movie("tt0117407", "Some Film"), Review("tt0117407", 0, "Loved it.")])
...     store.counts().reviews
WriteResult(movies_new=1, reviews_new=1, reviews_existing=0, problems_new=0)
1
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from reelsense.errors import ConfigError, QueryError, StoreError
from reelsense.records import Movie, Problem, Record
from reelsense.store import sqlite_analysis, sqlite_export, sqlite_movies
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
from reelsense.store.migrations import apply_migrations
from reelsense.store.sqlite_checkpoint import Checkpointer
from reelsense.store.sqlite_connection import MEMORY, connect, store_error
from reelsense.store.sqlite_export import review_from_row
from reelsense.store.sqlite_movies import resolve_movie
from reelsense.store.sqlite_search import EMAIL_JOIN, fts5_match, search_reviews
from reelsense.store.sqlite_write import write_batch

__all__ = ["SQLiteStore"]

log = logging.getLogger(__name__)

T = TypeVar("T")

_REVIEWS_SQL = """
SELECT r.*, {email} AS email
FROM reviews AS r {email_join}
WHERE r.review_id > ? {movie_filter}
ORDER BY r.review_id
LIMIT ?
"""


class SQLiteStore:
    """A :class:`~reelsense.store.base.Store` in a SQLite file (or in memory).

    Parameters
    ----------
    path:
        The database file (created when missing) or ``":memory:"``.
    read_only:
        Open the existing file with ``mode=ro``; writes raise ``StoreError``.
    timeout:
        Seconds to wait when another process holds the write lock.

    Raises
    ------
    ConfigError
        ``read_only`` with ``":memory:"``, or a negative timeout.
    StoreError
        The file cannot be opened, is not a SQLite database, or has a schema
        newer than this code.

    Example
    -------
    >>> store = SQLiteStore(":memory:")
    >>> store.counts().movies
    0
    >>> store.close()
    """

    def __init__(self, path: str | Path, *, read_only: bool = False, timeout: float = 30.0) -> None:
        memory = str(path) == MEMORY
        if memory and read_only:
            raise ConfigError("an in-memory database cannot be opened read-only")
        if timeout < 0:
            raise ConfigError(f"timeout must be 0 or more seconds, not {timeout}")
        self.path: Path | None = None if memory else Path(path)
        self.read_only = read_only
        self._label = MEMORY if memory else str(path)
        self._lock = threading.RLock()
        if self.path is not None and read_only and not self.path.is_file():
            raise StoreError(f"{self._label}: no such database file")
        try:
            conn = connect(self.path, read_only=read_only, timeout=timeout)
        except sqlite3.Error as exc:
            raise store_error(self._label, exc) from exc
        try:
            apply_migrations(conn, label=self._label, read_only=read_only)
        except sqlite3.Error as exc:
            conn.close()
            raise store_error(self._label, exc) from exc
        except BaseException:
            conn.close()
            raise
        self._conn: sqlite3.Connection | None = conn
        self._checkpointer: Checkpointer | None = None

    def __repr__(self) -> str:
        mode = ", read_only=True" if self.read_only else ""
        return f"SQLiteStore({self._label!r}{mode})"

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """The open connection, under the lock, with sqlite3 errors translated."""
        with self._lock:
            if self._conn is None:
                raise StoreError(f"{self._label}: the store is closed")
            try:
                yield self._conn
            except sqlite3.Error as exc:
                raise store_error(self._label, exc) from exc
            except UnicodeEncodeError as exc:
                raise StoreError(
                    f"{self._label}: cannot store text that is not valid Unicode ({exc.reason})"
                ) from exc
            except OverflowError as exc:
                raise StoreError(f"{self._label}: a number is too large to store: {exc}") from exc

    # -- writing -------------------------------------------------------------

    def write(self, records: Sequence[Record]) -> WriteResult:
        """Store movies, reviews and problems in one transaction.

        Parameters
        ----------
        records:
            Any mix of :class:`Movie`, :class:`Review` and :class:`Problem`.

        Returns
        -------
        WriteResult
            What changed; reviews already stored count as existing.

        Raises
        ------
        StoreError
            Read-only store, locked database, or a constraint failed (then
            nothing of this batch is stored).
        TypeError
            A record of another type.
        """
        if not records:
            if self.read_only:
                raise StoreError(f"{self._label}: the store was opened read-only; cannot write")
            return WriteResult()
        return self._write(lambda conn: write_batch(conn, records, label=self._label))

    # -- movies --------------------------------------------------------------

    def list_movies(
        self,
        *,
        sort: MovieSort = "title",
        descending: bool = False,
        group: str | None = None,
        limit: int | None = None,
    ) -> list[MovieSummary]:
        """Movies with review counts and mean given rating.

        Parameters
        ----------
        sort:
            ``title``, ``year``, ``reviews``, ``rating`` (mean given rating)
            or ``imdb_rating``; movies without the value come last.
        descending:
            Reverse the order.
        group:
            Only movies in this crawler group.
        limit:
            At most this many movies (``None`` = all).

        Raises
        ------
        QueryError
            An unknown sort key or a negative limit.
        """
        with self._connection() as conn:
            return sqlite_movies.list_movies(
                conn, sort=sort, descending=descending, group=group, limit=limit
            )

    def find_movies(self, query: str) -> list[MovieSummary]:
        """Movies whose ``tt`` id is ``query`` (any case), else whose title has all its words.

        Returns
        -------
        list[MovieSummary]
            Ordered by title; empty when nothing matches.

        Example
        -------
        >>> SQLiteStore(":memory:").find_movies("nothing here")
        []
        """
        with self._connection() as conn:
            return sqlite_movies.find_movies(conn, query)

    def movie_stats(self, movie_id: str) -> MovieStats:
        """Counts, histogram and date range of one movie.

        The histogram maps 1..10 to the number of reviews whose given rating
        rounds (half up) to that point; all ten keys are present.

        Raises
        ------
        QueryError
            No such movie.
        """
        with self._connection() as conn:
            return sqlite_movies.movie_stats(conn, movie_id, label=self._label)

    # -- search and streaming ------------------------------------------------

    def search(self, query: SearchQuery, *, include_personal: bool = False) -> list[SearchHit]:
        """Full-text search over headline and text, best matches first.

        ``rank`` is the negated BM25 score: higher is better. ``snippet`` is
        about 24 words of the text around the matches, ``headline`` the whole
        headline; matches are wrapped in ``HIGHLIGHT_START``/``HIGHLIGHT_END``.

        Raises
        ------
        QueryError
            A malformed query text (unbalanced quote, only exclusions, no
            words), a limit outside 1..1000, a negative offset, or a minimum
            above its maximum.
        """
        fts5_match(query)  # a malformed query fails before touching the database
        with self._connection() as conn:
            return search_reviews(conn, query, include_personal=include_personal)

    def iter_reviews(
        self,
        *,
        movie_id: str | None = None,
        include_personal: bool = False,
        batch_size: int = 1000,
    ) -> Iterator[StoredReview]:
        """Stream stored reviews in id order, ``batch_size`` rows per query.

        No cursor stays open between batches, so the caller may write to
        the store while iterating.

        Raises
        ------
        QueryError
            ``batch_size`` below 1.
        """
        if batch_size < 1:
            raise QueryError(f"batch_size must be 1 or more, not {batch_size}")
        email, email_join = ("e.email", EMAIL_JOIN) if include_personal else ("NULL", "")
        sql = _REVIEWS_SQL.format(
            email=email,
            email_join=email_join,
            movie_filter="AND r.movie_id = ?" if movie_id is not None else "",
        )
        return self._iterate(sql, movie_id, batch_size)

    def _write(self, action: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``action`` in one write transaction."""
        if self.read_only:
            raise StoreError(f"{self._label}: the store was opened read-only; cannot write")
        with self._connection() as conn:
            checkpointer = self._checkpointer
            if checkpointer is not None:
                checkpointer.before_write()
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = action(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise
        if checkpointer is not None:
            checkpointer.nudge()
        return result

    @contextlib.contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Checkpoint the write-ahead log on a thread of its own while the block runs.

        For an ingest: the writer then never stops to copy its pages into the
        file (see :mod:`reelsense.store.sqlite_checkpoint`). Small writes (an
        analysis storing results) are better off without: the thread would
        sync the file after every commit. Nested blocks share one thread; an
        in-memory or read-only store needs none.
        """
        path = self.path
        started = False
        with self._lock:
            if self._checkpointer is None and path is not None and not self.read_only:
                with self._connection() as conn:
                    try:
                        self._checkpointer = Checkpointer(path, conn)
                        started = True
                    except sqlite3.Error as exc:  # the writer keeps checkpointing itself
                        log.debug("no background checkpoints for %s: %s", self._label, exc)
        try:
            yield
        finally:
            if started:
                self._stop_checkpointer()

    def _stop_checkpointer(self) -> None:
        with self._lock:
            checkpointer, self._checkpointer = self._checkpointer, None
        if checkpointer is not None:
            checkpointer.close()

    # -- analysis ------------------------------------------------------------

    def register_model(self, version: str, metadata_json: str) -> None:
        """Record a model version (once); it becomes the current one."""
        self._write(lambda conn: sqlite_analysis.register_model(conn, version, metadata_json))

    def current_model(self) -> str | None:
        """The most recently registered model version, or ``None``."""
        with self._connection() as conn:
            return sqlite_analysis.current_model(conn)

    def count_unscored(self, model_version: str) -> int:
        """Reviews with no analysis row for this model version."""
        with self._connection() as conn:
            return sqlite_analysis.count_unscored(conn, model_version)

    def iter_unscored(
        self, model_version: str, *, batch_size: int = 1000
    ) -> Iterator[list[StoredReview]]:
        """Batches of reviews not yet scored by ``model_version``, in id order."""
        if batch_size < 1:
            raise QueryError(f"batch_size must be 1 or more, not {batch_size}")
        last_id = 0
        while True:
            with self._connection() as conn:
                rows = conn.execute(
                    sqlite_analysis.UNSCORED_SQL, (last_id, model_version, batch_size)
                ).fetchall()
            if not rows:
                return
            yield [StoredReview(int(row["review_id"]), review_from_row(row)) for row in rows]
            last_id = int(rows[-1]["review_id"])

    def write_analysis(
        self, rows: Sequence[AnalysisRow], aspects: Sequence[AspectMention] = ()
    ) -> int:
        """Store analysis rows and their aspect mentions in one transaction."""
        if not rows and not aspects:
            return 0

        def write(conn: sqlite3.Connection) -> int:
            sqlite_analysis.write_aspects(conn, aspects)
            return sqlite_analysis.write_analysis(conn, rows)

        return self._write(write)

    def iter_movie_insight(
        self, movie_id: str, model_version: str | None, *, batch_size: int = 1000
    ) -> Iterator[ReviewInsight]:
        """Stream one movie's reviews with their analysis row and aspect mentions."""
        with self._connection() as conn:
            found = resolve_movie(conn, movie_id)
        if found is None:
            raise QueryError(f"{self._label}: no movie {movie_id!r} in the store")
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
        ids = [item.review_id for item in batch]
        with self._connection() as conn:
            analyses = sqlite_analysis.analysis_rows(conn, ids, model_version)
            aspects = sqlite_analysis.aspect_rows(conn, ids, model_version)
        return [
            ReviewInsight(
                item.review_id,
                item.review,
                analyses.get(item.review_id),
                tuple(aspects.get(item.review_id, ())),
            )
            for item in batch
        ]

    def sample_texts(self, limit: int, *, exclude_movie: str | None = None) -> list[str]:
        """Up to ``limit`` review texts spread evenly over the store."""
        with self._connection() as conn:
            return sqlite_analysis.sample_texts(conn, limit, exclude_movie)

    def movie_sentiment(self, movie_id: str, model_version: str) -> MovieSentiment:
        """Polarity counts and final-rating histograms of one movie's reviews."""
        with self._connection() as conn:
            return sqlite_analysis.movie_sentiment(conn, movie_id, model_version, label=self._label)

    def _iterate(self, sql: str, movie_id: str | None, batch_size: int) -> Iterator[StoredReview]:
        last_id = 0
        resolved: str | None = None
        if movie_id is not None:
            with self._connection() as conn:
                resolved = resolve_movie(conn, movie_id)
            if resolved is None:
                return
        while True:
            params: list[object] = [last_id]
            if resolved is not None:
                params.append(resolved)
            params.append(batch_size)
            with self._connection() as conn:
                rows = conn.execute(sql, params).fetchall()
            for row in rows:
                yield StoredReview(int(row["review_id"]), review_from_row(row))
            if len(rows) < batch_size:
                return
            last_id = int(rows[-1]["review_id"])

    # -- export (streaming everything, for ``reelsense db copy``; see sqlite_export) --

    def _read(self, action: Callable[[sqlite3.Connection], T]) -> T:
        with self._connection() as conn:
            return action(conn)

    def iter_movies(self, *, batch_size: int = 1000) -> Iterator[Movie]:
        """Every movie as records that rebuild it: one per group it is in, in id order."""
        if batch_size < 1:
            raise QueryError(f"batch_size must be 1 or more, not {batch_size}")
        return sqlite_export.iter_movies(self._read, batch_size)

    def iter_problems(self, *, batch_size: int = 1000) -> Iterator[Problem]:
        """Every recorded problem, oldest first."""
        if batch_size < 1:
            raise QueryError(f"batch_size must be 1 or more, not {batch_size}")
        return sqlite_export.iter_problems(self._read, batch_size)

    def models(self) -> list[RegisteredModel]:
        """Every registered model, oldest registration first (the last is current)."""
        return self._read(sqlite_export.models)

    def review_ids(self, keys: Sequence[str]) -> dict[str, int]:
        """The ids of the stored reviews among these :attr:`Review.key` values."""
        return self._read(lambda conn: sqlite_export.review_ids(conn, keys))

    def analysis_for(
        self, review_ids: Sequence[int]
    ) -> tuple[list[AnalysisRow], list[AspectMention]]:
        """Every analysis row and aspect mention of these reviews, all model versions."""
        return self._read(lambda conn: sqlite_export.analysis_for(conn, review_ids))

    def analysis_counts(self) -> AnalysisCounts:
        """How many models, analysis rows and aspect mentions are stored."""
        return self._read(sqlite_export.analysis_counts)

    # -- problems, totals, closing -------------------------------------------

    def problems(self, *, limit: int | None = None) -> list[Problem]:
        """Input problems recorded by earlier ingests, oldest first."""
        if limit is not None and limit < 0:
            raise QueryError(f"limit must be 0 or more, not {limit}")
        sql = "SELECT source_file, line, message FROM problems ORDER BY problem_id"
        params: tuple[int, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (limit,)
        with self._connection() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [Problem(row["source_file"], row["line"], row["message"]) for row in rows]

    def counts(self) -> StoreCounts:
        """Totals across the store."""
        with self._connection() as conn:
            row = conn.execute(
                "SELECT (SELECT COUNT(*) FROM movies) AS movies, "
                "(SELECT COUNT(*) FROM reviews) AS reviews, "
                "(SELECT COUNT(rating) FROM reviews) AS rated, "
                "(SELECT COUNT(*) FROM reviewer_emails) AS emails, "
                "(SELECT COUNT(*) FROM problems) AS problems, "
                "(SELECT COUNT(DISTINCT group_name) FROM movie_groups) AS groups"
            ).fetchone()
        return StoreCounts(*(int(row[i]) for i in range(6)))

    def close(self) -> None:
        """Close the connection; calling it again does nothing."""
        with self._lock:
            if self._conn is None:
                return
            self._stop_checkpointer()
            conn, self._conn = self._conn, None
            if not self.read_only:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("PRAGMA optimize")
            try:
                conn.close()
            except sqlite3.Error as exc:
                raise store_error(self._label, exc) from exc
