"""Browser-test fixtures: Debian's Chromium, the demo on 127.0.0.1, a guarded page per test."""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from catalog.settings import Settings
from catalog.store import Store
from tests.browser.axe import AXE_SCRIPT
from tests.conftest import REPO, build_demo
from tests.servers import served
from web import create_app

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Page,
        Playwright,
        Response,
        Route,
        WebError,
        WebSocketRoute,
    )

logger = logging.getLogger(__name__)

REQUIRE_BROWSER_VARIABLE = "CATALOG_REQUIRE_BROWSER"
CHROMIUM_VARIABLE = "CATALOG_CHROMIUM"
DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts" / "browser"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
# The machine's network is closed: without these, Chromium's own background connections
# (updates, sync, QUIC probes) fail at every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Every page's own policy (web.security_headers): a test fails on a page without it, and on
# any violation of it, as Chromium reports it to the page (`securitypolicyviolation`).
REQUIRED_POLICY = ("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
WEAKENING_SOURCES = ("'unsafe-inline'", "'unsafe-eval'", "*")
_REPORT_VIOLATIONS = """document.addEventListener('securitypolicyviolation', (event) => {
  window.reportPolicyViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || 'inline code'}` +
    ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`);
});"""
# Chromium logs this for any document answered with an error status; a test that opens an
# error page on purpose sees the status itself, so for such documents it is not a page error.
ERROR_STATUS_MESSAGE = "Failed to load resource: the server responded with a status of"


def _missing(reason: str) -> None:
    """Skip for want of a browser part, or fail where CI has promised every part."""
    if os.environ.get(REQUIRE_BROWSER_VARIABLE) == "1":
        pytest.fail(f"{REQUIRE_BROWSER_VARIABLE}=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    """Debian's Chromium, or the one $CATALOG_CHROMIUM names; never a downloaded build."""
    configured = os.environ.get(CHROMIUM_VARIABLE)
    path = Path(configured) if configured else DEFAULT_CHROMIUM
    if not (path.is_file() and os.access(path, os.X_OK)):
        _missing(
            f"browser tests need Chromium at {path} "
            f"(apt-get install chromium, or set {CHROMIUM_VARIABLE})"
        )
    return path


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE_SCRIPT.is_file():
        install = (
            "run `npm ci --no-audit --no-fund` (make test does)"
            if shutil.which("npm")
            else "npm is not on PATH: install Node.js and npm, then `npm ci --no-audit --no-fund`"
        )
        _missing(f"browser tests need axe-core at {AXE_SCRIPT.relative_to(REPO)}; {install}")
    return AXE_SCRIPT


@pytest.fixture(scope="session")
def playwright_api() -> Iterator[Playwright]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        _missing(f"browser tests need the playwright package ({error}): pip install -e '.[test]'")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session", autouse=True)
def browser_prerequisites(
    chromium_executable: Path, axe_script: Path, playwright_api: Playwright
) -> None:
    """Checked before the demo is harvested, so a missing part skips every test at once."""


@pytest.fixture(scope="session")
def browser(playwright_api: Playwright, chromium_executable: Path) -> Iterator[Browser]:
    launched = playwright_api.chromium.launch(
        executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
    )
    logger.info("Chromium %s from %s", launched.version, chromium_executable)
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def browser_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Store]]:
    """The demo catalog exactly as tests/conftest.py's `demo` builds it, but harvested once for
    every browser test module (the pages only read it)."""
    settings, store = build_demo(tmp_path_factory.mktemp("browser-demo"))
    yield settings, store
    store.close()


@pytest.fixture(scope="session")
def live_server(browser_demo: tuple[Settings, Store]) -> Iterator[str]:
    """The app on a real HTTP server on 127.0.0.1, as a visitor's browser meets it."""
    settings, store = browser_demo
    with served(create_app(settings, store=store)) as address:
        yield address


@dataclass
class PageWatch:
    """What the pages of one test did that the test did not ask for."""

    external_requests: list[str] = field(default_factory=list)
    console_errors: list[tuple[str, str]] = field(default_factory=list)
    error_documents: set[str] = field(default_factory=set)
    policy_violations: list[str] = field(default_factory=list)
    documents_without_policy: list[str] = field(default_factory=list)

    def guard_request(self, route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
            return
        self.external_requests.append(f"{route.request.method} {route.request.url}")
        route.abort("blockedbyclient")

    def guard_web_socket(self, socket: WebSocketRoute) -> None:
        if urlsplit(socket.url).hostname in LOCAL_HOSTS:
            socket.connect_to_server()
            return
        self.external_requests.append(f"WebSocket {socket.url}")
        socket.close()

    def note_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append((message.text, message.location.get("url", "")))

    def note_web_error(self, error: WebError) -> None:
        self.console_errors.append((f"uncaught {error.error}", ""))

    def note_response(self, response: Response) -> None:
        if not response.request.is_navigation_request():
            return
        if response.status >= 400:
            self.error_documents.add(response.url)
        policy = response.header_value("content-security-policy") or ""
        directives = {part.strip() for part in policy.split(";")}
        weakened = any(source in policy.split() for source in WEAKENING_SOURCES)
        if weakened or not all(required in directives for required in REQUIRED_POLICY):
            self.documents_without_policy.append(f"{response.url}: {policy or 'no policy'}")

    def note_policy_violation(self, source: object, description: str) -> None:
        self.policy_violations.append(description)

    def unexpected_console_errors(self) -> list[str]:
        return [
            f"{text} ({url})" if url else text
            for text, url in self.console_errors
            if not (text.startswith(ERROR_STATUS_MESSAGE) and url in self.error_documents)
        ]

    def problems(self) -> list[str]:
        problems = [f"request to another host: {request}" for request in self.external_requests]
        problems += [f"console error: {error}" for error in self.unexpected_console_errors()]
        problems += [f"CSP violation: {violation}" for violation in self.policy_violations]
        problems += [f"no strict CSP: {document}" for document in self.documents_without_policy]
        return problems


def watched_context(browser: Browser, live_server: str) -> tuple[BrowserContext, PageWatch]:
    """A fresh German context on the live server whose pages the watch observes."""
    context = browser.new_context(base_url=live_server, locale="de-DE", service_workers="block")
    context.set_default_timeout(10_000)
    watch = PageWatch()
    context.route("**/*", watch.guard_request)
    context.route_web_socket("**/*", watch.guard_web_socket)
    context.on("console", watch.note_console)
    context.on("weberror", watch.note_web_error)
    context.on("response", watch.note_response)
    context.expose_binding("reportPolicyViolation", watch.note_policy_violation)
    context.add_init_script(_REPORT_VIOLATIONS)
    return context, watch


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Browser, live_server: str) -> Iterator[Page]:
    """A fresh German context per test, with relative URLs on the live server. After the test
    (passed or failed) a full-page screenshot is kept under test-artifacts/browser/, and the
    test fails if anything was requested from another host, the console showed an error, a
    document came without its strict Content-Security-Policy or anything violated it."""
    context, watch = watched_context(browser, live_server)
    opened = context.new_page()
    try:
        yield opened
    finally:
        _save_screenshot(opened, request.node)
        context.close()
    problems = watch.problems()
    if problems:
        pytest.fail(
            "the page did what no public page may:\n" + "\n".join(f"  - {p}" for p in problems),
            pytrace=False,
        )


def _save_screenshot(page: Page, node: pytest.Item) -> None:
    from playwright.sync_api import Error as PlaywrightError

    path = ARTIFACTS / _screenshot_name(node)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=path, full_page=True)
    except PlaywrightError as error:
        logger.warning("no screenshot of %s: %s", node.nodeid, error)
        return
    logger.info("screenshot of %s: %s", node.nodeid, path)


def _screenshot_name(node: pytest.Item) -> str:
    """Module and test name, so that equal test names in two modules keep both pictures."""
    test_name = re.sub(r"[^\w.-]+", "-", node.name).strip("-")
    return f"{Path(node.path).stem}.{test_name}.png"
