"""Where a CKAN or DKAN package names its publisher: ckanext-dcat's publisher fields, else the
CKAN organisation's title (as CKAN portals map it), else, on DKAN 7, which has no
organisations, the DKAN group (its "Publisher" field); a CKAN group is a topic, never one."""

from __future__ import annotations

import json
from typing import Any

from dcat.ckan.parse import dataset_graph_from_ckan
from dcat.view import dataset_view
from tests.conftest import REPO

HAUTS_DE_FRANCE = (
    REPO
    / "tests/data/real/dkan-hautsdefrance/package_show"
    / "antennes-regionales-de-la-region-hauts-de-france-au-01102019-0.json"
)
DKAN_GROUP = {
    "id": "g-1",
    "name": "group/region-hauts-de-france",
    "title": "Région Hauts-de-France",
}


def _package(**fields: Any) -> dict[str, Any]:
    return {"id": "p-1", "name": "antennes", "title": "Antennes", "notes": "Liste.", **fields}


def _publisher_name(package: dict[str, Any]) -> str | None:
    graph, node = dataset_graph_from_ckan(package)
    publisher = dataset_view(graph, node).publisher
    return publisher.name if publisher is not None else None


def test_a_real_dkan_answer_names_its_group_as_publisher() -> None:
    answer = json.loads(HAUTS_DE_FRANCE.read_text(encoding="utf-8"))

    assert _publisher_name(answer["result"][0]) == "Région Hauts-de-France"


def test_a_dkan_group_is_the_publisher_only_of_a_package_without_organisation() -> None:
    organisation = {"name": "region", "title": "Conseil régional"}

    assert _publisher_name(_package(groups=[DKAN_GROUP])) == "Région Hauts-de-France"
    assert (
        _publisher_name(_package(groups=[DKAN_GROUP], organization=organisation))
        == "Conseil régional"
    )
    assert (
        _publisher_name(_package(groups=[DKAN_GROUP], publisher_name="Hauts-de-France Mobilités"))
        == "Hauts-de-France Mobilités"
    )


def test_a_ckan_group_is_a_topic_and_never_the_publisher() -> None:
    ckan_group = {"id": "g-2", "name": "verkehr", "title": "Verkehr"}

    assert _publisher_name(_package(groups=[ckan_group])) is None


def test_a_package_without_publisher_organisation_or_dkan_group_names_none() -> None:
    dkan_demo = _package(author_email="admin@example.com", maintainer="DKAN")

    assert _publisher_name(dkan_demo) is None
    assert _publisher_name(_package(groups=[{"name": "group/ohne-titel"}])) is None
