"""An organisation's impact figures in the steward area, for its editors and admins."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template

from catalog.models import Organization
from catalog.organizations import get_organization_by_name
from web.context import current_store
from web.impact_figures import figure_builders
from web.public.impact import csv_response
from web.steward.auth import current_rights, forbidden, login_required

blueprint = Blueprint("steward_impact", __name__, url_prefix="/verwaltung")


def _organization(name: str) -> Organization:
    organization = get_organization_by_name(current_store(), name)
    if organization is None:
        abort(404)
    if not current_rights().edits(organization.id):
        forbidden(
            "Die Wirkung einer Organisation sehen nur ihre Redakteurinnen und Administratoren.",
            "Only an organisation's editors and admins see its impact figures.",
        )
    return organization


@blueprint.get("/organisationen/<name>/wirkung")
@login_required
def impact(name: str) -> str:
    organization = _organization(name)
    figures = [build() for build in figure_builders(organization).values()]
    return render_template("steward/impact.html", organization=organization, figures=figures)


@blueprint.get("/organisationen/<name>/wirkung/<key>.csv")
@login_required
def impact_csv(name: str, key: str) -> Response:
    organization = _organization(name)
    build = figure_builders(organization).get(key)
    if build is None:
        abort(404)
    return csv_response(build().csv_text(), f"wirkung-{organization.name}-{key}.csv")
