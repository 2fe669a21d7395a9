"""A steward in a real browser: logs in, runs the Tiefbauamt's demo source, waits for the job,
reads its report; the source, job, form, token and member pages pass axe-core's WCAG 2.1 AA
rules (no serious or critical violation)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from catalog.models import Role
from catalog.settings import Settings
from catalog.store import Store
from tests.browser.axe import assert_accessible
from tests.conftest import build_demo_with_steward
from tests.servers import served_catalog

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

STEWARD = "tina"
PASSWORD = "tiefbau-geheim-2025"
SOURCE = "tiefbauamt-dcat"
# Reloads of the source page while the job runs (the demo source takes about a second).
MAX_RELOADS = 120


@pytest.fixture(scope="module")
def steward_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Store]]:
    """A demo catalog of this module's own (it runs a harvest), with an admin of tiefbauamt."""
    settings, store = build_demo_with_steward(
        Path(tmp_path_factory.mktemp("steward-demo")), STEWARD, PASSWORD, {"tiefbauamt": Role.ADMIN}
    )
    yield settings, store
    store.close()


@pytest.fixture(scope="module")
def live_server(steward_demo: tuple[Settings, Store]) -> Iterator[str]:
    """This module's demo on 127.0.0.1; the `page` fixture opens its addresses."""
    with served_catalog(*steward_demo) as address:
        yield address


def _log_in(page: Page, start: str) -> None:
    page.goto(start)
    page.get_by_label("Benutzername").fill(STEWARD)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def test_a_steward_runs_a_source_and_reads_its_job_report(page: Page) -> None:
    _log_in(page, "/verwaltung/quellen")
    page.wait_for_url(re.compile(r"/verwaltung/quellen$"))
    assert page.get_by_role("heading", name="Tiefbau- und Verkehrsamt").is_visible()
    assert_accessible(page, "sources list")

    page.get_by_role("link", name=SOURCE).click()
    page.wait_for_url(re.compile(rf"/verwaltung/quellen/{SOURCE}$"))
    jobs_before = page.locator("table.jobs tbody tr").count()
    assert_accessible(page, "source page")

    page.get_by_role("button", name="Jetzt ernten").click()
    page.wait_for_url(re.compile(rf"/verwaltung/quellen/{SOURCE}$"))
    started = page.locator(".flashes").inner_text()
    found = re.search(r"Job (\d+)", started)
    assert found, started
    job_id = found.group(1)
    job_row = page.locator("table.jobs tbody tr", has=page.locator(f'a:text-is("#{job_id}")'))
    for _ in range(MAX_RELOADS):
        if "läuft" not in job_row.locator("td").nth(2).inner_text():
            break
        page.wait_for_timeout(500)
        page.reload()
    status = job_row.locator("td").nth(2).inner_text()
    assert status == "mit Fehlern in einzelnen Datensätzen", status
    assert page.locator("table.jobs tbody tr").count() == jobs_before + 1

    job_row.get_by_role("link", name=f"#{job_id}").click()
    page.wait_for_url(re.compile(rf"/verwaltung/jobs/{job_id}$"))
    assert page.locator("h1").inner_text() == f"Ernte {job_id} von {SOURCE}"
    assert page.locator(".error-item").count() >= 1
    assert "geschwindigkeitsbegrenzungen" in page.locator(".error-list").inner_text()
    assert page.locator("table.findings").first.is_visible()
    assert_accessible(page, "job page")

    page.get_by_label("Stufe").select_option("validate")
    page.get_by_label("Text in Meldung oder Kennung").fill("geschwindigkeit")
    page.get_by_role("button", name="Filtern").click()
    page.wait_for_url(re.compile(r"stage=validate"))
    assert page.locator(".error-item").count() == 1
    assert "passt zum Filter" in page.locator(".result-count").inner_text()
    assert_accessible(page, "job page, filtered")


def test_the_form_token_and_member_pages_are_accessible(page: Page) -> None:
    _log_in(page, "/verwaltung/quellen/neu?organization=tiefbauamt")
    page.wait_for_url(re.compile(r"/verwaltung/quellen/neu"))
    page.get_by_label("Name", exact=True).fill("Falscher Name")
    page.get_by_label("Adresse (URL)").fill("daten.musterstadt.example/catalog.ttl")
    page.get_by_role("button", name="Speichern").click()
    alert = page.get_by_role("alert")
    assert "2 Angaben müssen korrigiert werden" in alert.inner_text()
    assert page.locator("#field-name").get_attribute("aria-invalid") == "true"
    assert_accessible(page, "source form with validation errors")

    page.goto("/verwaltung/tokens")
    page.get_by_label("Wofür ist das Token?").fill("Browsertest")
    page.get_by_role("button", name="Token erstellen").click()
    secret = page.get_by_label("Token", exact=True).input_value()
    assert secret.startswith("sk_")
    assert page.get_by_role("row", name=re.compile("Browsertest")).is_visible()
    assert_accessible(page, "tokens page with a new token")

    page.goto("/verwaltung/organisationen/tiefbauamt/mitglieder")
    assert page.get_by_role("row", name=re.compile(STEWARD)).is_visible()
    assert_accessible(page, "members page")


def test_a_steward_creates_a_csw_source_with_its_options_and_tests_it_first(page: Page) -> None:
    _log_in(page, "/verwaltung/quellen/neu?organization=tiefbauamt")
    page.wait_for_url(re.compile(r"/verwaltung/quellen/neu"))
    page_size = page.get_by_label("Einträge je Abruf")
    assert page_size.is_hidden()  # a DCAT catalog, chosen at first, has no options
    page.get_by_label("Art der Quelle").select_option("csw")
    assert page_size.is_visible()
    assert page.get_by_label("Organisation im Portal").is_hidden()  # CKAN's, not shown
    page.get_by_label("Name", exact=True).fill("geodaten")
    page.get_by_label("Adresse (URL)").fill("http://127.0.0.1:9/csw")
    page.get_by_label("Auswahl (Constraint)").fill("opendata")
    page_size.fill("50")
    page.get_by_label("Nur Einträge mit offener Lizenz veröffentlichen").uncheck()
    assert_accessible(page, "source form with the csw options")

    page.get_by_role("button", name="Verbindung testen").click()
    page.wait_for_url(re.compile(r"/verwaltung/quellen/neu/testen$"))
    result = page.locator("section[aria-labelledby=probe]")
    # The demo's harvest rules refuse addresses in the internal network: said on the form.
    assert "darf der Katalog nicht abrufen" in result.inner_text()
    assert page_size.input_value() == "50" and page_size.is_visible()
    assert not page.get_by_label("Nur Einträge mit offener Lizenz veröffentlichen").is_checked()
    assert_accessible(page, "source form with a connection test's result")

    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(re.compile(r"/verwaltung/quellen/geodaten$"))
    facts = page.locator(".source-facts").inner_text()
    assert "Geodatenkatalog (CSW)" in facts and "opendata" in facts
    assert re.search(r"Einträge je Abruf\s+50", facts), facts
    assert_accessible(page, "source page with the csw options")


def test_the_connection_test_shows_its_result_on_the_source_page_and_a_reload_resends_nothing(
    page: Page,
) -> None:
    _log_in(page, f"/verwaltung/quellen/{SOURCE}")
    page.wait_for_url(re.compile(rf"/verwaltung/quellen/{SOURCE}$"))
    sent: list[tuple[str, str]] = []
    page.on("request", lambda request: sent.append((request.method, request.url)))

    page.get_by_role("button", name="Verbindung testen").click()
    page.wait_for_url(re.compile(rf"/verwaltung/quellen/{SOURCE}#probe$"))
    result = page.locator("section[aria-labelledby=probe]")
    assert "Die Verbindung funktioniert" in result.inner_text()
    assert_accessible(page, "source page with a connection test's result")
    posts = [url for method, url in sent if method == "POST"]
    assert len(posts) == 1 and posts[0].endswith(f"/verwaltung/quellen/{SOURCE}/testen")

    sent.clear()
    page.reload()
    page.wait_for_url(re.compile(rf"/verwaltung/quellen/{SOURCE}#probe$"))
    assert [method for method, _ in sent if method == "POST"] == []  # nothing re-sent
    assert page.get_by_role("button", name="Verbindung testen").is_visible()
