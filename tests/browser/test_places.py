"""A visitor sees where a dataset lies and narrows the results to a place, in a real browser;
the map asks no other host (the page fixture fails the test on any such request) and the
pages with the map and the place filter pass axe-core's WCAG 2.1 AA rules."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from tests.browser.axe import assert_accessible

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def _result_count(page: Page) -> int:
    found = re.match(r"\s*(\d+)", page.locator(".result-count").inner_text())
    assert found
    return int(found.group(1))


def test_the_dataset_page_shows_the_box_on_a_map_of_germany(page: Page) -> None:
    page.goto("/dataset/baumkataster")
    figure = page.locator("figure.place-map")
    assert figure.is_visible()
    svg = figure.locator("svg")
    assert svg.get_attribute("role") == "img"
    assert page.get_by_role("img", name=re.compile(r"^Räumliche Ausdehnung: 11,2841°")).count()
    box = svg.locator(".place-map-box").bounding_box()
    outline = svg.locator(".place-map-outline").bounding_box()
    assert box and outline
    # The demo city lies inside Germany's outline, in its south-east half.
    assert outline["x"] < box["x"] < outline["x"] + outline["width"]
    assert outline["y"] + outline["height"] / 2 < box["y"] < outline["y"] + outline["height"]
    assert_accessible(page, "dataset with map")


def test_the_place_filter_narrows_the_results_and_its_chip_widens_them(page: Page) -> None:
    page.goto("/suche")
    total = _result_count(page)
    page.get_by_label("Stadtteil").select_option("Altstadt")
    page.get_by_role("button", name="Nach Ort filtern").click()
    page.wait_for_url(re.compile(r"place=Altstadt"))
    narrowed = _result_count(page)
    assert 0 < narrowed < total
    assert page.locator(".chip", has_text="Ort: Altstadt").is_visible()
    assert_accessible(page, "results by place")

    page.get_by_label("Gebiet (West, Süd, Ost, Nord)").fill("13.09,52.34,13.76,52.68")
    page.get_by_role("button", name="Nach Ort filtern").click()
    page.wait_for_url(re.compile(r"bbox=13.09"))
    assert _result_count(page) == 0

    page.locator(".chip", has_text="Gebiet: 13.09,52.34,13.76,52.68").click()
    assert _result_count(page) == narrowed
    page.locator(".chip", has_text="Ort: Altstadt").click()
    assert _result_count(page) == total


def test_a_box_in_the_wrong_order_is_explained_accessibly(page: Page) -> None:
    page.goto("/suche")
    page.get_by_label("Gebiet (West, Süd, Ost, Nord)").fill("11.4,49.0,11.3,49.1")
    page.get_by_role("button", name="Nach Ort filtern").click()
    alert = page.get_by_role("alert")
    assert "West darf nicht östlich von Ost" in alert.inner_text()
    assert page.get_by_label("Gebiet (West, Süd, Ost, Nord)").get_attribute("aria-invalid")
    assert_accessible(page, "results with a place error")
