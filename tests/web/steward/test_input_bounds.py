"""Huge numbers in the steward area's paths and page parameters are a 404 or the last page,
never an overflow in the database."""

from __future__ import annotations

from flask import Flask

from tests.web.steward.steward_support import client_for

HUGE = "99999999999999999999"


def test_a_job_number_beyond_any_database_integer_is_not_found(steward_app: Flask) -> None:
    anna = client_for(steward_app, "anna")
    assert anna.get(f"/verwaltung/jobs/{HUGE}").status_code == 404


def test_a_huge_page_of_the_dataset_list_is_answered(steward_app: Flask) -> None:
    anna = client_for(steward_app, "anna")
    assert anna.get(f"/verwaltung/datensaetze?seite={HUGE}").status_code == 200
