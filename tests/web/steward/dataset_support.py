"""For the dataset-form tests: an app whose catalog has a political geocoding and districts,
records made as the CKAN API, a harvest or RDF would make them, and a reader of the form
that sends back what a browser would (every field with its shown value)."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from catalog.editing import Editing
from catalog.ingest import RecordPreparer
from catalog.models import DatasetRecord, Organization, RecordStatus, Revision, User
from catalog.organizations import get_source_by_name
from catalog.permissions import Rights, load_rights
from catalog.records import Actor, create_record
from catalog.settings import Settings
from catalog.store import Store
from dcat.parsing import parse_rdf
from tests.web.steward.steward_support import (
    open_steward_catalog,
    steward_app_for,
    steward_settings,
)

CITY = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/09999999"
CATALOG = {
    "title": "Offene Daten Teststadt",
    "base_url": "http://catalog.test",
    "publisher": {"name": "Stadt Teststadt", "uri": "https://teststadt.example/"},
    "political_geocoding": {
        "level": "http://dcat-ap.de/def/politicalGeocoding/Level/municipality",
        "uri": CITY,
    },
    "districts": [
        {"name": "Altstadt", "uri": "https://teststadt.example/stadtteile/altstadt"},
        {"name": "Hafen"},
    ],
}
CSV = "http://publications.europa.eu/resource/authority/file-type/CSV"
JSON = "http://publications.europa.eu/resource/authority/file-type/JSON"
DL_BY = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
CC_ZERO = "http://dcat-ap.de/def/licenses/cc-zero"
ENVI = "http://publications.europa.eu/resource/authority/data-theme/ENVI"


@pytest.fixture
def dataset_store(
    tmp_path: Path, database_url: tuple[str, dict[str, Any]]
) -> Iterator[tuple[Settings, Store]]:
    """The catalog on SQLite, and on PostgreSQL where CATALOG_TEST_POSTGRES_URL is set."""
    settings = steward_settings(tmp_path, catalog=CATALOG)
    url, options = database_url
    store = open_steward_catalog(settings, url, **options)
    yield settings, store
    store.close()


@pytest.fixture
def dataset_app(dataset_store: tuple[Settings, Store]) -> Iterator[Flask]:
    with steward_app_for(*dataset_store) as app:
        yield app


def rights_of(store: Store, username: str) -> Rights:
    with store.reading() as session:
        user_id = session.scalar(select(User.id).where(User.username == username))
    assert user_id is not None
    return load_rights(store, user_id)


def organization_id(store: Store, name: str) -> str:
    with store.reading() as session:
        found = session.scalar(select(Organization.id).where(Organization.name == name))
    assert found is not None
    return found


def record_from_turtle(
    settings: Settings,
    store: Store,
    turtle: str,
    node: str,
    *,
    username: str = "emil",
    organization: str = "umweltamt",
    status: RecordStatus = RecordStatus.PUBLISHED,
    name: str | None = None,
) -> DatasetRecord:
    """A record made by a steward's script from RDF, through catalog.editing."""
    graph = parse_rdf(turtle, content_type="text/turtle")
    saved = Editing(store, settings).create(
        rights_of(store, username),
        graph,
        URIRef(node),
        organization_id=organization_id(store, organization),
        status=status,
        name=name,
    )
    return saved.record


def harvested_record(settings: Settings, store: Store, turtle: str, node: str) -> DatasetRecord:
    """A record the source "umwelt-config" delivered (published, read-only in the UI)."""
    graph = parse_rdf(turtle, content_type="text/turtle")
    source = get_source_by_name(store, "umwelt-config")
    assert source is not None
    prepared = RecordPreparer(settings).prepare(graph, URIRef(node))
    return create_record(
        store,
        prepared.content,
        name="geerntet",
        actor=Actor(label="harvest"),
        status=RecordStatus.PUBLISHED,
        organization_id=source.organization_id,
        source_id=source.id,
        remote_id=node,
    )


def db_state(store: Store) -> tuple[int, int, frozenset[tuple[Any, ...]]]:
    """Records and revisions, with each record's revision, status and content."""
    with store.reading() as session:
        records = session.scalar(select(func.count()).select_from(DatasetRecord)) or 0
        revisions = session.scalar(select(func.count()).select_from(Revision)) or 0
        rows = frozenset(
            tuple(row)
            for row in session.execute(
                select(
                    DatasetRecord.id,
                    DatasetRecord.revision_number,
                    DatasetRecord.status,
                    DatasetRecord.content_hash,
                )
            ).all()
        )
    return records, revisions, rows


def stored_graph(store: Store, name: str) -> tuple[Graph, DatasetRecord]:
    with store.reading() as session:
        record = session.scalar(select(DatasetRecord).where(DatasetRecord.name == name))
    assert record is not None, name
    return parse_rdf(record.graph, content_type="application/n-triples"), record


class _FormReader(HTMLParser):
    """The fields of the page's dataset form, as a browser would send them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._option: str | None = None
        self._chosen: dict[str, str] = {}
        self._first: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form" and "dataset-form" in a.get("class", ""):
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif kind != "submit":
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.fields.append((a["name"], ""))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self._first.setdefault(self._select, value)
            if "selected" in a:
                self._chosen[self._select] = value

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            name, text = self.fields[-1]
            self.fields[-1] = (name, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            self.fields.append(
                (self._select, self._chosen.get(self._select, self._first.get(self._select, "")))
            )
            self._select = None
        elif tag == "form":
            self._in_form = False


def form_fields(response: TestResponse) -> dict[str, Any]:
    """The dataset form's values; several values of one name become a list."""
    reader = _FormReader()
    reader.feed(response.get_data(as_text=True))
    values: dict[str, Any] = {}
    for name, value in reader.fields:
        if name in values:
            existing = values[name]
            values[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            values[name] = value
    return values


def send_form(client: FlaskClient, path: str, values: dict[str, Any], step: str) -> TestResponse:
    """The form sent with one of its buttons, as the browser would (its CSRF token included)."""
    return client.post(path, data={**values, "step": step})
