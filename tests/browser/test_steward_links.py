"""A steward in a real browser reads a dataset's link states and the organisation's broken
links; both pages pass axe-core (no serious or critical violation of WCAG 2.1 AA).

The check history is written directly (the demo's links point at hosts a test must not
reach); the checks themselves are tested against a server on 127.0.0.1 elsewhere."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from catalog.link_checks import (
    LinkResult,
    keep_link_results,
    links_of_record,
    remember_record_links,
)
from catalog.models import Role, utcnow
from catalog.organizations import get_organization_by_name
from catalog.publication import public_records
from catalog.settings import Settings
from catalog.store import Store
from tests.browser.axe import assert_accessible
from tests.conftest import build_demo_with_steward
from tests.servers import served_catalog

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

STEWARD = "lena"
PASSWORD = "links-pruefen-2026"


@pytest.fixture(scope="module")
def links_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Store, str]]:
    """The demo with an editor of umweltamt and a history for one dataset's links: the first
    broken for 12 days, the others fine."""
    settings, store = build_demo_with_steward(
        Path(tmp_path_factory.mktemp("links-demo")), STEWARD, PASSWORD, {"umweltamt": Role.EDITOR}
    )
    umweltamt = get_organization_by_name(store, "umweltamt")
    assert umweltamt is not None
    record = next(
        r
        for r in public_records(store, settings)
        if r.organization_id == umweltamt.id and links_of_record(r)
    )
    targets = links_of_record(record)
    remember_record_links(store, {record.id: targets})
    now = utcnow()
    history = []
    for number, target in enumerate(targets):
        url = target.url
        history.append(
            LinkResult(url, now - timedelta(days=30), True, 200, url, "text/csv", 9, 4, None)
        )
        if number == 0:
            for days in (12, 2):
                history.append(
                    LinkResult(
                        url,
                        now - timedelta(days=days),
                        False,
                        404,
                        url,
                        None,
                        None,
                        4,
                        "http_status",
                        error="HTTP 404",
                    )
                )
    keep_link_results(store, history)
    yield settings, store, record.name
    store.close()


@pytest.fixture(scope="module")
def live_server(links_demo: tuple[Settings, Store, str]) -> Iterator[str]:
    settings, store, _ = links_demo
    with served_catalog(settings, store) as address:
        yield address


def test_a_steward_reads_link_states_and_the_organisations_broken_links(
    page: Page, links_demo: tuple[Settings, Store, str]
) -> None:
    _, _, name = links_demo
    page.goto("/verwaltung/")
    page.get_by_label("Benutzername").fill(STEWARD)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/verwaltung/$"))

    page.goto(f"/verwaltung/datensaetze/{name}")
    links = page.locator("section[aria-labelledby=links-titel]")
    assert "kaputt seit 12 Tagen" in links.inner_text()
    assert links.get_by_role("button", name="Links jetzt prüfen").is_visible()
    assert_accessible(page, "dataset links")

    page.goto("/verwaltung/")
    page.get_by_role("link", name="Kaputte Links").first.click()
    page.wait_for_url(re.compile(r"/verwaltung/organisationen/umweltamt/links$"))
    table = page.locator("table.link-table")
    assert "kaputt seit 12 Tagen" in table.inner_text()
    assert "Der Server antwortet mit HTTP 404." in table.inner_text()
    assert_accessible(page, "organisation's broken links")

    page.goto("/verwaltung/organisationen/umweltamt/links?lang=en")
    assert "broken for 12 days" in page.locator("table.link-table").inner_text()
