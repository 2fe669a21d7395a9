"""What every steward dataset page shares: the editing service, the record a steward may see,
the refusals as error pages, and the findings of a stored record placed on the form's fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user
from rdflib import Graph, URIRef
from werkzeug.wrappers import Response

from catalog.editing import EditError, Editing, NotAllowed, RecordMissing
from catalog.models import DatasetRecord, Organization
from catalog.organizations import get_organization
from catalog.permissions import Decision, may_edit_record
from dcat.graph_merge import distributions_in_view_order
from dcat.parsing import parse_rdf
from web.context import current_settings, current_store
from web.errors import fail
from web.labels import language
from web.steward.auth import current_rights, forbidden
from web.steward.form_fields import Finding, place_findings

F = TypeVar("F", bound=Callable[..., Any])
_EDITING = "catalog.steward_editing"


def steward_required(view: F) -> F:
    """Stewards only: a page asked for anonymously goes to the login and comes back; a form
    sent anonymously changes nothing and leads to the login too."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            back = request.full_path.rstrip("?") if request.method == "GET" else None
            return redirect(url_for("auth.login", next=back or url_for("steward_datasets.index")))
        return view(*args, **kwargs)

    return cast(F, wrapped)


def redirect_to(endpoint: str, name: str) -> Response:
    """After a change: the record's page (303, so a reload does not send the form again)."""
    return redirect(url_for(endpoint, name=name), 303)


def editing() -> Editing:
    """The app's one Editing service (it holds the compiled shapes)."""
    service: Editing | None = current_app.extensions.get(_EDITING)
    if service is None:
        service = Editing(current_store(), current_settings())
        current_app.extensions[_EDITING] = service
    return service


def bilingual(message_de: str, message_en: str) -> str:
    """A German/English pair in the page's language."""
    return message_en if language() == "en" and message_en else message_de


def visible_record(name: str) -> DatasetRecord:
    """The record, for its organisation's editors (and site admins); 404 or 403 otherwise."""
    record = editing().find(name)
    if record is None:
        abort(404)
    rights = current_rights()
    if not rights.edits(record.organization_id):
        forbidden(
            f"{rights.username} ist nicht Redakteur der Organisation dieses Datensatzes.",
            f"{rights.username} is not an editor of this dataset's organisation.",
        )
    return record


def edit_decision(record: DatasetRecord) -> Decision:
    """Whether the steward may change the record; harvested ones never (the reason names
    the source)."""
    return may_edit_record(current_rights(), record)


def editable_record(name: str) -> DatasetRecord:
    """The record, if the steward may change it; 404 or 403 with the reason otherwise."""
    record = visible_record(name)
    decision = edit_decision(record)
    if not decision:
        forbidden(decision.reason_de, decision.reason_en)
    return record


def refuse(error: EditError) -> None:
    """An edit error that means "not allowed" or "not there" as its error page."""
    if isinstance(error, RecordMissing):
        abort(404)
    if isinstance(error, NotAllowed):
        forbidden(error.message_de, error.message_en)
    fail(400, error.message_de, error.message_en)


def organization_of(record: DatasetRecord) -> Organization | None:
    if record.organization_id is None:
        return None
    return get_organization(current_store(), record.organization_id)


@dataclass(frozen=True)
class StoredGraph:
    """A record's graph as parsed once: its blank nodes are those the findings name."""

    graph: Graph
    node: URIRef

    @classmethod
    def of(cls, record: DatasetRecord) -> StoredGraph:
        graph = parse_rdf(record.graph, content_type="application/n-triples")
        return cls(graph, URIRef(record.uri))

    def findings(self, own_licence_rows: set[int] | None = None) -> list[Finding]:
        """The graph validated now, each finding placed on the field of the form."""
        report = editing().preparer.validator.validate(self.graph)
        rows = [node for node, _ in distributions_in_view_order(self.graph, self.node)]
        own = own_licence_rows if own_licence_rows is not None else set()
        return place_findings(report.results, self.graph, self.node, rows, own)


__all__ = [
    "StoredGraph",
    "bilingual",
    "edit_decision",
    "editable_record",
    "editing",
    "organization_of",
    "redirect_to",
    "refuse",
    "steward_required",
    "visible_record",
]
