"""The revision list speaks the page's language only: notes, rule labels and all."""

from __future__ import annotations

import html

from flask import Flask

from tests.web.steward.dataset_support import dataset_app, dataset_store
from tests.web.steward.steward_support import client_for, page_text
from tests.web.steward.test_revisions import RECORD, _three_revisions

__all__ = ["dataset_app", "dataset_store"]

GERMAN_NOTES = ("angelegt", "geändert", "normalisiert", "zurückgezogen", "Revision 1 wieder")
ENGLISH_NOTES = ("created", "updated", "normalised", "withdrawn", "revision 1 restored")


def _notes(page: str) -> str:
    return page[page.index("<tbody>") : page.index("</tbody>")]


def test_the_english_revision_list_has_no_german_note_and_the_german_no_english(
    dataset_app: Flask,
) -> None:
    client = client_for(dataset_app, "emil")
    _three_revisions(client)
    german = _notes(page_text(client.get(RECORD + "/revisionen?lang=de")))
    english = _notes(page_text(client.get(RECORD + "/revisionen?lang=en")))
    assert "angelegt" in german and "created" in english
    assert not [text for text in ENGLISH_NOTES if text in german]
    assert not [text for text in GERMAN_NOTES if text in english]
    assert " / " not in german and " / " not in english


def test_a_refusal_page_gives_its_reason_in_the_pages_language_only(
    dataset_app: Flask,
) -> None:
    client = client_for(dataset_app, "emil")
    _three_revisions(client)
    stranger = client_for(dataset_app, "otto")
    english = stranger.get(RECORD + "/bearbeiten?lang=en")
    german = stranger.get(RECORD + "/bearbeiten?lang=de")
    assert english.status_code == german.status_code == 403
    english_text, german_text = html.unescape(page_text(english)), page_text(german)
    assert "otto is not an editor of this dataset's organisation" in english_text
    assert "ist nicht Redakteur" not in english_text
    assert "otto ist nicht Redakteur der Organisation dieses Datensatzes." in german_text
    assert "is not an editor" not in german_text
