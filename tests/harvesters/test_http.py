"""The harvest HTTP session against real servers on 127.0.0.1: SSRF rules, retries, limits."""

from __future__ import annotations

import ipaddress
import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import urllib3.util.connection
from ckanapi import RemoteCKAN
from ckanapi.errors import CKANAPIError
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from catalog.models import JobStatus
from catalog.store import Store
from harvesters import http
from harvesters.http import (
    ForbiddenTarget,
    HttpError,
    HttpPolicy,
    RequestFailed,
    RequestTimedOut,
    ResponseTooLarge,
    SafeSession,
    session_for,
)
from tests.harvesters.conftest import run_source, source_settings
from tests.messages import both

FAST = {"connect_timeout": 1.0, "read_timeout": 0.5, "retries": 2, "backoff": 0.01}


def local_session(**overrides: Any) -> SafeSession:
    """A session that may reach the test servers on 127.0.0.1, with fast timeouts."""
    return session_for(HttpPolicy(**{**FAST, "allow_private_networks": True, **overrides}))


def strict_session(**overrides: Any) -> SafeSession:
    return session_for(HttpPolicy(**{**FAST, **overrides}))


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    httpserver = HTTPServer(host="127.0.0.1", port=0)
    httpserver.start()
    yield httpserver
    httpserver.clear()
    httpserver.stop()


@pytest.fixture
def web(server: HTTPServer) -> HTTPServer:
    server.clear()
    return server


class RawServer:
    """Socket-level misbehaviour pytest-httpserver cannot produce: resets, stalls, endless bodies.

    Paths: /reset (RST after the request), /slow (no answer for a second), /endless (an
    endless chunked body), /huge-declared (announces 10 GB, then stalls).
    """

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.sent_bytes = 0
        self.stop = threading.Event()
        raw = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                raw.paths.append(self.path)
                if self.path.startswith("/reset"):
                    linger = struct.pack("ii", 1, 0)
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                    self.close_connection = True
                    return
                if self.path.startswith("/slow"):
                    raw.stop.wait(1.0)
                    return
                if self.path.startswith("/drip"):
                    self._drip()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                if self.path.startswith("/huge-declared"):
                    self.send_header("Content-Length", str(10 * 1024**3))
                    self.end_headers()
                    self.wfile.flush()
                    raw.stop.wait(1.0)
                    return
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b"x" * 16384
                try:
                    while not raw.stop.is_set() and raw.sent_bytes < 256 * 1024**2:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        raw.sent_bytes += len(chunk)
                except OSError:
                    self.close_connection = True

            def _drip(self) -> None:
                """A byte every 50 ms: never slower than the read timeout, never finished."""
                self.send_response(200)
                self.send_header("Content-Type", "text/turtle")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                try:
                    while not raw.stop.wait(0.05):
                        self.wfile.write(b"#")
                        self.wfile.flush()
                except OSError:
                    self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def raw() -> Iterator[RawServer]:
    server = RawServer()
    server.thread.start()
    yield server
    server.stop.set()
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Records (and blocks) every socket connection the session would open."""
    attempts: list[Any] = []

    def refuse(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        attempts.append(address)
        raise OSError("connection attempted in a test that must not connect")

    monkeypatch.setattr(urllib3.util.connection, "create_connection", refuse)
    return attempts


@pytest.fixture
def loopback_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """127.0.0.1 plays a public portal; every other rule stays as it is."""
    real: Callable[[Any], bool] = http.is_public_address
    loopback = ipaddress.ip_address("127.0.0.1")
    monkeypatch.setattr(http, "is_public_address", lambda ip: ip == loopback or real(ip))


def fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> list[str]:
    """Names resolve to the given addresses, one answer per lookup (the last one repeats)."""
    real = socket.getaddrinfo
    lookups: list[str] = []

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in answers:
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        queue = answers[host]
        address = queue.pop(0) if len(queue) > 1 else queue[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return lookups


# --- targets ---------------------------------------------------------------------------------


def test_loopback_is_refused_without_allow_private_networks(
    web: HTTPServer, no_connections: list[Any]
) -> None:
    web.expect_request("/catalog.ttl").respond_with_data("ok")
    with pytest.raises(ForbiddenTarget) as caught:
        strict_session().fetch(web.url_for("/catalog.ttl"))
    message = str(caught.value)
    assert web.url_for("/catalog.ttl") in message
    assert "privaten oder lokalen Netz" in message
    assert "harvest.allow_private_networks" in message
    assert no_connections == []
    assert web.log == []


def test_loopback_is_reached_with_allow_private_networks(web: HTTPServer) -> None:
    web.expect_request("/catalog.ttl").respond_with_data(
        "<a> <b> <c> .", content_type="text/turtle"
    )
    response = local_session().fetch(web.url_for("/catalog.ttl"), accept="text/turtle")
    assert response.status == 200
    assert response.body == b"<a> <b> <c> ."
    assert response.content_type == "text/turtle"
    assert response.url == web.url_for("/catalog.ttl")
    assert web.log[0][0].headers["Accept"] == "text/turtle"


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/catalog",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8080/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1]/",
        "http://0.0.0.0:5000/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://localhost:5000/",
    ],
)
def test_private_and_local_targets_are_refused_without_connecting(
    url: str, no_connections: list[Any]
) -> None:
    with pytest.raises(ForbiddenTarget, match="private or local network"):
        strict_session().fetch(url)
    assert no_connections == []


@pytest.mark.parametrize(
    "host",
    [
        "[::a9fe:a9fe]",  # IPv4-compatible form of the metadata service
        "[::ffff:0:a9fe:a9fe]",  # IPv4-translated form of it
        "[64:ff9b:1::a9fe:a9fe]",  # NAT64 local-use form of it
        "[64:ff9b::a9fe:a9fe]",  # NAT64 well-known form of it
        "[2002:a9fe:a9fe::1]",  # 6to4 form of it
        "[2001:0:4136:e378:8000:63bf:5601:5601]",  # Teredo, client 169.254.169.254
        "[fec0::1]",  # site-local
        "[::7f00:1]",  # IPv4-compatible loopback
        "192.0.0.8",  # IPv4 dummy address
    ],
)
def test_ipv4_hidden_in_ipv6_and_special_purpose_targets_are_refused_without_connecting(
    host: str, no_connections: list[Any]
) -> None:
    url = f"http://{host}/latest/meta-data/"
    with pytest.raises(ForbiddenTarget) as caught:
        strict_session().fetch(url)
    message = str(caught.value)
    assert url in message
    assert "privaten oder lokalen Netz" in message
    assert "private or local network" in message
    assert no_connections == []


def test_a_harvest_of_a_source_at_an_ipv4_compatible_literal_fails_without_connecting(
    sqlite_store: Store, tmp_path: Path, no_connections: list[Any]
) -> None:
    url = "http://[::a9fe:a9fe]/catalog.ttl"
    settings = source_settings(
        tmp_path, [{"name": "metadaten", "type": "dcat", "url": url}], allow_private_networks=False
    )
    outcome = run_source(sqlite_store, settings, "metadaten")
    assert outcome.status == JobStatus.FAILED
    assert "privaten oder lokalen Netz" in both(outcome)
    assert "private or local network" in both(outcome)
    assert no_connections == []


def test_a_name_with_one_private_address_among_public_ones_is_refused(
    monkeypatch: pytest.MonkeyPatch, no_connections: list[Any]
) -> None:
    real = socket.getaddrinfo

    def two_answers(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "portal.test":
            return real(host, port, *args, **kwargs)
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.0.10", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", two_answers)
    with pytest.raises(ForbiddenTarget, match=r"192\.168\.0\.10"):
        strict_session().fetch("https://portal.test/api/3/action/package_search")
    assert no_connections == []


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://ftp.example.org/data.csv", "gopher://x/"]
)
def test_schemes_other_than_http_and_https_are_refused(url: str) -> None:
    with pytest.raises(ForbiddenTarget, match="only http and https"):
        local_session().fetch(url)


def test_public_addresses_pass_the_check() -> None:
    assert http.is_public_address(ipaddress.ip_address("93.184.216.34"))
    assert http.is_public_address(ipaddress.ip_address("2a00:1450:4001:80b::200e"))
    assert not http.is_public_address(ipaddress.ip_address("2002:a00:1::1"))  # 6to4 of 10.0.0.1
    assert not http.is_public_address(ipaddress.ip_address("64:ff9b::a9fe:a9fe"))  # NAT64


def test_redirect_from_a_public_server_to_the_metadata_service_is_refused(
    web: HTTPServer, loopback_is_public: None
) -> None:
    target = "http://169.254.169.254/latest/meta-data/"
    web.expect_request("/moved").respond_with_data("", status=302, headers={"Location": target})
    with pytest.raises(ForbiddenTarget) as caught:
        strict_session().fetch(web.url_for("/moved"))
    assert target in str(caught.value)
    assert len(web.log) == 1


def test_redirect_to_a_file_url_is_refused_even_with_private_networks_allowed(
    web: HTTPServer,
) -> None:
    web.expect_request("/moved").respond_with_data(
        "", status=301, headers={"Location": "file:///etc/passwd"}
    )
    with pytest.raises(ForbiddenTarget, match="file"):
        local_session().fetch(web.url_for("/moved"))


def test_redirects_within_allowed_targets_are_followed(web: HTTPServer) -> None:
    web.expect_request("/old").respond_with_data("", status=302, headers={"Location": "/new"})
    web.expect_request("/new").respond_with_data("here")
    response = local_session().fetch(web.url_for("/old"))
    assert response.url == web.url_for("/new")
    assert response.body == b"here"


def test_connection_goes_to_the_checked_address_when_dns_changes_its_answer(
    monkeypatch: pytest.MonkeyPatch, raw: RawServer
) -> None:
    # DNS rebinding: public for the check, loopback a moment later for the connection.
    lookups = fake_dns(monkeypatch, {"rebind.test": ["93.184.216.34", "127.0.0.1"]})
    with pytest.raises(ForbiddenTarget, match=r"127\.0\.0\.1"):
        strict_session(retries=0).fetch(f"http://rebind.test:{raw.port}/endless")
    assert lookups == ["rebind.test", "rebind.test"]
    assert raw.paths == []


def test_pinned_connection_keeps_the_host_name_in_the_host_header(
    monkeypatch: pytest.MonkeyPatch, web: HTTPServer, loopback_is_public: None
) -> None:
    fake_dns(monkeypatch, {"portal.test": ["127.0.0.1"]})
    web.expect_request("/catalog").respond_with_data("ok")
    response = strict_session().fetch(f"http://portal.test:{web.port}/catalog")
    assert response.body == b"ok"
    assert web.log[0][0].headers["Host"] == f"portal.test:{web.port}"


# --- retries and failures --------------------------------------------------------------------


def test_two_503_then_200_succeeds_and_the_retries_are_recorded(web: HTTPServer) -> None:
    web.expect_oneshot_request("/flaky").respond_with_data("busy", status=503)
    web.expect_oneshot_request("/flaky").respond_with_data("busy", status=503)
    web.expect_request("/flaky").respond_with_data("fine")
    session = local_session(retries=3)
    response = session.fetch(web.url_for("/flaky"))
    assert response.body == b"fine"
    assert len(web.log) == 3
    assert [(note.attempt, note.reason) for note in session.retry_log] == [
        (1, "HTTP 503"),
        (2, "HTTP 503"),
    ]


def test_a_server_failing_forever_fails_after_the_retries_naming_the_status(
    web: HTTPServer,
) -> None:
    web.expect_request("/broken").respond_with_data("oops", status=500)
    with pytest.raises(RequestFailed) as caught:
        local_session(retries=2).fetch(web.url_for("/broken"))
    assert caught.value.status == 500
    assert "HTTP 500" in str(caught.value)
    assert web.url_for("/broken") in str(caught.value)
    assert len(web.log) == 3


def test_client_errors_are_not_retried(web: HTTPServer) -> None:
    web.expect_request("/missing").respond_with_data("no", status=404)
    with pytest.raises(RequestFailed) as caught:
        local_session(retries=3).fetch(web.url_for("/missing"))
    assert caught.value.status == 404
    assert len(web.log) == 1


def test_a_reset_connection_fails_cleanly_after_retrying(raw: RawServer) -> None:
    session = local_session(retries=1)
    with pytest.raises(RequestFailed) as caught:
        session.fetch(raw.url("/reset"))
    assert caught.value.status is None
    assert "2 Versuchen" in str(caught.value) and "2 attempts" in str(caught.value)
    assert raw.paths == ["/reset", "/reset"]
    assert len(session.retry_log) == 1


def test_a_server_slower_than_the_read_timeout_fails_in_bounded_time(raw: RawServer) -> None:
    started = time.monotonic()
    with pytest.raises(RequestTimedOut, match="timed out after 2 attempts"):
        local_session(read_timeout=0.3, retries=1).fetch(raw.url("/slow"))
    assert time.monotonic() - started < 1.5
    assert raw.paths == ["/slow", "/slow"]


def test_a_server_dripping_its_body_is_stopped_by_max_seconds(raw: RawServer) -> None:
    started = time.monotonic()
    with pytest.raises(RequestTimedOut, match=r"within 0\.5 s"):
        local_session(read_timeout=0.3, max_seconds=0.5, retries=0).fetch(raw.url("/drip"))
    assert time.monotonic() - started < 1.5


def test_post_is_not_retried_unless_the_policy_says_so(web: HTTPServer) -> None:
    web.expect_request("/action", method="POST").respond_with_data("busy", status=503)
    response = local_session(retries=3).post(web.url_for("/action"), data=b"{}")
    assert response.status_code == 503
    assert len(web.log) == 1
    web.clear_log()
    local_session(retries=2, retry_post=True).post(web.url_for("/action"), data=b"{}")
    assert len(web.log) == 3


# --- size limit ------------------------------------------------------------------------------


def test_a_body_over_the_limit_with_content_length_is_refused_before_reading(
    raw: RawServer,
) -> None:
    started = time.monotonic()
    with pytest.raises(ResponseTooLarge) as caught:
        local_session(max_bytes=1024).fetch(raw.url("/huge-declared"))
    assert "10737418240" in str(caught.value)
    # The server sends no body at all: reading it would have hit the read timeout.
    assert time.monotonic() - started < 0.4


def test_an_endless_chunked_body_is_cut_off_at_the_limit(raw: RawServer) -> None:
    with pytest.raises(ResponseTooLarge, match="larger than 65536 bytes"):
        local_session(max_bytes=64 * 1024).fetch(raw.url("/endless"))
    assert raw.sent_bytes < 64 * 1024**2


def test_a_body_at_the_limit_is_delivered_whole(web: HTTPServer) -> None:
    web.expect_request("/exact").respond_with_data(b"y" * 4096)
    assert local_session(max_bytes=4096).fetch(web.url_for("/exact")).body == b"y" * 4096


def test_the_limit_applies_to_plain_session_calls(web: HTTPServer) -> None:
    def streamed(request: Request) -> Response:
        return Response((b"z" * 1000 for _ in range(100)), content_type="text/plain")

    web.expect_request("/stream").respond_with_handler(streamed)
    with pytest.raises(ResponseTooLarge):
        local_session(max_bytes=10_000).get(web.url_for("/stream"), stream=True)


# --- identity --------------------------------------------------------------------------------


def test_the_user_agent_names_the_catalog_and_reaches_the_server(web: HTTPServer) -> None:
    agent = HttpPolicy.default_user_agent("https://daten.musterstadt.de")
    assert agent.startswith("Stadtkatalog/")
    assert agent.endswith("(+https://daten.musterstadt.de)")
    web.expect_request("/").respond_with_data("ok")
    local_session(user_agent=agent).fetch(web.url_for("/"))
    assert web.log[0][0].headers["User-Agent"] == agent


def test_every_failure_is_an_http_error_with_both_languages(web: HTTPServer) -> None:
    web.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    with pytest.raises(HttpError) as caught:
        local_session().fetch(web.url_for("/loop"))
    assert "Anfrage gescheitert" in str(caught.value)
    assert "request failed" in str(caught.value)


# --- ckanapi on our session ------------------------------------------------------------------


def ckan_search_result(count: int = 1) -> dict[str, Any]:
    results = [{"id": f"ds-{n}", "name": f"dataset-{n}"} for n in range(count)]
    return {"success": True, "result": {"count": count, "results": results}}


@pytest.mark.parametrize("get_only", [True, False])
def test_ckanapi_package_search_works_through_the_session(web: HTTPServer, get_only: bool) -> None:
    web.expect_request("/api/action/package_search").respond_with_json(ckan_search_result())
    session = local_session()
    agent = session.headers["User-Agent"]
    portal = RemoteCKAN(
        web.url_for("/").rstrip("/"), user_agent=agent, session=session, get_only=get_only
    )
    page = portal.action.package_search(q="*:*", rows=10)
    assert page["results"][0]["id"] == "ds-0"
    assert web.log[0][0].headers["User-Agent"] == agent


def test_ckanapi_calls_are_refused_for_a_private_portal(
    web: HTTPServer, no_connections: list[Any]
) -> None:
    portal = RemoteCKAN(web.url_for("/").rstrip("/"), session=strict_session(), get_only=True)
    with pytest.raises(ForbiddenTarget):
        portal.action.package_search(q="*:*")
    assert no_connections == []


def test_ckanapi_calls_are_cut_off_at_the_limit(web: HTTPServer) -> None:
    web.expect_request("/api/action/package_search").respond_with_json(ckan_search_result(500))
    portal = RemoteCKAN(
        web.url_for("/").rstrip("/"), session=local_session(max_bytes=2048), get_only=True
    )
    with pytest.raises(ResponseTooLarge):
        portal.action.package_search(q="*:*")


def test_ckanapi_calls_get_the_policy_timeouts(raw: RawServer) -> None:
    # ckanapi passes timeout=None; without the policy's default this would wait a second.
    portal = RemoteCKAN(
        raw.url("/slow"), session=local_session(read_timeout=0.2, retries=0), get_only=True
    )
    started = time.monotonic()
    with pytest.raises(RequestTimedOut):
        portal.call_action("package_search", {"q": "*:*"}, requests_kwargs={})
    assert time.monotonic() - started < 0.8


def test_ckanapi_post_actions_are_retried_only_when_the_policy_allows(web: HTTPServer) -> None:
    address = web.url_for("/").rstrip("/")
    web.expect_oneshot_request("/api/action/package_search").respond_with_data("", status=503)
    web.expect_request("/api/action/package_search").respond_with_data(
        json.dumps(ckan_search_result()), content_type="application/json"
    )
    with pytest.raises(CKANAPIError):
        RemoteCKAN(address, session=local_session()).action.package_search(q="*:*")
    web.expect_oneshot_request("/api/action/package_search").respond_with_data("", status=503)
    portal = RemoteCKAN(address, session=local_session(retry_post=True))
    assert portal.action.package_search(q="*:*")["count"] == 1
