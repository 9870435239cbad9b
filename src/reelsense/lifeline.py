"""Helper processes that end when the process that started them dies.

A ``spawn`` child of :mod:`multiprocessing` outlives a parent killed with
``SIGKILL`` (or by the out-of-memory killer): a scoring worker or an ingest
reader then waits forever for work that never comes, holding its model or
its parsed chunks in memory. :func:`exit_with_parent` ties a child's life
to its parent's.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading

__all__ = ["exit_with_parent"]

logger = logging.getLogger(__name__)


def _wait_then_exit(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()  # returns when the parent's end of the spawn pipe closes
    # os._exit, not sys.exit: the main thread may be blocked on a queue whose
    # other end is gone, and atexit handlers could wait on it too.
    os._exit(1)


def exit_with_parent() -> None:
    """In a :mod:`multiprocessing` child, exit as soon as the parent process ends.

    Starts a daemon thread that waits on the parent's sentinel. Does nothing
    in a process that :mod:`multiprocessing` did not start.

    Example
    -------
    >>> exit_with_parent()  # in the main process: nothing happens
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    threading.Thread(
        target=_wait_then_exit, args=(parent,), name="reelsense-lifeline", daemon=True
    ).start()
    logger.debug("process %d exits when its parent %s does", os.getpid(), parent.pid)
