"""Which read API a CKAN-like portal answers, and the listings that do without package_search.

Not every portal that speaks the CKAN Action API has `package_search`: DKAN 7 (Drupal)
answers `package_list`, `package_show` and `current_package_list_with_resources` but has no
search action (GetDKAN/dkan#26, never built), and some CKAN sites switch search off. The
detection asks the portal once per job and reads its real answer: a 4xx status, an HTML
page or a `success: false` envelope means "not here"; a 5xx, a timeout or a refused
connection means "failing", and the job fails as before rather than quietly reading less.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from enum import Enum
from typing import Any

from dcat.bilingual import Bilingual
from harvesters.base import GatherError, cause_text
from harvesters.ckan_answers import (
    ITEMS,
    NAMES,
    ActionApi,
    ActionFailed,
    Unreadable,
    checked_package,
    result_as,
    shown_package,
)
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
        raise GatherError.caused_by(exc) from exc
    status = response.status_code
    try:
        parsed = json.loads(response.content)
    except ValueError:
        parsed = None
    if status >= 500 or (status >= 300 and status not in MISSING_STATUSES):
        raise GatherError(
            f"{address}: Server antwortete mit HTTP {status}, Quelle nicht lesbar",
            f"{address}: server answered HTTP {status}, source unreadable",
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


def current_packages(api: ActionApi, max_pages: int) -> Iterator[dict[str, Any] | Unreadable]:
    """Every package of current_package_list_with_resources, page by page (limit, offset);
    a package out of shape comes as an Unreadable, so only it fails."""
    seen: set[str] = set()  # ids only: the memory this path keeps
    offset = 0
    for _ in range(max_pages):
        try:
            answer = api.call("current_package_list_with_resources", limit=LIST_PAGE, offset=offset)
        except HttpError as exc:
            where = f"{api.url}: current_package_list_with_resources"
            raise GatherError.caused_by(exc, where) from exc
        page = result_as(answer, ITEMS)
        checked = [
            checked_package(item, answer.address, f"result[{i}]") for i, item in enumerate(page)
        ]
        readable = [p for p in checked if not isinstance(p, Unreadable)]
        fresh = [p for p in readable if _identity(p) not in seen]
        if readable and not fresh:
            raise GatherError(
                f"{api.url}: current_package_list_with_resources liefert bei offset={offset} nur "
                "schon gelesene Datensätze, die Quelle ist so nicht vollständig lesbar",
                f"{api.url}: current_package_list_with_resources answers offset={offset} with "
                "packages already read, the source cannot be read to its end this way",
            )
        for package in checked:
            if isinstance(package, Unreadable):
                yield package
            elif _identity(package) not in seen:
                seen.add(_identity(package))
                yield package
        if len(page) != LIST_PAGE:  # a short page is the last; a longer one ignored the limit
            return
        offset += len(page)
    raise GatherError(
        f"{api.url}: mehr als {max_pages} Seiten; das Seitenlimit erhöhen, wenn das Portal so "
        "groß ist",
        f"{api.url}: more than {max_pages} pages; raise the page limit if the portal is that large",
    )


def _identity(package: dict[str, Any]) -> str:
    return str(package.get("id") or package.get("name"))


def package_names(api: ActionApi) -> list[str]:
    """package_list: the one list kept in memory on this path (names or ids, a few bytes each)."""
    try:
        return result_as(api.call("package_list"), NAMES)
    except HttpError as exc:
        raise GatherError.caused_by(exc, f"{api.url}: package_list") from exc


def show_package(api: ActionApi, name: str) -> dict[str, Any] | Unreadable:
    """package_show for one listed name; a failure is returned, so only this package fails."""
    try:
        answer = api.call("package_show", id=name)
    except ActionFailed as exc:
        if exc.not_found:
            return Unreadable(
                Bilingual(
                    f"{name}: package_show: nicht gefunden, obwohl package_list ihn nennt",
                    f"{name}: package_show: not found, although package_list lists it",
                )
            )
        return Unreadable(_show_failed(name, exc))
    except HttpError as exc:
        return Unreadable(_show_failed(name, exc))
    return shown_package(answer)


def _show_failed(name: str, exc: Exception) -> Bilingual:
    return Bilingual(f"{name}: package_show gescheitert: ", f"{name}: package_show failed: ") + (
        cause_text(exc)
    )


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
