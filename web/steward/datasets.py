"""The stewards' dataset pages under /verwaltung/datensaetze: the list, one record's page with
its report and status actions, and (from web.steward.dataset_editor and .revisions) the form
and the revisions. Every route needs a login; every change goes through catalog.editing."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, flash, render_template, request
from flask_babel import gettext, ngettext
from werkzeug.wrappers import Response

from catalog.editing import EditError, PublishBlocked
from catalog.models import DatasetRecord, RecordStatus, ValidationState
from catalog.profile_store import v3_report
from catalog.publication import is_public
from catalog.quality.scores import record_quality
from catalog.record_lists import steward_records
from dcat.view import dataset_view
from web.context import current_settings, current_store
from web.labels import language, license_label
from web.quality_texts import template_helpers as quality_helpers
from web.steward import dataset_editor, revisions
from web.steward.auth import current_rights
from web.steward.dashboard import steward_organizations
from web.steward.dataset_access import (
    StoredGraph,
    bilingual,
    edit_decision,
    editable_record,
    editing,
    organization_of,
    redirect_to,
    refuse,
    steward_required,
    visible_record,
)
from web.steward.field_labels import problems_from_findings
from web.steward.links import dataset_link_rows

blueprint = Blueprint("steward_datasets", __name__, url_prefix="/verwaltung/datensaetze")
PAGE_SIZE = 50
MAX_LIST_PAGE = 100_000  # 5 million records deep; a deeper page would overflow the offset


@dataclass(frozen=True)
class ListFilters:
    organization: str = ""
    status: str = ""
    state: str = ""
    text: str = ""
    page: int = 1

    @classmethod
    def from_args(cls) -> ListFilters:
        args = request.args
        status = args.get("status", "")
        state = args.get("pruefung", "")
        try:
            page = min(max(int(args.get("seite", "1")), 1), MAX_LIST_PAGE)
        except ValueError:
            page = 1
        return cls(
            organization=args.get("organization", ""),
            status=status if status in RecordStatus.__members__.values() else "",
            state=state if state in ValidationState.__members__.values() else "",
            text=args.get("q", "").strip()[:200],
            page=page,
        )


@steward_required
def index() -> str:
    rights = current_rights()
    organizations = steward_organizations(rights)
    filters = ListFilters.from_args()
    chosen = [org for org in organizations if org.name == filters.organization] or organizations
    page = steward_records(
        current_store(),
        [org.id for org in chosen],
        status=RecordStatus(filters.status) if filters.status else None,
        state=ValidationState(filters.state) if filters.state else None,
        title_contains=filters.text,
        offset=(filters.page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    records, total = page.records, page.total
    return render_template(
        "steward/datasets/index.html",
        records=records,
        total=total,
        filters=filters,
        organizations=organizations,
        organizations_by_id={org.id: org for org in organizations},
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        creatable=[org for org in organizations if rights.edits(org.id)],
    )


@steward_required
def show(name: str) -> tuple[str, int]:
    return render_show(visible_record(name))


def render_show(record: DatasetRecord, *, refusal: str = "", status: int = 200) -> tuple[str, int]:
    stored = StoredGraph.of(record)
    view = dataset_view(stored.graph, stored.node, lang=language())
    findings = stored.findings()
    decision = edit_decision(record)
    report_v3 = v3_report(record)
    violations_v2 = [f for f in findings if f.severity == "violation"]
    page = render_template(
        "steward/datasets/show.html",
        record=record,
        view=view,
        organization=organization_of(record),
        problems=problems_from_findings(findings, None),
        may_edit=bool(decision),
        edit_refusal=bilingual(decision.reason_de, decision.reason_en) if not decision else "",
        public=is_public(record, current_settings()),
        refusal=refusal,
        license_label=license_label,
        quality=record_quality(current_store(), record.id),
        **quality_helpers(),
        links=dataset_link_rows(view),
        verdicts_differ=bool(violations_v2) != bool(report_v3.violations),
        valid_v2=not violations_v2,
        violations_v3=[
            result.message_de if language() == "de" else result.message_en
            for result in report_v3.violations
        ],
    )
    return page, status


def _status_action(name: str, status: RecordStatus, done: str) -> Response | tuple[str, int]:
    record = editable_record(name)
    rights = current_rights()
    try:
        if status == RecordStatus.PUBLISHED and record.status == RecordStatus.WITHDRAWN:
            saved = editing().restore(rights, record.id)
        elif status == RecordStatus.WITHDRAWN:
            saved = editing().withdraw(rights, record.id)
        else:
            saved = editing().set_status(rights, record.id, status)
    except PublishBlocked as blocked:
        message = ngettext(
            "Nicht veröffentlicht: Der Datensatz hat %(num)s DCAT-AP.de-Verstoß. "
            "Beheben Sie ihn zuerst (siehe Prüfbericht).",
            "Nicht veröffentlicht: Der Datensatz hat %(num)s DCAT-AP.de-Verstöße. "
            "Beheben Sie sie zuerst (siehe Prüfbericht).",
            len(blocked.report.violations),
        )
        return render_show(record, refusal=message, status=409)
    except EditError as error:
        refuse(error)
        raise
    flash(
        done if saved.changed else gettext("Der Status war schon so; nichts geändert."), "success"
    )
    return redirect_to("steward_datasets.show", saved.record.name)


@steward_required
def publish(name: str) -> Response | tuple[str, int]:
    return _status_action(name, RecordStatus.PUBLISHED, gettext("Veröffentlicht."))


@steward_required
def make_draft(name: str) -> Response | tuple[str, int]:
    return _status_action(
        name, RecordStatus.DRAFT, gettext("Zum Entwurf gemacht: nicht mehr öffentlich sichtbar.")
    )


@steward_required
def withdraw(name: str) -> Response | tuple[str, int]:
    return _status_action(
        name,
        RecordStatus.WITHDRAWN,
        gettext("Zurückgezogen: nicht mehr öffentlich, mit allen Revisionen aufbewahrt."),
    )


@steward_required
def restore(name: str) -> Response | tuple[str, int]:
    return _status_action(
        name, RecordStatus.PUBLISHED, gettext("Wiederhergestellt und wieder veröffentlicht.")
    )


_ROUTES = (
    ("", "index", index, ["GET"]),
    ("/neu", "new", dataset_editor.new, ["GET", "POST"]),
    ("/<name>", "show", show, ["GET"]),
    ("/<name>/bearbeiten", "edit", dataset_editor.edit, ["GET", "POST"]),
    ("/<name>/veroeffentlichen", "publish", publish, ["POST"]),
    ("/<name>/entwurf", "make_draft", make_draft, ["POST"]),
    ("/<name>/zurueckziehen", "withdraw", withdraw, ["POST"]),
    ("/<name>/wiederherstellen", "restore", restore, ["POST"]),
    ("/<name>/revisionen", "revisions", revisions.revision_list, ["GET"]),
    ("/<name>/revisionen/vergleich", "compare", revisions.compare, ["GET"]),
    (
        "/<name>/revisionen/<int:number>/wiederherstellen",
        "restore_revision",
        revisions.restore,
        ["POST"],
    ),
)
for _rule, _endpoint, _view, _methods in _ROUTES:
    blueprint.add_url_rule(_rule, _endpoint, _view, methods=_methods)

__all__ = ["blueprint", "render_show"]
