"""The steward's start page: their organisations' datasets, what needs attention, recent jobs."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template
from flask_babel import gettext

from catalog.figures import organization_figures
from catalog.jobs import recent_jobs_of_organizations
from catalog.models import Organization
from catalog.organizations import list_organizations
from catalog.permissions import Rights
from catalog.quality.aggregates import catalog_quality, organization_trends, quality_trend
from catalog.record_lists import records_needing_attention
from web.context import current_settings, current_store
from web.quality_charts import TrendFigure, trend_description, trend_figure
from web.quality_texts import template_helpers as quality_helpers
from web.steward.auth import current_rights, login_required

blueprint = Blueprint("steward", __name__, url_prefix="/verwaltung")

ATTENTION_LIMIT = 50
RECENT_JOBS = 10


@dataclass(frozen=True)
class OrganizationSummary:
    organization: Organization
    public: int
    held_back: int
    drafts: int
    withdrawn: int
    valid: int
    warnings: int
    invalid: int
    may_manage: bool


def steward_organizations(rights: Rights) -> list[Organization]:
    """The organisations whose records the steward edits (all of them for site admins)."""
    return list_organizations(
        current_store(), among=None if rights.site_admin else rights.editor_of
    )


def _summaries(rights: Rights, organizations: list[Organization]) -> list[OrganizationSummary]:
    figures = organization_figures(
        current_store(), [org.id for org in organizations], current_settings()
    )
    return [
        OrganizationSummary(
            organization=org,
            public=figures[org.id].public,
            held_back=figures[org.id].held_back,
            drafts=figures[org.id].drafts,
            withdrawn=figures[org.id].withdrawn,
            valid=figures[org.id].valid,
            warnings=figures[org.id].warnings,
            invalid=figures[org.id].invalid,
            may_manage=rights.administers(org.id),
        )
        for org in organizations
    ]


@blueprint.get("/")
@login_required
def dashboard() -> str:
    rights = current_rights()
    organizations = steward_organizations(rights)
    ids = [org.id for org in organizations]
    by_id = {org.id: org for org in organizations}
    attention = records_needing_attention(current_store(), ids, ATTENTION_LIMIT)
    return render_template(
        "steward/dashboard.html",
        summaries=_summaries(rights, organizations),
        attention=attention,
        jobs=recent_jobs_of_organizations(current_store(), ids, RECENT_JOBS),
        organizations_by_id=by_id,
        rights=rights,
        **_quality(organizations),
    )


def _quality(organizations: list[Organization]) -> dict[str, object]:
    """Each organisation's and the catalog's mean points, with their trend as chart and table."""
    store = current_store()
    quality = catalog_quality(store)
    trends = organization_trends(store, [org.id for org in organizations], quality)
    series = [(org.title, trends[org.id]) for org in organizations if trends[org.id]]
    catalog_trend = quality_trend(store, "catalog", today=quality.catalog)
    if catalog_trend:
        series.append((gettext("Ganzer Katalog"), catalog_trend))
    figure: TrendFigure = trend_figure(
        series,
        title=gettext("Qualität im Verlauf"),
        description=trend_description(),
    )
    return {
        "quality": quality,
        "quality_figure": figure,
        **quality_helpers(),
    }
