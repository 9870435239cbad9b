"""Dashboard screenshots for the README: docs/dashboard-movie.png, docs/dashboard-compare.png.

Fills a temporary database from examples/corpus (ingest + analyze with the
shipped model, through the library), starts ``reelsense serve`` on a free
loopback port and shoots the movie page of the original film of the first
group and that group's compare page with Playwright driving Debian's
/usr/bin/chromium (never a downloaded browser).

    .venv/bin/python scripts/screenshots.py [--out docs]
"""

from __future__ import annotations

import argparse
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from reelsense.analysis.scoring import default_model_dir
from reelsense.analyze import analyze
from reelsense.engines.local import LocalEngine
from reelsense.ingest import discover, ingest
from reelsense.store import open_store

REPO = Path(__file__).resolve().parents[1]
SERVE = "from reelsense.cli.serve import app; app(prog_name='reelsense')"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def fill(db: Path) -> tuple[str, str]:
    """Ingest and score the example corpus; the first group with two movies and its original."""
    sources, errors = discover([REPO / "examples" / "corpus"])
    with open_store(db) as store:
        ingest(sources, store, unreadable=errors)
        analyze(store, LocalEngine(default_model_dir(), workers=1))
        movies = store.list_movies()
        groups = sorted({g for m in movies for g in m.groups})
        for group in groups:
            members = store.list_movies(group=group)
            if len(members) >= 2:
                first = min(
                    members,
                    key=lambda m: store.movie_stats(m.movie_id).group_positions.get(group, 99),
                )
                return group, first.movie_id
    raise SystemExit("the example corpus has no group of two movies")


def serve(db: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, "--db", str(db), "--port", str(port)],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    origin = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if httpx.get(origin + "/api/problems", timeout=2).status_code == 200:
                return process, origin
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"server did not start; see {log}")


def shoot(origin: str, pages: dict[str, str], out: Path) -> None:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900}, device_scale_factor=1)
        for name, path in pages.items():
            page.goto(origin + path, wait_until="networkidle")
            charts = page.locator("div.chart[data-spec]").count()
            if charts:
                page.wait_for_selector(f"div.chart[data-rendered='true'] >> nth={charts - 1}")
            page.screenshot(path=str(out / name), full_page=True)
            print(f"wrote {out / name}")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "reviews.db"
        group, original = fill(db)
        process, origin = serve(db, Path(tmp) / "serve.log")
        try:
            shoot(
                origin,
                {
                    "dashboard-movie.png": f"/movies/{original}",
                    "dashboard-compare.png": f"/compare?group={group}",
                },
                args.out,
            )
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
