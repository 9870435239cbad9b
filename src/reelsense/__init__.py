"""reelsense: load, search and understand movie review corpora.

>>> from reelsense import open_store, discover, ingest
>>> store = open_store(":memory:")
"""

import logging

from reelsense.errors import (
    ConfigError,
    LimitError,
    NotFittedError,
    QueryError,
    ReelsenseError,
    SourceError,
    StoreError,
)
from reelsense.ingest import IngestReport, discover, ingest
from reelsense.records import Movie, Problem, Review, StatedRating
from reelsense.sources import ColumnMapping, IngestLimits, open_sources, parse_mapping
from reelsense.store import SQLiteStore, open_store
from reelsense.store.base import SearchHit, SearchQuery, Store
from reelsense.text.normalize import normalize_text
from reelsense.text.people import split_username
from reelsense.text.ratings import extract_stated_rating
from reelsense.text.sentences import repair_glued, split_sentences

__version__ = "0.1.0"

# A library leaves logging to its application: without this, Python's last-resort
# handler would print warnings the CLI already reports as problems.
logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "ColumnMapping",
    "ConfigError",
    "IngestLimits",
    "IngestReport",
    "LimitError",
    "Movie",
    "NotFittedError",
    "Problem",
    "QueryError",
    "ReelsenseError",
    "Review",
    "SQLiteStore",
    "SearchHit",
    "SearchQuery",
    "SourceError",
    "StatedRating",
    "Store",
    "StoreError",
    "__version__",
    "discover",
    "extract_stated_rating",
    "ingest",
    "normalize_text",
    "open_sources",
    "open_store",
    "parse_mapping",
    "repair_glued",
    "split_sentences",
    "split_username",
]
