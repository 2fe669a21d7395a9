"""Webhook deliveries to a real receiving server on 127.0.0.1: signed, in order, retried with
back-off on an injected clock (no real waiting), paused after a day, private targets refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from catalog.change_feed import decode_cursor
from catalog.models import RecordStatus, ValidationState
from catalog.organizations import get_organization_by_name, sync_organizations
from catalog.records import Actor, create_record, update_record, withdraw_record
from catalog.settings import Settings, load_settings
from catalog.setup import open_current_store
from catalog.store import Store, open_store
from catalog.webhooks import (
    EndpointFilter,
    claim_endpoint,
    delete_endpoint,
    delivery_count,
    get_endpoint,
    recent_deliveries,
    register_endpoint,
    release_endpoint,
    resume_endpoint,
)
from cli.commands import cli
from harvesters.webhook_delivery import Deliverer, EndpointRefused, check_endpoint_url
from tests.catalog.records_support import content
from tests.conftest import minimal_config

ACTOR = Actor("test")
TIMEOUT_HOLD = 1.5  # the receiver holds its "timeout" answer longer than read_timeout


@dataclass
class Receiver:
    """Answers by a script, verifies every signature as a Standard Webhooks consumer would."""

    secret: str = ""
    script: list[object] = field(default_factory=list)  # status codes, or "timeout"
    accepted: list[tuple[str, bytes]] = field(default_factory=list)
    requests: int = 0
    bad_signatures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Run while a request is being answered, one per request (what happens meanwhile elsewhere).
    meanwhile: list[Callable[[], None]] = field(default_factory=list)

    def verify(self, headers: dict[str, str], body: bytes) -> bool:
        key = base64.b64decode(self.secret.removeprefix("whsec_"))
        signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
        expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        given = [part.split(",", 1) for part in headers["webhook-signature"].split()]
        return any(v == "v1" and hmac.compare_digest(sig, expected) for v, sig in given)


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    with receiving() as served:
        yield served


@contextmanager
def receiving() -> Iterator[tuple[Receiver, str]]:
    """A receiving service on 127.0.0.1 for the duration of the block."""
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {k.lower(): v for k, v in self.headers.items()}
            with state.lock:
                state.requests += 1
                answer = state.script.pop(0) if state.script else 200
                if not state.verify(headers, body):
                    state.bad_signatures += 1
                    answer = 401
                elif answer == 200:
                    state.accepted.append((headers["webhook-id"], body))
                meanwhile = state.meanwhile.pop(0) if state.meanwhile else None
            if meanwhile is not None:
                meanwhile()
            if answer == "timeout":
                time.sleep(TIMEOUT_HOLD)
                answer = 200
            self.send_response(int(answer))  # type: ignore[call-overload]
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_port}/hook"
    finally:
        server.shutdown()
        server.server_close()


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


def allowing_loopback(settings: Settings) -> Settings:
    webhooks = settings.webhooks.model_copy(
        update={"allowed_networks": ["127.0.0.1/32"], "read_timeout": 0.5}
    )
    return settings.model_copy(update={"webhooks": webhooks})


def publish(store: Store, name: str, organization_id: str | None = None) -> str:
    record = create_record(
        store,
        replace(content(name), validation_state=ValidationState.VALID),
        name=name,
        actor=ACTOR,
        status=RecordStatus.PUBLISHED,
        organization_id=organization_id,
    )
    return record.id


def register(store: Store, url: str, wanted: EndpointFilter | None = None) -> tuple[str, str]:
    org = get_organization_by_name(store, "umweltamt")
    assert org is not None
    endpoint, secret = register_endpoint(
        store,
        organization_id=org.id,
        url=url,
        description="Test",
        wanted=wanted or EndpointFilter(),
        created_by="t",
    )
    return endpoint.id, secret


def deliver_until_done(deliverer: Deliverer, clock: Clock, rounds: int = 30) -> None:
    """Run the deliverer, moving the injected clock past each back-off, until nothing is owed."""
    for _ in range(rounds):
        run = deliverer.run_due()
        if run.failed == 0 and run.delivered == 0 and run.enqueued == 0:
            return
        clock.advance(timedelta(hours=1))
    raise AssertionError("deliveries did not finish")


def test_every_event_arrives_in_order_exactly_as_signed_despite_failures_and_a_timeout(
    store: Store, settings: Settings, receiver: tuple[Receiver, str]
) -> None:
    state, url = receiver
    settings = allowing_loopback(settings)
    sync_organizations(store, settings.organizations)
    endpoint_id, state.secret = register(store, url)
    state.script = [500, 503, "timeout", 502]
    first = publish(store, "eins")
    second = publish(store, "zwei")
    update_record(
        store,
        first,
        replace(content("eins", "Eins neu"), validation_state=ValidationState.VALID),
        actor=ACTOR,
    )
    withdraw_record(store, second, actor=ACTOR)
    clock = Clock()

    deliver_until_done(Deliverer(store, settings, clock=clock), clock)

    assert state.bad_signatures == 0
    stored = sorted(recent_deliveries(store, endpoint_id), key=lambda d: d.id)
    assert [d.state for d in stored] == ["delivered"] * 4
    assert stored[0].attempts == 5  # 500, 503, timeout, 502, then 200
    assert state.accepted == [(d.event_id, d.body.encode("utf-8")) for d in stored]
    events = [json.loads(body) for _, body in state.accepted]
    assert [(e["subject"], e["type"].rsplit(".", 1)[1]) for e in events] == [
        ("eins", "published"),
        ("zwei", "published"),
        ("eins", "updated"),
        ("zwei", "withdrawn"),
    ]
    positions = [int(e["id"].removeprefix("change-")) for e in events]
    assert positions == sorted(positions)


def test_the_next_event_waits_until_the_previous_one_is_delivered(
    sqlite_store: Store, settings: Settings, receiver: tuple[Receiver, str]
) -> None:
    state, url = receiver
    settings = allowing_loopback(settings)
    sync_organizations(sqlite_store, settings.organizations)
    _, state.secret = register(sqlite_store, url)
    state.script = [500]
    publish(sqlite_store, "a")
    publish(sqlite_store, "b")
    clock = Clock()
    deliverer = Deliverer(sqlite_store, settings, clock=clock)

    run = deliverer.run_due()
    assert (run.failed, run.delivered, state.requests) == (1, 0, 1)
    assert deliverer.run_due().failed == 0 and state.requests == 1, "back-off not yet over"
    clock.advance(timedelta(seconds=31))
    assert deliverer.run_due().delivered == 2
    assert [json.loads(body)["subject"] for _, body in state.accepted] == ["a", "b"]


def test_an_endpoint_failing_for_a_day_is_paused_with_its_reason_and_resumes(
    sqlite_store: Store, settings: Settings, receiver: tuple[Receiver, str]
) -> None:
    state, url = receiver
    settings = allowing_loopback(settings)
    sync_organizations(sqlite_store, settings.organizations)
    endpoint_id, state.secret = register(sqlite_store, url)
    state.script = [500] * 1000
    publish(sqlite_store, "kaputt")
    clock = Clock()
    deliverer = Deliverer(sqlite_store, settings, clock=clock)
    attempts = 0
    while get_endpoint(sqlite_store, endpoint_id).active:
        attempts += deliverer.run_due().failed
        clock.advance(timedelta(minutes=30))
        assert attempts < 200
    endpoint = get_endpoint(sqlite_store, endpoint_id)
    assert "HTTP 500" in endpoint.pause_reason
    assert attempts >= 8, "retried with back-off for the whole day"
    assert state.requests == attempts
    assert deliverer.run_due().failed == 0 and state.requests == attempts, "paused: no sends"

    state.script = []
    resume_endpoint(sqlite_store, endpoint_id, clock())
    assert deliverer.run_due().delivered == 1
    assert json.loads(state.accepted[0][1])["subject"] == "kaputt"


def test_filters_choose_organisation_and_event_type(
    sqlite_store: Store, settings: Settings, receiver: tuple[Receiver, str]
) -> None:
    state, url = receiver
    settings = allowing_loopback(settings)
    sync_organizations(sqlite_store, settings.organizations)
    statistik = get_organization_by_name(sqlite_store, "statistik")
    umwelt = get_organization_by_name(sqlite_store, "umweltamt")
    assert statistik is not None and umwelt is not None
    wanted = EndpointFilter(
        organizations=("statistik",), event_types=("de.stadtkatalog.dataset.withdrawn",)
    )
    _, state.secret = register(sqlite_store, url, wanted)
    ours = publish(sqlite_store, "zahlen", statistik.id)
    theirs = publish(sqlite_store, "baeume", umwelt.id)
    withdraw_record(sqlite_store, ours, actor=ACTOR)
    withdraw_record(sqlite_store, theirs, actor=ACTOR)
    clock = Clock()
    deliver_until_done(Deliverer(sqlite_store, settings, clock=clock), clock)
    assert [json.loads(b)["subject"] for _, b in state.accepted] == ["zahlen"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest",
        "ftp://example.org/x",
    ],
)
def test_a_private_or_plain_http_target_is_refused_unless_allowed(
    settings: Settings, url: str
) -> None:
    with pytest.raises(EndpointRefused):
        check_endpoint_url(url, settings)


def test_an_allowed_network_may_be_named_by_ip_with_http(settings: Settings) -> None:
    check_endpoint_url("http://127.0.0.1:9/hook", allowing_loopback(settings))
    with pytest.raises(EndpointRefused):  # a name never gets the exception
        check_endpoint_url("http://localhost:9/hook", allowing_loopback(settings))


def test_a_target_no_longer_allowed_gets_nothing(
    sqlite_store: Store, settings: Settings, receiver: tuple[Receiver, str]
) -> None:
    state, url = receiver
    sync_organizations(sqlite_store, settings.organizations)
    endpoint_id, state.secret = register(sqlite_store, url)  # registered while allowed
    publish(sqlite_store, "geheim")
    run = Deliverer(sqlite_store, settings, clock=Clock()).run_due()  # now: not allowed
    assert run.failed == 1 and state.requests == 0
    (delivery,) = recent_deliveries(sqlite_store, endpoint_id)
    assert "private" in delivery.last_error or "https" in delivery.last_error


def test_cursor_helper_is_shared() -> None:
    assert decode_cursor("YzE6MA") == 0


def test_a_theme_filter_reads_the_theme_of_the_revision_the_event_is_about(
    sqlite_store: Store, settings: Settings, receiver: tuple[Receiver, str]
) -> None:
    state, url = receiver
    settings = allowing_loopback(settings)
    sync_organizations(sqlite_store, settings.organizations)
    _, state.secret = register(sqlite_store, url, EndpointFilter(themes=("ENVI",)))
    theme = (
        "<{uri}> <http://www.w3.org/ns/dcat#theme> "
        "<http://publications.europa.eu/resource/authority/data-theme/ENVI> .\n"
    )
    for name, extra in (
        ("luft", theme.format(uri="http://catalog.test/dataset/luft")),
        ("geld", ""),
    ):
        create_record(
            sqlite_store,
            replace(content(name, extra=extra), validation_state=ValidationState.VALID),
            name=name,
            actor=ACTOR,
            status=RecordStatus.PUBLISHED,
        )
    clock = Clock()
    deliver_until_done(Deliverer(sqlite_store, settings, clock=clock), clock)
    assert [json.loads(b)["subject"] for _, b in state.accepted] == ["luft"]


def test_catalog_deliver_runs_due_deliveries_from_the_command_line(
    tmp_path: Path, receiver: tuple[Receiver, str]
) -> None:
    state, url = receiver
    config = tmp_path / "config.yaml"
    config.write_text(
        yaml.safe_dump(
            minimal_config(
                storage={"data_dir": str(tmp_path / "instance")},
                webhooks={"allowed_networks": ["127.0.0.1/32"]},
            )
        ),
        encoding="utf-8",
    )
    runner = CliRunner()
    env = {"CATALOG_CONFIG": str(config)}
    assert runner.invoke(cli, ["init"], env=env).exit_code == 0
    settings = load_settings(None, env=env)
    store = open_current_store(settings)
    try:
        _, state.secret = register(store, url)
        publish(store, "per-cron")
        state.script = [500]
        failed = runner.invoke(cli, ["deliver", "--due"], env=env)
        assert failed.exit_code == 1, failed.output
        waiting = runner.invoke(cli, ["deliver", "--due"], env=env)
        assert waiting.exit_code == 0 and state.requests == 1, "back-off not over yet"
        now = runner.invoke(cli, ["deliver"], env=env)
        assert now.exit_code == 0 and "Zugestellt: 1," in now.output
        assert [json.loads(b)["subject"] for _, b in state.accepted] == ["per-cron"]
    finally:
        store.close()


def test_one_deliverer_at_a_time_per_endpoint(sqlite_store: Store, settings: Settings) -> None:
    sync_organizations(sqlite_store, settings.organizations)
    endpoint_id, _ = register(sqlite_store, "https://example.org/hook")
    now = Clock()()
    assert claim_endpoint(sqlite_store, endpoint_id, now)
    assert not claim_endpoint(sqlite_store, endpoint_id, now), "cron and a web worker never both"
    assert claim_endpoint(sqlite_store, endpoint_id, now + timedelta(minutes=6)), "lease ran out"
    release_endpoint(sqlite_store, endpoint_id)
    assert claim_endpoint(sqlite_store, endpoint_id, now)


@pytest.mark.parametrize("answer", [200, 500])
def test_an_endpoint_deleted_during_a_delivery_run_gets_nothing_more_and_the_run_goes_on(
    store: Store,
    database_url: tuple[str, dict[str, Any]],
    settings: Settings,
    receiver: tuple[Receiver, str],
    answer: int,
) -> None:
    state, url = receiver
    settings = allowing_loopback(settings)
    sync_organizations(store, settings.organizations)
    endpoint_id, state.secret = register(store, url)
    admin = open_store(database_url[0], **database_url[1])  # an admin's web process
    state.script = [answer]
    state.meanwhile = [lambda: delete_endpoint(admin, endpoint_id)]
    try:
        with receiving() as (other, other_url):
            other_id, other.secret = register(store, other_url)
            publish(store, "erstes")
            publish(store, "zweites")
            run = Deliverer(store, settings, clock=Clock()).run_due()
    finally:
        admin.close()

    assert state.requests == 1, "one request was on the wire; none after it"
    assert len(state.accepted) == (1 if answer == 200 else 0)
    assert delivery_count(store, endpoint_id) == 0, "its log went with it"
    assert run.delivered == 2, "the other endpoint was served in the same run"
    assert [json.loads(body)["subject"] for _, body in other.accepted] == ["erstes", "zweites"]
    assert delivery_count(store, other_id) == 2
    again = Deliverer(store, settings, clock=Clock()).run_due()
    assert (again.enqueued, again.delivered, again.failed, state.requests) == (0, 0, 0, 1)
