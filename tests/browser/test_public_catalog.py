"""A visitor in a real browser: searches, narrows by a facet, opens a dataset, switches to
English; the start, results, dataset and organisation pages pass axe-core's WCAG 2.1 AA rules."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import pytest

from tests.browser.axe import assert_accessible

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

logger = logging.getLogger(__name__)


def _result_count(page: Page) -> int:
    text = page.locator(".result-count").inner_text()
    found = re.match(r"\s*(\d+)", text)
    assert found, text
    return int(found.group(1))


def test_search_filter_open_and_switch_language(page: Page) -> None:
    page.goto("/")
    page.get_by_label("Was suchen Sie?").fill("Verkehr")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/suche\?q=Verkehr"))
    total = _result_count(page)
    assert total > 1

    theme = page.locator("#facet-theme + ul a", has_text="Verkehr").first
    expected = int(theme.locator(".count").inner_text())
    theme.click()
    page.wait_for_url(re.compile(r"theme=TRAN"))
    assert _result_count(page) == expected <= total
    assert page.locator(".chip").first.inner_text().startswith("Thema: Verkehr")

    first = page.locator(".dataset-title a").first
    title = first.inner_text()
    first.click()
    assert page.locator("h1").inner_text() == title
    assert page.locator(".distribution").count() >= 1

    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Data and access").is_visible()
    page.get_by_role("link", name="Datasets", exact=True).first.click()
    assert page.locator("html").get_attribute("lang") == "en"  # remembered


def test_the_search_works_by_keyboard_alone(page: Page) -> None:
    page.goto("/suche")
    page.locator("#suche-kopf").focus()
    page.keyboard.type("Bäume")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=B%C3%A4ume"))
    assert page.locator(".dataset-title a", has_text="Baumkataster").count() == 1


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("start", "/"),
        ("results", "/suche?q=Daten"),
        ("filtered", "/suche?theme=ENVI&format=CSV"),
        ("empty results", "/suche?q=qxzzy"),
        ("dataset", "/dataset/baumkataster"),
        ("organisation", "/organisation/umweltamt"),
        ("themes", "/themen"),
        ("about", "/ueber-die-daten"),
        ("English results", "/suche?q=Daten&lang=en"),
    ],
)
def test_pages_have_no_serious_accessibility_violations(page: Page, name: str, path: str) -> None:
    page.goto(path)
    for violation in assert_accessible(page, name):
        logger.info("%s: %s (%s) %s", name, violation.rule, violation.impact, violation.help)


def test_the_results_page_fits_a_phone_screen(page: Page) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/suche?q=Daten")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360
    assert page.locator(".facets").is_visible()
