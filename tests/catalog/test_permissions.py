"""Who may do what: the rules every API action and steward page asks (catalog.permissions)."""

from __future__ import annotations

from catalog.accounts import add_user
from catalog.models import (
    DatasetRecord,
    HarvestSource,
    RecordStatus,
    Role,
    User,
    ValidationState,
)
from catalog.organizations import list_organizations, sync_organizations
from catalog.permissions import (
    ANONYMOUS,
    Rights,
    load_rights,
    may_create_in,
    may_edit_record,
    may_manage_organization,
    may_see_record,
)
from catalog.settings import OrganizationSettings
from catalog.store import Store

UMWELT, TIEFBAU = "org-umwelt", "org-tiefbau"
EDITOR = Rights(user_id="u1", username="erika", editor_of=frozenset({UMWELT}))
ADMIN = Rights(
    user_id="u2", username="adam", editor_of=frozenset({UMWELT}), admin_of=frozenset({UMWELT})
)
SITE_ADMIN = Rights(user_id="u3", username="sina", site_admin=True)


def _record(
    organization_id: str = UMWELT,
    status: RecordStatus = RecordStatus.PUBLISHED,
    state: ValidationState = ValidationState.VALID,
    source: HarvestSource | None = None,
) -> DatasetRecord:
    record = DatasetRecord(
        id="r1",
        name="baeume",
        organization_id=organization_id,
        status=status,
        validation_state=state,
    )
    if source is not None:
        record.source_id = source.id
        record.source = source
    return record


def test_editors_create_only_in_their_organisations() -> None:
    assert may_create_in(EDITOR, UMWELT)
    refused = may_create_in(EDITOR, TIEFBAU)
    assert not refused and "erika" in refused.reason_de and "editor" in refused.reason_en
    assert may_create_in(ADMIN, UMWELT) and may_create_in(SITE_ADMIN, TIEFBAU)
    assert not may_create_in(ANONYMOUS, UMWELT)
    assert "API" in may_create_in(ANONYMOUS, UMWELT).reason


def test_editors_edit_only_their_organisations_records() -> None:
    assert may_edit_record(EDITOR, _record(UMWELT))
    assert not may_edit_record(EDITOR, _record(TIEFBAU))
    assert may_edit_record(SITE_ADMIN, _record(TIEFBAU))
    assert not may_edit_record(ANONYMOUS, _record(UMWELT))


def test_harvested_records_are_refused_for_everyone_naming_the_source() -> None:
    source = HarvestSource(id="s1", name="umwelt-ckan", url="https://ckan.umwelt.example")
    harvested = _record(UMWELT, source=source)
    for rights in (EDITOR, ADMIN, SITE_ADMIN):
        decision = may_edit_record(rights, harvested)
        assert not decision
        assert (
            "umwelt-ckan" in decision.reason_de and "https://ckan.umwelt.example" in decision.reason
        )
        assert "next harvest" in decision.reason_en


def test_only_admins_manage_an_organisation() -> None:
    assert may_manage_organization(ADMIN, UMWELT)
    assert not may_manage_organization(ADMIN, TIEFBAU)
    assert not may_manage_organization(EDITOR, UMWELT)
    assert may_manage_organization(SITE_ADMIN, TIEFBAU)


def test_drafts_withdrawn_and_invalid_records_are_seen_by_their_editors_only() -> None:
    hidden = [
        _record(status=RecordStatus.DRAFT),
        _record(status=RecordStatus.WITHDRAWN),
        _record(state=ValidationState.INVALID),
    ]
    for record in hidden:
        assert may_see_record(EDITOR, record) and may_see_record(SITE_ADMIN, record)
        assert not may_see_record(ANONYMOUS, record)
        other = Rights(user_id="u9", username="otto", editor_of=frozenset({TIEFBAU}))
        assert not may_see_record(other, record)
    assert may_see_record(ANONYMOUS, _record())
    assert may_see_record(ANONYMOUS, hidden[2], publish_invalid=True)


def test_rights_are_loaded_from_memberships(store: Store) -> None:
    sync_organizations(
        store,
        [
            OrganizationSettings(name="umweltamt", title="Umweltamt"),
            OrganizationSettings(name="tiefbauamt", title="Tiefbauamt"),
        ],
    )
    ids = {org.name: org.id for org in list_organizations(store)}
    user = add_user(
        store,
        username="adam",
        email="adam@stadt.example",
        password="lang-genug-1",
        roles={"umweltamt": Role.ADMIN, "tiefbauamt": Role.EDITOR},
    )
    rights = load_rights(store, user.id)
    assert rights.username == "adam" and not rights.site_admin
    assert rights.editor_of == {ids["umweltamt"], ids["tiefbauamt"]}
    assert rights.admin_of == {ids["umweltamt"]}
    with store.transaction() as session:
        session.get(User, user.id).is_active = False  # type: ignore[union-attr]
    assert load_rights(store, user.id) == ANONYMOUS
    assert load_rights(store, "unknown") == ANONYMOUS
