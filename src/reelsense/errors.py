"""The reelsense error tree.

Every error the library raises on purpose derives from :class:`ReelsenseError`,
so a caller (the CLI, the web app) can catch one family and show one line::

    ReelsenseError
    ├── SourceError        an input file or archive cannot be read at all
    │   └── LimitError     an input is over a configured limit (size, ratio, count)
    ├── StoreError         the database cannot be opened, migrated or written
    │   ├── SchemaOutdatedError  opened read-only but its schema needs an upgrade
    │   └── QueryError     a search query or filter is malformed
    ├── ConfigError        contradictory or invalid options
    └── NotFittedError     a model is used before it was trained or loaded

Problems *inside* an input file that still let the rest be read are not
raised: readers yield them as :class:`reelsense.records.Problem` records.
"""

from __future__ import annotations


class ReelsenseError(Exception):
    """Base of every error reelsense raises on purpose."""


class SourceError(ReelsenseError):
    """An input cannot be read at all.

    The message names the file, the place (when known) and the problem:
    ``reviews.csv:42: rating 'ten' is not a number 0-10``.
    """

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        place = f"{path}:{line}" if line is not None else path
        super().__init__(f"{place}: {problem}")

    def __reduce__(self) -> tuple[type[SourceError], tuple[str, int | None, str]]:
        # pickled between the reader process and the writer (ingest --parallel)
        return (SourceError, (self.path, self.line, self.problem))


class LimitError(SourceError):
    """An input is over one of the :class:`~reelsense.sources.limits.IngestLimits`.

    ``option`` names the ``reelsense ingest`` option that raises the limit;
    the message ends with it: ``big.zip: member a.txt is 4.0 GiB, over the
    limit of 64.0 MiB per file (raise --max-file-bytes)``.
    """

    def __init__(self, path: str, problem: str, option: str) -> None:
        self.option = option
        self._limit_problem = problem
        super().__init__(path, None, f"{problem} (raise {option})")

    def __reduce__(self) -> tuple[type[LimitError], tuple[str, str, str]]:  # type: ignore[override]
        return (LimitError, (self.path, self._limit_problem, self.option))


class StoreError(ReelsenseError):
    """The database cannot be opened, migrated, read or written."""


class SchemaOutdatedError(StoreError):
    """A database opened read-only has an older schema that needs migrating first."""


class QueryError(StoreError):
    """A search query or a filter value is malformed."""


class ConfigError(ReelsenseError):
    """Options are invalid or contradict each other."""


class NotFittedError(ReelsenseError):
    """A model was used before ``fit`` or ``load``."""
