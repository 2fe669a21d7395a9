"""High-Value Datasets in a real browser: the stewards' HVD list with its category filter,
and the dataset form's HVD fieldset (opened groups, a category ticked by its label, saved as a
draft that comes back ticked), all clean under axe-core (WCAG 2.1 AA)."""

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

STEWARD = "hedda"
PASSWORD = "hvd-geheim-2025"
ROLES = {"umweltamt": Role.EDITOR, "tiefbauamt": Role.EDITOR, "statistikstelle": Role.EDITOR}


@pytest.fixture(scope="module")
def hvd_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Store]]:
    """A demo catalog of this module's own (it saves a dataset), with an editor of every
    department that has HVD datasets."""
    settings, store = build_demo_with_steward(
        Path(tmp_path_factory.mktemp("hvd-demo")), STEWARD, PASSWORD, ROLES
    )
    yield settings, store
    store.close()


@pytest.fixture(scope="module")
def live_server(hvd_demo: tuple[Settings, Store]) -> Iterator[str]:
    with served_catalog(*hvd_demo) as address:
        yield address


def _log_in(page: Page) -> None:
    page.goto("/verwaltung/")
    page.get_by_label("Benutzername").fill(STEWARD)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/verwaltung/$"))


def test_the_hvd_list_filters_by_category_and_is_accessible(page: Page, live_server: str) -> None:
    _log_in(page)
    page.get_by_role("link", name="HVD", exact=True).click()
    page.wait_for_url(re.compile(r"/verwaltung/hvd/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Hochwertige Datensätze (HVD)"
    all_rows = page.locator("tbody tr").count()
    assert all_rows >= 4
    assert_accessible(page, "HVD list")

    page.get_by_label("HVD-Kategorie").select_option(label="Mobilität")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_url(re.compile(r"kategorie="))
    rows = page.locator("tbody tr")
    assert 1 <= rows.count() < all_rows
    for index in range(rows.count()):
        assert "Mobilität" in rows.nth(index).locator("td").nth(1).inner_text()
    assert_accessible(page, "HVD list, one category")


def test_the_form_hvd_fieldset_ticks_a_category_by_its_label_and_is_accessible(
    page: Page, live_server: str
) -> None:
    _log_in(page)
    page.goto("/verwaltung/datensaetze/neu?organization=tiefbauamt")
    hvd = page.get_by_role("group", name="Hochwertiger Datensatz (HVD)")
    assert hvd.locator("summary").count() == 6
    assert_accessible(page, "dataset form, HVD groups closed")
    for summary in hvd.locator("summary").all():
        summary.click()  # opens every group, so axe sees every checkbox
    page.get_by_label("Adressen", exact=True).check()
    assert_accessible(page, "dataset form, HVD groups open")

    page.locator("#title_de").fill("Hausadressen Musterstadt")
    page.locator("#description_de").fill("Alle Hausadressen der Stadt mit Koordinaten.")
    page.get_by_label("Datenlizenz Deutschland Namensnennung 2.0").check()
    page.get_by_label("Zugangsadresse (URL)").fill("https://daten.musterstadt.example/adressen.csv")
    page.get_by_role("button", name="Als Entwurf speichern").last.click()
    page.wait_for_url(re.compile(r"/bearbeiten$"))
    assert page.get_by_label("Adressen", exact=True).is_checked()
    assert page.locator("details.hvd-group[open] summary").inner_text().startswith("Georaum")
    assert_accessible(page, "saved HVD draft")
