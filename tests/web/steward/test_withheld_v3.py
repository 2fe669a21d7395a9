"""The steward's source pages count the records held back in DCAT-AP.de 3.0, with each reason
and the source setting that would supply the missing fact."""

from __future__ import annotations

from flask import Flask

from catalog.settings import Settings
from catalog.store import Store
from tests.catalog.profile_records import WITHOUT_LICENCE, save_prepared
from tests.web.steward.steward_support import (
    client_for,
    page_text,
    source_row,
    steward_app,
    steward_store,
)

__all__ = ["steward_app", "steward_store"]  # fixtures used by the tests below


def test_the_source_pages_count_records_held_back_in_3_0_and_name_the_setting(
    steward_store: tuple[Settings, Store], steward_app: Flask
) -> None:
    settings, store = steward_store
    source = source_row(store, "umwelt-config")
    save_prepared(store, settings, "Bäume 2024", source.id)
    for year in (2022, 2023):
        save_prepared(store, settings, f"Bäume {year} ohne Lizenz", source.id, **WITHOUT_LICENCE)
    client = client_for(steward_app, "anna")

    listing = page_text(client.get("/verwaltung/quellen"))
    assert "2 in 3.0 zurückgehalten" in listing
    page = page_text(client.get("/verwaltung/quellen/umwelt-config"))
    assert "In DCAT-AP.de 3.0 zurückgehalten" in page
    assert "2 Datensätze dieser Quelle sind nach DCAT-AP.de 2.0 veröffentlicht" in page
    assert "<code>dct:license</code>" in page
    assert '<code class="setting">defaults.license</code>' in page

    english = page_text(client.get("/verwaltung/quellen/umwelt-config?lang=en"))
    assert "Held back in DCAT-AP.de 3.0" in english and "zurückgehalten" not in english
