"""What a walked tree may not lead to: link loops, links out of the tree, FIFOs and devices.

Shared by the folder walk of discovery and the aclImdb folder reader, so both
refuse the same things with the same words.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

__all__ = ["link_refusal", "special_kind"]


def special_kind(mode: int) -> str | None:
    """``"a FIFO"``, ``"a device"``, ... for what is neither a file nor a folder."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def link_refusal(path: Path, root: Path) -> str | None:
    """Why a symbolic link in a walked tree is not read, or ``None`` to read it.

    Links are followed only to regular files inside the tree: a link loop,
    a broken link, or a link leading elsewhere on the machine (``~/.ssh``,
    ``/dev/zero``) is refused. Linked folders are never walked.
    """
    try:
        target = Path(os.path.realpath(path, strict=True))
        mode = target.stat().st_mode
    except (OSError, RuntimeError) as exc:
        loop = isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP
        return "symbolic link loop; skipped" if loop else "broken symbolic link; skipped"
    if not target.is_relative_to(root):
        return (
            f"symbolic link to {target}, outside {root}; not followed "
            "(give that path on the command line to read it)"
        )
    if stat.S_ISDIR(mode):
        return None
    kind = special_kind(mode)
    return f"symbolic link to {kind}; skipped" if kind else None
