"""A steward changes their own password in a real browser: the form, its messages for a
wrong current password and a short new one, and the page after the change pass axe-core;
afterwards only the new password logs in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from catalog.models import Role
from tests.browser.axe import assert_accessible
from tests.conftest import build_demo_with_steward
from tests.servers import served_catalog

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

STEWARD = "karl"
PASSWORD = "alt-aber-lang-1"
NEW = "neu-und-noch-laenger-2"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings, store = build_demo_with_steward(
        Path(tmp_path_factory.mktemp("account-demo")), STEWARD, PASSWORD, {"umweltamt": Role.EDITOR}
    )
    with served_catalog(settings, store) as address:
        yield address
    store.close()


def _log_in(page: Page, password: str) -> None:
    page.goto("/verwaltung/anmelden")
    page.get_by_label("Benutzername").fill(STEWARD)
    page.get_by_label("Passwort", exact=True).fill(password)
    page.get_by_role("button", name="Anmelden").click()


def _fill(page: Page, current: str, new: str, repeat: str) -> None:
    page.get_by_label("Jetziges Passwort").fill(current)
    page.get_by_label("Neues Passwort", exact=True).fill(new)
    page.get_by_label("Neues Passwort wiederholen").fill(repeat)
    page.get_by_role("button", name="Passwort ändern").click()


def test_a_steward_changes_their_own_password(page: Page, live_server: str) -> None:
    _log_in(page, PASSWORD)
    page.wait_for_url(re.compile(r"/verwaltung/$"))
    page.get_by_role("link", name="Passwort ändern").click()
    page.wait_for_url(re.compile(r"/verwaltung/konto/passwort$"))
    assert_accessible(page, "own password form")

    _fill(page, "falsch-geraten-1", "kurz", "kurz")
    assert "mindestens 10 Zeichen" in page.locator(".field:has(#new-password)").inner_text()
    assert page.locator("#new-password").get_attribute("aria-invalid") == "true"
    assert_accessible(page, "own password form with errors")

    _fill(page, "falsch-geraten-1", NEW, NEW)
    assert (
        "Das jetzige Passwort stimmt nicht."
        in page.locator(".field:has(#current-password)").inner_text()
    )

    _fill(page, PASSWORD, NEW, NEW)
    page.wait_for_url(re.compile(r"/verwaltung/konto/passwort$"))
    assert "Ihr Passwort ist geändert" in page.locator(".flashes").inner_text()
    assert_accessible(page, "own password form after the change")

    page.get_by_role("button", name="Abmelden").click()
    _log_in(page, PASSWORD)
    assert "Benutzername oder Passwort ist falsch." in page.get_by_role("alert").inner_text()
    _log_in(page, NEW)
    page.wait_for_url(re.compile(r"/verwaltung/$"))
