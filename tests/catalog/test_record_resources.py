"""Each record's CKAN resource ids are kept with it, in the transaction that saves its graph,
on SQLite and PostgreSQL alike; the migration that adds them fills them for stored records."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import insert, inspect, select

from catalog.ingest import RecordPreparer
from catalog.migrate import alembic_config, upgrade_database
from catalog.models import DatasetRecord, RecordResource, RecordStatus
from catalog.records import (
    Actor,
    NewRecord,
    RecordContent,
    create_record,
    create_records,
    get_record,
    restore_revision,
    update_record,
    withdraw_record,
)
from catalog.resources import record_ids_for_resource
from catalog.settings import Settings
from catalog.store import Store, open_store
from dcat.builder import build_dataset_graph
from dcat.ckan.serialize import ckan_package_from_view
from dcat.model import DatasetInput, DistributionInput
from dcat.stored import stored_view
from tests.catalog.records_support import content

STEWARD = Actor(label="anna")
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def distribution(name: str, number: int, *identifiers: str) -> str:
    """N-Triples of one distribution of the dataset `name`; identifiers are N-Triples literals."""
    dataset = f"http://catalog.test/dataset/{name}"
    node = f"{dataset}/distribution/{number}"
    lines = [
        f"<{dataset}> <{DCAT}distribution> <{node}> .",
        f"<{node}> <{RDF_TYPE}> <{DCAT}Distribution> .",
        f"<{node}> <{DCAT}accessURL> <https://daten.example/{name}/{number}.csv> .",
        *(f"<{node}> <{DCT}identifier> {identifier} ." for identifier in identifiers),
    ]
    return "\n".join(lines) + "\n"


def stored_ids(store: Store, record_id: str) -> set[str]:
    query = select(RecordResource.resource_id).where(RecordResource.record_id == record_id)
    with store.reading() as session:
        return set(session.scalars(query))


def shown_ids(store: Store, record_id: str, lang: str = "de") -> set[str]:
    """The resource ids package_show shows for the record (the CKAN view of its graph)."""
    record = get_record(store, record_id)
    assert record is not None
    view = stored_view(record.graph, record.uri, lang)
    package = ckan_package_from_view(view, name=record.name, package_id=record.id)
    return {resource["id"] for resource in package["resources"]}


def test_the_resource_ids_follow_the_record_through_every_save(store: Store) -> None:
    first = distribution("wasser", 1, '"pegel-csv"')
    second = distribution("wasser", 2)  # no dct:identifier: a UUID stable for the record
    record = create_record(
        store, content("wasser", extra=first + second), name="wasser", actor=STEWARD
    )
    created = shown_ids(store, record.id)
    assert "pegel-csv" in created and len(created) == 2
    assert stored_ids(store, record.id) == created

    third = distribution("wasser", 3, '"pegel-json"')
    update_record(store, record.id, content("wasser", extra=first + third), actor=STEWARD)
    updated = {"pegel-csv", "pegel-json"}
    assert stored_ids(store, record.id) == shown_ids(store, record.id) == updated

    withdraw_record(store, record.id, actor=STEWARD)
    # Lookups find records of any status: the API shows withdrawn ones to their editors.
    assert stored_ids(store, record.id) == updated
    assert record_ids_for_resource(store, "pegel-json") == [record.id]

    restore_revision(store, record.id, 1, actor=STEWARD)
    assert stored_ids(store, record.id) == created
    assert record_ids_for_resource(store, "pegel-json") == []
    assert record_ids_for_resource(store, "pegel-csv") == [record.id]


def test_a_prepared_record_keeps_the_ids_package_show_shows(
    store: Store, settings: Settings
) -> None:
    data = DatasetInput(
        title={"de": "Baumkataster"},
        description={"de": "Alle Straßenbäume der Stadt."},
        distributions=[
            DistributionInput(access_url="https://daten.example/baeume.csv"),
            DistributionInput(access_url="https://daten.example/baeume.json"),
        ],
    )
    graph, node = build_dataset_graph(data, uri="http://catalog.test/dataset/baeume")
    prepared = RecordPreparer(settings).prepare(graph, node)
    assert prepared.content.distributions is not None  # what harvests and forms save
    record = create_record(store, prepared.content, name="baeume", actor=STEWARD)
    assert len(shown_ids(store, record.id)) == 2
    assert stored_ids(store, record.id) == shown_ids(store, record.id)


def test_records_sharing_a_resource_id_are_all_named(store: Store) -> None:
    shared = '"gemeinsam"'
    one = create_record(
        store, content("eins", extra=distribution("eins", 1, shared)), name="eins", actor=STEWARD
    )
    [two] = create_records(
        store,
        [NewRecord(name="zwei", content=content("zwei", extra=distribution("zwei", 1, shared)))],
        actor=STEWARD,
    )
    assert record_ids_for_resource(store, "gemeinsam") == sorted([one.id, two])
    assert record_ids_for_resource(store, "unbekannt") == []


def test_an_identifier_in_two_languages_is_found_under_either(store: Store) -> None:
    extra = distribution("laerm", 1, '"laermkarte"@de', '"noise-map"@en')
    record = create_record(store, content("laerm", extra=extra), name="laerm", actor=STEWARD)
    assert shown_ids(store, record.id, "de") == {"laermkarte"}
    assert shown_ids(store, record.id, "en") == {"noise-map"}
    assert record_ids_for_resource(store, "laermkarte") == [record.id]
    assert record_ids_for_resource(store, "noise-map") == [record.id]


def test_a_very_long_resource_id_still_names_its_record(store: Store) -> None:
    long_id = "https://daten.example/" + "x" * 3000
    extra = distribution("lang", 1, f'"{long_id}"')
    record = create_record(store, content("lang", extra=extra), name="lang", actor=STEWARD)
    assert shown_ids(store, record.id) == {long_id}
    assert record_ids_for_resource(store, long_id) == [record.id]


def test_the_migration_fills_the_ids_of_records_stored_before_it(
    database_url: tuple[str, dict[str, Any]],
) -> None:
    url, options = database_url
    store = open_store(url, **options)
    try:
        _upgrade(store, _revision_before_resource_ids())
        graphs = {
            "vorher": content("vorher", extra=distribution("vorher", 1, '"alt-csv"')),
            "ohne": content("ohne", extra=distribution("ohne", 1) + distribution("ohne", 2)),
            "leer": content("leer"),
        }
        ids = {name: f"00000000-0000-0000-0000-00000000000{n}" for n, name in enumerate(graphs)}
        # Only the columns the table had then: later migrations add columns the model knows.
        existing = {
            column["name"] for column in inspect(store.engine).get_columns("dataset_records")
        }
        with store.transaction() as session:
            session.execute(
                insert(DatasetRecord.__table__),
                [
                    {
                        key: value
                        for key, value in _row(ids[name], name, graph).items()
                        if key in existing
                    }
                    for name, graph in graphs.items()
                ],
            )

        upgrade_database(store)

        assert stored_ids(store, ids["vorher"]) == shown_ids(store, ids["vorher"]) == {"alt-csv"}
        assert len(shown_ids(store, ids["ohne"])) == 2
        assert stored_ids(store, ids["ohne"]) == shown_ids(store, ids["ohne"])
        assert stored_ids(store, ids["leer"]) == set()
    finally:
        store.close()


def _revision_before_resource_ids() -> str:
    scripts = ScriptDirectory.from_config(alembic_config())
    adding = next(s for s in scripts.walk_revisions() if s.path.endswith("_resource_ids.py"))
    assert isinstance(adding.down_revision, str)
    return adding.down_revision


def _upgrade(store: Store, revision: str) -> None:
    config = alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _row(record_id: str, name: str, stored: RecordContent) -> dict[str, Any]:
    return {
        "id": record_id,
        "name": name,
        "status": RecordStatus.PUBLISHED,
        "revision_number": 1,
        **stored.columns(),
    }
