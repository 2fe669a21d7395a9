"""Harvest sources in the steward area: list, create, edit, test, run, switch off; job reports.

Sources belong to organisations, and only their admins (and site admins) see and change them
(catalog.permissions.may_manage_organization). A job report is readable by every editor of
the source's organisation too, since the dashboard shows them its jobs. Sources that
config.yaml declares are read-only here, except that they can be tested and run.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import format_datetime, gettext
from werkzeug.wrappers import Response

from catalog.jobs import SourceBusy, job_with_source, list_jobs
from catalog.models import HarvestSource, Organization, utcnow
from catalog.organizations import get_organization_by_name, list_organizations
from catalog.permissions import Rights, may_manage_organization
from catalog.publication import publishable_shares
from catalog.sources import (
    create_web_source,
    source_names,
    source_with_organization,
    sources_with_last_job,
    switch_web_source,
    update_web_source,
)
from catalog.withheld_v3 import withheld_in_v3, withheld_in_v3_counts
from harvesters.background import (
    BackgroundHarvests,
    ProbeResult,
    probe,
    probe_source,
    running_job_id,
)
from harvesters.queue import QueueUnavailable
from harvesters.registry import harvestable_types
from harvesters.schedule import next_due_at
from web.context import current_settings, current_store
from web.labels import language
from web.steward.auth import current_rights, forbidden, login_required
from web.steward.job_report import STAGES, error_filter, error_page, rule_groups, selected_rule
from web.steward.probe_results import keep_probe_result, take_probe_result
from web.steward.source_form import SCHEDULES, SourceForm
from web.steward.source_options import offered_fields, operator_options, option_facts
from web.steward.source_settings_view import settings_choices, settings_context
from web.steward.source_texts import labels, probe_text

blueprint = Blueprint("steward_sources", __name__, url_prefix="/verwaltung")
BACKGROUND_KEY = "catalog.background_harvests"
JOBS_SHOWN = 50


@blueprint.record_once
def _start_background_harvests(state: BlueprintSetupState) -> None:
    extensions = state.app.extensions
    extensions[BACKGROUND_KEY] = BackgroundHarvests(
        extensions["catalog.store"],
        extensions["catalog.settings"],
        extensions.get("catalog.search"),
    )


def background_harvests() -> BackgroundHarvests:
    harvests: BackgroundHarvests = current_app.extensions[BACKGROUND_KEY]
    return harvests


blueprint.context_processor(labels)
blueprint.context_processor(settings_context)


@blueprint.app_template_filter("moment")
def _moment(value: datetime | None) -> str:
    """Date and time of a job, in the page's language."""
    if value is None:
        return ""
    return format_datetime(value, "medium") + " UTC"


@blueprint.get("/quellen")
@login_required
def index() -> str:
    rights = current_rights()
    organizations = managed_organizations(rights)
    wanted = request.args.get("organization")
    if wanted:
        organizations = [org for org in organizations if org.name == wanted]
        if not organizations:
            _refuse_unless_manager(rights, _organization_id(wanted))
    ids = [org.id for org in organizations]
    sources_by_org = sources_with_last_job(current_store(), ids)
    source_ids = [source.id for rows in sources_by_org.values() for source, _ in rows]
    return render_template(
        "steward/sources/index.html",
        organizations=organizations,
        sources_by_org=sources_by_org,
        shares=publishable_shares(current_store(), source_ids),
        withheld_v3=withheld_in_v3_counts(current_store(), source_ids),
        rights=rights,
    )


@blueprint.get("/quellen/optionen.css")
def option_groups_css() -> Response:
    """The rules that show only the chosen type's option fields, as a stylesheet written from
    the registry (the Content-Security-Policy allows no inline styles)."""
    css = render_template("steward/sources/option_groups.css", option_groups=offered_fields())
    return Response(css, mimetype="text/css")


@blueprint.route("/quellen/neu", methods=["GET", "POST"])
@login_required
def new() -> Response | str | tuple[str, int]:
    rights = current_rights()
    organizations = managed_organizations(rights)
    if not organizations:
        refusal = may_manage_organization(rights, None)
        forbidden(refusal.reason_de, refusal.reason_en)
    names = [org.name for org in organizations]
    if request.method == "GET":
        asked = request.args.get("organization", "")
        form = SourceForm(organization=asked if asked in names else names[0])
        return _form_page(form, organizations, source=None)
    form = SourceForm.from_request(request.form)
    if form.organization not in names and _organization_id(form.organization) is not None:
        _refuse_unless_manager(rights, _organization_id(form.organization))
    checked = form.validate(taken_names=source_names(current_store()), organizations=names)
    if checked is None:
        return _form_page(form, organizations, source=None), 422
    create_web_source(current_store(), checked)
    flash(gettext("Die Quelle %(name)s ist angelegt.", name=checked.name), "success")
    return redirect(url_for(".show", name=checked.name), 303)


@blueprint.post("/quellen/neu/testen")
@login_required
def test_new() -> str | tuple[str, int]:
    """The connection test of the form as filled in: the form again, with the result."""
    rights = current_rights()
    organizations = managed_organizations(rights)
    if not organizations:
        refused = may_manage_organization(rights, None)
        forbidden(refused.reason_de, refused.reason_en)
    form = SourceForm.from_request(request.form)
    if form.organization not in [org.name for org in organizations]:
        _refuse_unless_manager(rights, _organization_id(form.organization))
    return _tested_form_page(form, organizations, source=None)


@blueprint.get("/quellen/<name>")
@login_required
def show(name: str) -> str:
    source = _managed_source(name)
    return _source_page(source, probe=take_probe_result(source.name))


@blueprint.route("/quellen/<name>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit(name: str) -> Response | str | tuple[str, int]:
    source = _managed_source(name)
    _refuse_if_from_config(source)
    organizations = [source.organization]
    if request.method == "GET":
        form = SourceForm.from_source(source, source.organization.name)
        return _form_page(form, organizations, source=source)
    form = _edited_form(source)
    others = [taken for taken in source_names(current_store()) if taken != source.name]
    checked = form.validate(taken_names=others, organizations=[source.organization.name])
    if checked is None:
        return _form_page(form, organizations, source=source), 422
    update_web_source(current_store(), source.id, checked)
    flash(gettext("Die Änderungen an %(name)s sind gespeichert.", name=source.name), "success")
    return redirect(url_for(".show", name=source.name), 303)


@blueprint.post("/quellen/<name>/bearbeiten/testen")
@login_required
def test_edited(name: str) -> str | tuple[str, int]:
    """The connection test of the edit form as filled in: the form again, with the result."""
    source = _managed_source(name)
    _refuse_if_from_config(source)
    return _tested_form_page(_edited_form(source), [source.organization], source=source)


@blueprint.post("/quellen/<name>/testen")
@login_required
def test_connection(name: str) -> Response:
    """Test, then show the result on the source page by GET (a reload re-sends nothing)."""
    source = _managed_source(name)
    result = probe_source(current_store(), current_settings(), source)
    keep_probe_result(source.name, result)
    return redirect(url_for(".show", name=source.name, _anchor="probe"), 303)


@blueprint.post("/quellen/<name>/ernten")
@login_required
def run(name: str) -> Response | tuple[str, int]:
    source = _managed_source(name)
    try:
        job_id = background_harvests().start(source)
    except SourceBusy as exc:
        message = gettext(
            "Diese Quelle wird gerade geerntet (Job %(job)s, seit %(since)s). Eine zweite "
            "Ernte beginnt erst, wenn die laufende fertig ist.",
            job=exc.job_id,
            since=_moment(exc.since),
        )
        return _source_page(source, error=message), 409
    except QueueUnavailable:
        message = gettext(
            "Die Ernte konnte nicht in die Warteschlange gestellt werden: die Warteschlange "
            "ist nicht erreichbar. Der Job ist als fehlgeschlagen vermerkt; bitte später noch "
            "einmal versuchen oder den Betrieb informieren."
        )
        return _source_page(source, error=message), 503
    if job_id is None:
        flash(gettext("Die Ernte ist gestartet."), "success")
    else:
        flash(gettext("Die Ernte ist gestartet (Job %(job)s).", job=job_id), "success")
    return redirect(url_for(".show", name=source.name), 303)


@blueprint.post("/quellen/<name>/abschalten")
@login_required
def disable(name: str) -> Response:
    return _switch(name, enabled=False)


@blueprint.post("/quellen/<name>/einschalten")
@login_required
def enable(name: str) -> Response:
    return _switch(name, enabled=True)


@blueprint.get("/jobs/<int:job_id>")
@login_required
def job(job_id: int) -> str:
    store = current_store()
    found = job_with_source(store, job_id)
    if found is None:
        abort(404)
    rights = current_rights()
    if not rights.edits(found.source.organization_id):
        refusal = may_manage_organization(rights, found.source.organization_id)
        forbidden(refusal.reason_de, refusal.reason_en)
    wanted = error_filter(request.args)
    rules = rule_groups(store, job_id)
    return render_template(
        "steward/sources/job.html",
        job=found,
        source=found.source,
        wanted=wanted,
        report=error_page(store, job_id, wanted, language()),
        rules=rules,
        selected_rule=selected_rule(rules, wanted),
        stages=STAGES,
        may_manage=rights.administers(found.source.organization_id),
    )


def _switch(name: str, *, enabled: bool) -> Response:
    source = _managed_source(name)
    _refuse_if_from_config(source)
    switch_web_source(current_store(), source.id, enabled=enabled)
    if enabled:
        flash(gettext("Die Quelle %(name)s ist eingeschaltet.", name=source.name), "success")
    else:
        flash(gettext("Die Quelle %(name)s ist abgeschaltet.", name=source.name), "success")
    return redirect(url_for(".show", name=source.name), 303)


def managed_organizations(rights: Rights) -> list[Organization]:
    """The organisations whose sources and members the steward manages."""
    return list_organizations(current_store(), among=None if rights.site_admin else rights.admin_of)


def _organization_id(name: str) -> str | None:
    organization = get_organization_by_name(current_store(), name)
    return organization.id if organization is not None else None


def _refuse_unless_manager(rights: Rights, organization_id: str | None) -> None:
    decision = may_manage_organization(rights, organization_id)
    if not decision:
        forbidden(decision.reason_de, decision.reason_en)


def _managed_source(name: str) -> HarvestSource:
    """The named source with its organisation; 404 if unknown, 403 if not the steward's."""
    source = source_with_organization(current_store(), name)
    if source is None:
        abort(404)
    _refuse_unless_manager(current_rights(), source.organization_id)
    return source


def _refuse_if_from_config(source: HarvestSource) -> None:
    if source.managed_by != "web":
        forbidden(
            "Diese Quelle wird in config.yaml verwaltet: ändern Sie sie dort und führen Sie "
            "`catalog init` aus.",
            "This source is managed in config.yaml: change it there and run `catalog init`.",
        )


def _edited_form(source: HarvestSource) -> SourceForm:
    """The posted edit form of a source; name and organisation stay the source's own."""
    form = SourceForm.from_request(request.form, name=source.name)
    form.organization = source.organization.name  # a source stays with its organisation
    if form.type == source.type:
        form.kept_options = operator_options(source.type, source.options)
    return form


def _tested_form_page(
    form: SourceForm, organizations: list[Organization], *, source: HarvestSource | None
) -> str | tuple[str, int]:
    """The form with its connection test's result; nothing is saved, whatever it finds."""
    options = form.check_connection()
    if options is None:
        return _form_page(form, organizations, source=source), 422
    result = probe(current_settings(), form.type, form.url, options, name=form.name)
    return _form_page(form, organizations, source=source, tested=result)


def _form_page(
    form: SourceForm,
    organizations: list[Organization],
    *,
    source: HarvestSource | None,
    tested: ProbeResult | None = None,
) -> str:
    return render_template(
        "steward/sources/form.html",
        form=form,
        organizations=organizations,
        source=source,
        types=harvestable_types(),
        option_groups=offered_fields(),
        schedules=SCHEDULES,
        probe=tested,
        probe_text=probe_text(tested) if tested is not None else "",
        **settings_choices(),
    )


def _source_page(
    source: HarvestSource, *, probe: ProbeResult | None = None, error: str = ""
) -> str:
    store = current_store()
    stale_after = current_settings().harvest.stale_after
    jobs = list_jobs(store, source.id, limit=JOBS_SHOWN, stale_after=stale_after)
    last_start = max((job.started_at for job in jobs), default=None)
    return render_template(
        "steward/sources/show.html",
        source=source,
        jobs=jobs,
        running_job=running_job_id(store, source.id),
        next_due=next_due_at(source.schedule, last_start, utcnow()) if source.enabled else None,
        share=publishable_shares(store, [source.id])[source.id],
        withheld_v3=withheld_in_v3(store, source.id),
        option_facts=option_facts(source.type, source.options, language()),
        probe=probe,
        probe_text=probe_text(probe) if probe is not None else "",
        error=error,
    )
