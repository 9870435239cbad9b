"""Headless Chromium through Playwright, for tests that look at pages as a person would.

Uses Debian's ``/usr/bin/chromium`` (never a downloaded browser); tests skip
with a reason when it or Playwright is missing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class PageWatch:
    """A page plus what it logged and requested."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def remote_requests(self) -> list[str]:
        """Requests that left the page's own origin (file:, data: and about: are local)."""
        local = ("file:", "data:", "about:", "blob:")
        return [url for url in self.requests if not url.startswith(local)]

    def remote_from(self, origin: str) -> list[str]:
        """Requests that went anywhere but ``origin`` (a served app's own address)."""
        return [url for url in self.remote_requests() if not url.startswith(origin)]


def chromium_path() -> str:
    found = shutil.which("chromium")
    if not found and os.environ.get("CI") == "true":
        pytest.fail("Chromium missing in CI: .ci/run must install Debian's chromium")
    if not found:
        pytest.skip("Chromium not installed (Debian package 'chromium'; .ci/run installs it)")
    return found


@pytest.fixture
def browser_page() -> Iterator[PageWatch]:
    """A fresh headless Chromium page that records console errors and requests."""
    executable = chromium_path()
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        watch = PageWatch(page)
        page.on(
            "console",
            lambda msg: watch.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda exc: watch.console_errors.append(str(exc)))
        page.on("request", lambda request: watch.requests.append(request.url))
        try:
            yield watch
        finally:
            browser.close()
