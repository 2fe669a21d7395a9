"""A record's revisions in the steward area: the list, two revisions compared as readable
field changes, and restoring one as a new revision, refused where it would publish violations."""

from __future__ import annotations

import html
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from catalog.ingest import RecordPreparer
from catalog.models import RecordStatus
from catalog.records import Actor, create_record, list_revisions
from catalog.settings import Settings
from catalog.store import Store
from dcat.builder import build_dataset_graph
from dcat.model import DatasetInput, DistributionInput
from tests.web.steward.dataset_support import (
    CSV,
    DL_BY,
    JSON,
    dataset_app,
    dataset_store,
    db_state,
    form_fields,
    organization_id,
    send_form,
    stored_graph,
)
from tests.web.steward.steward_support import client_for, page_text, post

__all__ = ["dataset_app", "dataset_store"]  # fixtures used by the tests below

NEW = "/verwaltung/datensaetze/neu?organization=umweltamt"
RECORD = "/verwaltung/datensaetze/baeume"


def _three_revisions(client: FlaskClient) -> None:
    """1: a draft without description; 2: fixed and published; 3: edited."""
    values = form_fields(client.get(NEW))
    values.update(
        {
            "title_de": "Baeume",
            "keywords": "Bäume, Stadtgrün",
            "licence": DL_BY,
            "distributions-0-access_url": "https://daten.example/baeume.csv",
            "distributions-0-format": CSV,
        }
    )
    assert send_form(client, NEW, values, "draft").status_code == 303
    _edit(client, "publish", description_de="Alle Straßenbäume.")
    _edit(
        client,
        "publish",
        title_de="Straßenbäume",
        keywords="Bäume, Baumkataster",
        **{"distributions-0-format": JSON},
    )


def _edit(client: FlaskClient, step: str, **changes: Any) -> None:
    path = RECORD + "/bearbeiten"
    values = form_fields(client.get(path))
    values.update(changes)
    assert send_form(client, path, values, step).status_code == 303


def test_the_list_names_number_author_note_status_and_validation_of_each_revision(
    dataset_app: Flask,
) -> None:
    client = client_for(dataset_app, "emil")
    _three_revisions(client)
    page = page_text(client.get(RECORD + "/revisionen"))
    rows = page[page.index("<tbody>") : page.index("</tbody>")].split("<tr>")[1:]
    assert [row.split('class="num">')[1].split("<")[0] for row in rows] == ["3", "2", "1"]
    assert all("<td>emil</td>" in row for row in rows)
    assert "angelegt" in rows[2] and "Entwurf" in rows[2] and "1 Verstoß" in rows[2]
    assert "created" not in rows[2]  # one language per page
    assert "Veröffentlicht" in rows[0] and "gültig" in rows[0]
    assert "Revision 1 wiederherstellen" in page and "Revision 3 wiederherstellen" not in page


def test_the_comparison_reads_the_latest_change_as_field_changes_not_triples(
    dataset_app: Flask,
) -> None:
    client = client_for(dataset_app, "emil")
    _three_revisions(client)
    page = page_text(client.get(RECORD + "/revisionen/vergleich"))
    assert "Von Revision 2 zu Revision 3" in page
    assert "<dt>Titel</dt>" in page and "<del>Baeume</del>" in page
    assert "<ins>Straßenbäume</ins>" in page
    assert "hinzugefügt: </span>Baumkataster" in page and "entfernt: </span>Stadtgrün" in page
    assert "geändert: https://daten.example/baeume.csv" in page
    assert "Format: <del>CSV</del>" in page and "<ins>JSON</ins>" in page
    assert "http://www.w3.org/ns/dcat#" not in page  # no raw triples

    first = page_text(client.get(RECORD + "/revisionen/vergleich?alt=1&neu=2"))
    assert "<dt>Status</dt>" in first and "<del>Entwurf</del>" in first
    assert "<dt>Beschreibung</dt>" in first and "<ins>Alle Straßenbäume.</ins>" in first
    assert client.get(RECORD + "/revisionen/vergleich?alt=1&neu=9").status_code == 404


def test_restoring_a_revision_makes_it_current_again_as_a_new_revision(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    _, store = dataset_store
    client = client_for(dataset_app, "emil")
    _three_revisions(client)
    _, record = stored_graph(store, "baeume")
    second = list_revisions(store, record.id)[1]
    restored = post(client, RECORD + "/revisionen/2/wiederherstellen")
    assert restored.status_code == 303
    _, record = stored_graph(store, "baeume")
    assert record.revision_number == 4 and record.content_hash == second.content_hash
    assert record.status == RecordStatus.PUBLISHED and record.title == "Baeume"
    page = page_text(client.get(restored.headers["Location"]))
    assert (
        "Revision 2 wiederhergestellt, als neue Revision 4. Der Datensatz ist veröffentlicht."
        in page
    )


def test_restoring_a_draft_revision_makes_the_record_a_draft_and_says_so(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    _, store = dataset_store
    client = client_for(dataset_app, "emil")
    _three_revisions(client)
    restored = post(client, RECORD + "/revisionen/1/wiederherstellen")
    _, record = stored_graph(store, "baeume")
    assert record.status == RecordStatus.DRAFT and record.violation_count == 1
    assert "Der Datensatz ist jetzt ein Entwurf." in page_text(
        client.get(restored.headers["Location"])
    )


def test_a_published_revision_with_violations_is_not_restored_and_the_page_says_why(
    dataset_app: Flask, dataset_store: tuple[Settings, Store]
) -> None:
    settings, store = dataset_store
    preparer = RecordPreparer(settings)
    uri = "http://catalog.test/dataset/baeume"
    without_description = DatasetInput(
        title={"de": "Baeume"},
        distributions=[DistributionInput(access_url="https://daten.example/baeume.csv")],
    )
    graph, node = build_dataset_graph(without_description, uri=uri)
    invalid = preparer.prepare(graph, node).content  # published before the rules were kept
    create_record(
        store,
        invalid,
        name="baeume",
        actor=Actor(label="import"),
        status=RecordStatus.PUBLISHED,
        organization_id=organization_id(store, "umweltamt"),
    )
    client = client_for(dataset_app, "emil")
    _edit(client, "publish", description_de="Jetzt mit Beschreibung.")
    before = db_state(store)
    refused = post(client, RECORD + "/revisionen/1/wiederherstellen")
    assert refused.status_code == 409 and db_state(store) == before
    assert "Revision 1 wurde nicht wiederhergestellt" in page_text(refused)
    assert "1 DCAT-AP.de-Verstoß;" in page_text(refused)


def test_the_list_lets_the_steward_compare_any_two_revisions_without_javascript(
    dataset_app: Flask,
) -> None:
    client = client_for(dataset_app, "emil")
    _three_revisions(client)
    page = page_text(client.get(RECORD + "/revisionen"))

    form = re.search(r'<form method="get" action="([^"]+)"[^>]*>(.*?)</form>', page, re.DOTALL)
    assert form is not None
    action, fields = html.unescape(form.group(1)), form.group(2)
    choices = {
        name: re.findall(r'<option value="(\d+)"', options)
        for name, options in re.findall(r'<select id="\w+" name="(\w+)">(.*?)</select>', fields)
    }
    assert choices == {"alt": ["3", "2", "1"], "neu": ["3", "2", "1"]}
    compared = page_text(client.get(action, query_string={"alt": "1", "neu": "3"}))

    assert "Von Revision 1 zu Revision 3" in compared
    assert "Baeume" in compared and "Straßenbäume" in compared  # the title's change
    assert "Alle Straßenbäume." in compared  # the description added in revision 2
