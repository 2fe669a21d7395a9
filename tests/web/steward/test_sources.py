"""Harvest sources in the steward area: list, form with the config rules, connection test,
run now in the background, switching off, and the job report with every error."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import update

from catalog.jobs import JobCounts, finish_job, record_error, start_job
from catalog.models import HarvestJob, JobStatus
from catalog.settings import Settings
from catalog.store import Store
from dcat.bilingual import Bilingual
from tests.conftest import REPO
from tests.harvesters.recorded import RecordedServer, Route
from tests.web.steward.steward_support import (
    add_web_source,
    client_for,
    page_text,
    post,
    snapshot,
    source_row,
    steward_app,
    steward_store,
)

__all__ = ["steward_app", "steward_store"]  # fixtures used by the tests below

CATALOG_PAGE = (REPO / "catalog/demo/tiefbauamt/catalog-2.ttl").read_bytes()
NEW_SOURCE = {
    "name": "umwelt-portal",
    "type": "dcat",
    "url": "https://daten.umwelt.example/catalog.ttl",
    "organization": "umweltamt",
    "schedule": "weekly",
    "enabled": "on",
}


@pytest.fixture
def catalog_server() -> Iterator[RecordedServer]:
    server = RecordedServer().start()
    server.routes["/catalog.ttl"] = Route(CATALOG_PAGE)
    yield server
    server.stop()


def test_admins_see_their_organisations_sources_with_type_schedule_and_state(
    steward_app: Flask,
) -> None:
    anna = page_text(client_for(steward_app, "anna").get("/verwaltung/quellen"))
    otto = page_text(client_for(steward_app, "otto").get("/verwaltung/quellen"))
    emil = page_text(client_for(steward_app, "emil").get("/verwaltung/quellen"))

    assert "umwelt-config" in anna and "DCAT-Katalog" in anna and "täglich" in anna
    assert "aus config.yaml" in anna and "noch nie" in anna
    assert "umwelt-config" not in otto and "Statistikstelle" in otto
    assert "umwelt-config" not in emil and "in keiner Organisation Administrator" in emil


def test_a_new_source_is_saved_as_managed_in_the_web(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    anna = client_for(steward_app, "anna")

    response = post(anna, "/verwaltung/quellen/neu", NEW_SOURCE)

    assert response.status_code == 303
    assert response.headers["Location"].endswith("/verwaltung/quellen/umwelt-portal")
    source = source_row(store, "umwelt-portal")
    assert (source.managed_by, source.type, source.url, source.path) == (
        "web",
        "dcat",
        NEW_SOURCE["url"],
        None,
    )
    assert (source.schedule, source.enabled, source.options) == ("weekly", True, {})
    shown = page_text(anna.get(response.headers["Location"]))
    assert "Die Quelle umwelt-portal ist angelegt." in shown and "wöchentlich" in shown


def test_ckan_options_are_saved_for_a_ckan_source(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    form = {
        **NEW_SOURCE,
        "type": "ckan",
        "url": "https://ckan.example",
        "ckan_organization": "umwelt",
        "ckan_fq": "tags:luft",
        "separator": ";",  # belongs to spreadsheets: not kept for a CKAN source
    }

    assert post(client_for(steward_app, "anna"), "/verwaltung/quellen/neu", form).status_code == 303

    assert source_row(store, "umwelt-portal").options == {
        "organization": "umwelt",
        "fq": "tags:luft",
    }


def test_a_spreadsheet_on_a_web_server_is_a_source_with_its_separator(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    form = {
        **NEW_SOURCE,
        "type": "spreadsheet",
        "url": "https://daten.example/liste.xlsx",
        "separator": ";",
    }

    assert post(client_for(steward_app, "anna"), "/verwaltung/quellen/neu", form).status_code == 303

    source = source_row(store, "umwelt-portal")
    assert (source.type, source.url, source.options.get("separator")) == (
        "spreadsheet",
        "https://daten.example/liste.xlsx",
        ";",
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": "Umwelt Portal"}, "name", "Kleinbuchstaben, Ziffern"),
        ({"name": "umwelt-config"}, "name", "Diesen Namen trägt schon eine Quelle."),
        ({"url": ""}, "url", "http:// oder https://"),
        ({"url": "ftp://daten.example/x.ttl"}, "url", "http:// oder https://"),
        ({"type": "wfs"}, "type", "angebotenen Arten"),
        ({"schedule": "hourly"}, "schedule", "angebotenen Zeitpläne"),
        ({"organization": "gibt-es-nicht"}, "organization", "deren Quellen Sie verwalten"),
        (
            {"type": "spreadsheet", "columns": "titel = Bezeichnung"},
            "columns",
            "unbekanntes Feld „titel“",
        ),
    ],
)
def test_the_form_refuses_what_the_config_rules_refuse_and_saves_nothing(
    steward_app: Flask,
    steward_store: tuple[Settings, Store],
    change: dict[str, str],
    field: str,
    message: str,
) -> None:
    _, store = steward_store
    before = snapshot(store)

    response = post(client_for(steward_app, "anna"), "/verwaltung/quellen/neu", NEW_SOURCE | change)

    assert response.status_code == 422
    text = page_text(response)
    assert message in text
    assert f'id="error-{field}"' in text and f'href="#field-{field}"' in text
    assert snapshot(store) == before


def test_editing_changes_address_and_schedule_but_not_name_or_organisation(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    add_web_source(store, "umwelt-web", "https://alt.example/catalog.ttl")
    anna = client_for(steward_app, "anna")
    form = page_text(anna.get("/verwaltung/quellen/umwelt-web/bearbeiten"))
    assert 'value="https://alt.example/catalog.ttl"' in form

    response = post(
        anna,
        "/verwaltung/quellen/umwelt-web/bearbeiten",
        {
            "name": "umbenannt",
            "organization": "statistik",
            "type": "dcat",
            "url": "https://neu.example/catalog.ttl",
            "schedule": "manual",
        },
    )

    assert response.status_code == 303
    source = source_row(store, "umwelt-web")
    assert (source.url, source.schedule, source.enabled) == (
        "https://neu.example/catalog.ttl",
        "manual",
        False,  # the box was not ticked
    )
    assert source.organization.name == "umweltamt"


def test_a_config_source_is_read_only_here(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    anna = client_for(steward_app, "anna")
    before = snapshot(store)

    page = page_text(anna.get("/verwaltung/quellen/umwelt-config"))
    edit_form = anna.get("/verwaltung/quellen/umwelt-config/bearbeiten")
    edited = post(anna, "/verwaltung/quellen/umwelt-config/bearbeiten", NEW_SOURCE)
    disabled = post(anna, "/verwaltung/quellen/umwelt-config/abschalten")

    assert "steht in config.yaml" in page and "Bearbeiten" not in page
    assert "Jetzt ernten" in page and "Verbindung testen" in page
    assert [edit_form.status_code, edited.status_code, disabled.status_code] == [403, 403, 403]
    assert "config.yaml" in page_text(disabled)
    assert snapshot(store) == before


def test_a_web_source_is_switched_off_and_on(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    add_web_source(store, "umwelt-web", "https://daten.example/catalog.ttl")
    anna = client_for(steward_app, "anna")

    assert post(anna, "/verwaltung/quellen/umwelt-web/abschalten").status_code == 303
    assert source_row(store, "umwelt-web").enabled is False
    assert "Einschalten" in page_text(anna.get("/verwaltung/quellen/umwelt-web"))
    assert post(anna, "/verwaltung/quellen/umwelt-web/einschalten").status_code == 303
    assert source_row(store, "umwelt-web").enabled is True


def test_the_connection_test_reads_the_first_record_and_its_content_type(
    steward_app: Flask, steward_store: tuple[Settings, Store], catalog_server: RecordedServer
) -> None:
    _, store = steward_store
    add_web_source(store, "umwelt-web", catalog_server.url("/catalog.ttl"))
    before = snapshot(store)

    anna = client_for(steward_app, "anna")
    response = post(anna, "/verwaltung/quellen/umwelt-web/testen")

    assert response.status_code == 303
    text = page_text(anna.get(response.headers["Location"]))
    assert "Die Verbindung funktioniert" in text
    assert "text/turtle" in text
    assert "https://daten.musterstadt.example/tiefbauamt/dataset/" in text  # the record's key
    assert catalog_server.requests == ["/catalog.ttl"]  # the first page only
    assert snapshot(store) == before  # nothing harvested, no job


def test_the_connection_test_result_is_shown_by_get_and_a_reload_resends_nothing(
    steward_app: Flask, steward_store: tuple[Settings, Store], catalog_server: RecordedServer
) -> None:
    _, store = steward_store
    add_web_source(store, "umwelt-web", catalog_server.url("/catalog.ttl"))
    anna = client_for(steward_app, "anna")

    tested = post(anna, "/verwaltung/quellen/umwelt-web/testen")

    assert tested.status_code == 303  # POST-redirect-GET: the browser moves on to a GET
    location = tested.headers["Location"]
    assert location.split("#")[0].endswith("/verwaltung/quellen/umwelt-web")
    shown = anna.get(location)
    assert shown.status_code == 200
    assert 'id="probe"' in page_text(shown) and "Die Verbindung funktioniert" in page_text(shown)
    reloaded = anna.get(location)  # what the browser's reload does: the GET again
    assert reloaded.status_code == 200
    assert catalog_server.requests == ["/catalog.ttl"]  # the test ran once, on the POST


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        ("500", "antwortet mit einem Fehler (HTTP 500)"),
        ("garbage", "kann die Antwort nicht lesen"),
        ("reset", "nicht erreichbar"),
    ],
)
def test_the_connection_test_says_in_german_what_went_wrong(
    steward_app: Flask,
    steward_store: tuple[Settings, Store],
    catalog_server: RecordedServer,
    failure: str,
    expected: str,
) -> None:
    _, store = steward_store
    add_web_source(store, "umwelt-web", catalog_server.url("/catalog.ttl"))
    catalog_server.fail["/catalog.ttl"] = failure

    anna = client_for(steward_app, "anna")
    tested = post(anna, "/verwaltung/quellen/umwelt-web/testen")
    text = page_text(anna.get(tested.headers["Location"]))

    assert expected in text
    assert "Die Verbindung funktioniert" not in text


def test_run_now_starts_a_background_job_and_refuses_a_second_while_it_runs(
    steward_app: Flask, steward_store: tuple[Settings, Store], catalog_server: RecordedServer
) -> None:
    _, store = steward_store
    add_web_source(store, "umwelt-web", catalog_server.url("/catalog.ttl"))
    release = threading.Event()

    def slow_page(query: str, body: bytes) -> Route:
        release.wait(timeout=30)
        return Route(CATALOG_PAGE)

    catalog_server.handlers["/catalog.ttl"] = slow_page
    anna = client_for(steward_app, "anna")
    try:
        started = post(anna, "/verwaltung/quellen/umwelt-web/ernten")
        assert started.status_code == 303
        running_page = page_text(anna.get("/verwaltung/quellen/umwelt-web"))
        second = post(anna, "/verwaltung/quellen/umwelt-web/ernten")
        jobs_while_running = _jobs(store)
    finally:
        release.set()
    assert steward_app.extensions["catalog.background_harvests"].join(timeout=60)

    assert "Eine Ernte läuft gerade" in running_page and "läuft" in running_page
    assert second.status_code == 409 and "wird gerade geerntet" in page_text(second)
    assert [status for _, status in jobs_while_running] == [JobStatus.RUNNING]
    [(job_id, status)] = _jobs(store)
    assert status == JobStatus.DONE_WITH_ERRORS  # the demo page has one deliberate mistake
    report = page_text(anna.get(f"/verwaltung/jobs/{job_id}"))
    assert "geschwindigkeitsbegrenzungen" in report


def test_run_now_is_refused_while_another_process_harvests_the_source_saying_since_when(
    steward_app: Flask, steward_store: tuple[Settings, Store], catalog_server: RecordedServer
) -> None:
    _, store = steward_store
    add_web_source(store, "umwelt-web", catalog_server.url("/catalog.ttl"))
    # A cron job on this host: its process lives (this one), its heartbeat is fresh.
    running = start_job(store, source_row(store, "umwelt-web").id)
    started = datetime(2026, 12, 10, 2, 30, tzinfo=UTC)
    with store.transaction() as session:
        session.execute(
            update(HarvestJob).where(HarvestJob.id == running).values(started_at=started)
        )
    anna = client_for(steward_app, "anna")

    refused = post(anna, "/verwaltung/quellen/umwelt-web/ernten")
    english = post(anna, "/verwaltung/quellen/umwelt-web/ernten?lang=en")

    assert refused.status_code == 409 and english.status_code == 409
    assert f"wird gerade geerntet (Job {running}, seit 10.12.2026" in page_text(refused)
    assert f"being harvested right now (job {running}, since Dec 10, 2026" in page_text(english)
    assert [status for _, status in _jobs(store)] == [JobStatus.RUNNING]
    assert catalog_server.requests == []


def _jobs(store: Store) -> list[tuple[int, JobStatus]]:
    with store.reading() as session:
        return [(job.id, job.status) for job in session.query(HarvestJob).order_by(HarvestJob.id)]


def _job_with_errors(store: Store, source_name: str, count: int) -> int:
    source = source_row(store, source_name)
    job_id = start_job(store, source.id)
    for number in range(count):
        stage = "validate" if number % 5 == 0 else "map"
        report = _report(number) if stage == "validate" else None
        record_error(
            store,
            job_id,
            record_key=f"datensatz-{number:03d}",
            stage=stage,
            message=Bilingual(f"Fehler Nummer {number:03d}", f"Error number {number:03d}"),
            report=report,
        )
    finish_job(store, job_id, JobCounts(new=3, failed=count), gather_complete=True)
    return job_id


def _report(number: int) -> dict[str, object]:
    return {
        "conforms": False,
        "results": [
            {
                "severity": "violation",
                "focus_node": f"https://daten.example/{number}",
                "path": "http://purl.org/dc/terms/license",
                "value": None,
                "message_de": "Die Distribution braucht eine Lizenz aus dem DCAT-AP.de-Vokabular.",
                "message_en": "The distribution needs a licence from the DCAT-AP.de vocabulary.",
                "source_shape": None,
            }
        ],
    }


def test_the_job_page_shows_every_error_in_pages_filterable_by_stage_and_text(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    job_id = _job_with_errors(store, "umwelt-config", 250)
    anna = client_for(steward_app, "anna")

    first = page_text(anna.get(f"/verwaltung/jobs/{job_id}"))
    last = page_text(anna.get(f"/verwaltung/jobs/{job_id}?page=3"))
    validate = page_text(anna.get(f"/verwaltung/jobs/{job_id}?stage=validate"))
    text = page_text(anna.get(f"/verwaltung/jobs/{job_id}?q=nummer%20042"))

    assert "250 Fehler insgesamt." in first
    assert first.count('class="error-item"') == 100 and "datensatz-000" in first
    assert last.count('class="error-item"') == 50 and "datensatz-249" in last
    assert "datensatz-000" not in last
    assert "50 Fehler passen zum Filter." in validate
    assert "datensatz-001" not in validate and "dct:license" in validate
    assert "braucht eine Lizenz aus dem DCAT-AP.de-Vokabular" in validate
    assert "1 Fehler passt zum Filter." in text and "datensatz-042" in text


def test_the_job_page_is_for_the_organisations_editors_and_admins_only(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    _, store = steward_store
    job_id = _job_with_errors(store, "umwelt-config", 1)

    emil = client_for(steward_app, "emil").get(f"/verwaltung/jobs/{job_id}")
    otto = client_for(steward_app, "otto").get(f"/verwaltung/jobs/{job_id}")
    anonymous = client_for(steward_app, None).get(f"/verwaltung/jobs/{job_id}")

    assert emil.status_code == 200 and "datensatz-000" in page_text(emil)
    assert otto.status_code == 403
    assert anonymous.status_code == 302 and "/verwaltung/anmelden" in anonymous.headers["Location"]
