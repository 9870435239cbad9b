"""The first pass over an aclImdb archive, taken as far as needed: finding ``urls_*.txt``.

In the published archive each ``urls_*.txt`` member comes after the reviews
it describes, so a review cannot be given its movie until the archive has
been read past that member. :class:`UrlScan` reads a second stream of the
archive only as far as the URL list the caller asks for: reviews of the test
split wait for a quarter of the archive, not the whole of it, and by the time
the train lists are wanted the writer has batches queued to work through.
Only the URL lists are kept, a few MB.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from reelsense.errors import SourceError
from reelsense.records import Problem
from reelsense.sources.archives import scan_tar
from reelsense.sources.limits import IngestLimits

__all__ = ["UrlScan"]


class UrlScan:
    """Find an archive's URL lists, reading it lazily alongside the reviews.

    Parameters
    ----------
    path:
        The ``.tar`` / ``.tar.gz`` archive.
    pattern:
        Matches a URL-list member name; its two groups are the folder and
        the label (``train``, ``unsup``).
    keys:
        The ``(folder, label)`` lists wanted; others are not kept.
    parse:
        Turns a list's bytes into its lines.
    limits:
        The archive's limits, as for the reviews' pass.
    """

    def __init__(
        self,
        path: Path,
        pattern: re.Pattern[str],
        keys: set[tuple[str, str]],
        parse: Callable[[bytes], list[str]],
        limits: IngestLimits,
    ) -> None:
        self._path = path
        self._pattern = pattern
        self._keys = keys
        self._parse = parse
        self._found: dict[tuple[str, str], list[str]] = {}
        self._problems: list[Problem] = []
        self._scan: Iterator[tuple[str, bytes] | Problem] | None = scan_tar(
            path, lambda member: pattern.search(member) is not None, limits=limits
        )

    def urls(self, key: tuple[str, str]) -> list[str] | None:
        """The lines of ``key``'s URL list, reading on until it is found or the archive ends.

        Raises
        ------
        SourceError
            The archive cannot be read, or it holds no URL list at all.
        """
        while key not in self._found and self._step():
            pass
        if key in self._found:
            return self._found[key]
        self._check_found_any()
        return None

    def finish(self) -> list[Problem]:
        """Read to the end; the problems met on the way (e.g. a corrupt archive).

        Raises
        ------
        SourceError
            As for :meth:`urls`.
        """
        while self._step():
            pass
        self._check_found_any()
        return self._problems

    def close(self) -> None:
        """Stop reading (when the caller stops early)."""
        if self._scan is not None:
            self._scan.close()  # type: ignore[attr-defined]
            self._scan = None

    def _check_found_any(self) -> None:
        if not self._found:
            raise SourceError(str(self._path), None, "no aclImdb urls_*.txt members found")

    def _step(self) -> bool:
        """Read to the next URL list or problem; ``False`` at the end."""
        if self._scan is None:
            return False
        item = next(self._scan, None)
        if item is None:
            self._scan = None
            return False
        if isinstance(item, Problem):
            self._problems.append(item)
            return True
        found = self._pattern.search(item[0])
        if found is not None and (found.group(1), found.group(2)) in self._keys:
            self._found[(found.group(1), found.group(2))] = self._parse(item[1])
        return True
