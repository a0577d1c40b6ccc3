"""End to end: `streamlit run` on a free port, Debian's chromium through Playwright, every page.

No browser is downloaded: Playwright drives /usr/bin/chromium. Screenshots land in the test's
tmp dir (printed on failure).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from dash_homes import APP

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
# url path -> (page title, selectors that must render on it)
PAGES = {
    "": ("Overview", ['[data-testid="stMetric"]', '[data-testid="stVegaLiteChart"]']),
    "episodes": ("Episodes", ['[data-testid="stDataFrame"]', "video", '[data-testid="stImage"]']),
    "experiments": ("Experiments", ['[data-testid="stVegaLiteChart"]']),
    "policy": ("Policy", ['[data-testid="stDataFrame"]', 'button:has-text("Save override")']),
    "budget": ("Budget & quotas", ['[data-testid="stVegaLiteChart"]']),
    "review": ("Review queue", ["text=Nothing waits for review"]),
}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.is_file(), reason="needs Debian's chromium"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dashboard(populated_home: Path, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    log = (tmp_path / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(APP), "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        env={**os.environ, "REELFORGE_HOME": str(populated_home)},
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert proc.poll() is None, (tmp_path / "streamlit.log").read_text()
            try:
                if httpx.get(f"{base}/_stcore/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        else:
            pytest.fail("streamlit did not become healthy in 60 s")
        yield base
    finally:
        os.kill(proc.pid, 15)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, 9)
            proc.wait()
        log.close()


def test_every_page_renders_in_chromium(dashboard: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    shots = tmp_path / "screenshots"
    shots.mkdir()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            for path, (title, selectors) in PAGES.items():
                page.goto(f"{dashboard}/{path}", wait_until="domcontentloaded")
                page.get_by_role("heading", name=title, exact=True).wait_for(timeout=45_000)
                for selector in selectors:
                    page.locator(selector).first.wait_for(state="attached", timeout=45_000)
                assert page.locator('[data-testid="stException"]').count() == 0, path
                nav = page.locator('[data-testid="stSidebarNav"]')
                assert nav.get_by_text("Budget & quotas").count() == 1
                page.wait_for_timeout(800)  # let charts finish drawing before the shot
                shot = shots / f"{path or 'overview'}.png"
                page.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 10_000
        finally:
            browser.close()
    print(f"screenshots in {shots}")
