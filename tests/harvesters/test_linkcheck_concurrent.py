"""Two link check runs at the same moment, each with its own connection as two processes
have, over the same due URLs of a real server on 127.0.0.1: every URL is requested once.
On SQLite, and on PostgreSQL where CATALOG_TEST_POSTGRES_URL is set."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from catalog.link_checks import link_states
from catalog.models import LinkClaim, utcnow
from catalog.organizations import get_organization_by_name, sync_organizations
from catalog.settings import Settings, settings_from_mapping
from catalog.store import Store, open_store
from harvesters.link_service import LinkRunSummary, run_link_check
from tests.catalog.test_link_checks import _distribution, _record
from tests.conftest import minimal_config
from tests.harvesters.linkcheck_server import LinkServer, link_server

URLS = 24


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with link_server() as running:
        running.state.hold_seconds = 0.02  # /slow: requests of both runs overlap
        yield running


def linkcheck_settings(tmp_path: Path) -> Settings:
    config = minimal_config(
        storage={"data_dir": str(tmp_path / "instance")},
        harvest={"allow_private_networks": True},  # the test server is on 127.0.0.1
        linkcheck={"interval": 24, "delay": 0, "per_host": 4, "parallel": 4, "deadline": 5},
    )
    return settings_from_mapping(config, base_dir=tmp_path, env={})


def after_both_found_their_urls(barrier: threading.Barrier) -> Callable[[], datetime]:
    """The run's clock; its first reading (when the run picks the due URLs) waits until the
    other run has read the same records, so both start from the same due list."""
    first = threading.Event()

    def now() -> datetime:
        if not first.is_set():
            first.set()
            barrier.wait(timeout=60)
        return utcnow()

    return now


def test_two_runs_at_once_request_each_due_url_once(
    store: Store,
    database_url: tuple[str, dict[str, Any]],
    tmp_path: Path,
    server: LinkServer,
) -> None:
    settings = linkcheck_settings(tmp_path)
    sync_organizations(store, settings.organizations)
    umwelt = get_organization_by_name(store, "umweltamt")
    assert umwelt is not None
    urls = [f"{server.base}/slow?datei={n}" for n in range(URLS)]
    for half, name in enumerate(("baeume", "laerm")):
        uri = f"http://catalog.test/dataset/{name}"
        mine = urls[half::2] + urls[:2]  # two URLs named by both records
        distributions = "".join(
            _distribution(uri, f"d{n}", download=url, fmt="CSV") for n, url in enumerate(mine)
        )
        _record(store, name, umwelt.id, distributions)
    barrier = threading.Barrier(2)
    summaries: list[LinkRunSummary] = []
    failures: list[BaseException] = []

    def one_process() -> None:
        own = open_store(database_url[0], **database_url[1])
        try:
            now = after_both_found_their_urls(barrier)
            summaries.append(run_link_check(own, settings, now=now))
        except BaseException as exc:  # reported by the test below, not lost in the thread
            failures.append(exc)
        finally:
            own.close()

    runs = [threading.Thread(target=one_process) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()

    assert failures == []
    asked = Counter(path for _, path in server.state.requests)
    assert asked == Counter({url.removeprefix(server.base): 1 for url in urls})
    assert sorted(r.url for s in summaries for r in s.results) == sorted(urls)
    assert [s.urls for s in summaries] == [URLS, URLS]
    assert sum(s.not_due for s in summaries) == URLS, "each URL checked by one run only"
    assert all(s.complete for s in summaries)
    assert set(link_states(store, urls)) == set(urls)
    with store.reading() as session:
        claims = list(session.scalars(select(LinkClaim)))
    assert len(claims) == URLS and all(c.checking_since is None for c in claims)
