"""Stewards' edits: the one service through which a form or an API call saves a dataset.

A DCAT-AP.de graph (or a CKAN dict through dcat.ckan) gets the record's identity, is prepared
by catalog.ingest (normalise, validate, derive columns) and saved through catalog.records with
the steward as author: every save is a revision, withdraw and restore keep the history.
Violations block publishing, never a draft; warnings block nothing. Errors are typed, and
their messages are German, then English.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from catalog.ingest import PreparedRecord, RecordPreparer, rename_node
from catalog.models import DatasetRecord, RecordStatus
from catalog.names import slugify, unique_record_name
from catalog.permissions import Decision, Rights, may_create_in, may_edit_record
from catalog.profile_store import judge_restored
from catalog.records import (
    CREATED,
    UPDATED,
    WITHDRAWN,
    Actor,
    RecordConflict,
    RecordNotFound,
    create_record,
    list_revisions,
    restore_revision,
    set_record_status,
    update_record,
)
from catalog.settings import Settings
from catalog.store import Store
from dcat.bilingual import Bilingual
from dcat.ckan.parse import CkanMappingError, dataset_graph_from_ckan
from dcat.parsing import parse_rdf
from dcat.validation import ValidationReport
from dcat.view import dataset_view

# What CKAN allows in a package name, and so what /dataset/{name} may contain.
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{1,99}$")


class EditError(Exception):
    """An edit that was not saved; the message says why, German then English."""

    def __init__(self, message_de: str, message_en: str) -> None:
        super().__init__(f"{message_de} / {message_en}")
        self.message_de = message_de
        self.message_en = message_en

    @property
    def message(self) -> str:
        return f"{self.message_de} / {self.message_en}"


class NotAllowed(EditError):
    """The permission rules refuse the edit (catalog.permissions)."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(decision.reason_de, decision.reason_en)
        self.decision = decision


class RecordMissing(EditError):
    def __init__(self, key: str) -> None:
        super().__init__(f"Datensatz {key!r} nicht gefunden", f"dataset {key!r} not found")
        self.key = key


class InvalidName(EditError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"Der Name {name!r} ist ungültig: 2 bis 100 Kleinbuchstaben, Ziffern, '-' oder '_'",
            f"the name {name!r} is invalid: 2 to 100 lower-case letters, digits, '-' or '_'",
        )
        self.name = name


class NameConflict(EditError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"Der Name {name!r} wird bereits von einem anderen Datensatz verwendet",
            f"the name {name!r} is already used by another dataset",
        )
        self.name = name


class InputRejected(EditError):
    """Input that cannot become a DCAT-AP.de graph at all (e.g. a package without title)."""


class PublishBlocked(EditError):
    """The graph has DCAT-AP.de violations, so it may be saved as a draft but not published.

    `graph` is the graph the report speaks of (its blank nodes are the report's focus nodes).
    """

    def __init__(self, report: ValidationReport, graph: Graph, node: URIRef) -> None:
        count = len(report.violations)
        super().__init__(
            f"Nicht veröffentlicht: {count} DCAT-AP.de-Verstöße (als Entwurf speicherbar)",
            f"not published: {count} DCAT-AP.de violations (can be saved as a draft)",
        )
        self.report = report
        self.graph = graph
        self.node = node


@dataclass(frozen=True)
class Saved:
    """The record after an edit; `changed` is False when the edit changed nothing (no revision)."""

    record: DatasetRecord
    changed: bool
    prepared: PreparedRecord | None = None


def graph_from_ckan(package: Mapping[str, Any], settings: Settings) -> tuple[Graph, Node]:
    """A CKAN package dict as a DCAT-AP.de graph, through the one mapping in dcat.

    A package for a new record may come without a name (one is minted on saving); the
    mapping, which reads harvested packages too, wants one, and only uses it in messages.
    """
    if not any(package.get(key) for key in ("id", "name", "uri")):
        package = {**package, "name": slugify(str(package.get("title") or ""))}
    try:
        return dataset_graph_from_ckan(package, lang=settings.catalog.language)
    except CkanMappingError as error:
        raise InputRejected(error.message_de, error.message_en) from error


class Editing:
    """Saves stewards' edits; holds the preparer (shapes, defaults) for the process."""

    def __init__(
        self, store: Store, settings: Settings, preparer: RecordPreparer | None = None
    ) -> None:
        self.store = store
        self.settings = settings
        self.preparer = preparer or RecordPreparer(settings)

    # --- reading -----------------------------------------------------------------------

    def find(self, key: str) -> DatasetRecord | None:
        """A record by id or name, any status, with its source loaded."""
        query = (
            select(DatasetRecord)
            .options(joinedload(DatasetRecord.source))
            .where(or_(DatasetRecord.id == key, DatasetRecord.name == key))
        )
        with self.store.reading() as session:
            return session.scalar(query)

    def editable(self, rights: Rights, key: str) -> DatasetRecord:
        """The record, if this user may change it; RecordMissing or NotAllowed otherwise."""
        record = self.find(key)
        if record is None:
            raise RecordMissing(key)
        decision = may_edit_record(rights, record)
        if not decision:
            raise NotAllowed(decision)
        return record

    # --- saving ------------------------------------------------------------------------

    def create(
        self,
        rights: Rights,
        graph: Graph,
        node: Node,
        *,
        organization_id: str,
        name: str | None = None,
        status: RecordStatus = RecordStatus.PUBLISHED,
        note: Bilingual | None = None,
    ) -> Saved:
        """A new record at {base_url}/dataset/{name}; a given name is kept if it is free."""
        decision = may_create_in(rights, organization_id)
        if not decision:
            raise NotAllowed(decision)
        name = self.claim_name(name) if name else self.mint_name(graph, node)
        uri = URIRef(f"{self.settings.catalog.base_url}/dataset/{name}")
        prepared = self._prepare(graph, node, uri, status)
        try:
            record = create_record(
                self.store,
                prepared.content,
                name=name,
                actor=_actor(rights),
                status=status,
                organization_id=organization_id,
                note=_note(note or CREATED, prepared),
            )
        except RecordConflict as error:
            raise NameConflict(name) from error
        return Saved(record=record, changed=True, prepared=prepared)

    def update(
        self,
        rights: Rights,
        key: str,
        graph: Graph,
        node: Node,
        *,
        status: RecordStatus | None = None,
        note: Bilingual | None = None,
    ) -> Saved:
        """Replace a record's graph; its identity (name, URI, organisation) stays."""
        record = self.editable(rights, key)
        prepared = self._prepare(graph, node, URIRef(record.uri), status or record.status)
        if prepared.content.content_hash == record.content_hash and status in (None, record.status):
            # The same graph (blank nodes aside, which the stored text names anew each time).
            return Saved(record, changed=False, prepared=prepared)
        before = record.revision_number
        saved = update_record(
            self.store,
            record.id,
            prepared.content,
            actor=_actor(rights),
            status=status,
            note=_note(note or UPDATED, prepared),
        )
        return Saved(saved, changed=saved.revision_number != before, prepared=prepared)

    def set_status(
        self, rights: Rights, key: str, status: RecordStatus, *, note: Bilingual | None = None
    ) -> Saved:
        """Publish, make a draft, or withdraw; publishing a record with violations is refused."""
        record = self.editable(rights, key)
        if status == RecordStatus.PUBLISHED and record.violation_count:
            self._refuse_publishing(record.graph, record.uri)
        before = record.revision_number
        saved = set_record_status(self.store, record.id, status, actor=_actor(rights), note=note)
        return Saved(saved, changed=saved.revision_number != before)

    def withdraw(self, rights: Rights, key: str, *, note: Bilingual | None = None) -> Saved:
        """Out of public view, kept with its history; `restore` brings it back."""
        return self.set_status(rights, key, RecordStatus.WITHDRAWN, note=note or WITHDRAWN)

    def restore(self, rights: Rights, key: str, *, note: Bilingual | None = None) -> Saved:
        """A withdrawn record published again, as a new revision."""
        return self.set_status(rights, key, RecordStatus.PUBLISHED, note=note or RESTORED)

    def restore_revision(
        self, rights: Rights, key: str, number: int, *, note: Bilingual | None = None
    ) -> Saved:
        """An earlier revision made current again (a new revision; history is never rewritten)."""
        record = self.editable(rights, key)
        revision = next(
            (r for r in list_revisions(self.store, record.id) if r.number == number), None
        )
        if revision is None:
            raise RecordMissing(f"{key} revision {number}")
        if revision.status == RecordStatus.PUBLISHED and revision.violation_count:
            self._refuse_publishing(revision.graph, record.uri)
        try:
            saved = restore_revision(self.store, record.id, number, actor=_actor(rights), note=note)
        except RecordNotFound as error:
            raise RecordMissing(key) from error
        # Revisions keep no 3.0 verdict; until this stores one the record is out of 3.0 outputs.
        judge_restored(self.store, record.id, self.preparer.v3_judge)
        return Saved(saved, changed=True)

    # --- names -------------------------------------------------------------------------

    def claim_name(self, name: str) -> str:
        """A name the steward chose: kept as it is if valid and free."""
        if not NAME_PATTERN.match(name):
            raise InvalidName(name)
        with self.store.reading() as session:
            taken = session.scalar(select(DatasetRecord.id).where(DatasetRecord.name == name))
        if taken is not None:
            raise NameConflict(name)
        return name

    def mint_name(self, graph: Graph, node: Node) -> str:
        """A free name made from the title (else the identifier)."""
        view = dataset_view(graph, node, lang=self.settings.catalog.language)
        return unique_record_name(self.store, view.title or view.identifier or "datensatz")

    # --- helpers -----------------------------------------------------------------------

    def _prepare(
        self, graph: Graph, node: Node, uri: URIRef, status: RecordStatus | None
    ) -> PreparedRecord:
        if node != uri:
            graph = rename_node(graph, node, uri)
        # prepare() in its three steps, to keep the normalised graph the report speaks of.
        normalised = self.preparer.normalise(graph)
        report = self.preparer.validator.validate(normalised.graph)
        if status == RecordStatus.PUBLISHED and report.violations:
            raise PublishBlocked(report, normalised.graph, uri)
        return self.preparer.complete(normalised, report, uri)

    def _refuse_publishing(self, stored_graph: str, uri: str) -> None:
        """PublishBlocked with a fresh report on the stored graph (whose nodes it names)."""
        graph = parse_rdf(stored_graph, content_type="application/n-triples")
        raise PublishBlocked(self.preparer.validator.validate(graph), graph, URIRef(uri))


RESTORED = Bilingual("wiederhergestellt", "restored")


def _actor(rights: Rights) -> Actor:
    return Actor(label=rights.username, user_id=rights.user_id)


def _note(note: Bilingual, prepared: PreparedRecord) -> Bilingual:
    repairs = prepared.change_note()
    return note + Bilingual("; ", "; ") + repairs if repairs else note
