"""The link checker against a real HTTP server on 127.0.0.1: each kind of link a city meets,
the network rules on every redirect hop, and politeness per host."""

from __future__ import annotations

import ipaddress
import itertools
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from catalog.link_checks import LinkResult, LinkTarget
from catalog.settings import LinkcheckSettings
from harvesters.http import HttpPolicy, session_for
from harvesters.linkcheck import Politeness, check_links, check_url, linkcheck_policy
from tests.harvesters.linkcheck_server import CSV, LinkServer, link_server

LOOPBACK_ONLY = HttpPolicy(
    allow_private_networks=False, allowed_private=(ipaddress.ip_network("127.0.0.0/8"),)
)
# Short waits: a hanging or dripping test server is given up on within half a second.
QUICK = LinkcheckSettings(timeout=0.3, deadline=0.5, delay=0.0)


@pytest.fixture(scope="module")
def server() -> Iterator[LinkServer]:
    with link_server() as running:
        yield running


def check(server: LinkServer, path: str, announced: tuple[str, ...] = ()) -> LinkResult:
    session = session_for(linkcheck_policy(LOOPBACK_ONLY, QUICK))
    try:
        return check_url(session, LinkTarget(server.base + path, "download", announced))
    finally:
        session.close()


def test_a_reachable_csv_is_fine_with_its_type_and_size(server: LinkServer) -> None:
    result = check(server, "/ok.csv", ("CSV",))
    assert (result.ok, result.status, result.problem) == (True, 200, None)
    assert result.content_type == "text/csv"
    assert result.size == len(CSV)
    assert result.final_url == server.base + "/ok.csv"


def test_a_chain_of_redirects_is_followed_to_the_final_address(server: LinkServer) -> None:
    result = check(server, "/moved-1", ("CSV",))
    assert (result.ok, result.status) == (True, 200)
    assert result.final_url == server.base + "/ok.csv"


def test_a_missing_file_is_broken_with_its_status(server: LinkServer) -> None:
    result = check(server, "/missing")
    assert (result.ok, result.status, result.problem) == (False, 404, "http_status")
    assert result.error == "HTTP 404"


def test_a_server_error_is_broken_and_not_retried(server: LinkServer) -> None:
    before = sum(1 for _, path in server.state.requests if path == "/failing")
    result = check(server, "/failing")
    assert (result.ok, result.status, result.problem) == (False, 500, "http_status")
    after = sum(1 for _, path in server.state.requests if path == "/failing")
    assert after - before == 2  # HEAD, then one ranged GET; no retries


def test_a_server_that_never_answers_times_out(server: LinkServer) -> None:
    result = check(server, "/hang")
    assert (result.ok, result.status, result.problem) == (False, None, "timeout")


def test_a_dripping_download_stops_at_the_deadline(server: LinkServer) -> None:
    # The drip sends a byte every 20 ms: each wait is far below the read timeout, so only
    # the deadline (0.5 s) can end it; without one it would run for the file's 1 MB.
    result = check(server, "/drip", ("CSV",))
    assert (result.ok, result.problem) == (False, "timeout")
    assert "0.5 s" in result.error


def test_html_where_csv_was_announced_is_a_problem(server: LinkServer) -> None:
    result = check(server, "/page.html", ("CSV",))
    assert result.ok  # reachable, so the score's reachability holds ...
    assert result.problem == "html_instead_of_format"  # ... but the steward is told
    assert "liefert HTML statt CSV" in result.error


def test_html_is_fine_where_nothing_or_html_was_announced(server: LinkServer) -> None:
    assert check(server, "/page.html").problem is None
    assert check(server, "/page.html", ("HTML",)).problem is None


def test_a_redirect_into_a_private_network_is_refused_and_reported(server: LinkServer) -> None:
    result = check(server, "/to-private", ("CSV",))
    assert (result.ok, result.problem) == (False, "forbidden")
    assert result.final_url == "http://10.20.30.40/intern.csv"
    assert "10.20.30.40" in result.error


def test_a_redirect_to_the_cloud_metadata_service_is_refused(server: LinkServer) -> None:
    result = check(server, "/to-metadata")
    assert (result.ok, result.problem) == (False, "forbidden")


def test_a_redirect_loop_is_reported_as_such(server: LinkServer) -> None:
    result = check(server, "/loop")
    assert (result.ok, result.problem) == (False, "redirect_loop")


def test_a_server_that_refuses_head_is_asked_for_the_first_bytes(server: LinkServer) -> None:
    before = len(server.state.requests)
    result = check(server, "/no-head.csv", ("CSV",))
    assert (result.ok, result.status, result.content_type) == (True, 206, "text/csv")
    assert result.size == len(CSV)  # from Content-Range, not from the bytes read
    assert [method for method, _ in server.state.requests[before:]] == ["HEAD", "GET"]


def test_a_server_that_hangs_up_on_head_is_asked_with_get(server: LinkServer) -> None:
    result = check(server, "/drops-head.csv", ("CSV",))
    assert (result.ok, result.status, result.size) == (True, 200, len(CSV))


def test_a_private_target_is_refused_when_private_networks_are_off(server: LinkServer) -> None:
    session = session_for(linkcheck_policy(HttpPolicy(), QUICK))
    try:
        result = check_url(session, LinkTarget(server.base + "/ok.csv", "download"))
    finally:
        session.close()
    assert (result.ok, result.problem) == (False, "forbidden")


@pytest.mark.parametrize("per_host", [1, 2, 3])
def test_requests_to_one_host_never_exceed_the_per_host_limit(per_host: int) -> None:
    with link_server() as busy:
        busy.state.hold_seconds = 0.02  # long enough for requests to overlap if allowed to
        targets = [LinkTarget(f"{busy.base}/slow?n={n}", "download") for n in range(30)]
        run = check_links(
            targets,
            linkcheck_policy(LOOPBACK_ONLY, QUICK),
            Politeness(per_host=per_host, delay=0.0, parallel=8),
        )
        assert len(run.results) == 30 and not run.errors
        assert all(result.ok for result in run.results)
        assert 1 <= busy.state.max_active <= per_host


def test_two_hosts_are_checked_side_by_side_each_within_its_limit() -> None:
    with link_server("127.0.0.1") as first, link_server("127.0.0.2") as second:
        for server in (first, second):
            server.state.hold_seconds = 0.02
        targets = [
            LinkTarget(f"{server.base}/slow?n={n}", "download")
            for n in range(20)
            for server in (first, second)
        ]
        run = check_links(
            targets,
            linkcheck_policy(LOOPBACK_ONLY, QUICK),
            Politeness(per_host=1, delay=0.0, parallel=4),
        )
        assert len(run.results) == 40
        assert first.state.max_active == 1 and second.state.max_active == 1


class FakeTime:
    """A clock that moves only when someone sleeps: no real waiting in the test."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.now += seconds


def test_starts_on_one_host_are_at_least_the_delay_apart(server: LinkServer) -> None:
    fake = FakeTime()
    starts: list[float] = []
    lock = threading.Lock()

    def stamp() -> datetime:  # called as each check starts
        with lock:
            starts.append(fake.clock())
        return datetime.now(UTC)

    targets = [LinkTarget(f"{server.base}/ok.csv?n={n}", "download") for n in range(6)]
    run = check_links(
        targets,
        linkcheck_policy(LOOPBACK_ONLY, QUICK),
        Politeness(per_host=2, delay=5.0, parallel=4),
        clock=fake.clock,
        sleep=fake.sleep,
        now=stamp,
    )
    assert len(run.results) == 6
    ordered = sorted(starts)
    assert all(b - a >= 5.0 for a, b in itertools.pairwise(ordered))
    assert fake.slept  # the delay was waited for, on the injected clock


def test_the_fallback_get_waits_for_the_hosts_delay_too(server: LinkServer) -> None:
    fake = FakeTime()
    run = check_links(
        [LinkTarget(server.base + "/no-head.csv", "download", ("CSV",))],
        linkcheck_policy(LOOPBACK_ONLY, QUICK),
        Politeness(per_host=1, delay=3.0, parallel=1),
        clock=fake.clock,
        sleep=fake.sleep,
    )
    assert run.results[0].ok
    assert fake.slept == [3.0]
