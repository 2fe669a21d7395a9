"""The impact page in a real browser: reached from the navigation, charts beside tables,
axe-core clean, and printed without the navigation and the CSV links."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.axe import assert_accessible

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_impact_page_is_reached_from_the_navigation_and_accessible(page: Page) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Wirkung"
    ).click()
    page.wait_for_url("**/wirkung")

    assert page.locator("h1").inner_text() == "Wirkung"
    figures = page.locator(".impact-figure")
    assert figures.count() == 10
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
