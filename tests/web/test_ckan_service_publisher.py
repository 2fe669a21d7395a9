"""A data service's publisher through the CKAN Action API with the real ckanapi client on a real
HTTP server: package_create with ckanext-dcat's access_services `publisher` subfield, then
package_show gives it back, the record passes our DCAT-AP.de 3.0 shapes, and the demo's own
services show the publisher their source states."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ckanapi
import pytest
from rdflib import URIRef

from catalog.accounts import add_user, create_token
from catalog.models import Role
from catalog.records import get_record_by_name
from catalog.settings import Settings
from catalog.store import Store
from dcat.namespaces import DCAT, DCT, FOAF
from dcat.parsing import parse_rdf
from dcat.profile_validation import ProfileValidator
from dcat.profiles import Profile
from tests.servers import served
from web import create_app

LGI = {"name": "Landesamt für Geoinformation", "uri": "https://lgi.example/org"}


@pytest.fixture(scope="module")
def portal(demo: tuple[Settings, Store]) -> Iterator[str]:
    settings, store = demo
    with served(create_app(settings, store=store)) as address:
        yield address


@pytest.fixture(scope="module")
def token(demo: tuple[Settings, Store]) -> str:
    _, store = demo
    add_user(
        store,
        username="erika",
        email="erika@stadt.example",
        password="lang-genug-1",
        roles={"umweltamt": Role.EDITOR},
    )
    return create_token(store, "erika", "skript").secret


def _package(name: str, service: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "title": "Lärmkarten",
        "notes": "Strategische Lärmkarten der Stadt.",
        "owner_org": "umweltamt",
        "license_id": "dl-by-de/2.0",
        "contact_email": "umwelt@musterstadt.example",
        "resources": [
            {
                "url": "https://geo.musterstadt.example/wms/laerm",
                "format": "WMS",
                "access_services": [service],
            }
        ],
    }


def _service(**changes: Any) -> dict[str, Any]:
    return {
        "title": "Lärmkarten (WMS)",
        "endpoint_url": ["https://geo.musterstadt.example/wms/laerm"],
        **changes,
    }


def test_package_create_and_show_keep_the_service_publisher(
    portal: str, token: str, demo: tuple[Settings, Store]
) -> None:
    _, store = demo
    client = ckanapi.RemoteCKAN(portal, apikey=token)
    client.action.package_create(**_package("laermkarten", _service(publisher=[LGI])))

    shown = ckanapi.RemoteCKAN(portal).action.package_show(id="laermkarten")
    (service,) = shown["resources"][0]["access_services"]
    assert service["publisher"] == [LGI]

    record = get_record_by_name(store, "laermkarten")
    assert record is not None
    graph = parse_rdf(record.graph.encode(), content_type="application/n-triples")
    (service_node,) = graph.subjects(DCAT.endpointURL, None)
    agent = graph.value(service_node, DCT.publisher)
    assert agent == URIRef(LGI["uri"])
    assert str(graph.value(agent, FOAF.name)) == LGI["name"]
    report = ProfileValidator(Profile.DCATAPDE_3).validate(graph)
    assert not [r for r in report.violations if "data service" in r.message_en]


def test_a_service_written_without_publisher_gets_none_from_the_dataset(
    portal: str, token: str
) -> None:
    client = ckanapi.RemoteCKAN(portal, apikey=token)
    client.action.package_create(**_package("laermkarten-ohne", _service()))
    shown = ckanapi.RemoteCKAN(portal).action.package_show(id="laermkarten-ohne")
    assert shown["resources"][0]["access_services"][0]["publisher"] == []


def test_the_demo_services_show_the_publisher_their_source_states(portal: str) -> None:
    found = ckanapi.RemoteCKAN(portal).action.package_search(fq="organization:umweltamt", rows=100)
    services = {
        package["name"]: service
        for package in found["results"]
        for resource in package["resources"]
        for service in resource["access_services"]
        if not package["name"].startswith("laermkarten")
    }
    assert len(services) == 3, sorted(services)
    assert all(s["publisher"] == [{"name": "Umweltamt"}] for s in services.values())
