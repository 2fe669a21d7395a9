"""The overview pages: start page, organisations, themes, and "about the data"."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext

from catalog.figures import catalog_figures
from catalog.models import Organization
from catalog.quality.aggregates import catalog_quality, quality_trend
from catalog.search.base import SearchQuery, SortOrder
from web.charts import bar_chart
from web.context import current_search, current_settings, current_store
from web.labels import concept_label, license_is_open, license_label, themes_by_code
from web.public.search_pages import organizations_by_name
from web.quality_charts import trend_description, trend_figure
from web.quality_texts import points_text
from web.quality_texts import template_helpers as quality_helpers

blueprint = Blueprint("public", __name__)

NEWEST_ON_START_PAGE = 6


def _counts_by(facet: str) -> dict[str, int]:
    result = current_search().search(SearchQuery(limit=0, facets=(facet,), facet_limit=1000))
    return {count.value: count.count for count in result.facets[facet]}


def _themes_with_counts() -> list[tuple[str, str, int]]:
    counts = _counts_by("theme")
    themes = [(code, concept_label(c), counts.get(code, 0)) for code, c in themes_by_code().items()]
    return sorted(themes, key=lambda theme: theme[1])


@blueprint.get("/")
def index() -> str:
    search = current_search()
    newest = search.search(
        SearchQuery(
            sort=SortOrder.NEWEST,
            limit=NEWEST_ON_START_PAGE,
            facets=("organization",),
            facet_limit=1000,
        )
    )
    organization_counts = {count.value: count.count for count in newest.facets["organization"]}
    organizations = organizations_by_name()
    return render_template(
        "index.html",
        total=newest.total,
        newest=newest.hits,
        themes=_themes_with_counts(),
        organizations=sorted(organizations.values(), key=lambda org: org.title),
        organizations_by_name=organizations,
        organization_counts=organization_counts,
        figures=catalog_figures(current_store(), search, current_settings()),
    )


@blueprint.get("/organisationen")
def organizations() -> str:
    counts = _counts_by("organization")
    listed = sorted(organizations_by_name().values(), key=lambda org: org.title)
    return render_template("organizations.html", organizations=listed, counts=counts)


@blueprint.get("/themen")
def themes() -> str:
    return render_template("themes.html", themes=_themes_with_counts())


@blueprint.get("/ueber-die-daten")
def about() -> str:
    figures = catalog_figures(current_store(), current_search(), current_settings())
    organizations = organizations_by_name()
    by_id = {org.id: org for org in organizations.values()}
    return render_template(
        "about.html",
        figures=figures,
        organizations=sorted(organizations.values(), key=lambda org: org.title),
        organization_counts=_counts_by("organization"),
        format_counts=_counts_by("format"),
        licences=[
            (iri, license_label(iri), count, license_is_open(iri))
            for iri, count in _counts_by("license").items()
        ],
        organizations_by_id=by_id,
        **_quality(sorted(organizations.values(), key=lambda org: org.title)),
    )


def _quality(organizations: list[Organization]) -> dict[str, object]:
    """The catalog's quality score, each organisation's, and the catalog's trend."""
    store = current_store()
    quality = catalog_quality(store)
    by_organization = [
        (org, quality.organizations[org.id])
        for org in organizations
        if org.id in quality.organizations
    ]
    trend = quality_trend(store, "catalog", today=quality.catalog)
    return {
        "quality": quality,
        "quality_by_organization": by_organization,
        "quality_bars": bar_chart(
            [(org.title, summary.mean_points) for org, summary in by_organization],
            title=gettext("Mittlere Punkte je Organisation"),
            description=gettext(
                "Mittlere Punktzahl der veröffentlichten Datensätze jeder Organisation "
                "(höchstens 405); die Tabelle daneben nennt dieselben Werte."
            ),
            value_format=points_text,
        ),
        "quality_figure": trend_figure(
            [(gettext("Ganzer Katalog"), trend)] if trend else [],
            title=gettext("Qualität im Verlauf"),
            description=trend_description(),
        ),
        **quality_helpers(),
    }
