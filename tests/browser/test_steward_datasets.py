"""A steward in a real browser: logs in, creates a dataset with a violation, reads the German
message beside the field, fixes it, publishes, finds the dataset in the public search and in
/catalog.ttl, edits it and restores the earlier revision. The dashboard, list, form (empty and
with errors), record, revisions and comparison pages pass axe-core (no serious or critical
violation of WCAG 2.1 AA)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
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
    from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.browser

STEWARD = "ute"
PASSWORD = "umwelt-geheim-2025"
TITLE = "Baumpflanzungen 2025"
NAME = "baumpflanzungen-2025"


@pytest.fixture(scope="module")
def dataset_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Store]]:
    """A demo catalog of this module's own (it saves datasets), with an editor of umweltamt."""
    settings, store = build_demo_with_steward(
        Path(tmp_path_factory.mktemp("dataset-demo")), STEWARD, PASSWORD, {"umweltamt": Role.EDITOR}
    )
    yield settings, store
    store.close()


@pytest.fixture(scope="module")
def live_server(dataset_demo: tuple[Settings, Store]) -> Iterator[str]:
    """This module's demo on 127.0.0.1; the `page` fixture opens its addresses."""
    with served_catalog(*dataset_demo) as address:
        yield address


def _field(page: Page, field_id: str) -> Locator:
    """The .field box around one input: its label, hint, messages and the input."""
    return page.locator(f".field:has(#{field_id})")


def test_a_steward_creates_fixes_publishes_edits_and_restores_a_dataset(
    page: Page, live_server: str
) -> None:
    page.goto("/verwaltung/")
    page.get_by_label("Benutzername").fill(STEWARD)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/verwaltung/$"))
    assert_accessible(page, "dashboard")

    page.get_by_role("link", name="Neuer Datensatz").first.click()
    page.wait_for_url(re.compile(r"/verwaltung/datensaetze/neu\?organization=umweltamt"))
    assert_accessible(page, "empty dataset form")
    page.locator("#title_de").fill(TITLE)
    page.get_by_label("Schlagwörter", exact=True).fill("Bäume, Stadtgrün")
    page.get_by_label("Datenlizenz Deutschland Namensnennung 2.0").check()
    page.get_by_label("Zugangsadresse (URL)").fill(
        "https://daten.musterstadt.example/pflanzungen.csv"
    )
    page.get_by_label("Format").select_option(label="CSV")

    # Another row without JavaScript: the page comes back with what was typed and a new row.
    page.get_by_role("button", name="Weitere Distribution").click()
    assert page.locator("#distributions-1-access_url").input_value() == ""
    assert page.locator("#title_de").input_value() == TITLE
    page.get_by_role("button", name="Distribution 2 entfernen").click()
    assert page.locator("#distributions-1-access_url").count() == 0

    page.get_by_role("button", name="Veröffentlichen").click()
    summary = page.locator(".error-summary")
    assert summary.get_by_role("link", name=re.compile("Beschreibung")).is_visible()
    description = _field(page, "description_de")
    assert "Der Datensatz braucht eine Beschreibung" in description.inner_text()
    assert page.locator("#description_de").get_attribute("aria-invalid") == "true"
    assert_accessible(page, "dataset form with a violation")

    page.get_by_role("button", name="Als Entwurf speichern").last.click()
    page.wait_for_url(re.compile(rf"/verwaltung/datensaetze/{NAME}/bearbeiten$"))
    assert "Als Entwurf gespeichert" in page.locator(".flashes").inner_text()
    assert "Der Datensatz braucht eine Beschreibung" in _field(page, "description_de").inner_text()
    assert_accessible(page, "saved draft with its findings")

    page.locator("#description_de").fill("Alle 2025 gepflanzten Straßenbäume mit Art und Ort.")
    page.get_by_role("button", name="Veröffentlichen").click()
    page.wait_for_url(re.compile(rf"/verwaltung/datensaetze/{NAME}$"))
    assert "Gespeichert und veröffentlicht." in page.locator(".flashes").inner_text()
    assert page.get_by_text("Keine Verstöße und keine Hinweise.").is_visible()
    assert_accessible(page, "record page")

    page.goto("/suche?q=Baumpflanzungen")
    assert page.locator(".dataset-title a", has_text=TITLE).count() == 1
    turtle = page.request.get(
        f"{live_server}/catalog.ttl?modified_since={date.today().isoformat()}&page_size=1000"
    )
    assert turtle.ok and f"/dataset/{NAME}>" in turtle.text()

    page.goto(f"/verwaltung/datensaetze/{NAME}/bearbeiten")
    page.locator("#title_de").fill(f"{TITLE} im Stadtgebiet")
    page.get_by_role("button", name="Veröffentlichen").click()
    page.wait_for_url(re.compile(rf"/verwaltung/datensaetze/{NAME}$"))
    assert page.get_by_role("heading", level=1).inner_text() == f"{TITLE} im Stadtgebiet"

    page.get_by_role("link", name="Revisionen").click()
    assert page.locator("tbody tr").count() == 3
    assert_accessible(page, "revisions")
    page.get_by_role("link", name="Letzte Änderung ansehen").click()
    changes = page.locator(".changes").inner_text()
    assert "Titel" in changes and f"{TITLE} im Stadtgebiet" in changes
    assert_accessible(page, "comparison of two revisions")

    page.get_by_role("button", name="Revision 2 wiederherstellen").click()
    page.wait_for_url(re.compile(rf"/verwaltung/datensaetze/{NAME}$"))
    assert (
        "Revision 2 wiederhergestellt, als neue Revision 4" in page.locator(".flashes").inner_text()
    )
    assert page.get_by_role("heading", level=1).inner_text() == TITLE

    page.goto("/verwaltung/datensaetze?q=baumpflanzungen")
    assert page.locator("tbody tr").count() == 1
    assert_accessible(page, "dataset list")
