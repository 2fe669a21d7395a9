"""The impact page in a real browser: reached from the navigation, charts beside tables,
axe-core clean, printed without the navigation and the CSV links; the HVD figure's rows lead
to the search, and an organisation's page in the steward area is clean too."""

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

STEWARD = "ilse"
PASSWORD = "wirkung-geheim-2025"


@pytest.fixture(scope="module")
def impact_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Store]]:
    settings, store = build_demo_with_steward(
        Path(tmp_path_factory.mktemp("impact-demo")), STEWARD, PASSWORD, {"umweltamt": Role.EDITOR}
    )
    yield settings, store
    store.close()


@pytest.fixture(scope="module")
def live_server(impact_demo: tuple[Settings, Store]) -> Iterator[str]:
    with served_catalog(*impact_demo) as address:
        yield address


def test_impact_page_is_reached_from_the_navigation_and_accessible(page: Page) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Wirkung"
    ).click()
    page.wait_for_url("**/wirkung")

    assert page.locator("h1").inner_text() == "Wirkung"
    figures = page.locator(".impact-figure")
    assert figures.count() == 10  # 7 on usage and holdings, 2 on quality, 1 on HVD
    for index in range(figures.count()):
        figure = figures.nth(index)
        assert figure.locator("svg[role=img]").count() == 1
        assert figure.locator("table, p").count() >= 1
        assert figure.locator(".csv-link a").get_attribute("href", timeout=1000)
    assert_accessible(page, "impact page")


def test_printed_impact_page_leaves_out_navigation_and_csv_links(page: Page) -> None:
    page.goto("/wirkung")
    page.emulate_media(media="print")

    assert not page.get_by_role("navigation", name="Hauptnavigation").is_visible()
    assert not page.locator(".csv-link").first.is_visible()
    assert page.locator(".impact-figure svg").first.is_visible()
    page.emulate_media(media="screen")
    assert page.locator(".csv-link").first.is_visible()


def test_hvd_rows_lead_to_the_search_for_their_datasets(page: Page) -> None:
    page.goto("/wirkung")
    figure = page.get_by_role("region", name="Hochwertige Datensätze (HVD) nach Kategorie")
    assert figure.get_by_role("img").count() == 1
    table = figure.get_by_role("table")
    assert table.locator("tbody tr").count() == 7  # all, and the regulation's six categories
    row = table.locator("tbody tr").filter(has_text="Mobilität")
    shown = int(row.locator("td").inner_text())
    assert shown >= 1
    row.get_by_role("link", name="Mobilität").click()
    page.wait_for_url(re.compile(r"/suche\?flag="))
    assert page.locator("main a[href^='/dataset/']").count() >= shown
    assert_accessible(page, "search from the impact page's HVD figure")


def test_quality_figures_show_the_trend_and_the_ratings(page: Page) -> None:
    page.goto("/wirkung")
    trend = page.get_by_role("region", name="Qualität der Beschreibungen über die Zeit")
    assert trend.get_by_role("img", name="Qualität der Beschreibungen über die Zeit").count() == 1
    assert trend.locator("tbody tr").count() >= 1  # at least this month's value
    ratings = page.get_by_role("region", name="Datensätze nach Qualitätsbewertung")
    assert ratings.locator("tbody tr").count() == 4
    assert ratings.locator(".csv-link a").get_attribute("href") == (
        "/wirkung/qualitaet-bewertungen.csv"
    )


def test_organisation_impact_page_is_accessible(page: Page) -> None:
    path = "/verwaltung/organisationen/umweltamt/wirkung"
    page.goto(path)
    page.get_by_label("Benutzername").fill(STEWARD)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(re.escape(path) + "$"))
    figures = page.locator(".impact-figure")
    assert figures.count() == 7  # without the catalog-wide portals and searches
    hvd = page.get_by_role("region", name="Hochwertige Datensätze (HVD) nach Kategorie")
    for link in hvd.get_by_role("link").all():
        href = link.get_attribute("href") or ""
        if "/suche" in href:
            assert "organization=umweltamt" in href
    assert_accessible(page, "an organisation's impact page")
