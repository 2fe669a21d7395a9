"""The quality score in a real browser: the dataset page's badge and breakdown opened by
keyboard, the steward's worklist and CSV link, the dashboard's chart with its table; axe-core
clean, no inline style or script needed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from catalog.models import Role
from catalog.publication import public_records
from catalog.settings import Settings
from catalog.store import Store
from tests.browser.axe import assert_accessible
from tests.conftest import build_demo_with_steward
from tests.servers import served_catalog

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

STEWARD = "uwe"
PASSWORD = "umwelt-geheim-2025"


@pytest.fixture(scope="module")
def steward_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Store]]:
    settings, store = build_demo_with_steward(
        Path(tmp_path_factory.mktemp("quality-demo")), STEWARD, PASSWORD, {"umweltamt": Role.ADMIN}
    )
    yield settings, store
    store.close()


@pytest.fixture(scope="module")
def live_server(steward_demo: tuple[Settings, Store]) -> Iterator[str]:
    with served_catalog(*steward_demo) as address:
        yield address


def _log_in(page: Page, path: str) -> None:
    page.goto(path)
    page.get_by_label("Benutzername").fill(STEWARD)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(re.escape(path) + "$"))


def test_the_dataset_page_badge_opens_its_breakdown_by_keyboard(
    page: Page, steward_demo: tuple[Settings, Store]
) -> None:
    settings, store = steward_demo
    record = next(iter(public_records(store, settings)))
    page.goto(f"/dataset/{record.name}")
    section = page.get_by_role("region", name="Qualität der Beschreibung")
    badge = section.locator(".quality-badge")
    assert re.fullmatch(r"[\d,]+ von 405 Punkten · \w+", badge.inner_text().strip())
    table = section.get_by_role("table", name="Punkte je Kriterium")
    assert not table.is_visible()
    section.get_by_text("Einzelne Kriterien anzeigen").focus()
    page.keyboard.press("Enter")
    assert table.is_visible()
    assert table.get_by_role("row").count() == 1 + 23
    assert_accessible(page, "dataset page with quality breakdown")


def test_the_worklist_names_the_fixes_and_offers_the_csv(page: Page) -> None:
    _log_in(page, "/verwaltung/qualitaet/")
    heading = page.get_by_role("heading", level=2, name=re.compile("verlier"))
    assert re.search(r"Diese \d+ Datensätze verlieren die meisten Punkte", heading.inner_text())
    first = page.locator("ol.worklist > li").first
    assert first.locator(".quality-badge").count() == 1
    assert first.locator("ul > li").count() >= 1
    link = page.get_by_role("link", name="Ganze Arbeitsliste als CSV herunterladen")
    assert link.get_attribute("href") == "/verwaltung/qualitaet/arbeitsliste.csv"
    page.get_by_role("link", name="Punkte").click()  # sorts, highest first
    page.wait_for_url(re.compile(r"sortierung=-points"))
    assert page.locator('th[aria-sort="descending"]').count() == 1
    assert_accessible(page, "steward quality worklist")


def test_the_dashboard_shows_the_trend_chart_beside_its_table(page: Page) -> None:
    _log_in(page, "/verwaltung/")
    section = page.get_by_role("region", name="Qualität der Beschreibungen")
    chart = section.get_by_role("img", name="Qualität im Verlauf")
    assert chart.count() == 1
    assert section.get_by_role(
        "table", name="Qualität im Verlauf: mittlere Punkte je Tag"
    ).is_visible()
    assert_accessible(page, "steward dashboard with quality trend")
