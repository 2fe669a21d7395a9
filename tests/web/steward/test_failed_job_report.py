"""The job page of a job that failed as a whole counts and lists why."""

from __future__ import annotations

from flask import Flask

from catalog.organizations import get_source_by_name
from catalog.settings import Settings
from catalog.store import Store
from harvesters.service import harvest_sources
from tests.messages import both
from tests.web.steward.steward_support import (
    client_for,
    page_text,
    steward_app,
    steward_store,
)

__all__ = ["steward_app", "steward_store"]  # fixtures used by the tests below


def test_a_job_that_could_not_read_its_source_counts_one_error(
    steward_app: Flask, steward_store: tuple[Settings, Store]
) -> None:
    settings, store = steward_store
    source = get_source_by_name(store, "umwelt-config")  # http://127.0.0.1:9: nobody answers
    assert source is not None
    (outcome,) = harvest_sources(store, settings, [source], force=False)

    page = page_text(client_for(steward_app, "anna").get(f"/verwaltung/jobs/{outcome.job_id}"))

    assert both(outcome)
    assert "1 Fehler insgesamt." in page
    assert page.count('class="error-item"') == 1
    assert "Abruf (1)" in page
