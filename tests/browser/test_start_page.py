"""The start page in a real browser: German, titled, accessible and usable by keyboard."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pytest

from catalog.settings import Settings
from catalog.store import Store
from tests.browser.axe import assert_accessible

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.browser

logger = logging.getLogger(__name__)

# Seen by a sighted visitor: a real size, inside the viewport, and on top at its centre.
_IS_ON_SCREEN = """(element) => {
  const box = element.getBoundingClientRect();
  if (box.width < 2 || box.height < 2) return false;
  if (box.left < 0 || box.top < 0) return false;
  if (box.right > innerWidth || box.bottom > innerHeight) return false;
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return hit !== null && element.contains(hit);
}"""


def _is_on_screen(locator: Locator) -> bool:
    return bool(locator.evaluate(_IS_ON_SCREEN))


def _focused_element_id(page: Page) -> str:
    return str(page.evaluate("() => document.activeElement && document.activeElement.id"))


def test_start_page_is_german_and_titled_with_the_catalog_name(
    page: Page, browser_demo: tuple[Settings, Store]
) -> None:
    settings, _ = browser_demo

    response = page.goto("/")

    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == "de"
    assert settings.catalog.title in page.title()
    assert page.get_by_role("heading", level=1).inner_text() == settings.catalog.title


def test_start_page_has_no_serious_accessibility_violation(page: Page) -> None:
    page.goto("/")

    for violation in assert_accessible(page, "Startseite"):
        logger.warning("axe-core, not failing: %s", violation)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main_content(page: Page) -> None:
    page.goto("/")
    skip_link = page.locator("a.skip-link")
    target = skip_link.get_attribute("href")
    assert target is not None and target.startswith("#")
    assert not _is_on_screen(skip_link), "the skip link should stay hidden until focused"

    page.keyboard.press("Tab")

    assert skip_link.evaluate("(element) => element === document.activeElement")
    assert skip_link.inner_text() == "Zum Inhalt springen"
    assert _is_on_screen(skip_link), "the focused skip link should be visible"

    page.keyboard.press("Enter")

    assert _focused_element_id(page) == target.removeprefix("#")
    assert page.evaluate("() => document.activeElement.tagName") == "MAIN"
    assert page.url.endswith(target)
