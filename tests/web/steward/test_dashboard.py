"""The steward's start page: only their organisations, what needs attention, recent jobs."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from catalog.ingest import RecordPreparer
from catalog.jobs import JobCounts, finish_job, start_job
from catalog.models import DatasetRecord, RecordStatus, ValidationState
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
    finish_job(store, job, JobCounts(new=3), gather_complete=True, failed=False)

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


def test_the_overview_counts_as_published_what_the_public_sees_and_the_rest_as_held_back(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    settings, store = steward_store
    preparer = RecordPreparer(settings)
    for name in ("luft", "wasser", "laerm"):
        add_dataset(store, preparer, name, name.title(), organization="umweltamt")
    with store.transaction() as session:
        # Published by a harvest, but with a DCAT-AP.de violation: not public.
        held = session.scalar(select(DatasetRecord).where(DatasetRecord.name == "laerm"))
        assert held is not None
        held.validation_state = ValidationState.INVALID
    visitor = steward_app.test_client()

    page = page_text(client_for(steward_app, "anna").get("/verwaltung/"))

    umweltamt = page.split('id="org-umweltamt"')[1].split("</section>")[0]
    figures = dict(re.findall(r"<div><dt>([^<]+)</dt><dd>([\d.]+)</dd>", umweltamt))
    assert figures["Veröffentlicht"] == "2"
    assert figures["Zurückgehalten"] == "1"
    # What "Veröffentlicht" promises: the public sees two, not the held-back one.
    assert visitor.get("/dataset/luft").status_code == 200
    assert visitor.get("/dataset/laerm").status_code == 404
