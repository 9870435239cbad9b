"""Reader for the Large Movie Review Dataset v1.0 (``aclImdb``) layout.

The layout (Maas et al., 2011)::

    aclImdb/{train,test}/{pos,neg}/ID_RATING.txt   labelled reviews, rating 1-4 or 7-10
    aclImdb/train/unsup/ID_0.txt                   unlabelled reviews (no rating)
    aclImdb/{train,test}/urls_{pos,neg}.txt        line ID is the IMDb URL of review ID
    aclImdb/train/urls_unsup.txt

It is read from the extracted folder or straight from the ``.tar.gz``. In the
published archive the ``urls_*.txt`` members come *after* the reviews they
describe, so an archive is read in two streaming passes: the first keeps only
the URL lists (a few MB) and is read lazily beside the second, which reads the
reviews: only as far as the list the next review needs (see
:mod:`reelsense.sources.aclimdb_urls`). Review texts are never held together
in memory.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from reelsense.errors import ConfigError, LimitError, SourceError
from reelsense.records import Movie, Problem, Record, Review
from reelsense.sources.aclimdb_urls import UrlScan
from reelsense.sources.archives import ArchiveMember, ArchiveReader, scan_tar
from reelsense.sources.limits import IngestLimits
from reelsense.sources.links import link_refusal
from reelsense.text.normalize import normalize_text
from reelsense.text.ratings import extract_stated_rating

logger = logging.getLogger(__name__)

SPLITS = ("train", "test", "unsup")
"""The dataset's splits: ``unsup`` is ``train/unsup`` (unlabelled)."""

_TT_RE = re.compile(r"tt\d+")
# Bounded digit runs: ``int`` refuses strings of over 4300 digits.
_REVIEW_RE = re.compile(r"(?:^|/)(train|test)/(pos|neg|unsup)/(\d{1,9})_(\d{1,9})\.txt$")
_IN_FOLDER_RE = re.compile(r"(?:^|/)(train|test)/(pos|neg|unsup)/[^/.][^/]*$")
_NOT_A_REVIEW = "not an aclImdb review file name (ID_RATING.txt); skipped"
_URLS_RE = re.compile(r"(?:^|/)(train|test)/urls_(pos|neg|unsup)\.txt$")
_FILE_RE = re.compile(r"(\d{1,9})_(\d{1,9})\.txt$")

# (split name, folder, label folder)
_PARTS = (
    ("train", "train", "pos"),
    ("train", "train", "neg"),
    ("test", "test", "pos"),
    ("test", "test", "neg"),
    ("unsup", "train", "unsup"),
)


def _parts(splits: Iterable[str]) -> list[tuple[str, str, str]]:
    chosen = list(splits)
    unknown = [name for name in chosen if name not in SPLITS]
    if unknown:
        raise ConfigError(f"unknown aclImdb split(s) {unknown} (known: {', '.join(SPLITS)})")
    return [part for part in _PARTS if part[0] in chosen]


def find_aclimdb_root(path: Path) -> Path | None:
    """The folder holding ``train/`` and/or ``test/`` with ``pos``/``neg``, or ``None``.

    ``path`` may be that folder or its parent (which holds ``aclImdb/``).

    Example
    -------
    >>> find_aclimdb_root(Path("data"))  # doctest: +SKIP
    PosixPath('data/aclImdb')
    """
    for candidate in (path, path / "aclImdb"):
        for split in ("train", "test"):
            if (candidate / split / "pos").is_dir() or (candidate / split / "neg").is_dir():
                return candidate
    return None


class _Builder:
    """Turns one review file into records, yielding each movie once."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def build(
        self,
        *,
        split: str,
        folder: str,
        label: str,
        review_id: int,
        rating: int,
        data: bytes,
        urls: list[str] | None,
        source: str,
    ) -> Iterator[Record]:
        url = urls[review_id] if urls is not None and review_id < len(urls) else None
        found = _TT_RE.search(url) if url else None
        if found is None:
            yield Problem(source, None, f"no IMDb URL for review {review_id}; skipped")
            return
        movie_id = found.group(0)
        if movie_id not in self.seen:
            self.seen.add(movie_id)
            yield Movie(movie_id=movie_id, url=url)
        text = normalize_text(data.decode("utf-8", errors="replace"))
        yield Review(
            movie_id=movie_id,
            position=review_id,
            text=text,
            rating=float(rating) if label != "unsup" and 1 <= rating <= 10 else None,
            stated=extract_stated_rating(text),
            source_file=source,
            external_id=f"aclImdb/{folder}/{label}/{review_id}_{rating}",
            split=split,
            label=label if label != "unsup" else None,
        )


def _url_lines(data: bytes) -> list[str]:
    # Line i is review i's movie: split on line ends only (``str.splitlines``
    # also splits at U+2028, U+0085 and others, shifting every later review;
    # ``bytes.splitlines`` does not), and drop NULs, which PostgreSQL refuses.
    # A movie's URL repeats on every line of its reviews: each is decoded and
    # kept once, so a 50,000-line list costs little more than its movies.
    unique: dict[bytes, str] = {}
    lines: list[str] = []
    for raw in data.splitlines():
        line = unique.get(raw)
        if line is None:
            line = unique[raw] = raw.decode("utf-8", errors="replace").replace("\x00", "")
        lines.append(line)
    return lines


def read_aclimdb(path: Path, splits: Iterable[str] = SPLITS) -> Iterator[Record]:
    """Stream the movies and reviews of an aclImdb folder or archive.

    Parameters
    ----------
    path:
        The ``aclImdb`` folder (or its parent), or ``aclImdb_v1.tar.gz``
        (also ``.tgz``, ``.tar``, ``.zip``).
    splits:
        Which of ``"train"``, ``"test"``, ``"unsup"`` to read.

    Returns
    -------
    Iterator[Record]
        A :class:`Movie` (``movie_id`` and ``url``) the first time each IMDb
        id appears, then its reviews: ``position`` is the review's ID,
        ``external_id`` ``aclImdb/train/pos/123_9``, ``split``, ``label``
        (``"pos"``/``"neg"``, ``None`` for unsup) and ``rating`` (``None``
        for unsup).

    Raises
    ------
    SourceError
        The path holds no aclImdb layout, or the archive cannot be opened.
    ConfigError
        An unknown split is asked for.

    Example
    -------
    >>> reviews = read_aclimdb(Path("aclImdb"), splits=["test"])  # doctest: +SKIP
    """
    return AclImdbSource(path, splits).records()


class AclImdbSource:
    """An aclImdb folder or archive as a :class:`~reelsense.sources.base.Source`.

    ``limits`` bound file sizes and the archive's expansion and member count
    (default :class:`IngestLimits`); a file over them is reported and skipped.

    Example
    -------
    >>> source = AclImdbSource(Path("aclImdb_v1.tar.gz"), splits=["test"])  # doctest: +SKIP
    """

    def __init__(
        self, path: Path, splits: Iterable[str] = SPLITS, limits: IngestLimits | None = None
    ) -> None:
        self.path = path
        self.limits = limits if limits is not None else IngestLimits()
        self._parts = _parts(splits)
        self._progress = [0]
        self._files_read = 0
        self._size: int | None = None

    @property
    def size(self) -> int:
        """Bytes on disk: the archive, or the review files of the chosen splits."""
        if self._size is None:
            self._size = self._measure()
        return self._size

    @property
    def position(self) -> int:
        """Bytes read so far (compressed bytes for an archive)."""
        return self._progress[0]

    @property
    def files_read(self) -> int:
        """Review files read so far."""
        return self._files_read

    def _measure(self) -> int:
        if self.path.is_file():
            return self.path.stat().st_size
        root = find_aclimdb_root(self.path)
        total = 0
        if root is None:
            return 0
        for _, folder, label in self._parts:
            directory = root / folder / label
            if directory.is_dir():
                with os.scandir(directory) as entries:
                    total += sum(e.stat().st_size for e in entries if e.is_file())
        return total

    def records(self) -> Iterator[Record]:
        """Stream the dataset's records.

        Raises
        ------
        SourceError
            No aclImdb layout at the path, or the archive cannot be opened.
        """
        if self.path.is_dir():
            yield from self._folder_records()
        elif self.path.name.lower().endswith(".zip"):
            yield from self._zip_records()
        elif self.path.is_file():
            yield from self._tar_records()
        else:
            raise SourceError(str(self.path), None, "no such file or directory")

    def _wanted_review(self, name: str) -> tuple[str, str, str, int, int] | None:
        found = _REVIEW_RE.search(name)
        if found is None:
            return None
        folder, label = found.group(1), found.group(2)
        for split, part_folder, part_label in self._parts:
            if part_folder == folder and part_label == label:
                return split, folder, label, int(found.group(3)), int(found.group(4))
        return None

    def _in_chosen_folder(self, name: str) -> bool:
        """Whether a member is a file (not hidden) in a chosen review folder."""
        found = _IN_FOLDER_RE.search(name)
        return found is not None and any(
            (folder, label) == found.groups() for _, folder, label in self._parts
        )

    def _folder_records(self) -> Iterator[Record]:
        root = find_aclimdb_root(self.path)
        if root is None:
            raise SourceError(str(self.path), None, "no aclImdb train/ or test/ folder found")
        builder = _Builder()
        real_root = Path(os.path.realpath(root))  # links may only lead to files in here
        for split, folder, label in self._parts:
            directory = root / folder / label
            if not directory.is_dir():
                continue
            urls_path = root / folder / f"urls_{label}.txt"
            urls: list[str] | None = None
            if urls_path.is_file():
                problem = self._oversize(urls_path, urls_path.stat().st_size)
                if problem is not None:
                    yield problem
                else:
                    urls = _url_lines(urls_path.read_bytes())
            else:
                yield Problem(str(urls_path), None, "missing: reviews get no movie id")
            files: list[tuple[int, int, str]] = []
            with os.scandir(directory) as entries:
                for entry in entries:
                    found = _FILE_RE.fullmatch(entry.name)
                    if (
                        found
                        and entry.is_symlink()
                        and (refused := link_refusal(Path(entry.path), real_root)) is not None
                    ):
                        yield Problem(str(directory / entry.name), None, refused)
                    elif found and entry.is_file():
                        files.append((int(found.group(1)), int(found.group(2)), entry.name))
                    elif not entry.name.startswith("."):
                        reason = "not a readable file; skipped" if found else _NOT_A_REVIEW
                        yield Problem(str(directory / entry.name), None, reason)
            files.sort()
            for review_id, rating, name in files:
                file_path = directory / name
                try:
                    problem = self._oversize(file_path, file_path.stat().st_size)
                    if problem is not None:
                        yield problem
                        continue
                    data = file_path.read_bytes()
                except OSError as exc:
                    yield Problem(str(file_path), None, exc.strerror or "cannot read")
                    continue
                self._progress[0] += len(data)
                yield from builder.build(
                    split=split,
                    folder=folder,
                    label=label,
                    review_id=review_id,
                    rating=rating,
                    data=data,
                    urls=urls,
                    source=str(file_path),
                )
                self._files_read += 1

    def _oversize(self, path: Path, size: int) -> Problem | None:
        """A Problem for a file over the size limit (read whole, it would fill memory)."""
        try:
            self.limits.check_file_size(str(path), size)
        except LimitError as exc:
            return Problem(str(path), None, f"{exc.problem}; skipped")
        return None

    def _tar_records(self) -> Iterator[Record]:
        name = str(self.path)
        folders = {(folder, label) for _, folder, label in self._parts}
        scan = UrlScan(self.path, _URLS_RE, folders, _url_lines, self.limits)
        try:
            builder = _Builder()
            for item in scan_tar(self.path, self._in_chosen_folder, self._progress, self.limits):
                if isinstance(item, Problem):
                    yield item
                    continue
                member, data = item
                yield from self._member_records(builder, scan.urls, name, member, data)
            yield from scan.finish()
        finally:
            scan.close()

    def _member_records(
        self,
        builder: _Builder,
        urls: Callable[[tuple[str, str]], list[str] | None],
        archive: str,
        member: str,
        data: bytes,
    ) -> Iterator[Record]:
        wanted = self._wanted_review(member)
        if wanted is None:
            if self._in_chosen_folder(member):
                yield Problem(f"{archive}/{member}", None, _NOT_A_REVIEW)
            return
        split, folder, label, review_id, rating = wanted
        yield from builder.build(
            split=split,
            folder=folder,
            label=label,
            review_id=review_id,
            rating=rating,
            data=data,
            urls=urls((folder, label)),
            source=f"{archive}/{member}",
        )
        self._files_read += 1

    def _zip_records(self) -> Iterator[Record]:
        name = str(self.path)
        urls: dict[tuple[str, str], list[str]] = {}
        first = ArchiveReader(self.path, self.limits)
        try:
            for item in first.members():
                if isinstance(item, ArchiveMember):
                    found = _URLS_RE.search(item.name)
                    if found is not None:
                        urls[(found.group(1), found.group(2))] = _url_lines(item.stream.read())
        except SourceError as exc:
            raise SourceError(name, None, exc.problem) from exc
        if not urls:
            raise SourceError(name, None, "no aclImdb urls_*.txt members found")
        builder = _Builder()
        reader = ArchiveReader(self.path, self.limits)
        for item in reader.members():
            if isinstance(item, Problem):
                yield item
                continue
            if not self._in_chosen_folder(item.name):
                continue
            try:
                data = item.stream.read()
            except SourceError as exc:
                yield Problem(name, None, exc.problem)
                return
            self._progress[0] = reader.position
            yield from self._member_records(builder, urls.get, name, item.name, data)
