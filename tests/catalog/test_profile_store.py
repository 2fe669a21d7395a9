"""Each record's DCAT-AP.de 3.0 rendering and verdict, stored at save time: what 3.0 outputs
serve, filter by and explain (catalog.profile_store, catalog.publication, catalog.withheld_v3)."""

from __future__ import annotations

from typing import Any

from rdflib.compare import isomorphic
from sqlalchemy import update

from catalog.editing import Editing, graph_from_ckan
from catalog.export import export_chunks
from catalog.models import DatasetRecord
from catalog.organizations import (
    get_source_by_name,
    list_organizations,
    sync_organizations,
    sync_sources,
)
from catalog.permissions import Rights
from catalog.profile_store import record_text, store_v3_verdicts
from catalog.publication import public_records
from catalog.records import get_record, list_revisions
from catalog.settings import Settings, SourceSettings
from catalog.store import Store
from catalog.withheld_v3 import withheld_in_v3, withheld_in_v3_counts
from dcat.parsing import parse_rdf
from dcat.profiles import Profile, render_graph
from tests.catalog.profile_records import PACKAGE, WITHOUT_LICENCE, save_prepared


def _public_uris(store: Store, settings: Settings, profile: Profile) -> set[str]:
    return {record.uri for record in public_records(store, settings, profile=profile)}


def test_every_save_stores_the_3_0_rendering_and_its_verdict(
    settings: Settings, store: Store
) -> None:
    record = save_prepared(store, settings, "Bäume 2024")
    assert record.violation_count_v3 == 0
    assert record.validation_report_v3 is not None
    stored = parse_rdf(record.graph, content_type="application/n-triples")
    assert record.graph_v3 is not None
    assert isomorphic(
        parse_rdf(record.graph_v3, content_type="application/n-triples"),
        render_graph(stored, Profile.DCATAPDE_3),
    )

    lacking = save_prepared(store, settings, "Bäume ohne Lizenz", **WITHOUT_LICENCE)
    assert lacking.violation_count == 0  # public in 2.0
    assert lacking.violation_count_v3 == 1
    messages = [r["message_en"] for r in (lacking.validation_report_v3 or {})["results"]]
    assert any("licence (dcterms:license) per distribution" in m for m in messages)


def test_a_record_valid_in_2_0_but_not_in_3_0_is_public_only_in_2_0(
    settings: Settings, store: Store
) -> None:
    valid = save_prepared(store, settings, "Bäume 2024")
    lacking = save_prepared(store, settings, "Bäume ohne Lizenz", **WITHOUT_LICENCE)
    assert _public_uris(store, settings, Profile.DCATAPDE_2) == {valid.uri, lacking.uri}
    assert _public_uris(store, settings, Profile.DCATAPDE_3) == {valid.uri}

    published_anyway = settings.model_copy(
        update={"validation": settings.validation.model_copy(update={"publish_invalid": True})}
    )
    assert _public_uris(store, published_anyway, Profile.DCATAPDE_3) == {valid.uri, lacking.uri}


def test_the_3_0_export_holds_back_what_3_0_does_not_allow(
    settings: Settings, store: Store
) -> None:
    valid = save_prepared(store, settings, "Bäume 2024")
    lacking = save_prepared(store, settings, "Bäume ohne Lizenz", **WITHOUT_LICENCE)
    text_v3 = b"".join(export_chunks(store, settings, "nt", Profile.DCATAPDE_3)).decode()
    text_v2 = b"".join(export_chunks(store, settings, "nt", Profile.DCATAPDE_2)).decode()
    assert f"<{valid.uri}>" in text_v3 and f"<{lacking.uri}>" not in text_v3
    assert f"<{valid.uri}>" in text_v2 and f"<{lacking.uri}>" in text_v2


def _forget_v3(store: Store, **values: Any) -> None:
    """The state of records saved before migration 0012 (or of part of it)."""
    columns = {"graph_v3": None, "violation_count_v3": None, "validation_report_v3": None}
    with store.transaction() as session:
        session.execute(update(DatasetRecord).values(**(values or columns)))


def test_records_saved_before_the_3_0_columns_stay_out_of_3_0_until_judged(
    settings: Settings, store: Store
) -> None:
    valid = save_prepared(store, settings, "Bäume 2024")
    lacking = save_prepared(store, settings, "Bäume ohne Lizenz", **WITHOUT_LICENCE)
    _forget_v3(store)
    assert _public_uris(store, settings, Profile.DCATAPDE_3) == set()
    before = get_record(store, valid.id)
    assert before is not None

    outcome = store_v3_verdicts(store)

    assert (outcome.judged, outcome.changed, outcome.withheld) == (2, 2, 1)
    assert _public_uris(store, settings, Profile.DCATAPDE_3) == {valid.uri}
    after = get_record(store, valid.id)
    assert after is not None and after.graph_v3 and after.violation_count_v3 == 0
    # Newly in the 3.0 catalog: a harvester paging it by change must see it again.
    assert after.updated_at > before.updated_at
    assert len(list_revisions(store, valid.id)) == 1  # no change of the dataset itself
    assert get_record(store, lacking.id).violation_count_v3 == 1  # type: ignore[union-attr]
    again = store_v3_verdicts(store)
    assert (again.judged, again.changed) == (2, 0)


def test_a_judged_record_without_its_3_0_text_is_rendered_once_and_stored(
    settings: Settings, store: Store
) -> None:
    record = save_prepared(store, settings, "Bäume 2024")
    _forget_v3(store, graph_v3=None)
    record = get_record(store, record.id)  # type: ignore[assignment]
    assert record.graph_v3 is None
    text = record_text(store, record, Profile.DCATAPDE_3)
    stored = get_record(store, record.id)
    assert stored is not None and stored.graph_v3 == text
    assert isomorphic(
        parse_rdf(text, content_type="application/n-triples"),
        render_graph(
            parse_rdf(record.graph, content_type="application/n-triples"), Profile.DCATAPDE_3
        ),
    )


def test_restoring_a_revision_judges_it_again_in_3_0(settings: Settings, store: Store) -> None:
    from catalog.accounts import add_user
    from catalog.models import Role

    sync_organizations(store, settings.organizations)
    orgs = {org.name: org.id for org in list_organizations(store)}
    user = add_user(
        store,
        username="erika",
        email="e@stadt.example",
        password="lang-genug-1",
        roles={"umweltamt": Role.EDITOR},
    )
    rights = Rights(user_id=user.id, username="erika", editor_of=frozenset({orgs["umweltamt"]}))
    editing = Editing(store, settings)
    graph, node = graph_from_ckan({**PACKAGE, "title": "Bäume"}, settings)
    saved = editing.create(rights, graph, node, organization_id=orgs["umweltamt"])
    assert saved.record.violation_count_v3 == 0
    graph, node = graph_from_ckan({**PACKAGE, **WITHOUT_LICENCE, "title": "Bäume"}, settings)
    changed = editing.update(rights, saved.record.name, graph, node)
    assert changed.record.violation_count_v3 == 1

    editing.restore_revision(rights, saved.record.name, 1)

    restored = get_record(store, saved.record.id)
    assert restored is not None and restored.violation_count_v3 == 0 and restored.graph_v3


def test_the_steward_sees_per_source_how_many_are_held_back_in_3_0_and_why(
    settings: Settings, store: Store
) -> None:
    sync_organizations(store, settings.organizations)
    sync_sources(
        store,
        [
            SourceSettings(
                name="baeume", type="dcat", url="https://daten.example/", organization="umweltamt"
            )
        ],
    )
    source = get_source_by_name(store, "baeume")
    assert source is not None
    save_prepared(store, settings, "Bäume 2024", source.id)
    save_prepared(store, settings, "Bäume ohne Lizenz", source.id, **WITHOUT_LICENCE)
    save_prepared(store, settings, "Bäume 2023 ohne Lizenz", source.id, **WITHOUT_LICENCE)

    assert withheld_in_v3_counts(store, [source.id]) == {source.id: 2}
    withholding = withheld_in_v3(store, source.id)
    assert (withholding.withheld, withholding.unjudged) == (2, 0)
    [reason] = withholding.reasons
    assert (reason.path, reason.records) == ("dct:license", 2)
    assert reason.hint is not None and reason.hint.setting == "defaults.license"

    _forget_v3(store)
    assert withheld_in_v3(store, source.id).unjudged == 3
