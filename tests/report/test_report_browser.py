"""The report of the dev set in headless Chromium (Debian's build), opened from a file with the network blocked."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import SHARED


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium not found; install it with "
                                                         "'apt-get install chromium' to run the browser test")

# Pixels of the graph canvas that are not background: the drawn nodes, edges and labels.
PAINTED = """() => {
  const canvas = document.querySelector('#network canvas');
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i + 3] > 0 && pixels[i] + pixels[i + 1] + pixels[i + 2] < 600) painted++;
  }
  return painted;
}"""


def gold_secretaries() -> set[str]:
    names = set()
    for path in sorted((SHARED / "eval" / "dev" / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        names |= {r["head"] for r in gold["relations"] if r["label"] == "SECRETARY_OF"}
    return names


@pytest.fixture(scope="module")
def dev_report(dev_run):
    """The report ``extract`` wrote at the end of its run over the dev articles."""
    return dev_run / "report.html"


@pytest.fixture
def page(tmp_path):
    """A Chromium page that may load nothing but local files; JavaScript errors and requests are recorded."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")
    with sync_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True)
        context = browser.new_context(offline=True, viewport={"width": 1400, "height": 1000})
        requests, errors = [], []
        context.route(re.compile(r"^(?!file:|data:)"), lambda route: (requests.append(route.request.url),
                                                                       route.abort()))
        page = context.new_page()
        page.on("pageerror", lambda err: errors.append(f"page error: {err}"))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("request", lambda request: None if request.url.startswith(("file:", "data:"))
                else requests.append(request.url))
        yield page, errors, requests
        page.screenshot(path=tmp_path / "report.png", full_page=True)
        browser.close()


def test_report_browser_renders_the_dev_report_offline(dev_report, page, tmp_path):
    page, errors, requests = page
    html = dev_report.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\ssrc=|<link[^>]*\shref=|(src|href)=[\"']?(https?:)?//", html)
    page.goto(dev_report.as_uri())
    page.wait_for_selector("body[data-graph-ready]", timeout=60_000)
    drawn = page.evaluate("window.cadregraph.graph.nodes.length")
    assert drawn > 10
    assert len(page.evaluate("Object.keys(window.cadregraph.graph.network.getPositions())")) == drawn
    assert page.evaluate(PAINTED) > 1000
    total = page.evaluate("window.cadregraph.data.nodes.length")
    if total > drawn:  # the control draws the nodes left out at first
        page.click("#graph-more")
        assert page.evaluate("window.cadregraph.graph.nodes.length") == min(total, 2 * drawn)

    rows = page.locator("#officials-table tbody tr.official")
    people = rows.locator("td:first-child").all_inner_texts()
    assert gold_secretaries() <= set(people), gold_secretaries() - set(people)

    page.fill("#officials-filter", "陈洪勇")
    assert rows.count() == 1 and "青龙街道" in rows.first.inner_text()
    page.fill("#officials-filter", "no such official")
    assert rows.count() == 0
    page.fill("#officials-filter", "")
    assert rows.count() == len(people)
    page.click("#officials-table th[data-key=person]")
    ordered = rows.locator("td:first-child").all_inner_texts()
    assert ordered == sorted(people)

    # A row's evidence opens its article, the sentence highlighted in the text.
    page.fill("#officials-filter", "陈洪勇")
    rows.first.locator("button").click()
    page.locator("#officials-table tr.evidence-row a").first.click()
    page.wait_for_selector("#doc-view:not([hidden]) #evidence-hl")
    assert "陈洪勇" in page.inner_text("#evidence-hl")
    assert page.locator("#doc-view mark.ent").count() > 10

    page.fill("#graph-search", "青龙街道")
    page.press("#graph-search", "Enter")
    assert "青龙街道" in page.inner_text("#node-info")
    page.screenshot(path=tmp_path / "report-graph.png")
    assert errors == []
    assert requests == []
