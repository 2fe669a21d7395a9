"""The dataset page, and content negotiation on /dataset/{name} and /catalog.

Browsers get HTML; a client that asks for an RDF type by Accept gets the DCAT-AP.de document,
the same as /dataset/{name}.{ext} serves.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from catalog.organizations import get_organization
from catalog.publication import is_public
from catalog.quality.scores import record_quality
from catalog.records import get_record_by_name
from catalog.search.documents import dataset_bounding_box, district_boxes
from catalog.usage import Use
from dcat.ckan.serialize import resource_id
from dcat.stored import stored_view
from dcat.vocabularies import THEMES
from web.context import current_settings, current_store
from web.dcat import documents as dcat_documents
from web.dcat.profile_negotiation import not_acceptable_text, requested_profile
from web.labels import language, license_is_open, license_label, theme_label
from web.public.descriptions import render_description
from web.public.negotiation import add_vary_accept, choose_representation, not_acceptable_message
from web.public.place_map import place_map
from web.public.schema_org import dataset_json_ld
from web.quality_texts import template_helpers as quality_helpers
from web.usage import count_dataset_use

blueprint = Blueprint("dataset_page", __name__)

RDF_FORMATS = (("ttl", "Turtle"), ("rdf", "RDF/XML"), ("jsonld", "JSON-LD"), ("nt", "N-Triples"))


@blueprint.get("/dataset/<name>")
def dataset(name: str) -> BaseResponse:
    representation = choose_representation(request.headers.get("Accept"))
    if representation is None:
        return add_vary_accept(Response(not_acceptable_message(), 406, mimetype="text/plain"))
    if representation != "html":
        if _no_acceptable_profile():
            return _profile_not_acceptable()
        return add_vary_accept(dcat_documents.dataset_document(name, representation))
    record = get_record_by_name(current_store(), name)
    if record is None or not is_public(record, current_settings()):
        abort(404)
    view = stored_view(record.graph, record.uri, language())
    base_url = current_settings().catalog.base_url
    page_url = f"{base_url}/dataset/{name}"
    box = dataset_bounding_box(view, district_boxes(current_settings().catalog.districts))
    quality = record_quality(current_store(), record.id)
    organization = None
    if record.organization_id:
        organization = get_organization(current_store(), record.organization_id)
    html = render_template(
        "dataset.html",
        record=record,
        view=view,
        organization=organization,
        description_html=render_description(view.description),
        json_ld=dataset_json_ld(
            view, page_url, base_url + "/", current_settings().catalog.in_language(language()).title
        ),
        rdf_formats=RDF_FORMATS,
        themes=[_theme(theme.iri, theme.label) for theme in view.themes],
        license_label=license_label,
        license_is_open=license_is_open,
        report=record.validation_report or {},
        place_map=place_map(box) if box is not None else None,
        quality=quality,
        **quality_helpers(),
        download_id=lambda distribution: resource_id(distribution, record.id),
    )
    count_dataset_use(Use.VIEW, record.id)
    response = add_vary_accept(Response(html, mimetype="text/html"))
    # A link check changes the score without changing the graph.
    scored = quality.scored_at.isoformat() if quality is not None else ""
    response.set_etag(f"{record.content_hash}-{scored}-{language()}")
    response.last_modified = record.updated_at
    return response.make_conditional(request)


@blueprint.get("/dataset/<name>/download/<distribution>")
def download(name: str, distribution: str) -> BaseResponse:
    """Counts a download and sends the visitor on (302) to the distribution's download URL,
    else its access URL. `distribution` is its CKAN resource id, as package_show names it;
    an unknown dataset or distribution is 404 and counts nothing. The DCAT documents and the
    CKAN API keep the original URLs: other portals link to the data, not through us."""
    record = get_record_by_name(current_store(), name)
    if record is None or not is_public(record, current_settings()):
        abort(404)
    view = stored_view(record.graph, record.uri, language())
    for candidate in view.distributions:
        target = candidate.download_url or candidate.access_url
        if target and resource_id(candidate, record.id) == distribution:
            count_dataset_use(Use.DOWNLOAD, record.id)
            response = redirect(target, 302)
            response.headers["Cache-Control"] = "no-store"  # every download reaches the count
            return response
    abort(404)


def _theme(iri: str, label: str) -> tuple[str | None, str]:
    """(code for the theme page, label); a theme outside the EU list has no page."""
    concept = THEMES.get(iri)
    return (concept.code, theme_label(concept.code)) if concept else (None, label)


@blueprint.get("/catalog")
def catalog() -> BaseResponse:
    representation = choose_representation(request.headers.get("Accept"))
    if representation is None:
        return add_vary_accept(Response(not_acceptable_message(), 406, mimetype="text/plain"))
    if representation == "html":
        return add_vary_accept(redirect(url_for("search_pages.search"), 303))
    if _no_acceptable_profile():
        return _profile_not_acceptable()
    return add_vary_accept(dcat_documents.catalog_document(representation))


def _no_acceptable_profile() -> bool:
    return requested_profile(request, current_settings().dcat.default_profile) is None


def _profile_not_acceptable() -> BaseResponse:
    """406 in plain text, as the DCAT endpoints answer it: the reader is a program."""
    response = Response(not_acceptable_text(), 406, mimetype="text/plain")
    response.vary.add("Accept-Profile")
    return add_vary_accept(response)
