"""Screenshot of a report for the README: the graph with one official's details, and the officials table.

    .venv/bin/cadregraph extract examples -o outputs
    .venv/bin/python docs/screenshot.py outputs/report.html docs/report.png [--find NAME]

Needs Debian's Chromium (``apt-get install chromium``, plus ``fonts-wqy-microhei`` for Chinese text).
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--find", help="the node to select in the graph (default: the best supported official)")
    parser.add_argument("--width", type=int, default=1100)
    parser.add_argument("--height", type=int, default=820)
    args = parser.parse_args()
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=shutil.which("chromium"))
        page = browser.new_page(viewport={"width": args.width, "height": args.height}, device_scale_factor=1)
        page.goto(args.report.resolve().as_uri())
        page.wait_for_selector("body[data-graph-ready]", timeout=60_000)
        page.fill("#graph-search", args.find or page.evaluate("window.cadregraph.data.officials[0].person"))
        page.press("#graph-search", "Enter")
        page.wait_for_timeout(800)
        page.evaluate("window.cadregraph.graph.network.fit()")  # the whole graph, the node still selected
        page.evaluate("document.getElementById('graph').scrollIntoView()")
        page.evaluate("window.scrollBy(0, -60)")
        page.wait_for_timeout(300)
        page.screenshot(path=args.png)
        browser.close()


if __name__ == "__main__":
    main()
