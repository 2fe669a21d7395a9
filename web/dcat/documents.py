"""DCAT-AP.de documents for other portals: /catalog.{ext} in pages and /dataset/{name}.{ext}.

Pages follow the keyset order of the store (updated_at, id), so a harvester walking hydra:next
misses no record while records change and lists an unchanged one exactly once; a record changed
after it was listed comes again at the end, in its new version. `page` is an opaque cursor.
Only published records appear, and only valid ones unless validation.publish_invalid says so.
Each document comes in the profile the client asks for (web/dcat/profile_negotiation.py):
DCAT-AP.de 2.0 as stored, or its 3.0 rendering (dcat/profiles.py).
Turtle and N-Triples pages are streamed from the stored record texts; RDF/XML and JSON-LD pages
are built in pyoxigraph from them, never as one rdflib graph.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, jsonify, request
from rdflib import URIRef

from catalog.models import RecordStatus
from catalog.organizations import get_organization_by_name
from catalog.profile_store import record_text
from catalog.publication import (
    catalog_description,
    is_public,
    is_public_in,
    profile_conditions,
    public_validation_states,
)
from catalog.records import get_record_by_name, list_records
from dcat.catalog_graph import catalog_graph
from dcat.hydra import catalog_page_graph
from dcat.parsing import parse_rdf
from dcat.profiles import Profile, render_graph
from dcat.serialise import (
    FORMAT_BY_EXTENSION,
    JSONLD_CONTEXT,
    MEDIA_TYPES,
    catalog_document_chunks,
    serialise,
    stored_graphs_document,
)
from web.context import current_search, current_settings, current_store
from web.dcat.catalog_filters import FILTER_PARAMETERS, asks_for_search, filtered_page, search_query
from web.dcat.errors import answer_in_plain_text
from web.dcat.profile_negotiation import (
    acceptable_profiles,
    mark_profile,
    not_acceptable_reason,
    requested_profile,
)
from web.dcat.withheld import withheld_reason
from web.errors import fail
from web.usage import count_catalog_fetch

blueprint = Blueprint("dcat_documents", __name__)
answer_in_plain_text(blueprint)

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


@blueprint.get("/dataset/<name>.<ext>")
def dataset_document(name: str, ext: str) -> Response:
    """The record in the best profile the client accepts and the record is public in.

    A record held back in 3.0 (its source lacks a fact 3.0 requires) answers a request that
    accepts only 3.0 with 406 and the reason; it is no 404, since the dataset exists and 2.0
    serves it. A client that also accepts 2.0 (Accept-Profile with q-values, or no profile
    wish at all) gets 2.0, named in Content-Profile.
    """
    fmt = _format(ext)
    settings = current_settings()
    acceptable = acceptable_profiles(request, settings.dcat.default_profile)
    if not acceptable:
        fail(406, *not_acceptable_reason())
    record = get_record_by_name(current_store(), name)
    if record is None or not is_public(record, settings):
        abort(404)
    profile = next((p for p in acceptable if is_public_in(record, settings, p)), None)
    if profile is None:
        fail(406, *withheld_reason(record, acceptable[0]))
    text = record_text(current_store(), record, profile)
    graph = parse_rdf(text, content_type="application/n-triples")
    etag = _profiled_etag(record.content_hash, profile)
    return _document(serialise(graph, fmt), fmt, etag, record.updated_at, profile)


@blueprint.get("/catalog.<ext>")
def catalog_document(ext: str) -> Response:
    fmt = _format(ext)
    profile = _profile()
    settings = current_settings()
    store = current_store()
    page_size = _page_size()
    arguments = [(key, value) for key, value in request.args.items(multi=True) if key != "page"]
    organization_id = None
    if organisation := request.args.get("organisation"):
        organization = get_organization_by_name(store, organisation)
        if organization is None:
            fail(
                400,
                f"organisation: unbekannte Organisation {organisation!r}; erlaubt ist der "
                "Kurzname einer Organisation des Katalogs.",
                f"organisation: unknown organisation {organisation!r}; give the short name of "
                "one of the catalog's organisations.",
            )
        organization_id = organization.id
    try:
        if asks_for_search(request.args):
            query = search_query(
                request.args.get("q", "")[:300],
                {name: request.args.getlist(name) for name in FILTER_PARAMETERS},
                organisation or None,
                _changed_since(),
            )
            page = filtered_page(
                store,
                settings,
                current_search(),
                query,
                after=request.args.get("page") or None,
                limit=page_size,
                profile=profile,
            )
        else:
            page = list_records(
                store,
                after=request.args.get("page") or None,
                limit=page_size,
                statuses=(RecordStatus.PUBLISHED,),
                validation_states=public_validation_states(settings),
                organization_id=organization_id,
                changed_since=_changed_since(),
                conditions=profile_conditions(settings, profile),
            )
    except ValueError:
        fail(
            400,
            f"page: {request.args.get('page')!r} ist keine Seitenmarke dieses Katalogs; erlaubt "
            "ist nur der Wert aus dem Link hydra:next der vorigen Seite (ohne page: erste Seite).",
            f"page: {request.args.get('page')!r} is not a page cursor of this catalog; only the "
            "value from the previous page's hydra:next link is allowed (no page: first page).",
        )
    count_catalog_fetch()  # each page of a harvest counts, as each request does
    records = page.records
    base = f"{settings.catalog.base_url}/catalog.{ext}"
    this_page = _address(base, arguments, request.args.get("page"))
    newest = max((record.updated_at for record in records), default=None)
    description = catalog_description(settings)
    header = catalog_graph(
        description,
        [record.uri for record in records],
        modified=newest,
    )
    header += catalog_page_graph(
        URIRef(description.uri),
        this_page,
        first=_address(base, arguments, None),
        next=_address(base, arguments, page.next_cursor) if page.next_cursor else None,
        items_per_page=page_size,
        legacy=request.args.get("hydra") == "legacy",
    )
    etag = hashlib.sha256(
        " ".join([this_page, *(record.content_hash for record in records)]).encode()
    ).hexdigest()
    etag = _profiled_etag(etag, profile)
    header = render_graph(header, profile)
    texts = [record_text(store, record, profile) for record in records]
    if fmt in ("ttl", "nt"):
        return _document(catalog_document_chunks(header, texts, fmt), fmt, etag, newest, profile)
    return _document(stored_graphs_document(texts, fmt, header), fmt, etag, newest, profile)


@blueprint.get("/context.jsonld")
def jsonld_context() -> Response:
    """The JSON-LD context our documents may reference, served here, never fetched elsewhere."""
    response = jsonify(JSONLD_CONTEXT)
    response.mimetype = "application/ld+json"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _format(ext: str) -> str:
    fmt = FORMAT_BY_EXTENSION.get(ext)
    if fmt is None:
        abort(404)
    return fmt


def _profile() -> Profile:
    """The profile the request asks for (see profile_negotiation), or a 406 that lists ours."""
    profile = requested_profile(request, current_settings().dcat.default_profile)
    if profile is None:
        fail(406, *not_acceptable_reason())
    return profile


def _profiled_etag(etag: str, profile: Profile) -> str:
    """Two profiles of one record are two representations; 2.0 keeps its ETag as it was."""
    return etag if profile is Profile.DCATAPDE_2 else f"{etag}-{profile.value}"


def _page_size() -> int:
    text = request.args.get("page_size", str(DEFAULT_PAGE_SIZE))
    # Not str.isdigit(): "²" is a digit to it, but not to int().
    if not re.fullmatch(r"[0-9]{1,9}", text) or not 1 <= int(text) <= MAX_PAGE_SIZE:
        fail(
            400,
            f"page_size: {text!r} ist nicht erlaubt; erlaubt ist eine ganze Zahl von 1 bis "
            f"{MAX_PAGE_SIZE} (ohne page_size: {DEFAULT_PAGE_SIZE}).",
            f"page_size: {text!r} is not allowed; allowed is a whole number from 1 to "
            f"{MAX_PAGE_SIZE} (without page_size: {DEFAULT_PAGE_SIZE}).",
        )
    return int(text)


def _changed_since() -> datetime | None:
    text = request.args.get("modified_since")
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
    except ValueError:
        fail(
            400,
            f"modified_since: {text!r} ist kein Datum; erlaubt ist ein ISO-8601-Datum oder "
            "-Zeitpunkt, z. B. 2025-01-31 oder 2025-01-31T12:00:00Z.",
            f"modified_since: {text!r} is not a date; allowed is an ISO 8601 date or date-time, "
            "e.g. 2025-01-31 or 2025-01-31T12:00:00Z.",
        )
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _address(base: str, arguments: list[tuple[str, str]], cursor: str | None) -> str:
    query = list(arguments)
    if cursor:
        query.append(("page", cursor))
    return f"{base}?{urlencode(sorted(query))}" if query else base


def _document(
    body: bytes | Iterator[bytes],
    fmt: str,
    etag: str,
    last_modified: datetime | None,
    profile: Profile,
) -> Response:
    response = mark_profile(Response(body, mimetype=MEDIA_TYPES[fmt]), profile)
    response.set_etag(etag)
    if last_modified is not None:
        response.last_modified = last_modified
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=60"
    response.make_conditional(request)  # 304 with an empty body when the client is current
    return response
