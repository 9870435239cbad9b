"""Streaming iteration over the members of ``.zip``, ``.tar``, ``.tar.gz`` and ``.tgz`` files.

Members are read one after the other, never extracted to disk and never
held in memory together. Directories, links and device files are skipped;
a member whose name would escape the archive (``../x``, ``/etc/x``) is
reported as a :class:`~reelsense.records.Problem` and skipped.

Every archive is read under :class:`~reelsense.sources.limits.IngestLimits`:
a member over the size limit is skipped with a ``Problem``; an archive that
expands past the total or ratio limit (a decompression bomb) or holds too
many members stops with a ``Problem``; a zip whose directory lists too many
members is not opened (its directory alone would fill memory).

An archive that cannot be opened raises :class:`~reelsense.errors.SourceError`.
An archive found to be corrupt part-way through yields a ``Problem`` and
ends; what was read before stays read. Reading a member's stream may raise
``SourceError`` when the damage is inside that member's data: the caller
reports it and stops (see :func:`iter_members`).
"""

from __future__ import annotations

import logging
import stat
import struct
import tarfile
import types
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

from reelsense.errors import LimitError, SourceError
from reelsense.records import Problem
from reelsense.sources.limits import IngestLimits

_inflater: types.ModuleType
try:  # Intel ISA-L inflates gzip about 3x faster than zlib, behind zlib's own API
    from isal import isal_zlib

    _inflater = isal_zlib
except ImportError:  # pragma: no cover - platforms without an isal wheel
    _inflater = zlib

logger = logging.getLogger(__name__)

ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar")
"""File name endings read as archives."""

_INFLATE_ERRORS: tuple[type[Exception], ...] = (zlib.error, _inflater.error)
_STREAM_ERRORS: tuple[type[Exception], ...] = (*_INFLATE_ERRORS, EOFError)
_READ_ERRORS: tuple[type[Exception], ...] = (
    tarfile.TarError,
    zipfile.BadZipFile,
    *_INFLATE_ERRORS,
    EOFError,
    OSError,
)


def is_archive(path: Path) -> bool:
    """Tell whether ``path`` names an archive by its suffix.

    Parameters
    ----------
    path:
        Any path; the file is not opened.

    Returns
    -------
    bool
        ``True`` for ``.zip``, ``.tar``, ``.tar.gz`` and ``.tgz`` (any case).

    Example
    -------
    >>> is_archive(Path("corpus.tar.gz"))
    True
    """
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


@dataclass(frozen=True, slots=True)
class ArchiveMember:
    """One regular file inside an archive.

    ``stream`` is valid only until the next member is requested.
    """

    name: str
    size: int
    stream: BinaryIO


def safe_member_name(name: str) -> str | None:
    """Return the member name normalised to ``a/b/c``, or ``None`` if it escapes.

    Example
    -------
    >>> safe_member_name("./Group1/Movie0.txt"), safe_member_name("../x")
    ('Group1/Movie0.txt', None)
    """
    cleaned = name.replace("\\", "/") if "\\" in name else name
    if cleaned.startswith("/") or (len(cleaned) > 1 and cleaned[1] == ":"):
        return None
    parts = [part for part in cleaned.split("/") if part not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


_CHUNK = 1 << 20
# Compressed bytes fed to zlib at a time: a bomb expands 64 KiB to at most
# 64 MiB, and the output is taken out 1 MiB at a time (``max_length``).
_FEED = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b"


class _Unpacked:
    """The uncompressed bytes of a tar or tar.gz file, read forward only.

    Counts compressed bytes consumed and uncompressed bytes produced, and
    raises :class:`LimitError` as soon as the archive expands past the
    limits, so a bomb costs at most a few MiB of memory and
    ``max_archive_bytes`` of work. Other compressions (bz2, xz) pass through
    unchanged for :mod:`tarfile` to decompress.
    """

    def __init__(self, raw: BinaryIO, name: str, limits: IngestLimits, gzipped: bool) -> None:
        self._raw = raw
        self._name = name
        self._limits = limits
        self._inflate = _inflater.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
        self._pending = b""
        self._buf = b""
        self._off = 0
        self.consumed = 0
        self.produced = 0

    def _refill(self) -> bytes:
        if self._inflate is None:
            data = self._raw.read(_CHUNK)
            self.consumed += len(data)
        else:
            data = b""
            while not data and not self._inflate.eof:
                if not self._pending:
                    self._pending = self._raw.read(_FEED)
                    self.consumed += len(self._pending)
                    if not self._pending:
                        raise EOFError("compressed stream ends early")
                data = self._inflate.decompress(self._pending, _CHUNK)
                self._pending = self._inflate.unconsumed_tail
        self.produced += len(data)
        self._limits.check_stream(self._name, self.produced, self.consumed)
        return data

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` uncompressed bytes (fewer near the end); ``b""`` at the end."""
        if self._off >= len(self._buf):
            self._buf, self._off = self._refill(), 0
        if self._off == 0 and (size < 0 or size >= len(self._buf)):
            data, self._buf = self._buf, b""
            return data
        end = len(self._buf) if size < 0 else self._off + size
        data = self._buf[self._off : end]
        self._off += len(data)
        return data

    def close(self) -> None:
        self._raw.close()


def _zip_entry_count(path: Path) -> int | None:
    """Members listed in a zip's end record, read without loading its directory.

    ``None`` when no end record is found (then :mod:`zipfile` reports it).
    """
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, 2)
            start = max(0, size - (22 + 0xFFFF))
            handle.seek(start)
            tail = handle.read()
            found = tail.rfind(b"PK\x05\x06")
            if found < 0 or len(tail) < found + 22:
                return None
            count: int = struct.unpack("<H", tail[found + 10 : found + 12])[0]
            if count != 0xFFFF or found < 20 or tail[found - 20 : found - 16] != b"PK\x06\x07":
                return count
            # zip64: the locator before the end record points at the zip64 end record
            (offset,) = struct.unpack("<Q", tail[found - 12 : found - 4])
            handle.seek(offset)
            record = handle.read(56)
            if record[:4] != b"PK\x06\x06" or len(record) < 40:
                return None
            (count,) = struct.unpack("<Q", record[32:40])
            return count
    except (OSError, struct.error):
        return None


class _GuardedStream:
    """A member stream that turns decompression and format errors into SourceError."""

    def __init__(self, inner: IO[bytes], archive: str, member: str) -> None:
        self._inner = inner
        self._archive = archive
        self._member = member

    def _fail(self, exc: BaseException) -> SourceError:
        return SourceError(
            self._archive, None, f"corrupt archive while reading {self._member}: {exc}"
        )

    def _stop(self, exc: LimitError) -> SourceError:
        return SourceError(self._archive, None, f"{exc.problem}; stopped")

    def read(self, size: int = -1) -> bytes:
        try:
            return self._inner.read(size)
        except LimitError as exc:
            raise self._stop(exc) from exc
        except _READ_ERRORS as exc:
            raise self._fail(exc) from exc

    def readline(self, size: int = -1) -> bytes:
        try:
            return self._inner.readline(size)
        except LimitError as exc:
            raise self._stop(exc) from exc
        except _READ_ERRORS as exc:
            raise self._fail(exc) from exc

    def __iter__(self) -> Iterator[bytes]:
        while True:
            line = self.readline()
            if not line:
                return
            yield line

    def close(self) -> None:
        self._inner.close()


class _Skip(Exception):
    """A member over a limit: report it and go on with the next one."""

    def __init__(self, error: LimitError) -> None:
        super().__init__(str(error))
        self.error = error


class ArchiveReader:
    """Stream the regular-file members of one archive.

    Parameters
    ----------
    path:
        A ``.zip``, ``.tar``, ``.tar.gz`` or ``.tgz`` file.
    limits:
        Size, ratio and count limits (default :class:`IngestLimits`).

    Example
    -------
    >>> reader = ArchiveReader(Path("corpus.zip"))  # doctest: +SKIP
    >>> names = [m.name for m in reader.members() if isinstance(m, ArchiveMember)]  # doctest: +SKIP
    """

    def __init__(self, path: Path, limits: IngestLimits | None = None) -> None:
        self.path = path
        self.limits = limits if limits is not None else IngestLimits()
        self._position = 0
        self._counter: _Unpacked | None = None

    @property
    def size(self) -> int:
        """Bytes of the archive on disk."""
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    @property
    def position(self) -> int:
        """Bytes of the archive read so far (compressed)."""
        if self._counter is not None:
            return self._counter.consumed
        return self._position

    def members(self) -> Iterator[ArchiveMember | Problem]:
        """Yield each regular file member, or a Problem for a skipped or broken one.

        Raises
        ------
        SourceError
            The archive cannot be opened at all (missing, not an archive,
            corrupt header). Reading a yielded member's stream may also
            raise ``SourceError`` when its data is corrupt, or
            :class:`LimitError` when the archive expands past the limits.
        LimitError
            A zip lists more members than ``max_files``.
        """
        if self.path.name.lower().endswith(".zip"):
            yield from self._zip_members()
        else:
            yield from self._tar_members()

    def _zip_members(self) -> Iterator[ArchiveMember | Problem]:
        name = str(self.path)
        count = _zip_entry_count(self.path)
        if count is not None:
            self.limits.check_files(name, count, "members")
        try:
            archive = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise SourceError(name, None, f"cannot open zip archive: {exc}") from exc
        with archive:
            if count is None:
                self.limits.check_files(name, len(archive.filelist), "members")
            total = 0
            for info in archive.infolist():
                mode = info.external_attr >> 16
                if info.is_dir() or (stat.S_IFMT(mode) and not stat.S_ISREG(mode)):
                    self._position += info.compress_size
                    continue
                member = safe_member_name(info.filename)
                self._position += info.compress_size
                if member is None:
                    yield Problem(name, None, f"unsafe member name {info.filename!r} skipped")
                    continue
                try:
                    self._check_zip_member(info, member, total)
                except _Skip as skip:
                    yield Problem(name, None, f"{skip.error.problem}; skipped")
                    continue
                except LimitError as exc:
                    yield Problem(name, None, f"{exc.problem}; stopped")
                    return
                total += info.file_size
                try:
                    inner = archive.open(info)
                except _READ_ERRORS as exc:
                    yield Problem(name, None, f"corrupt archive at {member}: {exc}; stopped")
                    return
                with inner:
                    yield ArchiveMember(member, info.file_size, _GuardedStream(inner, name, member))  # type: ignore[arg-type]

    def _check_zip_member(self, info: zipfile.ZipInfo, member: str, total: int) -> None:
        """Check a zip member's sizes from its header, before inflating a byte.

        Raises ``_Skip`` for a member over the size or ratio limit, and
        :class:`LimitError` when the archive's total would pass its limit.
        """
        name = str(self.path)
        subject = f"member {member}"
        try:
            self.limits.check_file_size(name, info.file_size, subject)
            self.limits.check_ratio(name, info.file_size, info.compress_size, subject)
        except LimitError as exc:
            raise _Skip(exc) from exc
        self.limits.check_total(name, total + info.file_size)

    def _tar_members(self) -> Iterator[ArchiveMember | Problem]:
        name = str(self.path)
        try:
            raw = self.path.open("rb")
        except OSError as exc:
            raise SourceError(name, None, f"cannot open archive: {exc.strerror}") from exc
        with raw:
            gzipped = raw.read(2) == _GZIP_MAGIC
            raw.seek(0)
            unpacked = _Unpacked(raw, name, self.limits, gzipped)
            self._counter = unpacked
            # gzip is inflated by _Unpacked under the limits; bz2/xz by tarfile
            mode = "r|" if gzipped else "r|*"
            try:
                # closed by the ``with`` below; opening errors are translated here
                archive = tarfile.open(fileobj=unpacked, mode=mode)  # type: ignore[call-overload]  # noqa: SIM115
            except LimitError as exc:
                raise SourceError(name, None, exc.problem) from exc
            except _READ_ERRORS as exc:
                raise SourceError(name, None, f"cannot open tar archive: {exc}") from exc
            with archive:
                yield from self._tar_loop(archive, name)

    def _tar_loop(self, archive: tarfile.TarFile, name: str) -> Iterator[ArchiveMember | Problem]:
        iterator = iter(archive)
        count = 0
        while True:
            try:
                info = next(iterator)
            except StopIteration:
                return
            except LimitError as exc:
                yield Problem(name, None, f"{exc.problem}; stopped")
                return
            except _READ_ERRORS as exc:
                yield Problem(name, None, f"corrupt archive: {exc}; stopped")
                return
            count += 1
            try:
                self.limits.check_files(name, count, "members")
            except LimitError as exc:
                yield Problem(name, None, f"{exc.problem}; stopped")
                return
            if not info.isreg():
                continue
            member = safe_member_name(info.name)
            if member is None:
                yield Problem(name, None, f"unsafe member name {info.name!r} skipped")
                continue
            if info.size > self.limits.max_file_bytes:
                yield _oversize(name, member, info.size, self.limits)
                continue
            try:
                inner = archive.extractfile(info)
            except _READ_ERRORS as exc:
                yield Problem(name, None, f"corrupt archive at {member}: {exc}; stopped")
                return
            if inner is None:
                continue
            yield ArchiveMember(member, info.size, _GuardedStream(inner, name, member))  # type: ignore[arg-type]


def iter_members(
    path: Path, limits: IngestLimits | None = None
) -> Iterator[ArchiveMember | Problem]:
    """Yield the regular-file members of the archive at ``path``, streaming.

    Parameters
    ----------
    path:
        A ``.zip``, ``.tar``, ``.tar.gz`` or ``.tgz`` file.
    limits:
        Size, ratio and count limits (default :class:`IngestLimits`).

    Returns
    -------
    Iterator[ArchiveMember | Problem]
        Members in archive order; a member's ``stream`` must be read before
        asking for the next one.

    Raises
    ------
    SourceError
        The archive cannot be opened; or, from a member stream's ``read``,
        its data turned out corrupt.

    Example
    -------
    >>> names = [m.name for m in iter_members(Path("c.zip"))
    ...          if isinstance(m, ArchiveMember)]  # doctest: +SKIP
    """
    return ArchiveReader(path, limits).members()


_BLOCK = 512
_ZERO_BLOCK = bytes(_BLOCK)


class _TarBlocks:
    """Decompressed bytes of a ``.tar`` or ``.tar.gz`` file, read forward only."""

    def __init__(self, source: _Unpacked) -> None:
        self._source = source
        self._buf = bytearray()
        self._off = 0
        self.exhausted = False
        self.started = False

    @property
    def consumed(self) -> int:
        """Compressed bytes read from the file so far."""
        return self._source.consumed

    def _more(self) -> bool:
        if self.exhausted:
            return False
        data = self._source.read(_CHUNK)
        if not data:
            self.exhausted = True
            return False
        if self._off > _CHUNK:
            del self._buf[: self._off]
            self._off = 0
        self._buf += data
        return True

    def take(self, size: int) -> bytes | None:
        """The next ``size`` bytes, or ``None`` when fewer remain."""
        while len(self._buf) - self._off < size:
            if not self._more():
                return None
        data = bytes(self._buf[self._off : self._off + size])
        self._off += size
        return data

    def skip(self, size: int) -> bool:
        """Drop the next ``size`` bytes; ``False`` when fewer remain."""
        while len(self._buf) - self._off < size:
            size -= len(self._buf) - self._off
            self._buf.clear()
            self._off = 0
            if not self._more():
                return False
        self._off += size
        return True


def _octal(field: bytes) -> int:
    """A tar header number, or -1 when the field is not octal (a damaged header)."""
    text = field.rstrip(b"\0 ").strip()
    try:
        return int(text, 8) if text else 0
    except ValueError:
        return -1


def _pax_path(data: bytes) -> str | None:
    for record in data.split(b"\n"):
        _, _, body = record.partition(b" ")
        key, _, value = body.partition(b"=")
        if key == b"path":
            return value.decode("utf-8", errors="replace")
    return None


def scan_tar(
    path: Path,
    wanted: Callable[[str], bool],
    progress: list[int] | None = None,
    limits: IngestLimits | None = None,
) -> Iterator[tuple[str, bytes] | Problem]:
    """Yield ``(name, data)`` for the regular-file members of a tar whose name is wanted.

    A fast path for archives of many small files (aclImdb's 100k reviews):
    it parses ustar/GNU/pax headers itself and skips unwanted members without
    copying them, which is several times faster than :mod:`tarfile`'s
    per-member objects. Use :class:`ArchiveReader` for general archives.

    Parameters
    ----------
    path:
        A ``.tar``, ``.tar.gz`` or ``.tgz`` file.
    wanted:
        Called with each safe member name (``a/b/c.txt``); ``True`` reads it.
    progress:
        When given, ``progress[0]`` is kept at the compressed bytes read.
    limits:
        Size, ratio and count limits (default :class:`IngestLimits`): a
        wanted member over the size limit is skipped, an archive over the
        other limits stops, each with a :class:`Problem`.

    Raises
    ------
    SourceError
        The file cannot be opened or its first header is not a tar header.

    Example
    -------
    >>> for item in scan_tar(Path("a.tar.gz"), lambda n: n.endswith(".txt")):  # doctest: +SKIP
    ...     pass
    """
    name = str(path)
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise SourceError(name, None, f"cannot open archive: {exc.strerror}") from exc
    chosen = limits if limits is not None else IngestLimits()
    with raw:
        head = raw.read(2)
        raw.seek(0)
        blocks = _TarBlocks(_Unpacked(raw, name, chosen, gzipped=head == _GZIP_MAGIC))
        try:
            yield from _scan_blocks(blocks, name, wanted, progress, chosen)
        except LimitError as exc:
            yield Problem(name, None, f"{exc.problem}; stopped")
        except _STREAM_ERRORS as exc:
            if not blocks.started:
                raise SourceError(name, None, f"cannot read tar archive: {exc}") from exc
            yield Problem(name, None, f"corrupt archive: {exc}; stopped")


def _oversize(archive: str, member: str, size: int, limits: IngestLimits) -> Problem:
    """The Problem reported for a member over the size limit."""
    try:
        limits.check_file_size(archive, size, f"member {member}")
    except LimitError as exc:
        return Problem(archive, None, f"{exc.problem}; skipped")
    raise AssertionError(f"{member} is within the size limit")  # pragma: no cover


def _scan_blocks(
    blocks: _TarBlocks,
    name: str,
    wanted: Callable[[str], bool],
    progress: list[int] | None,
    limits: IngestLimits,
) -> Iterator[tuple[str, bytes] | Problem]:
    long_name: str | None = None
    first = True
    count = 0
    while True:
        header = blocks.take(_BLOCK)
        if progress is not None:
            progress[0] = blocks.consumed
        if header is None:
            if first:
                raise SourceError(name, None, "empty or unreadable tar archive")
            yield Problem(name, None, "archive ends without its end marker (truncated?)")
            return
        if header == _ZERO_BLOCK:
            return
        stored = _octal(header[148:156]) if header[148:156].strip(b"\0 ") else -1
        if sum(header) - sum(header[148:156]) + 8 * 32 != stored:
            if first:
                raise SourceError(name, None, "not a tar archive")
            yield Problem(name, None, "corrupt archive: bad tar header checksum; stopped")
            return
        first = False
        blocks.started = True
        count += 1
        limits.check_files(name, count, "members")
        size = _octal(header[124:136])
        if size < 0:
            yield Problem(name, None, "corrupt archive: bad member size; stopped")
            return
        kind = header[156:157]
        padded = (size + _BLOCK - 1) // _BLOCK * _BLOCK
        if kind in (b"L", b"x"):
            data = blocks.take(padded)
            if data is None:
                yield Problem(name, None, "archive ends inside a header (truncated)")
                return
            long_name = (
                data[:size].rstrip(b"\0").decode("utf-8", errors="replace")
                if kind == b"L"
                else _pax_path(data[:size])
            )
            continue
        if long_name is not None:
            member_name, long_name = long_name, None
        else:
            member_name = header[0:100].split(b"\0", 1)[0].decode("utf-8", errors="replace")
            if header[257:262] == b"ustar":
                prefix = header[345:500].split(b"\0", 1)[0].decode("utf-8", errors="replace")
                if prefix:
                    member_name = f"{prefix}/{member_name}"
        if kind not in (b"0", b"\0", b"7"):
            if not blocks.skip(padded):
                yield Problem(name, None, "archive ends inside a member (truncated)")
                return
            continue
        safe = safe_member_name(member_name)
        if safe is None:
            yield Problem(name, None, f"unsafe member name {member_name!r} skipped")
            if not blocks.skip(padded):
                return
            continue
        skip = not wanted(safe)
        if not skip and size > limits.max_file_bytes:
            skip = True
            yield _oversize(name, safe, size, limits)
        if skip:
            if not blocks.skip(padded):
                yield Problem(name, None, f"archive ends inside {safe} (truncated)")
                return
            continue
        data = blocks.take(padded)
        if data is None:
            yield Problem(name, None, f"archive ends inside {safe} (truncated)")
            return
        yield safe, data[:size]
