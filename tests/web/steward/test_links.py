"""Link health in the steward area: a dataset's links with their state, the buttons that check
a dataset or an organisation in the background, and an organisation's broken links."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask

from catalog.ingest import RecordPreparer
from catalog.link_checks import LinkResult, keep_link_results, link_states
from catalog.models import DatasetRecord, utcnow
from catalog.organizations import get_organization_by_name
from catalog.records import create_record
from catalog.settings import Settings
from catalog.store import Store
from dcat.builder import build_dataset_graph
from dcat.model import DatasetInput, DistributionInput
from harvesters.link_service import BackgroundLinkChecks
from tests.catalog.search.support import CC_BY, FILE_TYPE, STEWARD, THEME
from tests.harvesters.linkcheck_server import LinkServer, link_server
from tests.web.steward.steward_support import client_for, page_text, post
from web.steward.links import BACKGROUND_KEY


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with link_server() as running:
        yield running


def add_linked_dataset(
    store: Store, settings: Settings, name: str, organization: str, downloads: list[str]
) -> DatasetRecord:
    """A valid published dataset whose CSV distributions download from these addresses."""
    data = DatasetInput(
        title={"de": f"Datensatz {name}"},
        description={"de": "Eine Beschreibung des Datensatzes."},
        themes=[THEME + "ENVI"],
        distributions=[
            DistributionInput(
                access_url=url, download_url=url, format=FILE_TYPE + "CSV", license=CC_BY
            )
            for url in downloads
        ],
    )
    graph, node = build_dataset_graph(data, uri=f"{settings.catalog.base_url}/dataset/{name}")
    prepared = RecordPreparer(settings).prepare(graph, node)
    org = get_organization_by_name(store, organization)
    assert org is not None
    from catalog.models import RecordStatus

    return create_record(
        store,
        prepared.content,
        name=name,
        actor=STEWARD,
        status=RecordStatus.PUBLISHED,
        organization_id=org.id,
    )


def _finished(app: Flask) -> None:
    checks: BackgroundLinkChecks = app.extensions[BACKGROUND_KEY]
    assert checks.join(timeout=30)


def test_checking_a_dataset_shows_each_links_state_final_url_type_and_error(
    steward_app: Flask, steward_store: tuple[Settings, Store], server: LinkServer
) -> None:
    settings, store = steward_store
    base = server.base
    add_linked_dataset(
        store, settings, "baeume", "umweltamt", [f"{base}/moved-1", f"{base}/missing"]
    )
    client = client_for(steward_app, "emil")
    before = page_text(client.get("/verwaltung/datensaetze/baeume"))
    assert "noch nicht geprüft" in before

    answer = post(client, "/verwaltung/datensaetze/baeume/links-pruefen")
    assert answer.status_code == 303
    _finished(steward_app)

    page = page_text(client.get("/verwaltung/datensaetze/baeume"))
    assert "Die Linkprüfung ist gestartet" in page
    assert f"{base}/ok.csv" in page  # the final URL after the redirects
    assert "text/csv" in page
    assert "kaputt seit heute" in page
    assert "Der Server antwortet mit HTTP 404." in page


def test_a_link_broken_for_twelve_days_says_so(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    settings, store = steward_store
    url = "https://daten.teststadt.example/weg.csv"
    add_linked_dataset(store, settings, "weg", "umweltamt", [url])
    now = utcnow()
    keep_link_results(
        store,
        [
            LinkResult(url, now - timedelta(days=20), True, 200, url, "text/csv", 5, 3, None),
            LinkResult(
                url, now - timedelta(days=12), False, 404, url, None, None, 3, "http_status"
            ),
            LinkResult(url, now - timedelta(days=1), False, 404, url, None, None, 3, "http_status"),
        ],
    )
    page = page_text(client_for(steward_app, "emil").get("/verwaltung/datensaetze/weg"))
    assert "kaputt seit 12 Tagen" in page


def test_an_organisations_check_lists_its_broken_links_only(
    steward_app: Flask, steward_store: tuple[Settings, Store], server: LinkServer
) -> None:
    settings, store = steward_store
    base = server.base
    add_linked_dataset(store, settings, "laerm", "umweltamt", [f"{base}/page.html"])
    add_linked_dataset(store, settings, "luft", "umweltamt", [f"{base}/ok.csv"])
    add_linked_dataset(store, settings, "wahlen", "statistik", [f"{base}/failing"])
    client = client_for(steward_app, "emil")

    answer = post(client, "/verwaltung/organisationen/umweltamt/links-pruefen")
    assert answer.status_code == 303
    _finished(steward_app)

    page = page_text(client.get("/verwaltung/organisationen/umweltamt/links"))
    assert "liefert HTML statt CSV" in page
    assert f"{base}/page.html" in page
    assert f"{base}/ok.csv" not in page  # fine links are not listed
    assert f"{base}/failing" not in page  # another organisation's, and not checked
    assert link_states(store, [f"{base}/failing"]) == {}


def test_stewards_of_other_organisations_may_neither_see_nor_check(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    client = client_for(steward_app, "otto")  # admin of the Statistikstelle only
    assert client.get("/verwaltung/organisationen/umweltamt/links").status_code == 403
    assert post(client, "/verwaltung/organisationen/umweltamt/links-pruefen").status_code == 403


def test_the_dashboard_offers_the_organisations_link_check(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    page = page_text(client_for(steward_app, "emil").get("/verwaltung/"))
    assert "/verwaltung/organisationen/umweltamt/links-pruefen" in page
    assert "/verwaltung/organisationen/umweltamt/links" in page
