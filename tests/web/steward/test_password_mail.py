"""'Passwort vergessen?' with an SMTP server configured: a real SMTP sink on 127.0.0.1
(aiosmtpd) receives a one-time link for an existing account; the page answers the same
words for a name nobody has, and then no link is made and no mail sent."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import func, select

from catalog.accounts import check_login
from catalog.models import PasswordReset
from catalog.settings import Settings
from catalog.store import Store
from tests.web.steward.steward_support import (
    csrf_token,
    open_steward_catalog,
    page_text,
    post,
    steward_app_for,
    steward_settings,
)

NEW = "per-mail-gesetzt-1"
LINK_PREFIX = "http://catalog.test/verwaltung/passwort/"


class Sink:
    """Keeps every message the SMTP server accepts; `arrived` is set at the first one."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        self.arrived.set()
        return "250 Message accepted"


def _free_port() -> int:
    # aiosmtpd's controller checks its server by connecting to the port it was given, so it
    # needs a real number rather than 0.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def sink() -> Iterator[tuple[Sink, int]]:
    handler = Sink()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def mail_app(tmp_path: Path, sink: tuple[Sink, int]) -> Iterator[tuple[Flask, Store]]:
    _, port = sink
    mail = {"host": "127.0.0.1", "port": port, "from": "opendata@teststadt.example"}
    settings: Settings = steward_settings(tmp_path, mail=mail)
    store = open_steward_catalog(settings, settings.database_url)
    with steward_app_for(settings, store) as app:
        yield app, store
    store.close()


def _resets(store: Store) -> int:
    with store.reading() as session:
        return session.scalar(select(func.count()).select_from(PasswordReset)) or 0


def test_a_forgotten_password_mail_carries_a_link_that_sets_the_password(
    mail_app: tuple[Flask, Store], sink: tuple[Sink, int]
) -> None:
    app, store = mail_app
    handler, _ = sink
    client = app.test_client()

    nobody = post(client, "/verwaltung/passwort-vergessen", {"name": "niemand"})
    made_by_nobody = _resets(store)
    somebody = post(client, "/verwaltung/passwort-vergessen", {"name": "emil@stadt.example"})

    assert nobody.status_code == somebody.status_code == 200
    assert page_text(nobody) == page_text(somebody)
    assert "ist eine E-Mail mit einem Link unterwegs" in page_text(somebody)
    assert made_by_nobody == 0
    assert handler.arrived.wait(timeout=30)
    ((recipients, message),) = handler.messages
    assert recipients == ["emil@stadt.example"]
    assert message["From"] == "opendata@teststadt.example"
    body = message.get_payload(decode=True).decode()
    (link,) = [line for line in body.splitlines() if line.startswith(LINK_PREFIX)]
    path = link.removeprefix("http://catalog.test")
    visitor = app.test_client()
    data = {
        "new_password": NEW,
        "new_password_repeat": NEW,
        "csrf_token": csrf_token(visitor, path),
    }
    assert visitor.post(path, data=data).status_code == 303
    assert check_login(store, "emil", NEW) is not None


def test_the_link_goes_to_the_configured_address_whatever_host_the_request_names(
    mail_app: tuple[Flask, Store], sink: tuple[Sink, int]
) -> None:
    app, _ = mail_app
    handler, _ = sink
    client = app.test_client()
    hostile = "http://boese.example"
    form = page_text(client.get("/verwaltung/passwort-vergessen", base_url=hostile))
    match = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert match is not None, form

    sent = client.post(
        "/verwaltung/passwort-vergessen",
        data={"name": "emil", "csrf_token": match.group(1)},
        base_url=hostile,
    )

    assert sent.status_code == 200
    assert handler.arrived.wait(timeout=30)
    body = handler.messages[0][1].get_payload(decode=True).decode()
    assert LINK_PREFIX in body
    assert "boese.example" not in body
