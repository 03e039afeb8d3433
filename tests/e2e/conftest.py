"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser) against a real server."""

import os
import shutil

import pytest

from tests.servers import running_server

CHROMIUM = os.environ.get("ALONGSIDE_CHROMIUM", "/usr/bin/chromium")

# Playwright's sync API runs an event loop in this thread; the ORM calls these tests make to set up data
# happen outside it, between browser steps, so Django's guard against async-unsafe calls can stand down.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# On a busy machine (CI's two cores running two test processes, each with a server and a browser) a page
# can take longer than Playwright's default 5 s to answer: `expect` waits up to 20 s. A bound, not a timing:
# a test never asserts how fast anything is.
try:
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)
except ImportError:  # no Playwright: the tests are skipped below
    pass


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: `scripts/ensure-chromium` installs Debian's")
    for item in items:
        if "e2e" in item.nodeid:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def _chromium():
    """One Chromium per test module (in each test process): starting it is a second or two."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser(_chromium):
    """The module's Chromium; every context (its pages, cookies and sockets) a test opens is closed after it,
    so each test starts as with a browser of its own."""
    yield _chromium
    for context in list(_chromium.contexts):
        context.close()


@pytest.fixture
def server(transactional_db):
    """An Alongside server (daphne) of the test's own, on the test database. The test's writes are committed
    (transactional_db), so the server reads them. It is stopped before the tables are emptied after the
    test: a server shared between tests could be in the middle of a request from a page (an autosave)
    while they are, and deadlock with the emptying on PostgreSQL."""
    with running_server() as base:
        yield base


def sign_in(context, base: str, email: str, password: str = "password-for-tests"):
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/clients/")
    return page
