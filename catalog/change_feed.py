"""The public change feed: the change log as the public sees it, as CloudEvents 1.0.

A change is public when the public could see the record before or after it (the one rule of
catalog.publication). Seen from outside, a record that becomes public is "published" (or
"restored" when it comes back from withdrawn), a public record that changes is "updated", and
a public record that leaves public view, withdrawn or held back for violations, is "withdrawn".
The feed (/api/changes) and webhooks build their events here, so both say the same.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import ColumnElement, and_, or_, select

from catalog.change_log import ChangePage, read_changes
from catalog.models import ChangeLogEntry, DatasetRecord, Organization, RecordStatus
from catalog.publication import PUBLIC_STATUS, public_states
from catalog.settings import Settings
from catalog.store import Store

EVENT_TYPE_PREFIX = "de.stadtkatalog.dataset."
EVENT_KINDS = ("published", "updated", "withdrawn", "restored")
EVENT_TYPES = tuple(EVENT_TYPE_PREFIX + kind for kind in EVENT_KINDS)
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
_CURSOR_PREFIX = "c1:"


class BadCursor(ValueError):
    """A `since` value that no feed answer handed out."""


def encode_cursor(position: int) -> str:
    """Opaque to readers, stable across versions: a versioned position in URL-safe base64."""
    raw = f"{_CURSOR_PREFIX}{position}".encode("ascii")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadCursor(cursor) from exc
    digits = raw.removeprefix(_CURSOR_PREFIX)
    if not raw.startswith(_CURSOR_PREFIX) or not digits.isascii() or not digits.isdigit():
        raise BadCursor(cursor)
    return int(digits)


@dataclass(frozen=True)
class PublicEvent:
    """One change as the public saw it."""

    position: int
    kind: str
    time: datetime
    record_id: str
    name: str
    uri: str
    organization_name: str | None
    organization_title: str | None
    revision: int
    changed: tuple[str, ...]

    @property
    def type(self) -> str:
        return EVENT_TYPE_PREFIX + self.kind

    @property
    def event_id(self) -> str:
        return f"change-{self.position}"


@dataclass(frozen=True)
class FeedPage:
    events: list[PublicEvent]
    next_position: int


def public_change_conditions(settings: Settings) -> list[ColumnElement[bool]]:
    """Log entries the public saw: the record was public before or is after the change."""
    states = public_states(settings.validation.publish_invalid)
    before: list[ColumnElement[bool]] = [ChangeLogEntry.status_before == PUBLIC_STATUS]
    after: list[ColumnElement[bool]] = [ChangeLogEntry.status_after == PUBLIC_STATUS]
    if states is not None:
        before.append(ChangeLogEntry.validation_before.in_(states))
        after.append(ChangeLogEntry.validation_after.in_(states))
    return [or_(and_(*before), and_(*after))]


def event_kind(entry: ChangeLogEntry, settings: Settings) -> str | None:
    """What the public saw of a log entry; None when it saw nothing."""
    states = public_states(settings.validation.publish_invalid)

    def public(status: RecordStatus | None, state: Any) -> bool:
        return status == PUBLIC_STATUS and (states is None or state in states)

    was = public(entry.status_before, entry.validation_before)
    now = public(entry.status_after, entry.validation_after)
    if was and now:
        return "updated"
    if was:
        return "withdrawn"
    if now:
        return "restored" if entry.status_before == RecordStatus.WITHDRAWN else "published"
    return None


def public_events(store: Store, settings: Settings, *, after: int, limit: int) -> FeedPage:
    """The public events after a position, in order, with the position to continue from."""
    page: ChangePage = read_changes(
        store, after=after, limit=limit, conditions=public_change_conditions(settings)
    )
    details = _record_details(store, [entry.record_id for entry in page.entries])
    events = []
    for entry in page.entries:
        kind = event_kind(entry, settings)
        name, uri, org_name, org_title = details.get(entry.record_id, ("", "", None, None))
        if kind is None:
            continue
        events.append(
            PublicEvent(
                position=entry.position,
                kind=kind,
                time=entry.changed_at,
                record_id=entry.record_id,
                name=name,
                uri=uri,
                organization_name=org_name,
                organization_title=org_title,
                revision=entry.revision_number,
                changed=tuple(entry.changed or ()),
            )
        )
    return FeedPage(events, page.next_position)


def _record_details(
    store: Store, record_ids: Sequence[str]
) -> dict[str, tuple[str, str, str | None, str | None]]:
    """Name, IRI and organisation of the records (a record's name and IRI never change)."""
    if not record_ids:
        return {}
    query = (
        select(
            DatasetRecord.id,
            DatasetRecord.name,
            DatasetRecord.uri,
            Organization.name,
            Organization.title,
        )
        .outerjoin(Organization, Organization.id == DatasetRecord.organization_id)
        .where(DatasetRecord.id.in_(set(record_ids)))
    )
    with store.reading() as session:
        return {row[0]: (row[1], row[2], row[3], row[4]) for row in session.execute(query)}


def cloud_event(event: PublicEvent, base_url: str) -> dict[str, Any]:
    """The event in CloudEvents 1.0 JSON structure, with links to its DCAT and CKAN views."""
    name = quote(event.name, safe="")
    return {
        "specversion": "1.0",
        "id": event.event_id,
        "source": f"{base_url}/api/changes",
        "type": event.type,
        "time": event.time.isoformat().replace("+00:00", "Z"),
        "subject": event.name,
        "datacontenttype": "application/json",
        "data": {
            "name": event.name,
            "iri": event.uri,
            "organization": (
                {"name": event.organization_name, "title": event.organization_title}
                if event.organization_name
                else None
            ),
            "revision": event.revision,
            "changed": list(event.changed),
            "links": {
                "page": f"{base_url}/dataset/{name}",
                "dcat": f"{base_url}/dataset/{name}.ttl",
                "ckan": f"{base_url}/api/3/action/package_show?id={name}",
            },
        },
    }
