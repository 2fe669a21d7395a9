"""The results page and the pages that are searches with a fixed filter (organisation, theme)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, abort, render_template, request

from catalog.models import Organization
from catalog.organizations import get_organization_by_name, list_organizations
from web.context import current_search, current_store
from web.labels import theme_label, themes_by_code
from web.public.search_view import ResultsLinks, SearchRequest

blueprint = Blueprint("search_pages", __name__)


def organizations_by_name() -> dict[str, Organization]:
    return {org.name: org for org in list_organizations(current_store())}


def render_results(template: str, fixed: Mapping[str, str] | None = None, **context: object) -> str:
    asked = SearchRequest.from_args(request.args, fixed)
    result = current_search().search(asked.query())
    links = ResultsLinks(asked, fixed)
    organizations = organizations_by_name()
    return render_template(
        template,
        asked=asked,
        result=result,
        links=links,
        chips=links.chips(organizations),
        facet_blocks=links.facet_blocks(result, organizations),
        pages=links.pages(result.total),
        sorts=links.sort_links(),
        organizations=organizations,
        suggestion_url=links.url(text=result.suggestion, filters={}) if result.suggestion else None,
        **context,
    )


@blueprint.get("/suche")
def search() -> str:
    return render_results("search.html")


@blueprint.get("/organisation/<name>")
def organization(name: str) -> str:
    found = get_organization_by_name(current_store(), name)
    if found is None:
        abort(404)
    return render_results("organization.html", {"organization": found.name}, organization=found)


@blueprint.get("/thema/<code>")
def theme(code: str) -> str:
    concept = themes_by_code().get(code.upper())
    if concept is None:
        abort(404)
    return render_results(
        "theme.html", {"theme": concept.code}, theme=concept, theme_title=theme_label(concept.code)
    )
