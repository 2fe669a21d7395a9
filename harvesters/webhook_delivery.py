"""Sending webhook deliveries: signed after Standard Webhooks, through the one hardened session.

Each delivery is a POST of the stored body with the headers `webhook-id` (the event's id, the
same on every retry and redelivery), `webhook-timestamp` (seconds) and `webhook-signature`
("v1," and the base64 HMAC-SHA256 of "id.timestamp.body", keyed with the base64 part of the
endpoint's "whsec_" secret). A 2xx answer delivers it; anything else (an error status, a
redirect, a timeout, no answer) is a failed attempt, retried later by catalog.webhooks'
back-off. The session never retries by itself and never follows redirects: the order of an
endpoint's events is ours to keep.

Targets: https to a public address. An IP address inside `webhooks.allowed_networks` may be
used with http too (tests, an intranet service); only IP literals get that, so no DNS answer
can turn an allowed name into a private target.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from catalog.models import WebhookEndpoint, utcnow
from catalog.settings import Settings
from catalog.store import Store
from catalog.webhooks import (
    EndpointNotFound,
    active_endpoint_ids,
    claim_endpoint,
    enqueue_new_events,
    get_endpoint,
    next_pending,
    record_failure,
    record_success,
    release_endpoint,
)
from harvesters.http import (
    HttpError,
    HttpPolicy,
    RequestFailed,
    SafeSession,
    resolve_public,
    session_for,
)

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class EndpointRefused(ValueError):
    """An endpoint address the rules do not allow; German and English reasons."""

    def __init__(self, message_de: str, message_en: str) -> None:
        super().__init__(f"{message_de} / {message_en}")
        self.message_de = message_de
        self.message_en = message_en


def sign(secret: str, message_id: str, timestamp: int, body: str) -> str:
    """The webhook-signature header value for one delivery."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.{body}".encode()
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def _allowed_network(host: str, settings: Settings) -> bool:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network, strict=False)
        for network in settings.webhooks.allowed_networks
    )


def check_endpoint_url(url: str, settings: Settings) -> None:
    """Refuse an address deliveries may not go to (EndpointRefused says why, in both languages)."""
    parts = urlsplit(url.strip())
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host = port = None
    if parts.scheme not in ("https", "http") or not host:
        raise EndpointRefused(
            "Bitte eine vollständige https://-Adresse angeben",
            "Give a complete https:// address",
        )
    if parts.username or parts.password:
        raise EndpointRefused(
            "Die Adresse darf keine Zugangsdaten enthalten", "The address may not hold credentials"
        )
    if _allowed_network(host, settings):
        return
    if parts.scheme != "https":
        raise EndpointRefused(
            "Nur https ist erlaubt (http nur zu Adressen, die webhooks.allowed_networks erlaubt)",
            "Only https is allowed (http only to addresses webhooks.allowed_networks allows)",
        )
    try:
        resolve_public(host, port or 443, url)
    except HttpError as exc:
        raise EndpointRefused(
            f"Die Adresse liegt in einem privaten oder lokalen Netz ({host}); "
            "webhooks.allowed_networks kann solche Ziele erlauben",
            f"The address is in a private or local network ({host}); "
            "webhooks.allowed_networks can allow such targets",
        ) from exc
    except OSError:
        pass  # a name that does not resolve now may later: deliveries fail and are retried


def delivery_policy(settings: Settings, url: str) -> HttpPolicy:
    """The network rules of one endpoint's deliveries: no retries, no redirects, short waits."""
    host = urlsplit(url).hostname or ""
    return HttpPolicy(
        connect_timeout=settings.webhooks.connect_timeout,
        read_timeout=settings.webhooks.read_timeout,
        retries=0,
        max_bytes=64 * 1024,
        max_seconds=settings.webhooks.connect_timeout + settings.webhooks.read_timeout,
        allow_private_networks=_allowed_network(host, settings),
        user_agent=HttpPolicy.default_user_agent(settings.catalog.base_url),
    )


@dataclass
class DeliveryRun:
    """What one run did, for the command's summary and the benchmark."""

    delivered: int = 0
    failed: int = 0
    enqueued: int = 0
    paused: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Attempt:
    ok: bool
    status_code: int | None
    error: str


class Deliverer:
    """Runs due deliveries; the clock is injected so back-off needs no waiting in tests."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        clock: Clock = utcnow,
        *,
        wait_for_backoff: bool = True,
    ) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        # False: deliveries waiting out their back-off are tried now (an operator's retry).
        self.wait_for_backoff = wait_for_backoff

    def run_due(self) -> DeliveryRun:
        """Every active endpoint: enqueue its new events, send what is due, in order."""
        run = DeliveryRun()
        for endpoint_id in active_endpoint_ids(self.store):
            now = self.clock()
            if not claim_endpoint(self.store, endpoint_id, now):
                continue  # another deliverer (cron, another web worker) has it
            try:
                run.enqueued += enqueue_new_events(self.store, self.settings, endpoint_id, now)
                self._deliver_endpoint(endpoint_id, run)
            except EndpointNotFound:
                # Deleted by an admin while this run had it: nothing more goes to it.
                log.info("webhook endpoint %s was deleted during its delivery run", endpoint_id)
            finally:
                release_endpoint(self.store, endpoint_id)
        return run

    def _deliver_endpoint(self, endpoint_id: str, run: DeliveryRun) -> None:
        endpoint = get_endpoint(self.store, endpoint_id)
        check = self._refusal(endpoint.url)
        with session_for(delivery_policy(self.settings, endpoint.url)) as session:
            self._deliver_in_order(endpoint, check, session, run)

    def _deliver_in_order(
        self,
        endpoint: WebhookEndpoint,
        check: Attempt | None,
        session: SafeSession,
        run: DeliveryRun,
    ) -> None:
        endpoint_id = endpoint.id
        while True:
            delivery = next_pending(self.store, endpoint_id)
            now = self.clock()
            if delivery is None:
                return
            if self.wait_for_backoff and delivery.next_attempt_at > now:
                return
            attempt = check or self.send(
                endpoint.url, endpoint.secret, delivery.event_id, delivery.body, now, session
            )
            if attempt.ok:
                record_success(self.store, delivery.id, attempt.status_code or 0, self.clock())
                run.delivered += 1
                continue
            run.failed += 1
            if record_failure(
                self.store, delivery.id, attempt.status_code, attempt.error, self.clock()
            ):
                run.paused.append(endpoint_id)
            return  # in order: the next event waits for this one

    def _refusal(self, url: str) -> Attempt | None:
        try:
            check_endpoint_url(url, self.settings)
        except EndpointRefused as exc:
            return Attempt(False, None, str(exc))
        return None

    def send(
        self,
        url: str,
        secret: str,
        event_id: str,
        body: str,
        now: datetime,
        session: SafeSession | None = None,
    ) -> Attempt:
        """POST one delivery; a session passed in is reused (one connection per endpoint run)."""
        timestamp = int(now.timestamp())
        headers = {
            "Content-Type": "application/json",
            "webhook-id": event_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(secret, event_id, timestamp, body),
        }
        own = session is None
        http = session_for(delivery_policy(self.settings, url)) if session is None else session
        try:
            response = http.post(
                url, data=body.encode("utf-8"), headers=headers, allow_redirects=False
            )
        except RequestFailed as exc:
            return Attempt(False, exc.status, exc.message_en)
        except HttpError as exc:
            return Attempt(False, None, exc.message_en)
        finally:
            if own:
                http.close()
        if 200 <= response.status_code < 300:
            return Attempt(True, response.status_code, "")
        return Attempt(False, response.status_code, f"HTTP {response.status_code}")


class BackgroundDeliveries:
    """Runs due deliveries every `webhooks.deliver_every_seconds` in a thread of the web app,
    beside `catalog deliver --due` from cron; endpoint leases keep them from sending twice."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.deliverer = Deliverer(store, settings)
        self.interval = settings.webhooks.deliver_every_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="webhook-deliveries", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.deliverer.run_due()
            except Exception:  # the next round tries again; the log says why this one failed
                log.exception("webhook deliveries failed")
