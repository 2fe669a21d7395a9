"""CKAN answers out of shape, served on 127.0.0.1: a broken envelope fails the job and
withdraws nothing; a broken package fails alone. Each is named by its path in the answer, in
German and English, with the address it came from, and never as a traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

from catalog.jobs import get_job, job_errors
from catalog.models import JobStatus, RecordStatus
from catalog.store import Store
from harvesters.runner import JobOutcome
from tests.harvesters.conftest import record_counts, run_source
from tests.harvesters.recorded import (
    RecordedServer,
    Route,
    ckan_action_handlers,
    dkan_handlers,
)
from tests.harvesters.test_ckan_fallback import (
    DKAN_DEMO,
    ckan_without_search,
    serve,
    settings_for,
    stored_keys,
)
from tests.harvesters.test_ckan_source import CKAN, real_packages
from tests.messages import both

Handler = Callable[[str, bytes], Route]
Envelope = dict[str, Any]
SEARCH = "/api/3/action/package_search"

# What harvesters.ckan_portal.detect_listing_api asks, as the server parses it.
DETECTION_PROBES = ({"q": "*:*", "rows": "0"}, {"limit": "1"})

needs_fixtures = pytest.mark.skipif(not CKAN.is_dir(), reason=f"needs the fixtures in {CKAN}")


def tampered(handler: Handler, change: Callable[[Envelope], None]) -> Handler:
    """The handler's answer with `change` applied to its JSON envelope. The probes that detect
    the listing API are answered as before, so the harvester takes the portal for what it is
    and meets the broken answer when it reads."""

    def answer(query: str, body: bytes) -> Route:
        route = handler(query, body)
        if {key: values[-1] for key, values in parse_qs(query).items()} in DETECTION_PROBES:
            return route
        envelope = json.loads(route.body)
        change(envelope)
        return Route(json.dumps(envelope).encode(), route.content_type, route.status)

    return answer


def serve_search(server: RecordedServer, packages: list[dict[str, Any]], change: Any) -> None:
    handlers = ckan_action_handlers(packages)
    handlers[SEARCH] = tampered(handlers[SEARCH], change)
    serve(server, handlers)


def job_message(store: Store, outcome: JobOutcome) -> str:
    job = get_job(store, outcome.job_id)
    assert job is not None
    return both(job) or ""


def error_messages(store: Store, outcome: JobOutcome) -> list[str]:
    return [both(error) for error in job_errors(store, outcome.job_id)]


def assert_no_traceback(store: Store, outcome: JobOutcome) -> None:
    for text in [job_message(store, outcome), *error_messages(store, outcome)]:
        assert "Traceback" not in text and "Unerwarteter Fehler" not in text, text


def harvest_then_break(
    store: Store, server: RecordedServer, tmp_path: Path, change: Callable[[Envelope], None]
) -> JobOutcome:
    """A good harvest, then one whose package_search answers are changed; that one's outcome
    after checking that it left the catalog as it was."""
    packages = real_packages()
    serve(server, ckan_action_handlers(packages))
    settings = settings_for(tmp_path, server)
    run_source(store, settings, "portal")
    before = record_counts(store)
    serve_search(server, packages[1:], change)  # one vanished: a complete read would withdraw it

    outcome = run_source(store, settings, "portal")

    assert outcome.status == JobStatus.FAILED
    assert outcome.counts.withdrawn == 0
    assert record_counts(store) == before
    assert_no_traceback(store, outcome)
    return outcome


# --- a broken envelope: the job fails, nothing is withdrawn -----------------------------------


@needs_fixtures
def test_a_count_that_is_no_number_fails_the_job_and_withdraws_nothing(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    def count_in_words(envelope: Envelope) -> None:
        envelope["result"]["count"] = "zwei"

    outcome = harvest_then_break(sqlite_store, server, tmp_path, count_in_words)

    message = job_message(sqlite_store, outcome)
    assert "Antwort des CKAN-Portals unerwartet: result.count ist keine Zahl ('zwei')" in message
    assert "Unexpected CKAN answer: result.count is not a number ('zwei')" in message
    assert f"{server.base_url}{SEARCH}?" in message


@needs_fixtures
def test_results_that_are_an_object_fail_the_job_and_withdraw_nothing(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    def results_as_object(envelope: Envelope) -> None:
        envelope["result"]["results"] = {"treffer": envelope["result"]["results"]}

    outcome = harvest_then_break(sqlite_store, server, tmp_path, results_as_object)

    message = job_message(sqlite_store, outcome)
    assert "Antwort des CKAN-Portals unerwartet: result.results ist keine Liste ({" in message
    assert "result.results is not a list" in message


@needs_fixtures
def test_a_missing_result_fails_the_job_and_withdraws_nothing(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    outcome = harvest_then_break(
        sqlite_store, server, tmp_path, lambda envelope: envelope.pop("result")
    )

    message = job_message(sqlite_store, outcome)
    assert "Antwort des CKAN-Portals unerwartet: result fehlt" in message
    assert "Unexpected CKAN answer: result is missing" in message


@needs_fixtures
def test_success_false_with_an_error_object_fails_the_job_and_names_the_portals_error(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    def refused(envelope: Envelope) -> None:
        envelope.pop("result")
        envelope["success"] = False
        envelope["error"] = {"__type": "Search Query Error", "message": "Solr returned an error"}

    outcome = harvest_then_break(sqlite_store, server, tmp_path, refused)

    message = job_message(sqlite_store, outcome)
    assert "Das CKAN-Portal meldet einen Fehler" in message
    assert "success: false" in message
    assert "Search Query Error: Solr returned an error" in message


@needs_fixtures
def test_a_success_flag_that_is_no_boolean_fails_the_job(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    outcome = harvest_then_break(
        sqlite_store, server, tmp_path, lambda envelope: envelope.update(success="ja")
    )

    assert "success ist nicht true oder false ('ja')" in job_message(sqlite_store, outcome)


@needs_fixtures
def test_a_current_package_list_that_is_no_list_fails_the_job(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    handlers = ckan_without_search(real_packages())
    path = "/api/3/action/current_package_list_with_resources"
    handlers[path] = tampered(
        handlers[path], lambda envelope: envelope.update(result={"packages": envelope["result"]})
    )
    serve(server, handlers)

    outcome = run_source(sqlite_store, settings_for(tmp_path, server), "portal")

    assert outcome.status == JobStatus.FAILED
    assert "Antwort des CKAN-Portals unerwartet: result ist keine Liste" in both(outcome)
    assert_no_traceback(sqlite_store, outcome)
    assert stored_keys(sqlite_store) == set()


def test_a_package_list_without_result_fails_the_job_and_withdraws_nothing(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    serve(server, dkan_handlers(DKAN_DEMO))
    settings = settings_for(tmp_path, server)
    run_source(sqlite_store, settings, "portal")
    before = record_counts(sqlite_store)
    handlers = dkan_handlers(DKAN_DEMO)
    path = "/api/3/action/package_list"
    handlers[path] = tampered(handlers[path], lambda envelope: envelope.pop("result"))
    serve(server, handlers)

    outcome = run_source(sqlite_store, settings, "portal")

    assert outcome.status == JobStatus.FAILED
    assert f"{server.base_url}{path}: Antwort des CKAN-Portals unerwartet: result fehlt" in (
        both(outcome)
    )
    assert outcome.counts.withdrawn == 0
    assert record_counts(sqlite_store) == before
    assert_no_traceback(sqlite_store, outcome)


# --- a broken package: it fails alone, the others go through ----------------------------------


@needs_fixtures
def test_packages_that_are_no_objects_fail_alone_and_withdraw_nothing(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    packages = real_packages()

    def with_junk(envelope: Envelope) -> None:
        envelope["result"]["results"][:0] = [None, 5]
        envelope["result"]["count"] += 2

    serve_search(server, packages, with_junk)
    settings = settings_for(tmp_path, server)

    first = run_source(sqlite_store, settings, "portal")

    assert first.status == JobStatus.DONE_WITH_ERRORS
    messages = error_messages(sqlite_store, first)
    assert any("result.results[0] ist kein Objekt (null)" in m for m in messages), messages
    assert any("result.results[1] ist kein Objekt (5)" in m for m in messages), messages
    assert any("result.results[1] is not an object (5)" in m for m in messages), messages
    assert "2 Datensätze ohne lesbare Kennung" in both(first)
    assert_no_traceback(sqlite_store, first)
    # the valid packages went through: a clean harvest finds nothing new to save
    serve(server, ckan_action_handlers(packages))
    clean = run_source(sqlite_store, settings, "portal")
    assert clean.counts.new == 0 and clean.counts.updated == 0
    assert clean.counts.unchanged == first.counts.new > 0
    # and with a package the portal no longer lists, the unreadable ones keep it from going
    before = record_counts(sqlite_store)
    serve_search(server, packages[1:], with_junk)

    again = run_source(sqlite_store, settings, "portal")

    assert again.counts.withdrawn == 0
    assert "nichts zurückgezogen" in both(again)
    assert record_counts(sqlite_store) == before


@needs_fixtures
def test_a_package_without_id_or_name_fails_alone(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    packages = real_packages()
    anonymous = {"title": "Ohne Kennung", "resources": []}

    def with_anonymous(envelope: Envelope) -> None:
        envelope["result"]["results"].append(anonymous)
        envelope["result"]["count"] += 1

    serve_search(server, packages, with_anonymous)

    outcome = run_source(sqlite_store, settings_for(tmp_path, server), "portal")

    position = len(packages)
    messages = error_messages(sqlite_store, outcome)
    assert any(f"result.results[{position}].id fehlt" in m for m in messages), messages
    assert outcome.counts.new > 0
    assert_no_traceback(sqlite_store, outcome)


@needs_fixtures
def test_resources_that_are_an_object_fail_the_package_alone_and_keep_its_record(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    packages = real_packages()
    serve(server, ckan_action_handlers(packages))
    settings = settings_for(tmp_path, server)
    first = run_source(sqlite_store, settings, "portal")
    stored = stored_keys(sqlite_store)
    broken, vanished = [p for p in packages if p["id"] in stored][:2]
    broken["resources"] = {"url": "http://example.org/data.csv"}
    broken["metadata_modified"] = "2099-01-01T00:00:00.000000"
    packages.remove(vanished)

    outcome = run_source(sqlite_store, settings, "portal")

    assert first.counts.new > 2
    (error,) = [e for e in job_errors(sqlite_store, outcome.job_id) if "resources" in both(e)]
    assert "result.results[0].resources ist keine Liste ({" in both(error)
    assert "result.results[0].resources is not a list" in both(error)
    assert "Antwort des CKAN-Portals unerwartet" in both(error)
    assert outcome.counts.withdrawn == 1  # the read was complete: the broken one was listed
    counts = record_counts(sqlite_store)
    assert counts[RecordStatus.WITHDRAWN.value] == 1
    assert broken["id"] in stored_keys(sqlite_store)
    assert_no_traceback(sqlite_store, outcome)


def test_a_package_show_with_resources_as_an_object_fails_that_package_alone(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    handlers = dkan_handlers(DKAN_DEMO)
    path = "/api/3/action/package_show"
    show = handlers[path]

    def one_broken(query: str, body: bytes) -> Route:
        route = show(query, body)
        if "wisconsin-polling-places-test" not in query:
            return route
        envelope = json.loads(route.body)
        envelope["result"]["resources"] = {"format": "CSV"}
        return Route(json.dumps(envelope).encode(), route.content_type, route.status)

    handlers[path] = one_broken
    serve(server, handlers)

    outcome = run_source(sqlite_store, settings_for(tmp_path, server), "portal")

    (error,) = job_errors(sqlite_store, outcome.job_id)
    assert both(error).startswith(f"{server.base_url}{path}?id=wisconsin-polling-places-test")
    assert 'result.resources ist keine Liste ({"format": "CSV"})' in both(error)
    assert outcome.counts.new == 3
    assert_no_traceback(sqlite_store, outcome)


@needs_fixtures
def test_a_listed_package_without_id_or_name_fails_alone_without_package_search(
    sqlite_store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    packages = real_packages()
    handlers = ckan_without_search(packages)
    path = "/api/3/action/current_package_list_with_resources"
    handlers[path] = tampered(
        handlers[path], lambda envelope: envelope["result"].insert(0, {"title": "Ohne Kennung"})
    )
    serve(server, handlers)

    outcome = run_source(sqlite_store, settings_for(tmp_path, server), "portal")

    messages = error_messages(sqlite_store, outcome)
    assert any("result[0] hat weder id noch name" in m for m in messages), messages
    assert any("result[0] has neither id nor name" in m for m in messages), messages
    assert outcome.counts.seen == len(packages) + 1
    assert len(stored_keys(sqlite_store)) == outcome.counts.seen - outcome.counts.refused > 0
    assert_no_traceback(sqlite_store, outcome)
