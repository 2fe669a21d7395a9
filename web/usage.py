"""Counting a request's use of the catalog: the routes call these, catalog.usage keeps the sums.

Only GET requests count (HEAD, as monitors send, does not; the CKAN API reads by POST too, as
ckanapi does); the user agent is handed over to
be classified and is not kept.
"""

from __future__ import annotations

from flask import current_app, request

from catalog.usage import UsageCounter, Use

USAGE_KEY = "catalog.usage"


def current_usage() -> UsageCounter:
    counter: UsageCounter = current_app.extensions[USAGE_KEY]
    return counter


def count_dataset_use(use: Use, record_id: str) -> None:
    if request.method == "GET":
        current_usage().dataset_used(use, record_id, request.headers.get("User-Agent"))


def count_api_read(record_id: str) -> None:
    if request.method in ("GET", "POST"):
        current_usage().dataset_used(Use.API_READ, record_id, request.headers.get("User-Agent"))


def count_catalog_fetch() -> None:
    if request.method == "GET":
        current_usage().catalog_fetched(request.headers.get("User-Agent"))


def count_search(text: str, found: int) -> None:
    if request.method == "GET":
        current_usage().searched(text, found, request.headers.get("User-Agent"))
