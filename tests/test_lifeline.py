"""A helper process tied with ``exit_with_parent`` ends when its parent is SIGKILLed.

Found by the crash-safety test: a killed ``reelsense analyze`` left its two
scoring workers (about 450 MB each) and the resource tracker running for
good, and a killed ``reelsense ingest --parallel`` its reader.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reelsense.lifeline import exit_with_parent

REPO = Path(__file__).resolve().parents[1]

# The parent: start one spawn child, print its pid, wait for it forever.
PARENT = """
import multiprocessing, sys
from tests.test_lifeline import helper_main
if __name__ == "__main__":
    child = multiprocessing.get_context("spawn").Process(
        target=helper_main, args=(sys.argv[1] == "tied",)
    )
    child.start()
    print(child.pid, flush=True)
    child.join()
"""


def helper_main(tied: bool) -> None:
    """The child: optionally tie itself to the parent, say so, then wait for work forever."""
    if tied:
        exit_with_parent()
    print("ready", flush=True)
    while True:
        time.sleep(1)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"  # a zombie has exited; only its reaper is missing


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize(("mode", "survives"), [("tied", False), ("untied", True)])
def test_helper_exits_when_its_parent_is_killed(mode: str, survives: bool) -> None:
    # "untied" shows the failure this guards against: the child outlives its parent.
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, mode], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    try:
        assert parent.stdout.readline().strip() == "ready"
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 15
        while _alive(child) and time.monotonic() < deadline and not survives:
            time.sleep(0.05)
        if survives:
            time.sleep(1)  # the tied child is gone well within this on a loaded machine
        assert _alive(child) is survives
    finally:
        if _alive(child):
            os.kill(child, signal.SIGKILL)
        parent.stdout.close()


def test_exit_with_parent_starts_no_watcher_in_a_main_process() -> None:
    exit_with_parent()
    assert "reelsense-lifeline" not in {thread.name for thread in threading.enumerate()}
