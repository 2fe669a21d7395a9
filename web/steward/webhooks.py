"""Webhooks in the steward area: organisation admins register endpoints (the signing secret
shown once), read each endpoint's delivery log, redeliver an event, pause and resume, and
delete an endpoint with its log after a confirmation page."""

from __future__ import annotations

from contextlib import suppress

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from catalog.change_feed import EVENT_KINDS, EVENT_TYPES
from catalog.models import Organization, WebhookEndpoint
from catalog.organizations import list_organizations
from catalog.permissions import may_manage_organization
from catalog.webhooks import (
    EndpointFilter,
    EndpointNotFound,
    delete_endpoint,
    delivery_count,
    get_delivery,
    get_endpoint,
    list_endpoints,
    pause_endpoint,
    pending_count,
    recent_deliveries,
    redeliver,
    register_endpoint,
    resume_endpoint,
)
from harvesters.webhook_delivery import EndpointRefused, check_endpoint_url
from web.context import current_settings, current_store
from web.labels import concept_label, language, themes_by_code
from web.steward.auth import current_rights, forbidden, login_required

blueprint = Blueprint("steward_webhooks", __name__, url_prefix="/verwaltung")
MAX_DESCRIPTION = 500


def event_labels() -> dict[str, str]:
    """The event types in the page's language."""
    labels = {
        "published": gettext("veröffentlicht"),
        "updated": gettext("geändert"),
        "withdrawn": gettext("zurückgezogen (oder zurückgehalten)"),
        "restored": gettext("wiederhergestellt"),
    }
    return {
        event_type: labels[kind] for kind, event_type in zip(EVENT_KINDS, EVENT_TYPES, strict=True)
    }


@blueprint.get("/webhooks")
@login_required
def index() -> str:
    return _list_page()


@blueprint.post("/webhooks")
@login_required
def create() -> Response | tuple[str, int]:
    form = request.form
    organization = _administered(form.get("organization", ""))
    url = form.get("url", "").strip()
    description = form.get("description", "").strip()[:MAX_DESCRIPTION]
    errors: dict[str, str] = {}
    try:
        check_endpoint_url(url, current_settings())
    except EndpointRefused as exc:
        errors["url"] = exc.message_en if language() == "en" else exc.message_de
    themes = [code for code in form.getlist("themes") if code in themes_by_code()]
    organizations = [name for name in form.getlist("organizations") if name in _org_names()]
    event_types = [value for value in form.getlist("event_types") if value in EVENT_TYPES]
    if errors:
        return _list_page(errors=errors, entered=form), 422
    endpoint, secret = register_endpoint(
        current_store(),
        organization_id=organization.id,
        url=url,
        description=description,
        wanted=EndpointFilter(tuple(organizations), tuple(themes), tuple(event_types)),
        created_by=current_rights().username,
    )
    response = make_response(_detail_page(endpoint, secret=secret))
    response.headers["Cache-Control"] = "no-store"  # the secret is in this page only
    return response


@blueprint.get("/webhooks/<endpoint_id>")
@login_required
def detail(endpoint_id: str) -> str:
    return _detail_page(_managed_endpoint(endpoint_id))


@blueprint.post("/webhooks/<endpoint_id>/fortsetzen")
@login_required
def resume(endpoint_id: str) -> Response:
    endpoint = _managed_endpoint(endpoint_id)
    resume_endpoint(current_store(), endpoint.id)
    flash(
        gettext("Zustellungen laufen wieder, beginnend mit dem ältesten offenen Ereignis."),
        "success",
    )
    return redirect(url_for(".detail", endpoint_id=endpoint.id), 303)


@blueprint.post("/webhooks/<endpoint_id>/pausieren")
@login_required
def pause(endpoint_id: str) -> Response:
    endpoint = _managed_endpoint(endpoint_id)
    reason = gettext("Pausiert von %(name)s", name=current_rights().username)
    pause_endpoint(current_store(), endpoint.id, reason)
    flash(gettext("Zustellungen sind pausiert; offene Ereignisse bleiben erhalten."), "success")
    return redirect(url_for(".detail", endpoint_id=endpoint.id), 303)


@blueprint.get("/webhooks/<endpoint_id>/loeschen")
@login_required
def confirm_delete(endpoint_id: str) -> str:
    endpoint = _managed_endpoint(endpoint_id)
    return render_template(
        "steward/webhooks/delete.html",
        endpoint=endpoint,
        organization_titles={org.id: org.title for org in list_organizations(current_store())},
        delivery_count=delivery_count(current_store(), endpoint.id),
        pending=pending_count(current_store(), endpoint.id),
    )


@blueprint.post("/webhooks/<endpoint_id>/loeschen")
@login_required
def delete(endpoint_id: str) -> Response:
    endpoint = _managed_endpoint(endpoint_id)
    # Deleted meanwhile (another tab, another admin): the outcome is the one asked for.
    with suppress(EndpointNotFound):
        delete_endpoint(current_store(), endpoint.id)
    flash(
        gettext(
            "Die Adresse %(url)s ist gelöscht, mit ihrem Zustellprotokoll; sie bekommt keine "
            "Ereignisse mehr.",
            url=endpoint.url,
        ),
        "success",
    )
    return redirect(url_for(".index"), 303)


@blueprint.post("/webhooks/<endpoint_id>/zustellungen/<int:delivery_id>/erneut")
@login_required
def redeliver_event(endpoint_id: str, delivery_id: int) -> Response:
    endpoint = _managed_endpoint(endpoint_id)
    try:
        delivery = get_delivery(current_store(), delivery_id)
    except EndpointNotFound:
        abort(404)
    if delivery.endpoint_id != endpoint.id:
        abort(404)
    redeliver(current_store(), delivery.id)
    flash(gettext("Das Ereignis wird erneut zugestellt."), "success")
    return redirect(url_for(".detail", endpoint_id=endpoint.id), 303)


def _administered_organizations() -> list[Organization]:
    rights = current_rights()
    among = None if rights.site_admin else rights.admin_of
    return list_organizations(current_store(), among=among)


def _org_names() -> set[str]:
    return {org.name for org in list_organizations(current_store())}


def _administered(name: str) -> Organization:
    for organization in _administered_organizations():
        if organization.name == name:
            return organization
    forbidden(
        "Webhooks legen Administratoren der Organisation an.",
        "Webhooks are registered by the organisation's administrators.",
    )


def _managed_endpoint(endpoint_id: str) -> WebhookEndpoint:
    try:
        endpoint = get_endpoint(current_store(), endpoint_id)
    except EndpointNotFound:
        abort(404)
    decision = may_manage_organization(current_rights(), endpoint.organization_id)
    if not decision:
        forbidden(decision.reason_de, decision.reason_en)
    return endpoint


def _theme_options() -> list[tuple[str, str]]:
    return sorted(
        ((code, concept_label(concept)) for code, concept in themes_by_code().items()),
        key=lambda option: option[1],
    )


def _list_page(*, errors: dict[str, str] | None = None, entered: object = None) -> str:
    organizations = _administered_organizations()
    endpoints = list_endpoints(current_store(), [org.id for org in organizations])
    return render_template(
        "steward/webhooks/index.html",
        organizations=organizations,
        all_organizations=list_organizations(current_store()),
        organization_titles={org.id: org.title for org in list_organizations(current_store())},
        endpoints=endpoints,
        pending={
            endpoint.id: pending_count(current_store(), endpoint.id) for endpoint in endpoints
        },
        theme_options=_theme_options(),
        event_labels=event_labels(),
        errors=errors or {},
        entered=entered if entered is not None else MultiDict(),
    )


def _detail_page(endpoint: WebhookEndpoint, *, secret: str = "") -> str:
    return render_template(
        "steward/webhooks/detail.html",
        endpoint=endpoint,
        organization_titles={org.id: org.title for org in list_organizations(current_store())},
        deliveries=recent_deliveries(current_store(), endpoint.id),
        pending=pending_count(current_store(), endpoint.id),
        event_labels=event_labels(),
        theme_labels=dict(_theme_options()),
        secret=secret,
    )
