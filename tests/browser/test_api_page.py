"""The /api page in a real browser: action names in links keep their underscores visible,
and the start page's empty themes are plain text that passes axe-core."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.axe import assert_accessible

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_the_underline_of_an_action_link_runs_below_its_underscores(page: Page) -> None:
    page.goto("/api")
    link = page.locator('nav a[href="#action-status_show"]')
    assert link.inner_text() == "status_show"
    # The underscore's stroke sits about 0.1-0.2em below the baseline; the line must not cover it.
    offset, font_size = link.evaluate(
        "a => [parseFloat(getComputedStyle(a).textUnderlineOffset),"
        " parseFloat(getComputedStyle(a).fontSize)]"
    )
    assert offset >= 0.3 * font_size


def test_empty_themes_are_not_links_and_the_start_page_stays_accessible(page: Page) -> None:
    page.goto("/")
    empty = page.locator(".tile-empty")
    assert empty.count() >= 1
    assert empty.first.evaluate("e => e.closest('a') === null")
    assert_accessible(page, "start with empty themes")
