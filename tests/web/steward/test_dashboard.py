"""The steward's start page: only their organisations, what needs attention, recent jobs."""

from __future__ import annotations

from flask import Flask

from catalog.ingest import RecordPreparer
from catalog.jobs import JobCounts, finish_job, start_job
from catalog.models import RecordStatus
from catalog.organizations import get_source_by_name
from catalog.settings import Settings
from catalog.store import Store
from tests.catalog.search.support import add_dataset
from tests.web.steward.steward_support import client_for, page_text


def test_the_dashboard_shows_the_stewards_organisations_and_what_needs_attention(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    settings, store = steward_store
    preparer = RecordPreparer(settings)
    add_dataset(store, preparer, "luft", "Luftmessnetz", organization="umweltamt")
    add_dataset(
        store,
        preparer,
        "entwurf-laerm",
        "Lärmkarte (Entwurf)",
        organization="umweltamt",
        status=RecordStatus.DRAFT,
    )
    add_dataset(
        store,
        preparer,
        "wahlen",
        "Wahlergebnisse",
        organization="statistik",
        status=RecordStatus.DRAFT,
    )
    source = get_source_by_name(store, "umwelt-config")
    assert source is not None
    job = start_job(store, source.id)
    finish_job(store, job, JobCounts(new=3), gather_complete=True, failed=False, message="")

    emil = page_text(client_for(steward_app, "emil").get("/verwaltung/"))

    assert "Umweltamt" in emil and "Statistikstelle" not in emil
    assert "Lärmkarte (Entwurf)" in emil  # a draft needs attention
    assert "Luftmessnetz" not in emil.split("Braucht Aufmerksamkeit")[1].split("Letzte Ernten")[0]
    assert "Wahlergebnisse" not in emil  # another organisation's draft
    assert f"umwelt-config #{job}" in emil

    otto = page_text(client_for(steward_app, "otto").get("/verwaltung/"))
    assert "Wahlergebnisse" in otto and "Lärmkarte" not in otto
    site_admin = page_text(client_for(steward_app, "sina").get("/verwaltung/"))
    assert "Wahlergebnisse" in site_admin and "Lärmkarte" in site_admin
    nobody = page_text(client_for(steward_app, "nina").get("/verwaltung/"))
    assert "keiner Organisation zugeordnet" in nobody


def test_the_dashboard_needs_a_login(steward_app: Flask) -> None:
    response = client_for(steward_app, None).get("/verwaltung/")
    assert response.status_code == 302
    assert "/verwaltung/anmelden?next=/verwaltung/" in response.headers["Location"]
