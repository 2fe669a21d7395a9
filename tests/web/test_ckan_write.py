"""The CKAN write actions with the real ckanapi client and API tokens, against the demo catalog
on a real HTTP server: what is allowed is saved as a revision by its author, what is refused
leaves the database as it was."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ckanapi
import pytest
import requests
from sqlalchemy import func, select

from catalog.accounts import add_user, create_token, revoke_token
from catalog.models import DatasetRecord, RecordStatus, Revision, Role
from catalog.records import get_record, list_revisions
from catalog.settings import Settings
from catalog.store import Store
from tests.servers import served
from web import create_app


@pytest.fixture(scope="module")
def portal(demo: tuple[Settings, Store]) -> Iterator[str]:
    settings, store = demo
    with served(create_app(settings, store=store)) as address:
        yield address


@pytest.fixture(scope="module")
def tokens(demo: tuple[Settings, Store]) -> dict[str, str]:
    """erika edits for the Umweltamt, otto for the Tiefbauamt; one of erika's tokens is revoked."""
    _, store = demo
    for name, org in (("erika", "umweltamt"), ("otto", "tiefbauamt")):
        add_user(
            store,
            username=name,
            email=f"{name}@stadt.example",
            password="lang-genug-1",
            roles={org: Role.EDITOR},
        )
    revoked = create_token(store, "erika", "alt")
    revoke_token(store, revoked.id)
    return {
        "erika": create_token(store, "erika", "skript").secret,
        "otto": create_token(store, "otto", "skript").secret,
        "revoked": revoked.secret,
    }


def _client(portal: str, token: str | None = None) -> ckanapi.RemoteCKAN:
    return ckanapi.RemoteCKAN(portal, apikey=token)


def _package(name: str, **changes: Any) -> dict[str, Any]:
    return {
        "name": name,
        "title": "Baumpflanzungen 2025",
        "notes": "Neu gepflanzte Straßenbäume mit Art und Standort.",
        "owner_org": "umweltamt",
        "license_id": "dl-by-de/2.0",
        "tags": [{"name": "Bäume"}, {"name": "Stadtgrün"}],
        "groups": [{"name": "envi"}],
        "contact_email": "umwelt@musterstadt.example",
        "resources": [
            {"url": "https://daten.musterstadt.example/pflanzungen.csv", "format": "CSV"},
        ],
        "include_datasets": True,  # ckanapi scripts send such keys; they are ignored
        **changes,
    }


def _snapshot(store: Store) -> tuple[int, int, frozenset[tuple[str, int, str]]]:
    with store.reading() as session:
        records = session.scalar(select(func.count()).select_from(DatasetRecord))
        revisions = session.scalar(select(func.count()).select_from(Revision))
        states = frozenset(
            session.execute(
                select(DatasetRecord.id, DatasetRecord.revision_number, DatasetRecord.status)
            ).all()
        )
    return records or 0, revisions or 0, states  # type: ignore[return-value]


def test_create_patch_and_delete_with_a_token(
    portal: str, tokens: dict[str, str], demo: tuple[Settings, Store]
) -> None:
    _, store = demo
    erika = _client(portal, tokens["erika"])
    created = erika.action.package_create(**_package("baumpflanzungen-2025"))
    assert created["name"] == "baumpflanzungen-2025" and created["state"] == "active"
    assert created["organization"]["name"] == "umweltamt"
    shown = _client(portal).action.package_show(id="baumpflanzungen-2025")
    assert shown["notes"] == _package("x")["notes"] and {t["name"] for t in shown["tags"]} == {
        "Bäume",
        "Stadtgrün",
    }
    [resource] = shown["resources"]
    assert resource["format"] == "CSV" and resource["id"]
    assert shown["license_id"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"

    patched = erika.action.package_patch(id=created["id"], notes="Stand: Mai 2025.")
    assert patched["notes"] == "Stand: Mai 2025."
    unchanged = {"notes", "metadata_modified", "extras"}
    assert {k: v for k, v in patched.items() if k not in unchanged} == {
        k: v for k, v in shown.items() if k not in unchanged
    }
    # Every save scores the record again, so only the time of the score may differ.
    rescored = {"quality_scored_at"}
    assert [e for e in patched["extras"] if e["key"] not in rescored] == [
        e for e in shown["extras"] if e["key"] not in rescored
    ]

    assert erika.action.package_delete(id="baumpflanzungen-2025") is None
    with pytest.raises(ckanapi.NotFound):
        _client(portal).action.package_show(id="baumpflanzungen-2025")
    assert erika.action.package_show(id=created["id"])["state"] == "deleted"
    record = get_record(store, created["id"])
    assert record is not None and record.status == RecordStatus.WITHDRAWN
    revisions = list_revisions(store, created["id"])
    assert [r.status for r in revisions] == [
        RecordStatus.PUBLISHED,
        RecordStatus.PUBLISHED,
        RecordStatus.WITHDRAWN,
    ]
    assert {(r.author, r.user_id) for r in revisions} == {("erika", revisions[0].user_id)}
    assert revisions[0].user_id is not None


def test_writes_without_a_valid_token_or_right_are_refused_and_change_nothing(
    portal: str, tokens: dict[str, str], demo: tuple[Settings, Store]
) -> None:
    _, store = demo
    erika = _client(portal, tokens["erika"])
    target = erika.action.package_create(**_package("ziel-der-versuche"))
    before = _snapshot(store)
    for token in (None, tokens["revoked"], "sk_erfunden", tokens["otto"]):
        client = _client(portal, token)
        with pytest.raises(ckanapi.NotAuthorized):
            client.action.package_create(**_package("nicht-erlaubt"))
        with pytest.raises(ckanapi.NotAuthorized):
            client.action.package_patch(id=target["id"], title="Übernommen")
        with pytest.raises(ckanapi.NotAuthorized):
            client.action.package_delete(id=target["id"])
        with pytest.raises(ckanapi.NotAuthorized):
            client.action.resource_delete(id=target["resources"][0]["id"])
    assert _snapshot(store) == before
    # Reads go on anonymously with a token that is not (or no longer) valid, as in CKAN.
    assert _client(portal, tokens["revoked"]).action.package_show(id=target["id"])["name"]


def test_a_harvested_record_cannot_be_changed_through_the_api(
    portal: str, tokens: dict[str, str], demo: tuple[Settings, Store]
) -> None:
    _, store = demo
    erika = _client(portal, tokens["erika"])
    harvested = erika.action.package_show(id="baumkataster")
    before = _snapshot(store)
    with pytest.raises(ckanapi.NotAuthorized) as refused:
        erika.action.package_patch(id="baumkataster", notes="Geändert")
    assert "umweltamt-ckan" in str(refused.value)
    with pytest.raises(ckanapi.NotAuthorized):
        erika.action.package_update(**harvested)
    with pytest.raises(ckanapi.NotAuthorized):
        erika.action.package_delete(id="baumkataster")
    assert _snapshot(store) == before


def test_violations_come_back_named_as_ckan_fields_and_save_nothing(
    portal: str, tokens: dict[str, str], demo: tuple[Settings, Store]
) -> None:
    _, store = demo
    erika = _client(portal, tokens["erika"])
    before = _snapshot(store)
    with pytest.raises(ckanapi.ValidationError) as invalid:
        erika.action.package_create(**_package("ohne-beschreibung", notes=""))
    errors = invalid.value.error_dict
    assert errors["__type"] == "Validation Error" and set(errors) == {"__type", "notes"}
    assert "dct:description" in errors["notes"][0]
    with pytest.raises(ckanapi.ValidationError) as no_url:
        erika.action.package_create(
            **_package("ohne-url", resources=[{"url": "https://a.example/x.csv"}, {"name": "?"}])
        )
    assert no_url.value.error_dict["resources"] == [{}, {"url": ["Missing value"]}]
    with pytest.raises(ckanapi.ValidationError) as no_org:
        erika.action.package_create(**_package("ohne-org", owner_org="gibt-es-nicht"))
    assert "owner_org" in no_org.value.error_dict
    assert _snapshot(store) == before


def test_a_draft_may_have_violations_and_is_not_public(
    portal: str, tokens: dict[str, str], demo: tuple[Settings, Store]
) -> None:
    erika = _client(portal, tokens["erika"])
    draft = erika.action.package_create(**_package("entwurf", notes="", private=True))
    assert draft["state"] == "draft" and draft["private"] is True
    with pytest.raises(ckanapi.NotFound):
        _client(portal).action.package_show(id="entwurf")
    with pytest.raises(ckanapi.NotFound):
        _client(portal, tokens["otto"]).action.package_show(id="entwurf")
    assert "entwurf" not in _client(portal).action.package_list()
    with pytest.raises(ckanapi.ValidationError):  # publishing it needs the description
        erika.action.package_patch(id="entwurf", private=False)
    published = erika.action.package_patch(id="entwurf", private=False, notes="Jetzt fertig.")
    assert published["state"] == "active"
    assert _client(portal).action.package_show(id="entwurf")["notes"] == "Jetzt fertig."


def test_names_are_kept_and_a_taken_name_is_a_validation_error(
    portal: str, tokens: dict[str, str]
) -> None:
    erika = _client(portal, tokens["erika"])
    erika.action.package_create(**_package("gleicher-name"))
    with pytest.raises(ckanapi.ValidationError) as taken:
        erika.action.package_create(**_package("gleicher-name"))
    assert list(taken.value.error_dict) == ["__type", "name"]
    with pytest.raises(ckanapi.ValidationError):
        erika.action.package_create(**_package("Kein Name!"))
    minted = erika.action.package_create(**{**_package("x"), "name": ""})
    assert minted["name"].startswith("baumpflanzungen-2025")  # from the title
    assert minted["name"] != "gleicher-name"


def test_package_update_with_its_own_package_show_output_writes_no_revision(
    portal: str, tokens: dict[str, str], demo: tuple[Settings, Store]
) -> None:
    _, store = demo
    erika = _client(portal, tokens["erika"])
    created = erika.action.package_create(
        **_package("unveraendert", author="Anna Autorin", version="1.0")
    )
    erika.action.package_update(**erika.action.package_show(id=created["id"]))
    assert len(list_revisions(store, created["id"])) == 1
    replaced = erika.action.package_update(id=created["id"], title="Nur Titel", notes="Neu.")
    assert replaced["tags"] == [] and replaced["resources"] == []  # a full replace
    assert len(list_revisions(store, created["id"])) == 2


def test_resources_are_added_changed_and_removed(
    portal: str, tokens: dict[str, str], demo: tuple[Settings, Store]
) -> None:
    _, store = demo
    erika = _client(portal, tokens["erika"])
    package = erika.action.package_create(**_package("mit-ressourcen"))
    added = erika.action.resource_create(
        package_id=package["id"], url="https://daten.musterstadt.example/p.json", format="JSON"
    )
    assert added["format"] == "JSON" and added["package_id"] == package["id"]
    changed = erika.action.resource_patch(
        id=added["id"], url="https://daten.musterstadt.example/p2.json"
    )
    assert changed["id"] == added["id"] and changed["url"].endswith("p2.json")
    assert _client(portal).action.resource_show(id=added["id"])["url"].endswith("p2.json")
    updated = erika.action.resource_update(
        id=added["id"], url="https://daten.musterstadt.example/p3.xml", format="XML"
    )
    assert updated["format"] == "XML"
    erika.action.resource_delete(id=added["id"])
    with pytest.raises(ckanapi.NotFound):
        _client(portal).action.resource_show(id=added["id"])
    assert len(erika.action.package_show(id=package["id"])["resources"]) == 1
    assert len(list_revisions(store, package["id"])) == 5


def test_every_token_header_form_is_accepted(portal: str, tokens: dict[str, str]) -> None:
    url = f"{portal}/api/3/action/package_create"
    for number, headers in enumerate(
        (
            {"Authorization": tokens["erika"]},
            {"Authorization": f"Bearer {tokens['erika']}"},
            {"X-CKAN-API-Key": tokens["erika"]},
        )
    ):
        body = {k: v for k, v in _package(f"kopf-{number}").items()}
        response = requests.post(url, json=body, headers=headers, timeout=30)
        assert response.status_code == 200, response.text
        assert response.json()["result"]["name"] == f"kopf-{number}"
    form = requests.post(
        f"{portal}/api/action/package_patch",
        data={"id": "kopf-0", "notes": "Per Formular."},
        headers={"Authorization": tokens["erika"]},
        timeout=30,
    )
    assert form.status_code == 200 and form.json()["result"]["notes"] == "Per Formular."
    refused = requests.post(url, json=_package("kopf-x"), timeout=30)
    assert refused.status_code == 403
    assert refused.json()["error"]["__type"] == "Authorization Error"
