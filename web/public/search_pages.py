"""The results page and the pages that are searches with a fixed filter (organisation, theme)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, abort, render_template, request

from catalog.models import Organization
from catalog.organizations import get_organization_by_name, list_organizations
from catalog.search.documents import district_boxes
from web.context import current_search, current_settings, current_store
from web.labels import theme_label, themes_by_code
from web.public.search_view import ResultsLinks, SearchRequest
from web.usage import count_search

blueprint = Blueprint("search_pages", __name__)


def organizations_by_name() -> dict[str, Organization]:
    return {org.name: org for org in list_organizations(current_store())}


def render_results(
    template: str, fixed: Mapping[str, str] | None = None, **context: object
) -> tuple[str, int]:
    """The page, with 400 when a place could not be read (the page says which and why)."""
    districts = current_settings().catalog.districts
    asked = SearchRequest.from_args(request.args, fixed, district_boxes(districts))
    result = current_search().search(asked.query())
    if template == "search.html" and asked.page == 1 and not asked.filters:
        # A new search, not its next page or a narrowing by facet (counted once, as asked).
        count_search(asked.text, result.total)
    links = ResultsLinks(asked, fixed)
    organizations = organizations_by_name()
    html = render_template(
        template,
        asked=asked,
        result=result,
        links=links,
        chips=links.chips(organizations),
        facet_blocks=links.facet_blocks(result, organizations),
        pages=links.pages(result.total),
        sorts=links.sort_links(),
        organizations=organizations,
        suggestion_url=(
            links.url(text=result.suggestion, filters={}, place=False)
            if result.suggestion
            else None
        ),
        places=[district.name for district in districts if district.bbox],
        **context,
    )
    return html, 400 if asked.place.errors else 200


@blueprint.get("/suche")
def search() -> tuple[str, int]:
    return render_results("search.html")


@blueprint.get("/organisation/<name>")
def organization(name: str) -> tuple[str, int]:
    found = get_organization_by_name(current_store(), name)
    if found is None:
        abort(404)
    return render_results("organization.html", {"organization": found.name}, organization=found)


@blueprint.get("/thema/<code>")
def theme(code: str) -> tuple[str, int]:
    concept = themes_by_code().get(code.upper())
    if concept is None:
        abort(404)
    return render_results(
        "theme.html", {"theme": concept.code}, theme=concept, theme_title=theme_label(concept.code)
    )
