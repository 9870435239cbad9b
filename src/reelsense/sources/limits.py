"""Limits that keep hostile or broken inputs from exhausting time, memory or disk.

An archive can claim a member of many gigabytes, expand a few megabytes into
terabytes (a decompression bomb), hold millions of empty members; a folder
can hold a symlink loop or a link to a file elsewhere on the machine. The
readers check every input against one :class:`IngestLimits`; a limit that is
hit becomes a clear message naming the file, the limit and the option that
raises it, and the rest of the batch is still read.

The defaults are far above real corpora: the aclImdb archive (100,016
members, largest 2.4 MB, 216 MB uncompressed, ratio 3.8) is 5 to 25 times
below each of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from reelsense.errors import ConfigError, LimitError
from reelsense.records import Problem, Record

MIB = 1 << 20
GIB = 1 << 30

# Below this many uncompressed bytes the ratio is not checked: small members
# and the first blocks of a stream legitimately compress far better than text.
RATIO_FLOOR = 4 * MIB


@dataclass(frozen=True, slots=True)
class IngestLimits:
    """Upper bounds applied while discovering and reading inputs.

    Parameters
    ----------
    max_file_bytes:
        Largest crawler file or archive member read (it is parsed as one
        document). Tables are streamed row by row and not bound by it.
    max_archive_bytes:
        Most uncompressed bytes read from one archive; the archive stops there.
    max_ratio:
        Highest uncompressed/compressed ratio of an archive or zip member
        once past 4 MiB (text compresses 3-10x; zeros 1000x).
    max_files:
        Most members in one archive, or files in one folder tree.
    max_depth:
        Deepest folder level walked below a folder given on the command line.
    max_line_bytes:
        Longest line of a CSV/TSV/JSONL table.

    Raises
    ------
    ConfigError
        A limit is not a positive number.

    Example
    -------
    >>> IngestLimits(max_files=1000).max_files
    1000
    """

    max_file_bytes: int = 64 * MIB
    max_archive_bytes: int = 8 * GIB
    max_ratio: float = 100.0
    max_files: int = 500_000
    max_depth: int = 32
    max_line_bytes: int = 16 * MIB
    max_problems: int = 10_000

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            if not getattr(self, name) > 0:
                raise ConfigError(f"limit {name} must be positive, got {getattr(self, name)!r}")

    def check_file_size(self, path: str, size: int, subject: str = "file") -> None:
        """Raise :class:`LimitError` when a file or member of ``size`` bytes is too large.

        Example
        -------
        >>> IngestLimits(max_file_bytes=10).check_file_size("a.zip", 5, "member b.txt")
        """
        if size > self.max_file_bytes:
            raise LimitError(
                path,
                f"{subject} is {describe_bytes(size)}, over the limit of "
                f"{describe_bytes(self.max_file_bytes)} per file",
                "--max-file-bytes",
            )

    def check_ratio(
        self, path: str, produced: int, consumed: int, subject: str = "archive"
    ) -> None:
        """Raise :class:`LimitError` when ``consumed`` bytes expanded to too many ``produced``.

        Example
        -------
        >>> IngestLimits().check_ratio("a.tar.gz", 4000, 1000)
        """
        if produced > RATIO_FLOOR and produced > self.max_ratio * max(consumed, 1):
            raise LimitError(
                path,
                f"{subject} expands {produced / max(consumed, 1):,.0f} times "
                f"({describe_bytes(consumed)} to {describe_bytes(produced)}), over the "
                f"compression ratio limit of {self.max_ratio:g} (a decompression bomb?)",
                "--max-ratio",
            )

    def check_stream(self, path: str, produced: int, consumed: int) -> None:
        """Raise :class:`LimitError` when an archive expanded too far or too much.

        ``produced`` is the uncompressed bytes so far, ``consumed`` the
        compressed bytes they came from.

        Example
        -------
        >>> IngestLimits().check_stream("a.tar.gz", 4000, 1000)
        """
        self.check_total(path, produced)
        self.check_ratio(path, produced, consumed)

    def check_total(self, path: str, produced: int) -> None:
        """Raise :class:`LimitError` when an archive holds too many uncompressed bytes.

        Example
        -------
        >>> IngestLimits().check_total("a.zip", 4000)
        """
        if produced > self.max_archive_bytes:
            raise LimitError(
                path,
                f"archive holds more than {describe_bytes(self.max_archive_bytes)} "
                "uncompressed, the limit per archive",
                "--max-archive-bytes",
            )

    def check_files(self, path: str, count: int, noun: str = "files") -> None:
        """Raise :class:`LimitError` when an archive or folder holds more than ``max_files``.

        Example
        -------
        >>> IngestLimits(max_files=2).check_files("a.zip", 2, "members")
        """
        if count > self.max_files:
            raise LimitError(
                path,
                f"more than {self.max_files:,} {noun}, the limit per archive or folder",
                "--max-files",
            )


def cap_problems(records: Iterable[Record], path: str, limits: IngestLimits) -> Iterator[Record]:
    """Pass ``records`` through, raising :class:`LimitError` past ``max_problems`` problems.

    Example
    -------
    >>> list(cap_problems([Problem("a", 1, "bad")], "a", IngestLimits()))
    [Problem(source_file='a', line=1, message='bad', end_line=None)]
    """
    count = 0
    for record in records:
        if isinstance(record, Problem):
            count += 1
            if count > limits.max_problems:
                raise LimitError(
                    path,
                    f"more than {limits.max_problems:,} problems, the limit per input; stopped",
                    "--max-problems",
                )
        yield record


_UNITS = {"": 1, "K": 1 << 10, "M": MIB, "G": GIB, "T": 1 << 40}


def parse_size(text: str) -> int:
    """Read a byte count written ``1000``, ``64M``, ``64MiB``, ``1.5G`` or ``2GB`` (powers of 1024).

    Raises
    ------
    ConfigError
        The text is not a positive size.

    Example
    -------
    >>> parse_size("64M"), parse_size("1.5GiB"), parse_size("512")
    (67108864, 1610612736, 512)
    """
    cleaned = text.strip().upper().removesuffix("B").removesuffix("I")
    unit = cleaned[-1:] if cleaned[-1:] in _UNITS else ""
    number = cleaned[: len(cleaned) - len(unit)].strip()
    try:
        value = float(number) * _UNITS[unit]
    except ValueError:
        raise ConfigError(f"{text!r} is not a size (examples: 5000, 64M, 2G)") from None
    if not value >= 1:
        raise ConfigError(f"{text!r} is not a positive size")
    return int(value)


def format_size(size: int) -> str:
    """The shortest text :func:`parse_size` reads back as ``size``.

    Example
    -------
    >>> format_size(64 * MIB), format_size(8 * GIB), format_size(1000)
    ('64M', '8G', '1000')
    """
    for unit in ("T", "G", "M", "K"):
        if size % _UNITS[unit] == 0:
            return f"{size // _UNITS[unit]}{unit}"
    return str(size)


def describe_bytes(size: float) -> str:
    """A byte count for people: ``64.0 MiB``.

    Example
    -------
    >>> describe_bytes(3 * 1024 * 1024)
    '3.0 MiB'
    """
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")  # pragma: no cover
