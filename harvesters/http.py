"""The one hardened HTTP session every harvester request goes through (SSRF, limits, retries).

A source URL is user input: without these rules a harvest could read the cloud metadata
service, an intranet page or a 10 GB file. `SafeSession` is a `requests.Session`, so
ckanapi's `RemoteCKAN(session=...)` gets the same rules as our own `fetch()`:

- only http and https; every address the host resolves to must be public (by IANA's
  special-purpose registries, IPv4 inside IPv6 included: `public_address`), unless the
  policy allows private networks; redirect targets are checked the same way;
- the socket connects to an address that was checked at connect time (the pinned
  connection classes below resolve, check and connect in one step), so a DNS answer that
  changes between check and connect (DNS rebinding) cannot reach a private address; the
  Host header, SNI and certificate check keep the host name;
- connect and read timeouts apply whenever the caller passes none (ckanapi passes None);
- connection errors, timeouts and HTTP 429/500/502/503/504 are retried with exponential
  back-off, for GET/HEAD/OPTIONS always and for POST only if the policy says so;
- every body, redirects included, is read with a cap and dropped at `max_bytes`; the count
  is of decoded bytes, so a gzip bomb stops at the cap too.

Residual risks: the environment's proxies are ignored (`trust_env` is off) because a proxy
resolves names itself and pinning would no longer hold; a proxy passed explicitly by a
caller gets the pre-check of the URL but no pinning. The read timeout bounds each wait for
data; `max_seconds` bounds a whole response, so a server dripping a byte a second cannot hold
an unattended harvest for hours. A public host that forwards requests into a private
network (an open proxy) is not recognised.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    NameResolutionError,
    NewConnectionError,
    ReadTimeoutError,
)
from urllib3.util import connection

from harvesters.public_address import is_public_address

log = logging.getLogger(__name__)

ALLOWED_SCHEMES = frozenset({"http", "https"})
# CKAN answers 500 when its Solr hiccups, so 500 is worth another try like the 5xx gateways.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_RETRY_AFTER = 30.0  # seconds; a longer Retry-After would stall the whole job
CHUNK_BYTES = 64 * 1024
MAX_REDIRECTS = 10


def _catalog_version() -> str:
    try:
        return metadata.version("stadtkatalog")
    except metadata.PackageNotFoundError:
        return "0"


@dataclass(frozen=True)
class HttpPolicy:
    """The network rules of one harvest; built from `harvest` settings by the service."""

    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    retries: int = 3
    backoff: float = 1.0  # seconds before the first retry, doubled for each further one
    max_bytes: int = 50 * 1024 * 1024
    max_seconds: float = 600.0  # one response, headers to last byte
    allow_private_networks: bool = False
    # ckanapi sends read actions as POST; retrying them is safe, retrying writes is not.
    retry_post: bool = False
    # Networks reachable although not public while allow_private_networks is off (a test
    # server on loopback beside the refusal of every other private target; an intranet host).
    allowed_private: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    # Keep the first max_bytes of a body and stop there without an error: a link check needs
    # the status, the headers and a sniff of the content, never the whole file.
    body_prefix_only: bool = False
    user_agent: str = field(default_factory=lambda: HttpPolicy.default_user_agent())

    @staticmethod
    def default_user_agent(base_url: str | None = None) -> str:
        """Names the catalog, so portal operators know who harvests them and whom to ask."""
        agent = f"Stadtkatalog/{_catalog_version()}"
        return f"{agent} (+{base_url})" if base_url else agent

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)

    def delay(self, attempt: int) -> float:
        """Seconds to wait after the given failed attempt (1 for the first)."""
        return float(self.backoff * 2 ** (attempt - 1))


class HttpError(Exception):
    """A request that failed for good; the message names the URL, the problem and a remedy."""

    def __init__(self, url: str, message_de: str, message_en: str) -> None:
        super().__init__(f"{url}: {message_de} / {message_en}")
        self.url = url
        # Apart, so that a page shows the reader's language (str() joins them for logs).
        self.message_de = f"{url}: {message_de}"
        self.message_en = f"{url}: {message_en}"


class ForbiddenTarget(HttpError):
    """A URL the policy does not let us contact (scheme, or a private/local address)."""


class ResponseTooLarge(HttpError):
    """A body longer than the policy's `max_bytes`; reading stopped at the limit."""

    def __init__(self, url: str, limit: int, declared: int | None = None) -> None:
        announced_de = f" (angekündigt: {declared} Bytes)" if declared is not None else ""
        announced_en = f" (announced: {declared} bytes)" if declared is not None else ""
        super().__init__(
            url,
            f"Antwort größer als {limit} Bytes{announced_de}, Abruf abgebrochen; "
            "harvest.max_response_mb erhöhen, wenn die Quelle so groß ist",
            f"response larger than {limit} bytes{announced_en}, download stopped; "
            "raise harvest.max_response_mb if the source is that large",
        )
        self.limit = limit


class RequestFailed(HttpError):
    """No usable answer: an HTTP error status (`status`) or no answer at all (None)."""

    def __init__(
        self, status: int | None, url: str, *, reason_de: str = "", reason_en: str = ""
    ) -> None:
        if status is not None:
            reason_de = reason_de or f"Server antwortete mit HTTP {status}"
            reason_en = reason_en or f"server answered HTTP {status}"
        super().__init__(url, reason_de, reason_en)
        self.status = status


class RequestTimedOut(RequestFailed):
    """The server did not connect or answer within the policy's timeouts."""


@dataclass(frozen=True)
class FetchedResponse:
    """A successful (2xx) answer, read whole; `url` is the address after redirects."""

    url: str
    status: int
    content_type: str | None
    body: bytes


@dataclass(frozen=True)
class RetryNote:
    """One failed attempt that was tried again, kept for the job's report."""

    url: str
    attempt: int
    reason: str


def resolve_public(
    host: str,
    port: int,
    url: str | None = None,
    allowed: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = (),
) -> list[str]:
    """The host's addresses, refusing the host if ANY of them is neither public nor `allowed`.

    Raises socket.gaierror when the name does not resolve; `url` names the request in the
    message (host and port if not given).
    """
    host = host.strip("[]")
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
        if not is_public_address(ip) and not any(ip in network for network in allowed):
            raise _private_target(url or f"{host}:{port}", address)
    return addresses


def _private_target(url: str, address: str) -> ForbiddenTarget:
    return ForbiddenTarget(
        url,
        f"Ziel {address} liegt in einem privaten oder lokalen Netz, der Abruf wird verweigert; "
        "harvest.allow_private_networks erlaubt solche Ziele",
        f"target {address} is in a private or local network, the request is refused; "
        "set harvest.allow_private_networks to allow such targets",
    )


def check_target(url: str, policy: HttpPolicy) -> None:
    """Refuse a URL the policy forbids, before any connection is made.

    A name that does not resolve passes here: the connection then fails with a connection
    error, which is retried like any other.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise ForbiddenTarget(
            url,
            f"Schema {parts.scheme or '(keins)'!r} ist nicht erlaubt, nur http und https",
            f"scheme {parts.scheme or '(none)'!r} is not allowed, only http and https",
        )
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host = port = None
    if not host:
        raise ForbiddenTarget(url, "Adresse ohne gültigen Host", "address without a valid host")
    if policy.allow_private_networks:
        return
    default_port = 443 if parts.scheme.lower() == "https" else 80
    with contextlib.suppress(socket.gaierror, UnicodeError):
        resolve_public(host, port or default_port, url, policy.allowed_private)


def _connect_public(conn: HTTPConnection) -> socket.socket:
    """Resolve, check and connect in one step, so the checked address is the one we use."""
    allowed = getattr(conn, "allowed_private", ())
    try:
        addresses = resolve_public(conn.host, conn.port or conn.default_port, allowed=allowed)
    except socket.gaierror as exc:
        raise NameResolutionError(conn.host, conn, exc) from exc
    last_error: OSError | None = None
    for address in addresses:
        try:
            return connection.create_connection(
                (address, conn.port or conn.default_port),
                conn.timeout,
                source_address=conn.source_address,
                socket_options=conn.socket_options,
            )
        except TimeoutError as exc:
            raise ConnectTimeoutError(
                conn, f"Connection to {conn.host} timed out. (connect timeout={conn.timeout})"
            ) from exc
        except OSError as exc:
            last_error = exc
    raise NewConnectionError(conn, f"Failed to establish a new connection: {last_error}")


class _PublicHTTPConnection(HTTPConnection):
    allowed_private: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    def _new_conn(self) -> socket.socket:
        return _connect_public(self)


class _PublicHTTPSConnection(HTTPSConnection):
    allowed_private: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    def _new_conn(self) -> socket.socket:
        return _connect_public(self)


class _PublicHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _PublicHTTPConnection


class _PublicHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _PublicHTTPSConnection


def _public_pools(
    allowed: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...],
) -> dict[str, type[HTTPConnectionPool]]:
    """The pinned pool classes; with `allowed` networks, subclasses that let those through."""
    if not allowed:
        return {"http": _PublicHTTPConnectionPool, "https": _PublicHTTPSConnectionPool}
    http_conn = type(
        "_AllowingHTTPConnection", (_PublicHTTPConnection,), {"allowed_private": allowed}
    )
    https_conn = type(
        "_AllowingHTTPSConnection", (_PublicHTTPSConnection,), {"allowed_private": allowed}
    )
    return {
        "http": type(
            "_AllowingHTTPPool", (_PublicHTTPConnectionPool,), {"ConnectionCls": http_conn}
        ),
        "https": type(
            "_AllowingHTTPSPool", (_PublicHTTPSConnectionPool,), {"ConnectionCls": https_conn}
        ),
    }


class SafeAdapter(HTTPAdapter):
    """Transport with the policy's timeouts, retries, size cap and pinned connections."""

    def __init__(self, policy: HttpPolicy, retry_log: list[RetryNote]) -> None:
        self.policy = policy  # set first: the base class builds the pools in __init__
        self.retry_log = retry_log
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        if not self.policy.allow_private_networks:
            self.poolmanager.pool_classes_by_scheme = _public_pools(self.policy.allowed_private)

    def send(  # type: ignore[override]
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        **kwargs: Any,
    ) -> requests.Response:
        """Send with retries; the body is always read here, capped, whatever `stream` says."""
        url = request.url or ""
        timeout = self.policy.timeout if timeout is None else timeout
        may_retry = request.method in IDEMPOTENT_METHODS or (
            request.method == "POST" and self.policy.retry_post
        )
        attempt = 0
        while True:
            attempt += 1
            final = not may_retry or attempt > self.policy.retries
            try:
                response = super().send(request, stream=True, timeout=timeout, **kwargs)
                if response.status_code not in RETRY_STATUSES or final:
                    read_capped(
                        response,
                        self.policy.max_bytes,
                        self.policy.max_seconds,
                        prefix_only=self.policy.body_prefix_only,
                    )
                    return response
                wait = max(self.policy.delay(attempt), _retry_after(response))
                response.close()
                reason = f"HTTP {response.status_code}"
            except requests.exceptions.RequestException as exc:
                if final or not _transient(exc):
                    raise _failure(url, exc, attempt) from exc
                wait, reason = self.policy.delay(attempt), type(exc).__name__
            self.retry_log.append(RetryNote(url, attempt, reason))
            log.warning("%s: %s, retry %d in %.2f s", url, reason, attempt, wait)
            time.sleep(wait)


def read_capped(
    response: requests.Response,
    limit: int,
    max_seconds: float = float("inf"),
    *,
    prefix_only: bool = False,
) -> None:
    """Read the body into the response, stopping as soon as it exceeds `limit` bytes or takes
    longer than `max_seconds`; with `prefix_only`, keep the first `limit` bytes and stop
    there without an error.

    A blocked read cannot look at a clock, so a timer shuts the socket down at the deadline,
    which ends the read at once.
    """
    url = response.url or ""
    declared = response.headers.get("Content-Length", "")
    method = response.request.method if response.request is not None else None
    if declared.isdigit() and int(declared) > limit and method != "HEAD" and not prefix_only:
        response.close()
        raise ResponseTooLarge(url, limit, int(declared))
    expired = threading.Event()
    timer = None
    if max_seconds != float("inf"):
        timer = threading.Timer(max_seconds, _cut, (response, expired))
        timer.daemon = True
        timer.start()
    body = bytearray()
    try:
        for chunk in response.iter_content(CHUNK_BYTES):
            body += chunk
            if len(body) > limit and prefix_only:
                del body[limit:]
                # The rest stays unread: this connection must not serve another request.
                response.raw.close()
                break
            if len(body) > limit:
                response.close()
                raise ResponseTooLarge(url, limit)
    except requests.exceptions.RequestException:
        if not expired.is_set():
            raise
    finally:
        if timer is not None:
            timer.cancel()
    if expired.is_set():
        response.close()
        raise RequestTimedOut(
            None,
            url,
            reason_de=f"Antwort nicht in {max_seconds:g} s vollständig gelesen, abgebrochen",
            reason_en=f"response not read completely within {max_seconds:g} s, stopped",
        )
    response._content = bytes(body)
    response._content_consumed = True  # type: ignore[attr-defined]  # lets iter_content replay it
    response.close()  # the body is read: this only hands the connection back to the pool


def _cut(response: requests.Response, expired: threading.Event) -> None:
    """Shut the response's socket down from the timer thread; the blocked read then ends."""
    expired.set()
    connection = getattr(response.raw, "connection", None)
    sock = getattr(connection, "sock", None)
    if sock is None:
        # An HTTP/1.0 answer (or one with "Connection: close") leaves the socket only to the
        # response's file object: http.client drops the connection's reference to it.
        fp = getattr(getattr(response.raw, "_fp", None), "fp", None)
        sock = getattr(getattr(fp, "raw", None), "_sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _retry_after(response: requests.Response) -> float:
    value = response.headers.get("Retry-After", "").strip()
    return min(float(value), MAX_RETRY_AFTER) if value.isdigit() else 0.0


def _transient(exc: requests.exceptions.RequestException) -> bool:
    """Errors worth another try: refused, reset or slow connections; not TLS or bad URLs."""
    if isinstance(exc, requests.exceptions.SSLError):
        return False
    return isinstance(exc, _BROKEN_CONNECTION | requests.exceptions.Timeout)


_BROKEN_CONNECTION = requests.exceptions.ConnectionError | requests.exceptions.ChunkedEncodingError


def _timed_out(exc: requests.exceptions.RequestException) -> bool:
    # A read timeout while streaming the body arrives as a ConnectionError around urllib3's.
    cause = exc.args[0] if exc.args else None
    return isinstance(exc, requests.exceptions.Timeout) or isinstance(cause, ReadTimeoutError)


def _failure(url: str, exc: requests.exceptions.RequestException, attempts: int) -> HttpError:
    tries_de = f"nach {attempts} Versuch{'en' if attempts > 1 else ''}"
    tries_en = f"after {attempts} attempt{'s' if attempts > 1 else ''}"
    detail = _one_line(str(exc))
    if _timed_out(exc):
        return RequestTimedOut(
            None,
            url,
            reason_de=f"Zeitüberschreitung {tries_de}; ist der Server erreichbar?",
            reason_en=f"timed out {tries_en}; is the server reachable?",
        )
    if isinstance(exc, _BROKEN_CONNECTION):
        return RequestFailed(
            None,
            url,
            reason_de=f"keine Antwort {tries_de} ({detail})",
            reason_en=f"no answer {tries_en} ({detail})",
        )
    return RequestFailed(
        None,
        url,
        reason_de=f"Anfrage gescheitert ({detail})",
        reason_en=f"request failed ({detail})",
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


class SafeSession(requests.Session):
    """A requests session that follows one `HttpPolicy`; safe to hand to ckanapi."""

    def __init__(self, policy: HttpPolicy) -> None:
        super().__init__()
        self.policy = policy
        self.retry_log: list[RetryNote] = []
        # Environment proxies would resolve names themselves (no pinning), .netrc would add
        # credentials to harvest requests: neither belongs in a harvest.
        self.trust_env = False
        self.max_redirects = MAX_REDIRECTS
        self.headers["User-Agent"] = policy.user_agent
        adapter = SafeAdapter(policy, self.retry_log)
        self.mount("http://", adapter)
        self.mount("https://", adapter)

    def request(self, method: Any, url: Any, *args: Any, **kwargs: Any) -> requests.Response:
        """Every failure leaves as an HttpError (too many redirects and bad URLs included)."""
        try:
            return super().request(method, url, *args, **kwargs)
        except requests.exceptions.RequestException as exc:
            raise _failure(str(url), exc, 1) from exc

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        """Check the target first; redirect hops come through here too, so they are checked."""
        check_target(request.url or "", self.policy)
        return super().send(request, **kwargs)

    def fetch(self, url: str, *, accept: str | None = None) -> FetchedResponse:
        """GET a URL and return its body; anything but a 2xx answer raises RequestFailed."""
        headers = {"Accept": accept} if accept else {}
        response = self.get(url, headers=headers)
        if not 200 <= response.status_code < 300:
            raise RequestFailed(response.status_code, response.url or url)
        return FetchedResponse(
            url=response.url or url,
            status=response.status_code,
            content_type=response.headers.get("Content-Type"),
            body=response.content,
        )


def session_for(policy: HttpPolicy) -> SafeSession:
    """The session a harvest job uses; close it when the job ends."""
    return SafeSession(policy)
