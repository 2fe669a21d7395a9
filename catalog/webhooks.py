"""Webhook endpoints and their deliveries: what is owed to whom, in order, and what happened.

An endpoint follows the public change feed from the position where it was registered. Its
events become deliveries (the exact JSON body that is signed and sent) in feed order; the
deliverer (harvesters.webhook_delivery) sends an endpoint's oldest pending delivery and the
next only after it succeeded, so each endpoint sees events in order, at least once. A failing
delivery waits with exponential back-off; when an endpoint has failed for a day it is paused,
with the reason, until an admin resumes it: nothing owed is dropped. An admin who deletes
an endpoint deletes its delivery log with it; what was still owed to it is dropped.

Locks are always taken endpoint first, then its deliveries (delete_endpoint, record_success,
record_failure, redeliver), so a deletion and a delivery run in another process wait for each
other instead of deadlocking; the run then finds the endpoint gone (EndpointNotFound).
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from rdflib import Graph, URIRef
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from catalog.change_feed import EVENT_TYPES, PublicEvent, cloud_event, public_events
from catalog.change_log import head_position
from catalog.models import Revision, WebhookDelivery, WebhookEndpoint, utcnow
from catalog.settings import Settings
from catalog.store import Store
from dcat.view import dataset_view

PENDING = "pending"
DELIVERED = "delivered"
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=4)
# An endpoint failing this long is paused; deliveries are retried at least this long.
PAUSE_AFTER = timedelta(hours=24)
LEASE = timedelta(minutes=5)
FANOUT_BATCH = 500


class EndpointNotFound(LookupError):
    """No webhook endpoint (or delivery) with that id."""


def new_secret() -> str:
    """A signing secret in the Standard Webhooks form: "whsec_" and a base64 key."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode("ascii")


def retry_delay(attempts: int) -> timedelta:
    """How long a delivery waits after its n-th failed attempt: 30 s doubling, at most 4 h."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)


@dataclass(frozen=True)
class EndpointFilter:
    """Which events an endpoint wants; an empty tuple lets everything through."""

    organizations: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()  # EU data theme codes, e.g. ENVI
    event_types: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = set(self.event_types) - set(EVENT_TYPES)
        if unknown:
            raise ValueError(f"unknown event types: {', '.join(sorted(unknown))}")


def register_endpoint(
    store: Store,
    *,
    organization_id: str,
    url: str,
    description: str,
    wanted: EndpointFilter,
    created_by: str,
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint that hears of changes from now on; returns it and its secret (shown once)."""
    secret = new_secret()
    start = head_position(store)
    with store.transaction() as session:
        endpoint = WebhookEndpoint(
            organization_id=organization_id,
            url=url,
            description=description,
            secret=secret,
            organizations=list(wanted.organizations),
            themes=list(wanted.themes),
            event_types=list(wanted.event_types),
            position=start,
            active=True,
            pause_reason="",
            created_by=created_by,
        )
        session.add(endpoint)
    return endpoint, secret


def get_endpoint(store: Store, endpoint_id: str) -> WebhookEndpoint:
    with store.reading() as session:
        endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise EndpointNotFound(endpoint_id)
    return endpoint


def list_endpoints(
    store: Store, organization_ids: Sequence[str] | None = None
) -> list[WebhookEndpoint]:
    """Endpoints of these organisations (None: all), oldest first."""
    query = select(WebhookEndpoint).order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
    if organization_ids is not None:
        query = query.where(WebhookEndpoint.organization_id.in_(list(organization_ids)))
    with store.reading() as session:
        return list(session.scalars(query))


def active_endpoint_ids(store: Store) -> list[str]:
    query = select(WebhookEndpoint.id).where(WebhookEndpoint.active.is_(True))
    with store.reading() as session:
        return list(session.scalars(query.order_by(WebhookEndpoint.id)))


def recent_deliveries(store: Store, endpoint_id: str, limit: int = 100) -> list[WebhookDelivery]:
    """The endpoint's delivery log, newest first."""
    query = (
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint_id)
        .order_by(WebhookDelivery.id.desc())
        .limit(limit)
    )
    with store.reading() as session:
        return list(session.scalars(query))


def delivery_count(store: Store, endpoint_id: str) -> int:
    """How many deliveries the endpoint's log holds, delivered and pending."""
    query = select(func.count()).where(WebhookDelivery.endpoint_id == endpoint_id)
    with store.reading() as session:
        return session.scalar(query) or 0


def pending_count(store: Store, endpoint_id: str) -> int:
    query = select(func.count()).where(
        WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.state == PENDING
    )
    with store.reading() as session:
        return session.scalar(query) or 0


# --- the deliverer's side ------------------------------------------------------------------


def claim_endpoint(store: Store, endpoint_id: str, now: datetime) -> bool:
    """Take the endpoint for one delivery run; False if another deliverer has it."""
    with store.transaction() as session:
        claimed = session.execute(
            update(WebhookEndpoint)
            .where(
                WebhookEndpoint.id == endpoint_id,
                WebhookEndpoint.active.is_(True),
                (WebhookEndpoint.lease_until.is_(None)) | (WebhookEndpoint.lease_until < now),
            )
            .values(lease_until=now + LEASE)
        )
        return bool(getattr(claimed, "rowcount", 0))


def release_endpoint(store: Store, endpoint_id: str) -> None:
    with store.transaction() as session:
        session.execute(
            update(WebhookEndpoint)
            .where(WebhookEndpoint.id == endpoint_id)
            .values(lease_until=None)
        )


def enqueue_new_events(store: Store, settings: Settings, endpoint_id: str, now: datetime) -> int:
    """Turn the feed's events since the endpoint's position into its deliveries, in order."""
    endpoint = get_endpoint(store, endpoint_id)
    wanted = EndpointFilter(
        tuple(endpoint.organizations or ()),
        tuple(endpoint.themes or ()),
        tuple(endpoint.event_types or ()),
    )
    added = 0
    position = endpoint.position
    while True:
        page = public_events(store, settings, after=position, limit=FANOUT_BATCH)
        chosen = [event for event in page.events if _wanted(store, wanted, event)]
        with store.transaction() as session:
            moved = session.execute(
                update(WebhookEndpoint)
                .where(WebhookEndpoint.id == endpoint_id, WebhookEndpoint.position == position)
                .values(position=page.next_position)
            )
            if not getattr(moved, "rowcount", 0):
                return added  # another deliverer enqueued these: never twice
            session.add_all(
                WebhookDelivery(
                    endpoint_id=endpoint_id,
                    event_id=event.event_id,
                    event_type=event.type,
                    subject=event.name,
                    body=event_body(event, settings),
                    state=PENDING,
                    attempts=0,
                    next_attempt_at=now,
                    last_error="",
                    created_at=now,
                )
                for event in chosen
            )
        added += len(chosen)
        if page.next_position == position or len(page.events) < FANOUT_BATCH:
            return added
        position = page.next_position


def event_body(event: PublicEvent, settings: Settings) -> str:
    """The exact bytes (as text) an endpoint receives and whose signature it checks."""
    document = cloud_event(event, settings.catalog.base_url)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _wanted(store: Store, wanted: EndpointFilter, event: PublicEvent) -> bool:
    if wanted.event_types and event.type not in wanted.event_types:
        return False
    if wanted.organizations and event.organization_name not in wanted.organizations:
        return False
    if wanted.themes:
        return bool(set(wanted.themes) & _themes_at(store, event))
    return True


def _themes_at(store: Store, event: PublicEvent) -> set[str]:
    """The record's EU data theme codes in the revision the event is about."""
    query = select(Revision.graph).where(
        Revision.record_id == event.record_id, Revision.number == event.revision
    )
    with store.reading() as session:
        text = session.scalar(query)
    if not text:
        return set()
    graph = Graph().parse(data=text, format="nt")
    view = dataset_view(graph, URIRef(event.uri))
    return {theme.iri.rstrip("/").rsplit("/", 1)[-1] for theme in view.themes}


def next_pending(store: Store, endpoint_id: str) -> WebhookDelivery | None:
    """The endpoint's oldest undelivered delivery: nothing after it goes out before it."""
    query = (
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.state == PENDING)
        .order_by(WebhookDelivery.id)
        .limit(1)
    )
    with store.reading() as session:
        return session.scalar(query)


def record_success(store: Store, delivery_id: int, status_code: int, now: datetime) -> None:
    with store.transaction() as session:
        _, delivery = _locked(session, delivery_id)
        delivery.state = DELIVERED
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.delivered_at = now
        delivery.last_status_code = status_code
        delivery.last_error = ""
        # The run goes on: its lease is renewed with each delivery, so no other deliverer
        # takes the endpoint during a long catch-up.
        session.execute(
            update(WebhookEndpoint)
            .where(WebhookEndpoint.id == delivery.endpoint_id)
            .values(failing_since=None, lease_until=now + LEASE)
        )


def record_failure(
    store: Store, delivery_id: int, status_code: int | None, error: str, now: datetime
) -> bool:
    """Note a failed attempt and when to try again; True if the endpoint is now paused."""
    with store.transaction() as session:
        endpoint, delivery = _locked(session, delivery_id)
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.last_status_code = status_code
        delivery.last_error = error[:2000]
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        if endpoint.failing_since is None:
            endpoint.failing_since = now
        if now - endpoint.failing_since < PAUSE_AFTER:
            return False
        endpoint.active = False
        endpoint.paused_at = now
        endpoint.pause_reason = (
            f"Seit {endpoint.failing_since:%d.%m.%Y %H:%M} UTC schlägt jede Zustellung fehl, "
            f"zuletzt: {error[:500]}"
        )
        return True


def resume_endpoint(store: Store, endpoint_id: str, now: datetime | None = None) -> None:
    """Deliver again, starting with what was owed when the endpoint was paused."""
    now = now or utcnow()
    with store.transaction() as session:
        endpoint = session.get(WebhookEndpoint, endpoint_id, with_for_update=True)
        if endpoint is None:
            raise EndpointNotFound(endpoint_id)
        endpoint.active = True
        endpoint.paused_at = None
        endpoint.pause_reason = ""
        endpoint.failing_since = None
        session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.state == PENDING)
            .values(next_attempt_at=now)
        )


def pause_endpoint(
    store: Store, endpoint_id: str, reason: str, now: datetime | None = None
) -> None:
    """An admin stops deliveries; what is owed stays owed."""
    with store.transaction() as session:
        endpoint = session.get(WebhookEndpoint, endpoint_id, with_for_update=True)
        if endpoint is None:
            raise EndpointNotFound(endpoint_id)
        endpoint.active = False
        endpoint.paused_at = now or utcnow()
        endpoint.pause_reason = reason


def delete_endpoint(store: Store, endpoint_id: str) -> int:
    """Remove an endpoint with its delivery log; returns how many deliveries went with it.

    What was owed is dropped: nothing more is sent to the address. A delivery run in another
    process finds the endpoint gone at its next step; a request already on the wire at that
    moment still arrives, nothing after it."""
    with store.transaction() as session:
        # Locked first, so an enqueue or a delivery result of a run under way commits before
        # the log is deleted (and is deleted with it) or finds the endpoint gone afterwards.
        endpoint = session.get(WebhookEndpoint, endpoint_id, with_for_update=True)
        if endpoint is None:
            raise EndpointNotFound(endpoint_id)
        deleted = session.execute(
            delete(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)
        )
        session.execute(delete(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id))
        return int(getattr(deleted, "rowcount", 0) or 0)


def redeliver(store: Store, delivery_id: int, now: datetime | None = None) -> int:
    """Send a delivery's event again (same webhook-id, so receivers can tell), after what
    is pending; returns the new delivery's id."""
    now = now or utcnow()
    with store.transaction() as session:
        _, original = _locked(session, delivery_id)
        copy = WebhookDelivery(
            endpoint_id=original.endpoint_id,
            event_id=original.event_id,
            event_type=original.event_type,
            subject=original.subject,
            body=original.body,
            state=PENDING,
            attempts=0,
            next_attempt_at=now,
            last_error="",
            created_at=now,
        )
        session.add(copy)
        session.flush()
        return copy.id


def get_delivery(store: Store, delivery_id: int) -> WebhookDelivery:
    with store.reading() as session:
        delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        raise EndpointNotFound(f"delivery {delivery_id}")
    return delivery


def _locked(session: Session, delivery_id: int) -> tuple[WebhookEndpoint, WebhookDelivery]:
    """A delivery and its endpoint, locked in the module's order: endpoint, then delivery."""
    endpoint_id = session.scalar(
        select(WebhookDelivery.endpoint_id).where(WebhookDelivery.id == delivery_id)
    )
    endpoint = (
        session.get(WebhookEndpoint, endpoint_id, with_for_update=True) if endpoint_id else None
    )
    delivery = session.get(WebhookDelivery, delivery_id, with_for_update=True)
    if endpoint is None or delivery is None:
        raise EndpointNotFound(f"delivery {delivery_id}")
    return endpoint, delivery
