"""The dataset form's pages: a new record (/neu?organization=...) and editing one (/bearbeiten).

Everything works without JavaScript: "Weitere Distribution" and the remove buttons send the
form and get it back with one row more or less, as typed. Saving validates (catalog.editing):
a draft is saved with its violations and they are shown beside their fields; publishing with
violations is refused and the form comes back with the findings and what was typed.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, render_template, request
from flask_babel import gettext, ngettext
from rdflib import BNode
from rdflib.term import Node
from werkzeug.wrappers import Response

from catalog.editing import EditError, PublishBlocked, Saved
from catalog.models import DatasetRecord, Organization, RecordStatus
from catalog.organizations import get_organization, get_organization_by_name
from catalog.permissions import may_create_in
from catalog.search.base import SearchQuery
from dcat.model import InputError
from web.context import current_search, current_settings, current_store
from web.steward.auth import current_rights, forbidden
from web.steward.choices import (
    format_groups,
    frequency_groups,
    hvd_category_groups,
    licence_choices,
)
from web.steward.dashboard import steward_organizations
from web.steward.dataset_access import (
    StoredGraph,
    editable_record,
    editing,
    redirect_to,
    refuse,
    steward_required,
)
from web.steward.dataset_form import (
    EMPTY_ROW,
    DatasetForm,
    build_form,
    defaults_for,
    form_values,
    values_from_graph,
)
from web.steward.field_labels import (
    Problem,
    by_field,
    problems_from_findings,
    problems_from_form_errors,
)
from web.steward.form_fields import place_findings
from web.steward.form_merge import merge_form
from web.steward.service_rows import drop_origins

Page = str | tuple[str, int] | Response
KEYWORD_SUGGESTIONS = 300


@steward_required
def new() -> Page:
    organization = _organization_for_new()
    if organization is None:
        return render_template(
            "steward/datasets/choose_organization.html",
            organizations=[o for o in steward_organizations(current_rights())],
        )
    catalog = current_settings().catalog
    if request.method == "GET":
        form = build_form(catalog, defaults_for(organization, catalog))
        return _render(form, organization=organization)
    return _handle_post(None, organization)


@steward_required
def edit(name: str) -> Page:
    record = editable_record(name)
    organization = _organization(record.organization_id)
    if request.method == "GET":
        stored = StoredGraph.of(record)
        values = values_from_graph(stored.graph, stored.node, current_settings().catalog)
        values["revision"] = str(record.revision_number)
        form = build_form(current_settings().catalog, values)
        findings = stored.findings(_own_licence_rows(values))
        problems = problems_from_findings(findings, _shown_fields(form))
        return _render(form, organization=organization, record=record, problems=problems)
    return _handle_post(record, organization)


def _handle_post(record: DatasetRecord | None, organization: Organization) -> Page:
    catalog = current_settings().catalog
    form = build_form(catalog, submitted=True)
    step = request.form.get("step", "draft")
    values = form_values(form)
    if step == "add_distribution" or step.startswith("remove-"):
        return _render(_rows_changed(values, step), organization=organization, record=record)
    if not form.validate():
        problems = problems_from_form_errors(form.errors)
        return _render(form, organization=organization, record=record, problems=problems, code=422)
    notice = ""
    if record is not None and values.get("revision") != str(record.revision_number):
        # Someone saved in between: the rows' numbers may name other distributions now.
        notice = _changed_meanwhile(record, form, values)
        return _render(form, organization=organization, record=record, notice=notice, code=409)
    status = RecordStatus.PUBLISHED if step == "publish" else RecordStatus.DRAFT
    return _save(form, values, record, organization, status)


def _save(
    form: DatasetForm,
    values: dict[str, Any],
    record: DatasetRecord | None,
    organization: Organization,
    status: RecordStatus,
) -> Page:
    catalog = current_settings().catalog
    rights = current_rights()
    stored = StoredGraph.of(record) if record is not None else None
    node: Node = stored.node if stored is not None else BNode()
    before = values_from_graph(stored.graph, node, catalog) if stored is not None else {}
    try:
        merged = merge_form(stored.graph if stored else None, node, before, values, catalog)
        if record is None:
            saved = editing().create(
                rights, merged.graph, node, organization_id=organization.id, status=status
            )
        else:
            saved = editing().update(rights, record.id, merged.graph, node, status=status)
    except PublishBlocked as blocked:
        findings = place_findings(
            blocked.report.results,
            blocked.graph,
            blocked.node,
            merged.rows,
            _own_licence_rows(values),
        )
        problems = problems_from_findings(findings, _shown_fields(form))
        notice = gettext("Nicht veröffentlicht: Bitte beheben Sie zuerst die markierten Verstöße.")
        return _render(
            form,
            organization=organization,
            record=record,
            problems=problems,
            notice=notice,
            code=422,
        )
    except InputError as error:
        problem = Problem(None, gettext("Datensatz"), error.message_de, "violation")
        return _render(form, organization=organization, record=record, problems=[problem], code=422)
    except EditError as error:
        refuse(error)
        raise
    _flash_saved(saved, status)
    endpoint = (
        "steward_datasets.show" if status == RecordStatus.PUBLISHED else "steward_datasets.edit"
    )
    return redirect_to(endpoint, saved.record.name)


def _flash_saved(saved: Saved, status: RecordStatus) -> None:
    if not saved.changed:
        flash(gettext("Keine Änderungen: nichts gespeichert."), "success")
    elif status == RecordStatus.PUBLISHED:
        flash(gettext("Gespeichert und veröffentlicht."), "success")
    else:
        flash(gettext("Als Entwurf gespeichert (nicht öffentlich sichtbar)."), "success")
    violations = saved.record.violation_count
    if status == RecordStatus.DRAFT and violations:
        flash(
            ngettext(
                "Der Entwurf hat %(num)s Verstoß gegen DCAT-AP.de; er ist beim Feld markiert. "
                "Veröffentlichen ist möglich, sobald er behoben ist.",
                "Der Entwurf hat %(num)s Verstöße gegen DCAT-AP.de; sie sind bei den Feldern "
                "markiert. Veröffentlichen ist möglich, sobald sie behoben sind.",
                violations,
            ),
            "warning",
        )


def _rows_changed(values: dict[str, Any], step: str) -> DatasetForm:
    rows = list(values.get("distributions") or [])
    if step == "add_distribution":
        rows.append(dict(EMPTY_ROW))
    else:
        index = step.removeprefix("remove-")
        if index.isascii() and index.isdigit() and int(index) < len(rows):
            del rows[int(index)]
    values["distributions"] = rows or [dict(EMPTY_ROW)]
    return build_form(current_settings().catalog, values)


def _changed_meanwhile(record: DatasetRecord, form: DatasetForm, values: dict[str, Any]) -> str:
    form.revision.data = str(record.revision_number)
    for row in form.distributions:
        row.form.origin.data = ""
    drop_origins(form.services)
    return gettext(
        "Der Datensatz wurde inzwischen geändert (jetzt Revision %(num)s). Ihre Eingaben sind "
        "erhalten; speichern Sie erneut, um die neue Fassung mit ihnen zu ersetzen.",
        num=record.revision_number,
    )


def _render(
    form: DatasetForm,
    *,
    organization: Organization,
    record: DatasetRecord | None = None,
    problems: list[Problem] | None = None,
    notice: str = "",
    code: int = 200,
) -> tuple[str, int]:
    problems = problems or []
    common, other = licence_choices()
    page = render_template(
        "steward/datasets/form.html",
        form=form,
        record=record,
        organization=organization,
        problems=problems,
        blocking=[p for p in problems if p.blocking],
        warnings=[p for p in problems if not p.blocking],
        problems_by_field=by_field(problems),
        notice=notice,
        common_licences=common,
        other_licences=other,
        licence_groups=[
            (gettext("Häufige Lizenzen"), [(c.iri, c.label) for c in common]),
            (gettext("Weitere Lizenzen"), [(c.iri, c.label) for c in other]),
        ],
        may_edit=True,
        format_groups=format_groups(),
        frequency_groups=frequency_groups(),
        hvd_groups=hvd_category_groups(),
        keyword_suggestions=_keyword_suggestions(),
        geocoding=current_settings().catalog.political_geocoding,
        submitted=request.method == "POST",
    )
    return page, code


def _keyword_suggestions() -> list[str]:
    query = SearchQuery(limit=0, facets=("keyword",), facet_limit=KEYWORD_SUGGESTIONS)
    result = current_search().search(query)
    return sorted((count.value for count in result.facets.get("keyword", [])), key=str.casefold)


def _shown_fields(form: DatasetForm) -> set[str]:
    shown = {name for name in form._fields if name not in ("csrf_token", "revision")}
    for index, row in enumerate(form.distributions):
        shown.add(f"distributions-{index}")
        shown.update(
            f"distributions-{index}-{name}" for name in row.form._fields if name != "origin"
        )
    return shown


def _own_licence_rows(values: dict[str, Any]) -> set[int]:
    rows = values.get("distributions") or []
    return {index for index, row in enumerate(rows) if (row.get("licence") or "").strip()}


def _organization_for_new() -> Organization | None:
    """The organisation asked for (?organization=name), or the steward's only one."""
    rights = current_rights()
    wanted = request.args.get("organization", "")
    organizations = steward_organizations(rights)
    if not wanted:
        return organizations[0] if len(organizations) == 1 else None
    found = get_organization_by_name(current_store(), wanted)
    if found is None:
        abort(404)
    decision = may_create_in(rights, found.id)
    if not decision:
        forbidden(decision.reason_de, decision.reason_en)
    return found


def _organization(organization_id: str | None) -> Organization:
    found = get_organization(current_store(), organization_id) if organization_id else None
    if found is None:
        abort(404)
    return found


__all__ = ["edit", "new"]
