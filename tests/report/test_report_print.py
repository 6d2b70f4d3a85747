"""The report prints well (headless Chromium, print media, the width of an A4 page less its margins):
nothing of the page (/bericht) or of the download (/bericht.html) reaches past the page's right edge,
where the paper cuts it off. The heat map was cut after "Alle Lebensphasen" (1153 px wide in 720)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
WIDTH = 700  # A4 (210 mm) less 2 x 12 mm margins (druck.css) at 96 px per inch, rounded down

_OVER = """() => {
  const w = document.documentElement.clientWidth, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > w + 1) out.push(el.tagName + ' ' + (el.textContent || '').trim().slice(0, 50));
  }
  return out;
}"""


def _need_browser():
    problem = None
    if not Path(CHROMIUM).exists():
        problem = f"{CHROMIUM} fehlt"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "das Paket playwright fehlt"
    if problem:
        if os.environ.get("INKO_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Browsertests verlangt (INKO_REQUIRE_BROWSER=1), aber {problem}.")
        pytest.skip(problem)


@pytest.fixture(scope="module")
def page(settings, store):
    """A print-media page whose requests the application answers directly (no server, no network)."""
    _need_browser()
    from fastapi.testclient import TestClient
    from playwright.sync_api import sync_playwright

    from inko_graph.server import create_app

    with TestClient(create_app(settings, store)) as client, sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        pg = b.new_page(viewport={"width": WIDTH, "height": 1000})
        pg.emulate_media(media="print")

        def answer(route):
            url = route.request.url
            if not url.startswith("http://bericht.test/"):
                return route.abort()
            r = client.get(url[len("http://bericht.test"):])
            route.fulfill(status=r.status_code, body=r.content,
                          headers={"content-type": r.headers.get("content-type", "text/html")})

        pg.route("**/*", answer)
        yield pg, client
        b.close()


@pytest.mark.parametrize("path", ["/bericht?gebiet=hattingen", "/bericht?gebiet=ennepe-ruhr-kreis", "/bericht.html?gebiet=hattingen"])
def test_nothing_reaches_past_the_page(page, path):
    pg, client = page
    if path.startswith("/bericht.html"):
        pg.set_content(client.get(path).text)  # the download is a file: shown as a saved file
    else:
        pg.goto("http://bericht.test" + path)
    assert pg.locator("table.heatmap").count() >= 1
    assert pg.evaluate(_OVER) == []
