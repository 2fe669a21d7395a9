"""Webhook endpoints in the steward area: an organisation admin deletes one after a
confirmation page; the list no longer shows it, its delivery log goes with it, and nothing more
is sent to it. On SQLite, and on PostgreSQL where CATALOG_TEST_POSTGRES_URL is set."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from catalog.models import RecordStatus, ValidationState, WebhookDelivery, WebhookEndpoint
from catalog.organizations import get_organization_by_name
from catalog.records import Actor, create_record
from catalog.settings import Settings
from catalog.store import Store
from harvesters.webhook_delivery import Deliverer
from tests.catalog.records_support import content
from tests.web.steward.steward_support import (
    client_for,
    open_steward_catalog,
    page_text,
    post,
    steward_app_for,
    steward_settings,
)

WEBHOOKS = "/verwaltung/webhooks"


@dataclass
class Receiver:
    """A receiving service on 127.0.0.1: answers by a script of status codes (then 200) and
    keeps the subject of every event it got."""

    url: str = ""
    script: list[int] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with state.lock:
                state.subjects.append(json.loads(body)["subject"])
                answer = state.script.pop(0) if state.script else 200
            self.send_response(answer)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/hook"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def webhook_catalog(
    tmp_path: Path, database_url: tuple[str, dict[str, Any]]
) -> Iterator[tuple[Flask, Settings, Store]]:
    settings = steward_settings(tmp_path, webhooks={"allowed_networks": ["127.0.0.1/32"]})
    url, options = database_url
    store = open_steward_catalog(settings, url, **options)
    try:
        with steward_app_for(settings, store) as app:
            yield app, settings, store
    finally:
        store.close()


def publish(store: Store, name: str) -> None:
    umweltamt = get_organization_by_name(store, "umweltamt")
    assert umweltamt is not None
    create_record(
        store,
        replace(content(name), validation_state=ValidationState.VALID),
        name=name,
        actor=Actor("test"),
        status=RecordStatus.PUBLISHED,
        organization_id=umweltamt.id,
    )


def rows(store: Store) -> tuple[int, int]:
    """How many endpoints and deliveries the database holds."""
    with store.reading() as session:
        endpoints = session.scalar(select(func.count()).select_from(WebhookEndpoint))
        deliveries = session.scalar(select(func.count()).select_from(WebhookDelivery))
    return endpoints or 0, deliveries or 0


def later() -> datetime:
    """A clock past every back-off, so a delivery run sends whatever is owed."""
    return datetime(2100, 1, 1, tzinfo=UTC)


def test_an_admin_deletes_an_endpoint_after_confirming_and_it_gets_nothing_more(
    webhook_catalog: tuple[Flask, Settings, Store], receiver: Receiver
) -> None:
    app, settings, store = webhook_catalog
    anna = client_for(app, "anna")
    registered = post(anna, WEBHOOKS, {"organization": "umweltamt", "url": receiver.url})
    assert registered.status_code == 200, page_text(registered)
    with store.reading() as session:
        endpoint_id = session.scalar(select(WebhookEndpoint.id))
    assert endpoint_id is not None
    publish(store, "vorher")
    publish(store, "offen")
    receiver.script = [200, 500]
    run = Deliverer(store, settings).run_due()
    assert (run.delivered, run.failed) == (1, 1)
    assert rows(store) == (1, 2)

    detail = page_text(anna.get(f"{WEBHOOKS}/{endpoint_id}"))
    assert f'href="{WEBHOOKS}/{endpoint_id}/loeschen"' in detail
    confirm = page_text(anna.get(f"{WEBHOOKS}/{endpoint_id}/loeschen"))
    assert "Webhook löschen?" in confirm and receiver.url in confirm
    assert "Ihr Zustellprotokoll (2 Zustellungen) wird mit ihr gelöscht." in confirm
    assert "1 Ereignis ist noch nicht zugestellt; es wird verworfen." in confirm
    assert f'action="{WEBHOOKS}/{endpoint_id}/loeschen"' in confirm
    assert rows(store) == (1, 2), "the confirmation page deletes nothing"

    deleted = post(anna, f"{WEBHOOKS}/{endpoint_id}/loeschen")

    assert deleted.status_code == 303 and deleted.headers["Location"] == WEBHOOKS
    listing = page_text(anna.get(WEBHOOKS))
    assert f"<code>{receiver.url}</code>" not in listing
    assert f"Die Adresse {receiver.url} ist gelöscht, mit ihrem Zustellprotokoll" in listing
    assert anna.get(f"{WEBHOOKS}/{endpoint_id}").status_code == 404
    assert rows(store) == (0, 0), "the delivery log goes with the endpoint"
    publish(store, "danach")
    run = Deliverer(store, settings, clock=later).run_due()
    assert (run.delivered, run.failed, run.enqueued) == (0, 0, 0)
    assert receiver.subjects == ["vorher", "offen"], "nothing sent after the deletion"


def test_the_listing_no_longer_shows_a_deleted_endpoint(
    webhook_catalog: tuple[Flask, Settings, Store], receiver: Receiver
) -> None:
    app, _, store = webhook_catalog
    anna = client_for(app, "anna")
    for path in ("/eins", "/zwei"):
        post(anna, WEBHOOKS, {"organization": "umweltamt", "url": receiver.url + path})
    with store.reading() as session:
        first = session.scalar(
            select(WebhookEndpoint.id).where(WebhookEndpoint.url == receiver.url + "/eins")
        )

    post(anna, f"{WEBHOOKS}/{first}/loeschen")

    listing = anna.get(WEBHOOKS).get_data(as_text=True)
    assert f"<code>{receiver.url}/zwei</code>" in listing
    assert f"<code>{receiver.url}/eins</code>" not in listing


def test_only_the_organisations_admins_delete_and_only_with_the_form_token(
    webhook_catalog: tuple[Flask, Settings, Store], receiver: Receiver
) -> None:
    app, _, store = webhook_catalog
    post(client_for(app, "anna"), WEBHOOKS, {"organization": "umweltamt", "url": receiver.url})
    with store.reading() as session:
        endpoint_id = session.scalar(select(WebhookEndpoint.id))
    path = f"{WEBHOOKS}/{endpoint_id}/loeschen"

    assert client_for(app, "otto").get(path).status_code == 403  # admin of another organisation
    assert post(client_for(app, "otto"), path).status_code == 403
    assert post(client_for(app, "emil"), path).status_code == 403  # an editor
    assert client_for(app, "anna").post(path).status_code == 400  # no CSRF token
    assert rows(store) == (1, 0)
    assert post(client_for(app, "sina"), path).status_code == 303  # a site admin may
    assert rows(store) == (0, 0)
    assert post(client_for(app, "anna"), path).status_code == 404


def test_the_confirmation_page_speaks_english_on_request(
    webhook_catalog: tuple[Flask, Settings, Store], receiver: Receiver
) -> None:
    app, _, store = webhook_catalog
    anna = client_for(app, "anna")
    post(anna, WEBHOOKS, {"organization": "umweltamt", "url": receiver.url})
    with store.reading() as session:
        endpoint_id = session.scalar(select(WebhookEndpoint.id))

    english = page_text(anna.get(f"{WEBHOOKS}/{endpoint_id}/loeschen?lang=en"))

    assert "Delete this webhook?" in english
    assert "Its delivery log (0 deliveries) is deleted with it." in english
    assert "Delete for good" in english and "löschen" not in english.split("<main", 1)[1]
