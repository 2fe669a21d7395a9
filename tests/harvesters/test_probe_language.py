"""The connection test keeps the harvester's message in German and English apart, so that the
steward's page shows one language."""

from __future__ import annotations

from pathlib import Path

from catalog.organizations import get_source_by_name, sync_organizations, sync_sources
from catalog.store import Store
from harvesters.background import probe_source
from tests.harvesters.conftest import source_settings
from tests.harvesters.recorded import RecordedServer, Route


def test_a_failed_connection_test_says_why_in_each_language_apart(
    server: RecordedServer, sqlite_store: Store, tmp_path: Path
) -> None:
    server.routes["/catalog.ttl"] = Route(b"kaputt", status=500)
    settings = source_settings(
        tmp_path, [{"name": "bremen", "type": "dcat", "url": server.url("/catalog.ttl")}]
    )
    sync_organizations(sqlite_store, settings.organizations)
    sync_sources(sqlite_store, settings.sources)
    source = get_source_by_name(sqlite_store, "bremen")
    assert source is not None
    result = probe_source(sqlite_store, settings, source)
    assert result.outcome == "http_status"
    german, english = result.detail_in("de"), result.detail_in("en")
    assert "HTTP 500" in german and "HTTP 500" in english
    assert " / " not in german.removeprefix(server.url("/catalog.ttl"))
    assert german != english and "antwortete" in german and "antwortete" not in english
