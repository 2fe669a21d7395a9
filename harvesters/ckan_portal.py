"""Which read API a CKAN-like portal answers, and the listings that do without package_search.

Not every portal that speaks the CKAN Action API has `package_search`: DKAN 7 (Drupal)
answers `package_list`, `package_show` and `current_package_list_with_resources` but has no
search action (GetDKAN/dkan#26, never built), and some CKAN sites switch search off. The
detection asks the portal once per job and reads its real answer: a 4xx status, an HTML
page or a `success: false` envelope means "not here"; a 5xx, a timeout or a refused
connection means "failing", and the job fails as before rather than quietly reading less.
"""

from __future__ import annotations

import ast
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ckanapi import RemoteCKAN
from ckanapi.errors import CKANAPIError, NotFound

from harvesters.base import GatherError
from harvesters.http import HttpError

log = logging.getLogger(__name__)

LIST_PAGE = 100  # current_package_list_with_resources: packages per page
# Answers that say "this action is not here": unknown route (404, 410), "Action name not known"
# (CKAN's 400), switched off (403, 405, 501).
MISSING_STATUSES = frozenset({400, 403, 404, 405, 410, 501})


class ListingApi(Enum):
    SEARCH = "package_search"
    CURRENT_LIST = "current_package_list_with_resources"
    LIST_AND_SHOW = "package_list + package_show"


@dataclass(frozen=True)
class Unreadable:
    """A record the source lists but does not deliver readable (a package_show that failed, a
    dump line that is no dataset); it fails alone in to_graph with this message."""

    message: str


def detect_listing_api(session: Any, url: str) -> tuple[ListingApi, list[str]]:
    """The best listing the portal answers, and why better ones were passed over."""
    passed_over: list[str] = []
    for api, action, params in (
        (ListingApi.SEARCH, "package_search", {"q": "*:*", "rows": 0}),
        (ListingApi.CURRENT_LIST, "current_package_list_with_resources", {"limit": 1}),
    ):
        missing = _missing_reason(session, url, action, params, api)
        if missing is None:
            return api, passed_over
        passed_over.append(f"{action} ({missing})")
    return ListingApi.LIST_AND_SHOW, passed_over


def _missing_reason(
    session: Any, url: str, action: str, params: dict[str, Any], api: ListingApi
) -> str | None:
    """None when the portal answers the action as CKAN does; else what it answered instead."""
    address = f"{url.rstrip('/')}/api/3/action/{action}"
    try:
        response = session.get(address, params=params)
    except HttpError as exc:
        raise GatherError(str(exc)) from exc
    status = response.status_code
    try:
        parsed = json.loads(response.content)
    except ValueError:
        parsed = None
    if status >= 500 or (status >= 300 and status not in MISSING_STATUSES):
        raise GatherError(
            f"{address}: Server antwortete mit HTTP {status}, Quelle nicht lesbar / "
            f"server answered HTTP {status}, source unreadable"
        )
    if not isinstance(parsed, dict):
        html = b"<html" in response.content[:2000].lower()
        return f"HTTP {status}, {'HTML' if html else 'no JSON'}"
    if parsed.get("success") is not True:
        error = parsed.get("error")
        message = error.get("message") if isinstance(error, dict) else error
        return f"HTTP {status}, success: false" + (f", {message}" if message else "")
    result = parsed.get("result")
    fits = isinstance(result, dict) and "results" in result
    if api is ListingApi.CURRENT_LIST:
        fits = isinstance(result, list)
    return None if fits else f"HTTP {status}, no result list"


def current_packages(portal: RemoteCKAN, url: str, max_pages: int) -> Iterator[dict[str, Any]]:
    """Every package of current_package_list_with_resources, page by page (limit, offset)."""
    seen: set[str] = set()  # ids only: the memory this path keeps
    offset = 0
    for _ in range(max_pages):
        try:
            page = portal.action.current_package_list_with_resources(limit=LIST_PAGE, offset=offset)
        except (CKANAPIError, HttpError) as exc:
            raise GatherError(f"{url}: current_package_list_with_resources: {reason(exc)}") from exc
        if not isinstance(page, list):
            raise GatherError(f"{url}: current_package_list_with_resources: keine Liste / no list")
        fresh = [p for p in page if isinstance(p, dict) and str(p.get("id")) not in seen]
        if page and not fresh:
            raise GatherError(
                f"{url}: current_package_list_with_resources liefert bei offset={offset} nur "
                f"schon gelesene Datensätze, die Quelle ist so nicht vollständig lesbar / "
                f"answers offset={offset} with packages already read, the source cannot be read "
                "to its end this way"
            )
        for package in fresh:
            seen.add(str(package.get("id")))
            yield package
        if len(page) != LIST_PAGE:  # a short page is the last; a longer one ignored the limit
            return
        offset += len(page)
    raise GatherError(
        f"{url}: mehr als {max_pages} Seiten / more than {max_pages} pages; "
        "raise the page limit if the portal is that large"
    )


def package_names(portal: RemoteCKAN, url: str) -> list[str]:
    """package_list: the one list kept in memory on this path (names or ids, a few bytes each)."""
    try:
        names = portal.action.package_list()
    except (CKANAPIError, HttpError) as exc:
        raise GatherError(f"{url}: package_list: {reason(exc)}") from exc
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise GatherError(f"{url}: package_list: keine Liste von Namen / not a list of names")
    return names


def show_package(portal: RemoteCKAN, name: str) -> dict[str, Any] | Unreadable:
    """package_show for one listed name; a failure is returned, so only this package fails."""
    try:
        result = portal.action.package_show(id=name)
    except NotFound:
        return Unreadable(
            f"{name}: package_show: nicht gefunden, obwohl package_list ihn nennt / not found, "
            "although package_list lists it"
        )
    except (CKANAPIError, HttpError) as exc:
        return Unreadable(f"{name}: package_show gescheitert / failed: {reason(exc)}")
    package = unwrap_package(result)
    if package is None:
        return Unreadable(f"{name}: package_show lieferte keinen Datensatz / returned no dataset")
    return package


def unwrap_package(result: Any) -> dict[str, Any] | None:
    """package_show's result: a dict in CKAN, a list holding one dict in DKAN 7 before 1.13."""
    if isinstance(result, list) and len(result) == 1:
        result = result[0]
    return result if isinstance(result, dict) else None


def belongs_to(package: dict[str, Any], organization: str) -> bool:
    """Client-side stand-in for `fq=organization:NAME`: the package's organisation by name, id
    or title, or its owner_org; DKAN 7 has no organisations and publishes by group, so a
    package without one matches by group name ("group/NAME" as DKAN writes it)."""
    owner = package.get("organization")
    names = {package.get("owner_org")}
    if isinstance(owner, dict):
        names |= {owner.get("name"), owner.get("id"), owner.get("title")}
    elif isinstance(owner, str):
        names.add(owner)
    if not owner:
        for group in package.get("groups") or []:
            if isinstance(group, dict):
                names.add(str(group.get("name", "")).removeprefix("group/"))
    return organization in names


def reason(exc: Exception) -> str:
    """One line for a failed action: ckanapi reports an answer it cannot read as the repr of
    [url, status, body], which reads better as "HTTP 500: body"."""
    text = str(exc)
    if isinstance(exc, CKANAPIError) and text.startswith("["):
        try:
            address, status, body = ast.literal_eval(text)
        except (ValueError, SyntaxError, TypeError):
            return text
        return f"{address}: HTTP {status}: {' '.join(str(body).split())[:200]}"
    return text
