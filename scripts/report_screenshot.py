"""Write docs/report.png: the real-data report (seed + busiest aclImdb movies) in Chromium.

.venv/bin/python scripts/report_screenshot.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402
from tests.browser import CHROMIUM_ARGS  # noqa: E402
from tests.export.test_report_real import build_real_report  # noqa: E402

DATA = REPO.parent / "shared" / "data"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        report = build_real_report(
            DATA / "seed" / "000_02b5297a58df6d9a.txt",
            DATA / "aclImdb_v1.tar.gz",
            Path(tmp) / "r.db",
            Path(tmp) / "report.html",
        )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.goto(report.as_uri())
            page.screenshot(path=str(REPO / "docs" / "report.png"), full_page=False)
            browser.close()
    print("wrote docs/report.png")


if __name__ == "__main__":
    main()
