"""package_search, resource_show and tag_list, driven by ckanapi's RemoteCKAN against the demo
catalog on a real HTTP server; every expected number is computed from the database or from
package_show results, never written down."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ckanapi
import pytest
import requests
import yaml
from sqlalchemy import func, select

from catalog.models import DatasetRecord, JobStatus, Organization
from catalog.organizations import get_source_by_name
from catalog.publication import public_conditions
from catalog.search import base as search
from catalog.settings import Settings, settings_from_mapping
from catalog.setup import initialise, open_current_store
from catalog.store import Store
from harvesters.service import harvest_sources
from tests.conftest import REPO
from tests.servers import served
from web import create_app
from web.ckan.dates import QueryError, date_bound, parse_range
from web.ckan.query import All, Any_, Fragment, Leaf, Not, parse_fq, words_and_condition


@pytest.fixture(scope="module")
def portal(demo: tuple[Settings, Store]) -> Iterator[str]:
    settings, store = demo
    with served(create_app(settings, store=store)) as address:
        yield address


@pytest.fixture(scope="module")
def packages(portal: str) -> list[dict[str, Any]]:
    """Every public package as package_show gives it."""
    client = ckanapi.RemoteCKAN(portal)
    return [client.action.package_show(id=name) for name in client.action.package_list()]


def _search(portal: str, **parameters: Any) -> dict[str, Any]:
    result: dict[str, Any] = ckanapi.RemoteCKAN(portal).action.package_search(**parameters)
    return result


def test_counts_per_organisation_equal_the_public_records_in_the_database(
    portal: str, demo: tuple[Settings, Store]
) -> None:
    settings, store = demo
    query = (
        select(Organization.name, func.count())
        .join(DatasetRecord, DatasetRecord.organization_id == Organization.id)
        .where(*public_conditions(settings))
        .group_by(Organization.name)
    )
    with store.reading() as session:
        expected = dict(session.execute(query).all())
    assert len(expected) == 3
    for name, count in expected.items():
        assert _search(portal, fq=f"organization:{name}", rows=0)["count"] == count
    assert _search(portal, rows=0)["count"] == sum(expected.values())


def test_paging_with_start_and_rows_covers_every_public_dataset_once(
    portal: str, packages: list[dict[str, Any]]
) -> None:
    seen: list[str] = []
    start = 0
    while True:
        page = _search(portal, rows=7, start=start, sort="name asc")
        seen += [package["name"] for package in page["results"]]
        start += 7
        if start >= page["count"]:
            break
    assert seen == sorted(package["name"] for package in packages)
    newest_first = _search(portal, rows=1000, sort="metadata_modified desc")["results"]
    stamps = [package["metadata_modified"] for package in newest_first]
    assert stamps == sorted(stamps, reverse=True) and len(stamps) == len(packages)


def _tags(package: dict[str, Any]) -> set[str]:
    return {tag["name"] for tag in package["tags"]}


def _formats(package: dict[str, Any]) -> set[str]:
    return {resource["format"] for resource in package["resources"] if resource["format"]}


def test_fq_on_tags_formats_and_organisations_selects_what_package_show_shows(
    portal: str, packages: list[dict[str, Any]]
) -> None:
    tag = Counter(t for p in packages for t in _tags(p)).most_common(1)[0][0]
    cases = {
        f'tags:"{tag}"': lambda p: tag in _tags(p),
        "res_format:CSV": lambda p: "CSV" in _formats(p),
        "res_format:csv AND organization:umweltamt": lambda p: (
            "CSV" in _formats(p) and p["organization"]["name"] == "umweltamt"
        ),
        "-organization:umweltamt": lambda p: p["organization"]["name"] != "umweltamt",
        "organization:(umweltamt OR tiefbauamt)": lambda p: (
            p["organization"]["name"] in ("umweltamt", "tiefbauamt")
        ),
        "groups:envi": lambda p: "envi" in {g["name"] for g in p["groups"]},
        "metadata_modified:[2000-01-01T00:00:00Z TO *]": lambda p: True,
        "metadata_modified:[NOW+1DAY TO *]": lambda p: False,
        "+dataset_type:dataset": lambda p: True,
    }
    for fq, wanted in cases.items():
        found = _search(portal, fq=fq, rows=1000, fl="name")
        expected = sorted(p["name"] for p in packages if wanted(p))
        assert sorted(p["name"] for p in found["results"]) == expected, fq
        assert found["count"] == len(expected), fq


def test_facets_equal_the_counts_of_package_show_results(
    portal: str, packages: list[dict[str, Any]]
) -> None:
    fields = ["organization", "tags", "groups", "res_format", "license_id"]
    found = _search(portal, rows=0, **{"facet.field": fields, "facet.limit": -1})
    expected = {
        "organization": Counter(p["organization"]["name"] for p in packages),
        "tags": Counter(t for p in packages for t in _tags(p)),
        "groups": Counter(g["name"] for p in packages for g in p["groups"]),
        "res_format": Counter(f for p in packages for f in _formats(p)),
        "license_id": Counter(p["license_id"] for p in packages if p["license_id"]),
    }
    for field in fields:
        assert found["facets"][field] == dict(expected[field]), field
        items = found["search_facets"][field]["items"]
        assert {item["name"]: item["count"] for item in items} == dict(expected[field])
    organizations = {
        i["name"]: i["display_name"] for i in found["search_facets"]["organization"]["items"]
    }
    assert organizations["tiefbauamt"] == "Tiefbau- und Verkehrsamt"
    groups = {i["name"]: i["display_name"] for i in found["search_facets"]["groups"]["items"]}
    assert groups["envi"] == "Umwelt"
    limited = _search(portal, rows=0, **{"facet.field": '["tags"]', "facet.limit": 2})
    assert len(limited["search_facets"]["tags"]["items"]) == 2


def test_words_in_q_find_datasets_and_field_terms_in_q_filter(
    portal: str, packages: list[dict[str, Any]]
) -> None:
    word = "Baumkataster"
    found = _search(portal, q=word)
    assert found["count"] >= 1 and word in found["results"][0]["title"]
    in_q = _search(portal, q="organization:umweltamt", rows=0)["count"]
    assert in_q == sum(p["organization"]["name"] == "umweltamt" for p in packages)


def test_a_broken_fq_or_sort_is_a_search_query_error(portal: str) -> None:
    for fq in (
        "unbekannt:x",
        "organization:",
        "(((",
        "metadata_modified:[gestern TO *]",
        "tags:a*",
    ):
        with pytest.raises(ckanapi.SearchQueryError):
            _search(portal, fq=fq)
    with pytest.raises(ckanapi.SearchQueryError):
        _search(portal, sort="beliebtheit desc")
    with pytest.raises(ckanapi.SearchQueryError):
        _search(portal, **{"facet.field": ["erfunden"]})
    with pytest.raises(ckanapi.ValidationError):
        _search(portal, rows=1001)


def test_nonsense_in_q_never_fails(portal: str) -> None:
    for q in ('"((', "AND OR NOT", "***", "?", "tags:", "metadata_modified:[", "x" * 5000, "\\"):
        response = requests.get(
            f"{portal}/api/3/action/package_search", params={"q": q}, timeout=30
        )
        assert response.status_code in (200, 400), q
        assert response.json()["success"] is (response.status_code == 200), q


def test_resource_show_finds_every_resource_as_package_show_shows_it(
    portal: str, packages: list[dict[str, Any]]
) -> None:
    client = ckanapi.RemoteCKAN(portal)
    resources = [r for p in packages for r in p["resources"]]
    assert len(resources) > len(packages)
    for resource in resources:
        assert client.action.resource_show(id=resource["id"]) == resource
    with pytest.raises(ckanapi.NotFound):
        client.action.resource_show(id="gibt-es-nicht")


def test_tag_list_gives_every_keyword_and_filters_by_query(
    portal: str, packages: list[dict[str, Any]]
) -> None:
    client = ckanapi.RemoteCKAN(portal)
    every = {t for p in packages for t in _tags(p)}
    assert set(client.action.tag_list()) == every
    chosen = sorted(every)[0]
    part = chosen[1:4].lower()
    assert set(client.action.tag_list(query=part)) == {t for t in every if part in t.lower()}
    detailed = client.action.tag_list(all_fields=True)
    assert {tag["name"] for tag in detailed} == every


def test_our_own_ckan_harvester_reads_every_public_dataset_through_package_search(
    portal: str, packages: list[dict[str, Any]], tmp_path: Path
) -> None:
    """harvesters.ckan pages with rows=1000, sort=metadata_modified asc, fq on
    metadata_modified for the changed-only run and fl=id,name for the listing."""
    raw = yaml.safe_load((REPO / "config.yaml").read_text(encoding="utf-8"))
    raw["storage"] = {"data_dir": str(tmp_path / "second")}
    raw["harvest"] = {**raw["harvest"], "allow_private_networks": True, "retries": 1}
    raw["sources"] = [{"name": "wir", "type": "ckan", "url": portal, "organization": "umweltamt"}]
    settings = settings_from_mapping(raw, base_dir=REPO, env={})
    initialise(settings)
    store = open_current_store(settings)
    try:
        source = get_source_by_name(store, "wir")
        assert source is not None
        for _ in range(2):  # the second run asks only for what changed since the first
            (outcome,) = harvest_sources(store, settings, [source])
            assert outcome.status == JobStatus.DONE, (outcome.message, outcome.counts)
        assert outcome.counts.withdrawn == 0 and outcome.counts.new == 0
        with store.reading() as session:
            titles = sorted(session.scalars(select(DatasetRecord.title)))
        assert titles == sorted(package["title"] for package in packages)
    finally:
        store.close()


def test_fq_reads_values_quotes_groups_and_negations() -> None:
    condition = parse_fq('organization:umweltamt -tags:"Luft und Lärm" res_format:(csv OR JSON)')
    assert condition == All(
        (
            Leaf(Fragment(filters=(("organization", "umweltamt"),))),
            Not(Leaf(Fragment(filters=(("keyword", "Luft und Lärm"),)))),
            Any_(
                (
                    Leaf(Fragment(filters=(("format", "CSV"),))),
                    Leaf(Fragment(filters=(("format", "JSON"),))),
                )
            ),
        )
    )
    licence = parse_fq("license_id:http\\://dcat-ap.de/def/licenses/dl-by-de/2.0")
    assert licence == Leaf(
        Fragment(filters=(("license", "http://dcat-ap.de/def/licenses/dl-by-de/2.0"),))
    )


def test_date_ranges_take_iso_dates_and_solr_date_math() -> None:
    now = datetime(2024, 3, 31, 15, 45, 10, tzinfo=UTC)

    def bound(text: str, upper: bool = False) -> datetime | None:
        return date_bound(text, upper=upper, field_name="metadata_modified", now=now)

    assert bound("NOW-1MONTH") == datetime(2024, 2, 29, 15, 45, 10, tzinfo=UTC)
    assert bound("NOW/DAY") == datetime(2024, 3, 31, tzinfo=UTC)
    assert bound("NOW/DAY-7DAYS") == datetime(2024, 3, 24, tzinfo=UTC)
    assert bound("NOW-1YEAR/MONTH") == datetime(2023, 3, 1, tzinfo=UTC)
    assert bound("2024-01-31", upper=True) == datetime(2024, 1, 31, 23, 59, 59, 999999, tzinfo=UTC)
    assert bound("2024-01-01T10:00:00+02:00") == datetime(2024, 1, 1, 8, tzinfo=UTC)
    assert bound("*") is None
    exclusive = parse_range("{2024-01-01T00:00:00Z TO 2024-02-01T00:00:00Z}", "metadata_modified")
    assert exclusive.start == datetime(2024, 1, 1, 0, 0, 0, 1, tzinfo=UTC)
    assert exclusive.end == datetime(2024, 1, 31, 23, 59, 59, 999999, tzinfo=UTC)
    for broken in ("NOW-1FORTNIGHT", "gestern", "NOW+"):
        with pytest.raises(QueryError):
            bound(broken)


def _modified(package: dict[str, Any]) -> datetime:
    stamp = datetime.fromisoformat(package["metadata_modified"])
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp


def test_fq_with_or_not_and_parentheses_selects_what_package_show_shows(
    portal: str, packages: list[dict[str, Any]]
) -> None:
    tag = Counter(t for p in packages for t in _tags(p)).most_common(1)[0][0]
    named = sorted(p["name"] for p in packages)[:2]
    first = min(packages, key=lambda p: p["name"])
    stamps = sorted(_modified(p) for p in packages)
    middle = stamps[len(stamps) // 2]
    solr_middle = middle.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def org(p: dict[str, Any]) -> str:
        return str(p["organization"]["name"])

    cases = {
        "organization:statistikstelle OR res_format:JSON": lambda p: (
            org(p) == "statistikstelle" or "JSON" in _formats(p)
        ),
        "NOT (organization:umweltamt OR organization:tiefbauamt)": lambda p: (
            org(p) not in ("umweltamt", "tiefbauamt")
        ),
        "groups:envi AND NOT res_format:CSV": lambda p: (
            "envi" in {g["name"] for g in p["groups"]} and "CSV" not in _formats(p)
        ),
        f'-tags:"{tag}" -organization:statistikstelle': lambda p: (
            tag not in _tags(p) and org(p) != "statistikstelle"
        ),
        "(organization:umweltamt res_format:CSV) OR (organization:tiefbauamt -res_format:CSV)": (
            lambda p: (
                (org(p) == "umweltamt" and "CSV" in _formats(p))
                or (org(p) == "tiefbauamt" and "CSV" not in _formats(p))
            )
        ),
        f"name:{named[0]} OR name:{named[1]} OR name:gibt-es-nicht": lambda p: p["name"] in named,
        f"id:{first['id']} OR organization:statistikstelle": lambda p: (
            p["id"] == first["id"] or org(p) == "statistikstelle"
        ),
        f"metadata_modified:[{solr_middle} TO *]": lambda p: _modified(p) >= middle,
        f"metadata_modified:{{{solr_middle} TO *]": lambda p: _modified(p) > middle,
        f"metadata_modified:[* TO {solr_middle}}} OR organization:umweltamt": lambda p: (
            _modified(p) < middle or org(p) == "umweltamt"
        ),
        "-metadata_modified:[NOW+1DAY TO *]": lambda p: True,
        "dataset_type:harvest OR organization:tiefbauamt": lambda p: org(p) == "tiefbauamt",
        "NOT dataset_type:harvest": lambda p: True,
        "NOT NOT organization:umweltamt": lambda p: org(p) == "umweltamt",
    }
    for fq, wanted in cases.items():
        found = _search(portal, fq=fq, rows=1000, fl="name")
        expected = sorted(p["name"] for p in packages if wanted(p))
        assert 0 < len(expected) < len(packages) or fq.endswith(("*]", "harvest")), fq
        assert sorted(p["name"] for p in found["results"]) == expected, fq
        assert found["count"] == len(expected), fq


def test_negated_field_terms_in_q_filter_like_fq(
    portal: str, packages: list[dict[str, Any]]
) -> None:
    found = _search(portal, q="-organization:umweltamt res_format:CSV", rows=1000, fl="name")
    expected = sorted(
        p["name"]
        for p in packages
        if p["organization"]["name"] != "umweltamt" and "CSV" in _formats(p)
    )
    assert expected and sorted(p["name"] for p in found["results"]) == expected


def test_q_and_fq_become_one_condition_tree_of_the_search_contract() -> None:
    words, condition = words_and_condition(
        "Baum -tags:Laub", 'organization:umweltamt OR (name:baeume -dataset_type:"harvest")'
    )
    assert words == "Baum"
    assert condition == search.All(
        (
            search.Not(search.Term("keyword", "Laub")),
            search.AnyOf(
                (
                    search.Term("organization", "umweltamt"),
                    search.All((search.Term("name", "baeume"), search.Not(search.NOTHING))),
                )
            ),
        )
    )
