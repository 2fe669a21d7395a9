"""One CKAN Action API call, and the shape its answer must have for the harvester to read it.

Real portals vary (CKAN 2.x with its extensions, DKAN 7), so the models below check only what
the harvester reads and allow every other key. What does not fit is named by its path in the
answer ("result.count ist keine Zahl ('zwei')") instead of failing later as a traceback. A
broken envelope fails the listing (ActionFailed is a GatherError, so nothing is withdrawn); a
broken package inside a good envelope comes back as an Unreadable that fails alone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, StrictBool, TypeAdapter, ValidationError

from dcat.bilingual import Bilingual
from harvesters.base import GatherError

T = TypeVar("T")

ANSWER = ("Antwort des CKAN-Portals unerwartet", "Unexpected CKAN answer")
# pydantic's error types in the words of a steward: (German, English).
PROBLEMS = {
    "missing": ("fehlt", "is missing"),
    "not_json": ("ist kein JSON", "is not JSON"),
    "int_parsing": ("ist keine Zahl", "is not a number"),
    "int_type": ("ist keine Zahl", "is not a number"),
    "int_from_float": ("ist keine ganze Zahl", "is not a whole number"),
    "list_type": ("ist keine Liste", "is not a list"),
    "dict_type": ("ist kein Objekt", "is not an object"),
    "model_type": ("ist kein Objekt", "is not an object"),
    "string_type": ("ist kein Text", "is not a text"),
    "bool_type": ("ist nicht true oder false", "is not true or false"),
    "no_identity": ("hat weder id noch name", "has neither id nor name"),
}
NOT_JSON = object()
SHOWN_PROBLEMS = 3  # a package broken everywhere would otherwise fill a page


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="allow")


class Envelope(_Lenient):
    """Every action's answer: {"success": true, "result": …} or {"success": false, "error": …}."""

    success: StrictBool
    result: Any = None
    error: Any = None


class SearchResult(_Lenient):
    """package_search's result; each of `results` is checked as a Package on its own."""

    count: int
    results: list[Any]


class Package(_Lenient):
    """The keys of a package the harvester and the CKAN mapping iterate or key records by."""

    id: str | None = None
    name: str | None = None
    resources: list[dict[str, Any]] | None = None
    tags: list[Any] | None = None
    extras: list[Any] | None = None
    groups: list[Any] | None = None


NAMES: TypeAdapter[list[str]] = TypeAdapter(list[str])
ITEMS: TypeAdapter[list[Any]] = TypeAdapter(list[Any])


@dataclass(frozen=True)
class Problem:
    """One thing in an answer that is not as CKAN gives it: where (a path) and what."""

    path: str
    kind: str
    value: Any = None


@dataclass(frozen=True)
class Unreadable:
    """A record the source lists but does not deliver readable (a package_show that failed, a
    malformed package, a dump line that is no dataset); it fails alone in to_graph with this
    message. `key` is its id where the answer still tells it, so its stored record is kept."""

    message: Bilingual
    key: str | None = None
    label: str = ""


class ActionFailed(GatherError):
    """An action the portal did not answer as CKAN does: an error envelope, a failing status,
    an answer of the wrong shape. The message names the address and what came back."""

    def __init__(self, message: Bilingual, *, not_found: bool = False) -> None:
        super().__init__(message.de, message.en)
        self.not_found = not_found


@dataclass(frozen=True)
class Answer:
    """The result of a successful action, and the address it came from (query included)."""

    address: str
    result: Any


@dataclass(frozen=True)
class ActionApi:
    """The Action API of one portal, read by GET through the harvest's hardened session."""

    session: Any
    url: str

    def call(self, action: str, **params: Any) -> Answer:
        """The action's result; ActionFailed when the portal says no or answers out of shape.

        HttpError (unreachable, timed out, refused by the policy) passes through.
        """
        # CKAN serves /api/3/action/ beside /api/action/; DKAN 7 only the first.
        response = self.session.get(f"{self.url.rstrip('/')}/api/3/action/{action}", params=params)
        address, status = response.url, response.status_code
        try:
            parsed = json.loads(response.content)
        except ValueError:
            parsed = NOT_JSON
        try:
            envelope = Envelope.model_validate(parsed)
        except ValidationError as exc:
            if status >= 400:  # an error page, not an answer: the status says more
                body = " ".join(response.text.split())[:200]
                said = f": {body}" if body else ""
                raise ActionFailed(
                    Bilingual(
                        f"{address}: Server antwortete mit HTTP {status}{said}",
                        f"{address}: server answered HTTP {status}{said}",
                    )
                ) from None
            if parsed is NOT_JSON:
                raise ActionFailed(
                    unexpected(address, [Problem("", "not_json", response.text)])
                ) from None
            raise ActionFailed(unexpected(address, problems_of(exc, ()))) from None
        if not envelope.success:
            raise _refusal(address, status, envelope.error)
        if "result" not in envelope.model_fields_set:
            raise ActionFailed(unexpected(address, [Problem("result", "missing")]))
        return Answer(address, envelope.result)


def _refusal(address: str, status: int, error: Any) -> ActionFailed:
    kind = error.get("__type") if isinstance(error, dict) else None
    said = error.get("message") if isinstance(error, dict) else error
    detail = ": ".join(str(part) for part in (kind, said or shown(error)) if part)
    return ActionFailed(
        Bilingual(
            f"{address}: Das CKAN-Portal meldet einen Fehler (success: false, HTTP {status}): "
            f"{detail[:300]}",
            f"{address}: the CKAN portal reports an error (success: false, HTTP {status}): "
            f"{detail[:300]}",
        ),
        not_found=kind == "Not Found Error",
    )


def search_result(answer: Answer) -> SearchResult:
    """package_search's count and results; ActionFailed when either is out of shape."""
    try:
        return SearchResult.model_validate(answer.result)
    except ValidationError as exc:
        raise ActionFailed(unexpected(answer.address, problems_of(exc, ("result",)))) from None


def result_as(answer: Answer, adapter: TypeAdapter[T]) -> T:
    """A result of a simple shape (package_list's names, a page of packages)."""
    try:
        return adapter.validate_python(answer.result)
    except ValidationError as exc:
        raise ActionFailed(unexpected(answer.address, problems_of(exc, ("result",)))) from None


def checked_package(
    item: Any, address: str, path: str, *, id_required: bool = False
) -> dict[str, Any] | Unreadable:
    """The package as delivered if its shape fits, else an Unreadable naming what does not.

    A package is known by its id, or by its name where the listing allows (`id_required`
    says it does not: package_search's records are matched by id).
    """
    try:
        package = Package.model_validate(item)
    except ValidationError as exc:
        problems = problems_of(exc, (path,))
    else:
        identity = package.id if id_required else package.id or package.name
        if identity and identity.strip():
            return item  # as delivered: the mapping reads more than the model names
        problems = [
            Problem(f"{path}.id", "missing") if id_required else Problem(path, "no_identity")
        ]
    identity = item.get("id") if isinstance(item, dict) else None
    key = identity if isinstance(identity, str) and identity.strip() else None
    return Unreadable(unexpected(address, problems), key=key, label=f"{address} {path}")


def shown_package(answer: Answer) -> dict[str, Any] | Unreadable:
    """package_show's result: an object in CKAN, a list holding one in DKAN 7 before 1.13."""
    if isinstance(answer.result, list) and len(answer.result) == 1:
        return checked_package(answer.result[0], answer.address, "result[0]")
    return checked_package(answer.result, answer.address, "result")


def unexpected(address: str, problems: Sequence[Problem]) -> Bilingual:
    """The message for an answer out of shape, naming up to three problems."""
    german, english = described(problems)
    return Bilingual(f"{address}: {ANSWER[0]}: {german}", f"{address}: {ANSWER[1]}: {english}")


def described(problems: Sequence[Problem]) -> tuple[str, str]:
    """The problems in German and in English, each as "path what (value)"."""
    german, english = [], []
    for problem in problems[:SHOWN_PROBLEMS]:
        what_de, what_en = PROBLEMS.get(problem.kind, (problem.kind, problem.kind))
        value = "" if problem.kind in ("missing", "no_identity") else f" ({shown(problem.value)})"
        german.append(f"{problem.path or 'die Antwort'} {what_de}{value}")
        english.append(f"{problem.path or 'the answer'} {what_en}{value}")
    if len(problems) > SHOWN_PROBLEMS:
        more = len(problems) - SHOWN_PROBLEMS
        german.append(f"und {more} weitere")
        english.append(f"and {more} more")
    return "; ".join(german), "; ".join(english)


def problems_of(error: ValidationError, prefix: tuple[str | int, ...]) -> list[Problem]:
    """pydantic's errors as problems whose path is the JSON path in the whole answer."""
    return [
        Problem(json_path((*prefix, *found["loc"])), found["type"], found.get("input"))
        for found in error.errors()
    ]


def json_path(parts: tuple[str | int, ...]) -> str:
    """("result", "results", 2, "id") -> "result.results[2].id"."""
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part:
            path += f".{part}" if path else part
    return path


def shown(value: Any) -> str:
    """A value as the answer held it, cut short: text quoted, anything else as JSON."""
    if isinstance(value, str):
        text = repr(" ".join(value.split()))
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except ValueError:
            text = repr(value)
    return text if len(text) <= 80 else text[:79] + "…"
