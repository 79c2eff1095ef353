"""Real-browser tests: Playwright driving Debian's Chromium (found on the PATH).

Playwright cannot download its own browser on these machines, so the tests use the `chromium`
package (.ci/run installs it). Without it they are skipped, so `make test` still passes on a
machine with nothing but Python and make.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Without these flags Chromium tries the (closed) network and stalls.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

# Playwright's sync API runs an event loop in this thread; the test's own database calls are
# ordinary synchronous calls, which Django would otherwise refuse inside a running loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


VIEWPORTS = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 900},
}


@pytest.fixture(params=sorted(VIEWPORTS))
def viewport_name(request):
    return request.param


@pytest.fixture
def browser_context_args(browser_context_args, viewport_name):
    return {**browser_context_args, "viewport": VIEWPORTS[viewport_name]}


@pytest.fixture
def page(page):
    """pytest-playwright's page, recording console errors, page errors and failed requests."""
    page.errors = []

    def console(message):
        if message.type == "error":
            page.errors.append(f"console: {message.text}")

    def response(response):
        if response.status >= 400:
            page.errors.append(f"HTTP {response.status}: {response.url}")

    page.on("console", console)
    page.on("pageerror", lambda error: page.errors.append(f"page error: {error}"))
    page.on("response", response)
    return page


@pytest.fixture
def screenshot(page, viewport_name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name):
        path = SCREENSHOTS / f"{name}-{viewport_name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
