"""GET /api/changes: CloudEvents in order, a cursor to continue, and plain 400s for bad input."""

from __future__ import annotations

from dataclasses import replace

import pytest
from flask.testing import FlaskClient

from catalog.models import RecordStatus, ValidationState
from catalog.records import Actor, create_record, withdraw_record
from catalog.store import Store
from tests.catalog.records_support import content


def publish(store: Store, name: str) -> str:
    record = create_record(
        store,
        replace(content(name), validation_state=ValidationState.VALID),
        name=name,
        actor=Actor("test"),
        status=RecordStatus.PUBLISHED,
    )
    return record.id


def test_the_feed_pages_with_its_next_cursor(client: FlaskClient, sqlite_store: Store) -> None:
    first = publish(sqlite_store, "eins")
    publish(sqlite_store, "zwei")
    withdraw_record(sqlite_store, first, actor=Actor("test"))

    answer = client.get("/api/changes?limit=2")
    assert answer.status_code == 200
    body = answer.get_json()
    assert [e["type"] for e in body["events"]] == [
        "de.stadtkatalog.dataset.published",
        "de.stadtkatalog.dataset.published",
    ]
    rest = client.get(f"/api/changes?since={body['next']}").get_json()
    assert [(e["subject"], e["type"]) for e in rest["events"]] == [
        ("eins", "de.stadtkatalog.dataset.withdrawn")
    ]
    empty = client.get(f"/api/changes?since={rest['next']}").get_json()
    assert empty["events"] == [] and empty["next"] == rest["next"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=zehn", "limit"),
        ("limit=" + "9" * 5000, "limit"),
        ("since=nicht-von-uns", "since"),
    ],
)
def test_bad_parameters_get_a_400_naming_them(
    client: FlaskClient, query: str, parameter: str
) -> None:
    answer = client.get(f"/api/changes?{query}")
    assert answer.status_code == 400
    error = answer.get_json()["error"]
    assert error["parameter"] == parameter
    assert error["message"].startswith(f"{parameter}: ")
    if parameter == "limit":
        assert "1 to 1000" in error["message"]


def test_the_error_speaks_german_when_asked(client: FlaskClient) -> None:
    answer = client.get("/api/changes?limit=0", headers={"Accept-Language": "de"})
    assert "von 1 bis 1000" in answer.get_json()["error"]["message"]
