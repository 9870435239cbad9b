"""Builders of hostile inputs, cheap at any size (shared with ``benchmarks/attacks.py``).

Nothing here materialises a large input in memory: zeros are streamed into
the archive writers, and a huge file is a sparse file made by ``truncate``.
"""

from __future__ import annotations

import io
import os
import tarfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

GOOD_MOVIE = (
    "<movie>\n\t<title>Harbour Lights</title>\n"
    "\t<link>http://www.imdb.com/title/{tt}/</link>\n\t<year>1999</year>\n"
    "\t<generalScore>0.7</generalScore>\n"
    "\t<review>\n\t\t<date>2001-02-03</date>\n\t\t<username>wren</username>\n"
    "\t\t<score>0.8</score>\n\t\t<shortDescription>Warm</shortDescription>\n"
    "\t\t<fullReview>A warm harbour film. 8/10</fullReview>\n\t</review>\n</movie>\n"
)


def good_movie(tt: str) -> bytes:
    """A one-review crawler file for IMDb id ``tt``."""
    return GOOD_MOVIE.format(tt=tt).encode()


class Zeros(io.RawIOBase):
    """``size`` zero bytes, produced as they are read."""

    def __init__(self, size: int) -> None:
        self._left = size

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        count = self._left if size < 0 else min(size, self._left)
        self._left -= count
        return bytes(count)


def write_tar(path: Path, members: Mapping[str, bytes | int], mode: str = "w:gz") -> Path:
    """A tar whose members are bytes, or an int: that many zeros, streamed."""
    options = {"compresslevel": 1} if mode.endswith("gz") else {}
    with tarfile.open(path, mode, **options) as archive:  # type: ignore[call-overload]
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            if isinstance(content, int):
                info.size = content
                archive.addfile(info, Zeros(content))
            else:
                info.size = len(content)
                archive.addfile(info, io.BytesIO(content))
    return path


def write_zip(path: Path, members: Mapping[str, bytes | int]) -> Path:
    """A deflated zip whose members are bytes, or an int: that many zeros, streamed."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in members.items():
            if isinstance(content, int):
                with archive.open(name, "w", force_zip64=True) as out:
                    left = content
                    chunk = bytes(1 << 20)
                    while left > 0:
                        out.write(chunk[: min(left, len(chunk))])
                        left -= len(chunk)
            else:
                archive.writestr(name, content)
    return path


def write_many_tar(path: Path, count: int, content: bytes = b"") -> Path:
    """An uncompressed-then-gzipped tar of ``count`` tiny members, written fast.

    One header is built with :mod:`tarfile` and only its name and checksum
    are patched per member, so a million members take seconds.
    """
    template = tarfile.TarInfo("m/0000000.txt")
    template.size = len(content)
    header = bytearray(template.tobuf(format=tarfile.USTAR_FORMAT))
    padding = bytes(-len(content) % 512)
    with tarfile.open(path, "w:gz", compresslevel=1) as archive:
        out = archive.fileobj
        assert out is not None
        for number in range(count):
            header[0:13] = f"m/{number:07d}.txt".encode()
            header[148:156] = b"        "
            header[148:156] = b"%06o\0 " % sum(header)
            out.write(bytes(header) + content + padding)
        archive.offset = 0  # keep tarfile from padding: the end blocks follow
        out.write(bytes(1024))
    return path


def write_many_zip(path: Path, count: int, content: bytes = b"") -> Path:
    """A zip of ``count`` tiny stored members."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for number in range(count):
            archive.writestr(f"m/{number:07d}.txt", content)
    return path


def write_sparse(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that takes no disk space (zeros, no newline)."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def make_fifo(path: Path) -> Path:
    """A named pipe: opening it for reading blocks until a writer comes."""
    os.mkfifo(path)
    return path
