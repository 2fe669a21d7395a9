"""Values longer than dcat.text_limits allows are refused where they are typed or sent: beside
the field in the steward form, as a CKAN Validation Error naming the field in the API; nothing
is saved (issue 16, item 9: a 1 MB title made the start page 1 MB)."""

from __future__ import annotations

import ckanapi
import pytest
from flask import Flask

from catalog.settings import Settings
from catalog.store import Store
from dcat.text_limits import DESCRIPTION_LIMIT, KEYWORD_LIMIT, TITLE_LIMIT
from tests.web.steward.dataset_support import (
    CSV,
    DL_BY,
    dataset_app,
    dataset_store,
    db_state,
    form_fields,
    send_form,
)
from tests.web.steward.steward_support import client_for, page_text
from tests.web.test_ckan_write import _package as package
from tests.web.test_ckan_write import _snapshot as snapshot
from tests.web.test_ckan_write import portal, tokens

__all__ = ["dataset_app", "dataset_store", "portal", "tokens"]  # fixtures used below

NEW = "/verwaltung/datensaetze/neu?organization=umweltamt"


def test_an_overlong_title_keyword_and_row_description_are_named_in_the_form_and_not_saved(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    _, store = dataset_store
    client = client_for(dataset_app, "emil")
    values = form_fields(client.get(NEW))
    values.update(
        {
            "title_de": "T" * (TITLE_LIMIT + 1),
            "keywords": "Bäume, " + "k" * (KEYWORD_LIMIT + 1),
            "licence": DL_BY,
            "distributions-0-access_url": "https://daten.example/baeume.csv",
            "distributions-0-format": CSV,
            "distributions-0-description": "d" * (DESCRIPTION_LIMIT + 1),
        }
    )
    before = db_state(store)

    page = send_form(client, NEW, values, "draft")

    text = page_text(page)
    assert page.status_code == 422 and db_state(store) == before
    assert (
        '<a href="#title_de">Titel: Bitte höchstens 1000 Zeichen eingeben (jetzt 1001).</a>' in text
    )
    assert "Ein Schlagwort darf höchstens 200 Zeichen haben." in text
    assert "Bitte höchstens 100000 Zeichen eingeben (jetzt 100001)." in text


def test_overlong_values_sent_to_the_api_are_a_validation_error_naming_each_field(
    portal: str, tokens: dict[str, str], demo: tuple[Settings, Store]
) -> None:
    _, store = demo
    erika = ckanapi.RemoteCKAN(portal, apikey=tokens["erika"])
    before = snapshot(store)
    long_package = package(
        "zu-lang",
        title="T" * (TITLE_LIMIT + 1),
        notes="n" * (DESCRIPTION_LIMIT + 1),
        resources=[
            {"url": "https://daten.musterstadt.example/a.csv", "format": "CSV"},
            {"url": "https://daten.musterstadt.example/b.csv", "name": "r" * (TITLE_LIMIT + 1)},
        ],
    )

    with pytest.raises(ckanapi.ValidationError) as refused:
        erika.action.package_create(**long_package)

    errors = refused.value.error_dict
    assert set(errors) == {"__type", "title", "notes", "resources"}
    assert errors["title"] == [
        "Zu lang: 1.001 Zeichen, höchstens 1.000 sind erlaubt. Bitte kürzen. / "
        "Too long: 1,001 characters, at most 1,000 are allowed. Please shorten it."
    ]
    assert errors["notes"][0].startswith("Zu lang: 100.001 Zeichen, höchstens 100.000")
    assert errors["resources"][0] == {}
    assert errors["resources"][1]["name"][0].startswith("Zu lang: 1.001 Zeichen")
    assert snapshot(store) == before

    created = erika.action.package_create(**package("kurz-genug"))
    with pytest.raises(ckanapi.ValidationError) as patched:
        erika.action.package_patch(id=created["id"], title="T" * (TITLE_LIMIT + 1))
    assert set(patched.value.error_dict) == {"__type", "title"}
