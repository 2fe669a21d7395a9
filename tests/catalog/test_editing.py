"""Stewards' edits through catalog.editing: identity, validation rules, revisions, permissions."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Graph, URIRef
from rdflib.term import Node

from catalog.accounts import add_user
from catalog.editing import (
    Editing,
    InputRejected,
    InvalidName,
    NameConflict,
    NotAllowed,
    PublishBlocked,
    Saved,
    graph_from_ckan,
)
from catalog.ingest import rename_node
from catalog.models import RecordStatus, Role, ValidationState
from catalog.organizations import (
    get_source_by_name,
    list_organizations,
    sync_organizations,
    sync_sources,
)
from catalog.permissions import Rights
from catalog.records import Actor, create_record, get_record, iter_records, list_revisions
from catalog.settings import Settings, SourceSettings
from catalog.store import Store
from dcat.namespaces import DCT

PACKAGE: dict[str, Any] = {
    "title": "Bäume an Straßen 2024",
    "notes": "Alle Straßenbäume mit Art und Pflanzjahr.",
    "license_id": "dl-by-de/2.0",
    "tags": [{"name": "Bäume"}],
    "resources": [{"url": "https://daten.example/baeume.csv", "format": "CSV"}],
}


@pytest.fixture
def orgs(settings: Settings, store: Store) -> dict[str, str]:
    sync_organizations(store, settings.organizations)
    return {org.name: org.id for org in list_organizations(store)}


@pytest.fixture
def editing(settings: Settings, store: Store) -> Editing:
    return Editing(store, settings)


def _create(editing: Editing, rights: Rights, org_id: str, **changes: Any) -> Saved:
    graph, node = graph_from_ckan({**PACKAGE, **changes}, editing.settings)
    return editing.create(rights, graph, node, organization_id=org_id)


@pytest.fixture
def rights(orgs: dict[str, str], store: Store) -> Rights:
    user = add_user(
        store,
        username="erika",
        email="erika@stadt.example",
        password="lang-genug-1",
        roles={"umweltamt": Role.EDITOR},
    )
    return Rights(user_id=user.id, username="erika", editor_of=frozenset({orgs["umweltamt"]}))


def test_a_new_record_gets_its_address_from_its_title_and_the_steward_as_author(
    editing: Editing, rights: Rights, orgs: dict[str, str], store: Store
) -> None:
    saved = _create(editing, rights, orgs["umweltamt"])
    record = saved.record
    assert record.name == "baeume-an-strassen-2024"
    assert record.uri == "http://catalog.test/dataset/baeume-an-strassen-2024"
    assert (
        record.status == RecordStatus.PUBLISHED and record.validation_state == ValidationState.VALID
    )
    [revision] = list_revisions(store, record.id)
    assert (revision.author, revision.user_id) == ("erika", rights.user_id)
    again = _create(editing, rights, orgs["umweltamt"])
    assert again.record.name == "baeume-an-strassen-2024-2"


def test_a_chosen_name_is_kept_if_free_and_refused_if_taken_or_malformed(
    editing: Editing, rights: Rights, orgs: dict[str, str]
) -> None:
    graph, node = graph_from_ckan(PACKAGE, editing.settings)
    saved = editing.create(rights, graph, node, organization_id=orgs["umweltamt"], name="baeume")
    assert saved.record.name == "baeume"
    with pytest.raises(NameConflict, match="baeume"):
        editing.create(rights, graph, node, organization_id=orgs["umweltamt"], name="baeume")
    with pytest.raises(InvalidName):
        editing.create(rights, graph, node, organization_id=orgs["umweltamt"], name="Bäume!")


def test_violations_block_publishing_but_not_a_draft(
    editing: Editing, rights: Rights, orgs: dict[str, str], store: Store
) -> None:
    graph, node = graph_from_ckan({**PACKAGE, "notes": ""}, editing.settings)
    with pytest.raises(PublishBlocked) as blocked:
        editing.create(rights, graph, node, organization_id=orgs["umweltamt"])
    [violation] = blocked.value.report.violations
    assert violation.path == str(DCT.description)
    assert list(iter_records(store)) == []  # nothing was saved
    draft = editing.create(
        rights, graph, node, organization_id=orgs["umweltamt"], status=RecordStatus.DRAFT
    ).record
    assert draft.status == RecordStatus.DRAFT and draft.violation_count == 1
    with pytest.raises(PublishBlocked):
        editing.set_status(rights, draft.id, RecordStatus.PUBLISHED)
    assert get_record(store, draft.id).status == RecordStatus.DRAFT  # type: ignore[union-attr]


def test_warnings_never_block_publishing(
    editing: Editing, rights: Rights, orgs: dict[str, str]
) -> None:
    graph, node = graph_from_ckan(PACKAGE, editing.settings)
    graph.add((node, DCT.hasVersion, URIRef("https://daten.example/alt")))  # deprecated: warning
    saved = editing.create(rights, graph, node, organization_id=orgs["umweltamt"])
    assert saved.record.status == RecordStatus.PUBLISHED
    assert saved.record.validation_state == ValidationState.WARNINGS
    assert saved.prepared is not None and saved.prepared.report.warnings


def test_every_change_is_a_revision_and_an_unchanged_save_is_none(
    editing: Editing, rights: Rights, orgs: dict[str, str], store: Store
) -> None:
    record = _create(editing, rights, orgs["umweltamt"]).record
    graph, node = graph_from_ckan({**PACKAGE, "notes": "Neu beschrieben."}, editing.settings)
    changed = editing.update(rights, record.id, graph, node)
    assert changed.changed and changed.record.revision_number == 2
    same = editing.update(rights, record.name, graph, node)
    assert not same.changed
    assert [r.number for r in list_revisions(store, record.id)] == [1, 2]
    assert changed.record.uri == record.uri and changed.record.name == record.name


def test_withdraw_and_restore_keep_the_history(
    editing: Editing, rights: Rights, orgs: dict[str, str], store: Store
) -> None:
    record = _create(editing, rights, orgs["umweltamt"]).record
    assert editing.withdraw(rights, record.id).record.status == RecordStatus.WITHDRAWN
    assert not editing.withdraw(rights, record.id).changed
    assert editing.restore(rights, record.id).record.status == RecordStatus.PUBLISHED
    graph, node = graph_from_ckan({**PACKAGE, "title": "Anders"}, editing.settings)
    editing.update(rights, record.id, graph, node)
    restored = editing.restore_revision(rights, record.id, 1).record
    assert restored.title == PACKAGE["title"]
    revisions = list_revisions(store, record.id)
    assert [r.status for r in revisions] == [
        RecordStatus.PUBLISHED,
        RecordStatus.WITHDRAWN,
        RecordStatus.PUBLISHED,
        RecordStatus.PUBLISHED,
        RecordStatus.PUBLISHED,
    ]
    assert {r.author for r in revisions} == {"erika"}


def test_editors_of_other_organisations_and_harvested_records_are_refused(
    editing: Editing,
    rights: Rights,
    orgs: dict[str, str],
    settings: Settings,
    store: Store,
) -> None:
    graph, node = graph_from_ckan(PACKAGE, settings)
    with pytest.raises(NotAllowed):
        editing.create(rights, graph, node, organization_id=orgs["statistik"])
    sync_sources(
        store,
        [
            SourceSettings(
                name="umwelt-dcat",
                type="dcat",
                url="https://umwelt.example/catalog.ttl",
                organization="umweltamt",
            )
        ],
    )
    source = get_source_by_name(store, "umwelt-dcat")
    assert source is not None
    prepared = editing.preparer.prepare(*_renamed(graph, node, "http://catalog.test/dataset/h"))
    harvested = create_record(
        store,
        prepared.content,
        name="h",
        actor=Actor(label="harvest"),
        status=RecordStatus.PUBLISHED,
        organization_id=orgs["umweltamt"],
        source_id=source.id,
        remote_id="h",
    )
    with pytest.raises(NotAllowed, match="umwelt-dcat") as refused:
        editing.update(rights, harvested.id, graph, node)
    assert "https://umwelt.example/catalog.ttl" in refused.value.message
    with pytest.raises(NotAllowed):
        editing.withdraw(rights, harvested.id)
    assert len(list_revisions(store, harvested.id)) == 1


def _renamed(graph: Graph, node: Node, uri: str) -> tuple[Graph, URIRef]:
    return rename_node(graph, node, URIRef(uri)), URIRef(uri)


def test_a_package_that_cannot_be_a_dataset_is_rejected_in_both_languages(
    settings: Settings,
) -> None:
    with pytest.raises(InputRejected) as rejected:
        graph_from_ckan({"name": "baeume", "notes": "Ohne Titel."}, settings)
    assert rejected.value.message_de.startswith("Das CKAN-Paket 'baeume' hat keinen Titel")
    assert rejected.value.message_en.startswith("The CKAN package 'baeume' has no title")
