"""An organisation admin registers a webhook in a real browser, copies the secret shown once,
reads the delivery log after a failed and a successful delivery, redelivers an event, pauses
and resumes, and deletes it after a confirmation page; every page passes axe-core."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from catalog.models import RecordStatus, Role
from catalog.records import Actor, iter_records, withdraw_record
from catalog.settings import Settings
from catalog.store import Store
from harvesters.webhook_delivery import Deliverer
from tests.browser.axe import assert_accessible
from tests.conftest import build_demo_with_steward
from tests.servers import served_catalog

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

ADMIN = "wiebke"
PASSWORD = "webhook-geheim-1"


@pytest.fixture(scope="module")
def receiver() -> Iterator[tuple[str, list[int]]]:
    """Answers 500 to the first request, then 200; counts what it got."""
    answers = [500]
    got: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            got.append(1)
            self.send_response(answers.pop(0) if answers else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook", got
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Store]]:
    settings, store = build_demo_with_steward(
        Path(tmp_path_factory.mktemp("webhook-demo")), ADMIN, PASSWORD, {"umweltamt": Role.ADMIN}
    )
    webhooks = settings.webhooks.model_copy(update={"allowed_networks": ["127.0.0.1/32"]})
    yield settings.model_copy(update={"webhooks": webhooks}), store
    store.close()


@pytest.fixture(scope="module")
def live_server(catalog: tuple[Settings, Store]) -> Iterator[str]:
    settings, store = catalog
    with served_catalog(settings, store) as address:
        yield address


def _log_in(page: Page) -> None:
    page.goto("/verwaltung/anmelden")
    page.get_by_label("Benutzername").fill(ADMIN)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/verwaltung/$"))


def test_an_admin_registers_a_webhook_and_reads_its_delivery_log(
    page: Page, catalog: tuple[Settings, Store], receiver: tuple[str, list[int]]
) -> None:
    settings, store = catalog
    url, got = receiver
    _log_in(page)
    page.get_by_role("link", name="Webhooks").click()
    page.wait_for_url(re.compile(r"/verwaltung/webhooks$"))
    assert_accessible(page, "webhook list and form")

    page.get_by_label("Adresse (https://)").fill("https://10.0.0.7/intern")
    page.get_by_role("button", name="Adresse eintragen").click()
    assert "privaten oder lokalen Netz" in page.locator(".field:has(#field-url)").inner_text()
    assert page.locator("#field-url").get_attribute("aria-invalid") == "true"
    assert_accessible(page, "webhook form refusing a private address")

    page.get_by_label("Adresse (https://)").fill(url)
    page.get_by_label("Wofür? (z. B. Fachverfahren)").fill("Baustellenverfahren")
    page.get_by_role("button", name="Adresse eintragen").click()
    secret = page.get_by_label("Schlüssel", exact=True).input_value()
    assert secret.startswith("whsec_")
    assert_accessible(page, "new webhook with its secret")

    record = next(iter_records(store, statuses=(RecordStatus.PUBLISHED,)))
    withdraw_record(store, record.id, actor=Actor("test"))
    deliverer = Deliverer(store, settings, wait_for_backoff=False)
    assert deliverer.run_due().failed == 1
    page.goto("/verwaltung/webhooks")
    page.get_by_role("link", name=url).click()
    page.wait_for_url(re.compile(r"/verwaltung/webhooks/[0-9a-f-]+$"))
    assert page.get_by_label("Schlüssel", exact=True).count() == 0, "the secret is shown once"
    log_table = page.locator("#delivery-log + table")
    assert "HTTP 500" in log_table.inner_text() and "offen" in log_table.inner_text()
    assert_accessible(page, "webhook delivery log with a failure")

    assert deliverer.run_due().delivered == 1
    page.reload()
    assert "zugestellt" in log_table.inner_text()
    page.get_by_role("button", name=re.compile("Erneut zustellen")).first.click()
    assert "erneut zugestellt" in page.locator(".flashes").inner_text()
    assert deliverer.run_due().delivered == 1 and len(got) == 3

    page.get_by_role("button", name="Zustellungen pausieren").click()
    assert "pausiert" in page.get_by_role("alert").inner_text()
    assert_accessible(page, "paused webhook")
    page.get_by_role("button", name="Zustellungen fortsetzen").click()
    assert page.get_by_role("button", name="Zustellungen pausieren").count() == 1

    page.get_by_role("link", name="Adresse löschen …").click()
    page.wait_for_url(re.compile(r"/verwaltung/webhooks/[0-9a-f-]+/loeschen$"))
    assert "wird mit ihr gelöscht" in page.locator("main").inner_text()
    assert_accessible(page, "confirming a webhook's deletion")
    page.get_by_role("button", name="Endgültig löschen").click()
    page.wait_for_url(re.compile(r"/verwaltung/webhooks$"))
    assert "ist gelöscht" in page.locator(".flashes").inner_text()
    assert page.get_by_role("link", name=url).count() == 0
    assert_accessible(page, "webhook list after a deletion")
