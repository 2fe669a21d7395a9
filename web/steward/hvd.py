"""The stewards' High-Value Datasets list under /verwaltung/hvd: the HVD records of their
organisations, by category, with the HVD findings of each (catalog.hvd)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from catalog.hvd import hvd_entries
from dcat.hvd import HVD_CATEGORIES, top_categories
from web.context import current_search, current_store
from web.labels import language
from web.steward.auth import current_rights
from web.steward.dashboard import steward_organizations
from web.steward.dataset_access import steward_required

blueprint = Blueprint("steward_hvd", __name__, url_prefix="/verwaltung/hvd")


def category_choices() -> list[tuple[str, str]]:
    """(IRI, label) of the six categories, in the page's language."""
    return [(iri, HVD_CATEGORIES.label(iri, language()) or iri) for iri in top_categories()]


@blueprint.get("/")
@steward_required
def index() -> str:
    organizations = steward_organizations(current_rights())
    choices = category_choices()
    category = request.args.get("kategorie", "")
    if category not in dict(choices):
        category = ""
    entries = hvd_entries(
        current_store(),
        current_search(),
        [org.id for org in organizations],
        category=category or None,
        lang=language(),
    )
    return render_template(
        "steward/hvd/index.html",
        entries=entries,
        choices=choices,
        category=category,
        organizations_by_id={org.id: org for org in organizations},
    )
