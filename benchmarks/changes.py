"""The change log, the public change feed and the webhook deliverer: events per second.

Run:  .venv/bin/python benchmarks/changes.py [--events 5000] [--writers 2]
          [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]
Per database: N published records written by W threads, one transaction each (as stewards
and harvests save, each with its change-log row); the feed walked in pages of 1,000 through
catalog.change_feed and through GET /api/changes (Flask test client); then one webhook
endpoint on a real HTTP server on 127.0.0.1 receiving every event, signed, one POST each.
Prints a Markdown table. Not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from catalog.change_feed import encode_cursor, public_events
from catalog.migrate import upgrade_database
from catalog.models import RecordStatus, ValidationState
from catalog.organizations import get_organization_by_name, sync_organizations
from catalog.records import Actor, RecordContent, create_record
from catalog.settings import Settings, settings_from_mapping
from catalog.store import Store, open_store
from catalog.webhooks import EndpointFilter, register_endpoint
from harvesters.webhook_delivery import Deliverer
from web import create_app

WITHOUT_LOG = "--without-log" in sys.argv


def settings_for(data_dir: Path, database_url: str | None) -> Settings:
    return settings_from_mapping(
        {
            "catalog": {
                "title": "Benchmark",
                "base_url": "http://catalog.test",
                "publisher": {"name": "Stadt", "uri": "https://stadt.example/"},
            },
            "storage": {"data_dir": str(data_dir), "database_url": database_url},
            "organizations": [{"name": "umweltamt", "title": "Umweltamt"}],
            "webhooks": {"allowed_networks": ["127.0.0.1/32"]},
        },
        base_dir=data_dir,
        env={},
    )


def content(name: str) -> RecordContent:
    uri = f"http://catalog.test/dataset/{name}"
    graph = (
        f"<{uri}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<http://www.w3.org/ns/dcat#Dataset> .\n"
        f'<{uri}> <http://purl.org/dc/terms/title> "{name}"@de .\n'
    )
    return RecordContent(
        uri=uri,
        graph=graph,
        content_hash=uuid.uuid4().hex,
        title=name,
        validation_state=ValidationState.VALID,
    )


def write(store: Store, events: int, writers: int, organization_id: str) -> float:
    def one_writer(number: int) -> None:
        for index in range(number, events, writers):
            create_record(
                store,
                content(f"r{index}"),
                name=f"r{index}",
                actor=Actor("bench"),
                status=RecordStatus.PUBLISHED,
                organization_id=organization_id,
            )

    started = time.perf_counter()
    threads = [threading.Thread(target=one_writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return events / (time.perf_counter() - started)


def walk_service(store: Store, settings: Settings, events: int) -> float:
    started = time.perf_counter()
    seen, after = 0, 0
    while True:
        page = public_events(store, settings, after=after, limit=1000)
        if not page.events:
            break
        seen += len(page.events)
        after = page.next_position
    assert seen == events, (seen, events)
    return events / (time.perf_counter() - started)


def walk_http(store: Store, settings: Settings, events: int) -> float:
    client = create_app(settings, store=store).test_client()
    started = time.perf_counter()
    seen, cursor = 0, encode_cursor(0)
    while True:
        body = client.get(f"/api/changes?since={cursor}&limit=1000").get_json()
        if not body["events"]:
            break
        seen += len(body["events"])
        cursor = body["next"]
    assert seen == events, (seen, events)
    return events / (time.perf_counter() - started)


def deliver(store: Store, settings: Settings, events: int, organization_id: str) -> float:
    received = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver would

        def do_POST(self) -> None:
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    register_endpoint(
        store,
        organization_id=organization_id,
        url=f"http://127.0.0.1:{server.server_port}/hook",
        description="bench",
        wanted=EndpointFilter(),
        created_by="bench",
    )
    with store.transaction() as session:  # follow the feed from its beginning
        session.execute(text("UPDATE webhook_endpoints SET position = 0"))
    started = time.perf_counter()
    run = Deliverer(store, settings).run_due()
    elapsed = time.perf_counter() - started
    server.shutdown()
    assert run.delivered == events == len(received), (run, len(received))
    return events / elapsed


def measure(name: str, settings: Settings, store: Store, events: int, writers: int) -> list[str]:
    upgrade_database(store)
    sync_organizations(store, settings.organizations)
    org = get_organization_by_name(store, "umweltamt")
    assert org is not None
    written = write(store, events, writers, org.id)
    if WITHOUT_LOG:
        return [f"| {name} (no log) | {events:,} | {written:,.0f} | | | |"]
    service = walk_service(store, settings, events)
    http = walk_http(store, settings, events)
    delivered = deliver(store, settings, events, org.id)
    numbers = (written, service, http, delivered)
    return [f"| {name} | {events:,} | " + " | ".join(f"{n:,.0f}" for n in numbers) + " |"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--postgres")
    parser.add_argument(
        "--without-log",
        action="store_true",
        help="Write without change-log rows, to see what the log costs a commit (feed empty).",
    )
    args = parser.parse_args()
    if args.without_log:
        import catalog.records

        catalog.records.append_changes = lambda session, changes: []  # type: ignore[assignment]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = settings_for(Path(tmp), None)
        store = open_store(settings.database_url)
        rows += measure("SQLite", settings, store, args.events, args.writers)
        store.close()
    if args.postgres:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.postgres)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            with tempfile.TemporaryDirectory() as tmp:
                settings = settings_for(Path(tmp), args.postgres)
                store = open_store(
                    args.postgres, connect_args={"options": f"-csearch_path={schema}"}
                )
                rows += measure("PostgreSQL", settings, store, args.events, args.writers)
                store.close()
        finally:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    print(f"{platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print(
        "| database | events | written/s ("
        f"{args.writers} writers, a commit each) | feed read/s (service) | /api/changes/s "
        "| webhook deliveries/s |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
