"""Generated and hostile input over every CKAN action and every GET route: never a 500, and
the API always answers a CKAN envelope.

The actions and their parameters are read from /api/openapi.json as the app serves it, so a new
action is fuzzed without a change here. Values are of the declared type or hostile (huge and
negative integers, non-numbers, NaN and Infinity, deeply nested JSON, long strings, unicode
digits, NUL); the write actions are also called with a steward's token, so hostile values reach
the validation and the save. The budget is fixed and derandomized (the same examples on every
run), so CI time is bounded.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule
from werkzeug.routing.converters import IntegerConverter, PathConverter
from werkzeug.test import TestResponse

from catalog.accounts import add_user, create_token
from catalog.migrate import upgrade_database
from catalog.models import Role
from catalog.organizations import sync_organizations
from catalog.settings import settings_from_mapping
from catalog.store import open_store
from tests.conftest import minimal_config
from web import create_app
from web.ckan.json_body import json_depth
from web.ckan.openapi import openapi_document

# A fixed, derandomized budget: the same examples on every run, about 30 s on two cores.
BUDGET = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ROUTE_BUDGET = settings(BUDGET, max_examples=20)
SEEDED = ("baumkataster", "luftmessstellen")


# --- a small real catalog ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp_path = tmp_path_factory.mktemp("fuzz")
    config = minimal_config(storage={"data_dir": str(tmp_path / "instance")})
    catalog_settings = settings_from_mapping(config, base_dir=tmp_path, env={})
    store = open_store(catalog_settings.database_url)
    upgrade_database(store)
    sync_organizations(store, catalog_settings.organizations)
    add_user(
        store,
        username="erika",
        email="erika@stadt.example",
        password="lang-genug-1",
        roles={"umweltamt": Role.EDITOR},
    )
    app = create_app(catalog_settings, store=store)
    app.config["TESTING"] = True
    app.config["FUZZ_TOKEN"] = create_token(store, "erika", "fuzz").secret
    yield app
    app.extensions["catalog.search"].close()
    store.close()


@pytest.fixture(scope="module")
def client(fuzz_app: Flask) -> FlaskClient:
    """A client on the catalog with two published datasets, created through the API."""
    client = fuzz_app.test_client()
    for name in SEEDED:
        response = client.post(
            "/api/3/action/package_create",
            json={
                "name": name,
                "title": name.title(),
                "notes": "Ein Datensatz für den Fuzz-Test.",
                "owner_org": "umweltamt",
                "license_id": "dl-by-de/2.0",
                "tags": [{"name": "Umwelt"}],
                "resources": [{"url": f"https://daten.example/{name}.csv", "format": "CSV"}],
            },
            headers={"Authorization": fuzz_app.config["FUZZ_TOKEN"]},
        )
        assert response.status_code == 200, response.get_data(as_text=True)
    return client


@pytest.fixture(scope="module")
def openapi(client: FlaskClient) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/api/openapi.json").get_json()
    return document


def _operations() -> list[tuple[str, str]]:
    """(action path, method) for every action of the document the app serves (the change
    feed, described there too, is no action: the GET-route fuzz covers it)."""
    paths = openapi_document("http://catalog.test")["paths"]
    return [
        (path, method)
        for path, item in paths.items()
        if path.startswith("/api/3/action/")
        for method in item
    ]


# --- values -----------------------------------------------------------------------------------

# Beyond a 64-bit database column either way (the overflow of issue 16), and just past our bound.
HUGE_INTEGERS = st.one_of(
    st.integers(min_value=2**63, max_value=10**30),
    st.integers(min_value=-(10**30), max_value=-(2**63) - 1),
    st.sampled_from([2**31, 10**400]),
)
NON_NUMBERS = st.sampled_from(
    ["", " ", "zwei", "1.5", "1e400", "NaN", "Infinity", "-0", "0x10", "²", "١٢٣", "9" * 5000]
)
HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20).map(
        lambda text: text + "\x00"
    ),
    st.sampled_from(
        [
            "\x00",
            "x" * 20_000,
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "../../etc/passwd",
            "%00",
            "(((",
            "tags:(a OR",
            'name:"unclosed',
            "metadata_modified:[NOW-99999999999999999999DAYS TO *]",
            "metadata_modified:[* TO 9999-12-31]",
            "*:*",
            "score desc, id asc",
            '["tags", "res_format"]',
            "[" * 200,
            *SEEDED,
        ]
    ),
)


def _deep(depth: int) -> Any:
    value: Any = "tief"
    for level in range(depth):
        value = [value] if level % 2 else {"x": value}
    return value


NESTED = st.one_of(
    st.sampled_from([5, 33, 100, 1000]).map(_deep),
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10)),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
        max_leaves=8,
    ),
)
HOSTILE = st.one_of(
    HUGE_INTEGERS,
    st.integers(),
    NON_NUMBERS,
    HOSTILE_TEXT,
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    NESTED,
)
BY_TYPE = {
    "integer": st.one_of(HUGE_INTEGERS, NON_NUMBERS, st.integers(min_value=-5, max_value=2000)),
    "string": HOSTILE_TEXT,
    "boolean": st.one_of(st.booleans(), st.sampled_from(["true", "false", "ja", ""])),
    "array": st.one_of(
        st.lists(st.fixed_dictionaries({"name": HOSTILE_TEXT, "url": HOSTILE_TEXT}), max_size=3),
        st.lists(HOSTILE_TEXT, max_size=3),
        NESTED,
    ),
    "object": NESTED,
}


def _value(kind: str) -> st.SearchStrategy[Any]:
    return st.one_of(BY_TYPE.get(kind, HOSTILE), HOSTILE)


def _as_json(value: Any) -> str:
    """JSON text, NaN and Infinity included; json.dumps itself recurses, so a value nested
    deeper than a few hundred levels is written as text of the same depth."""
    if json_depth(value) > 500:
        return '{"x": ' + "[" * 1000 + "]" * 1000 + "}"
    return json.dumps(value, allow_nan=True)


def _as_query_text(value: Any) -> str:
    return value if isinstance(value, str) else _as_json(value)


@st.composite
def _parameters(draw: st.DrawFn, declared: dict[str, str]) -> dict[str, Any]:
    """Half the time one declared parameter alone (so that an earlier one's error cannot hide
    its fault), else each declared parameter or not; values typed or hostile, now and then an
    undeclared key too."""
    names = sorted(declared)
    if names and draw(st.booleans(), label="one alone"):
        chosen = [draw(st.sampled_from(names))]
    else:
        chosen = [name for name in names if draw(st.booleans(), label=name)]
    values = {name: draw(_value(declared[name]), label=name) for name in chosen}
    if draw(st.booleans(), label="extra key"):
        values[draw(st.text(min_size=1, max_size=12))] = draw(HOSTILE)
    return values


# --- the API ----------------------------------------------------------------------------------


def test_the_fuzzed_actions_are_those_the_served_document_names(
    openapi: dict[str, Any],
) -> None:
    served = [
        (path, method)
        for path, item in openapi["paths"].items()
        if path != "/api/changes"
        for method in item
    ]
    assert sorted(served) == sorted(_operations())


def _declared(openapi: dict[str, Any], path: str, method: str) -> dict[str, str]:
    operation = openapi["paths"][path][method]
    if method == "get":
        return {p["name"]: p["schema"]["type"] for p in operation["parameters"]}
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    return {name: spec["type"] for name, spec in schema["properties"].items()}


def _assert_ckan_envelope(response: TestResponse) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json", response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert isinstance(body, dict) and isinstance(body.get("success"), bool)
    assert "help" in body
    if body["success"]:
        assert response.status_code == 200 and "result" in body
    else:
        assert response.status_code >= 400
        assert isinstance(body["error"], dict) and body["error"]


@pytest.mark.parametrize(("path", "method"), _operations())
@BUDGET
@given(data=st.data())
def test_no_action_answers_500_or_anything_but_a_ckan_envelope(
    client: FlaskClient,
    fuzz_app: Flask,
    openapi: dict[str, Any],
    path: str,
    method: str,
    data: st.DataObject,
) -> None:
    values = data.draw(_parameters(_declared(openapi, path, method)), label="parameters")
    headers = {"Authorization": fuzz_app.config["FUZZ_TOKEN"]} if data.draw(st.booleans()) else {}
    if method == "get":
        query = {name: _as_query_text(value) for name, value in values.items()}
        response = client.get(path, query_string=query, headers=headers)
    elif data.draw(st.booleans(), label="as form"):
        form = {name: _as_query_text(value) for name, value in values.items()}
        response = client.post(path, data=form, headers=headers)
    else:
        body = _as_json(values)
        response = client.post(path, data=body, content_type="application/json", headers=headers)
    _assert_ckan_envelope(response)


RAW_BODIES = st.one_of(
    st.binary(max_size=200),
    st.sampled_from(
        [
            b"",
            b"null",
            b"[]",
            b'"text"',
            b"{",
            b'{"limit": NaN}',
            b'{"offset": Infinity}',
            b'{"rows": 1e400}',
            b"\xff\xfe{}",
            _as_json(_deep(1000)).encode(),
            ("[" * 100_000).encode(),
        ]
    ),
)


@pytest.mark.parametrize("action", ["package_search", "package_list", "package_create"])
@BUDGET
@given(body=RAW_BODIES)
def test_a_raw_body_that_is_no_json_object_is_a_ckan_error(
    client: FlaskClient, action: str, body: bytes
) -> None:
    response = client.post(f"/api/3/action/{action}", data=body, content_type="application/json")
    _assert_ckan_envelope(response)


@BUDGET
@given(action=HOSTILE_TEXT.filter(lambda text: "/" not in text and text not in ("", ".", "..")))
def test_an_unknown_action_name_is_a_ckan_error(client: FlaskClient, action: str) -> None:
    _assert_ckan_envelope(client.get("/api/3/action/" + quote(action, safe="")))


# --- every GET route --------------------------------------------------------------------------

# Query parameters the pages and documents read, and some they do not.
QUERY_NAMES = (
    "q",
    "page",
    "page_size",
    "sort",
    "seite",
    "theme",
    "format",
    "license",
    "organization",
    "organisation",
    "modified_since",
    "hydra",
    "fq",
    "rows",
    "start",
    "lang",
    "neu",
    "alt",
    "stage",
    "rule",
    "status",
)


def _get_rules(app: Flask) -> list[Rule]:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())),
        key=lambda rule: rule.rule,
    )


def _path_value(converter: Any) -> st.SearchStrategy[str]:
    if isinstance(converter, IntegerConverter):
        return st.one_of(
            st.integers(min_value=0, max_value=60_000), HUGE_INTEGERS.filter(lambda n: n > 0)
        ).map(str)
    text = st.one_of(
        HOSTILE_TEXT.filter(lambda value: 0 < len(value) < 5000),
        st.sampled_from(["ttl", "rdf", "jsonld", "nt", "xml", "ENVI", "umweltamt", *SEEDED]),
    )
    if isinstance(converter, PathConverter):
        return text.map(lambda value: quote(value, safe="/"))
    return text.map(lambda value: quote(value, safe=""))


def _rule_ids() -> list[str]:
    """The GET routes, listed at collection time from an app on an empty in-memory catalog."""
    with tempfile.TemporaryDirectory(prefix="fuzz-routes-") as folder:
        config = minimal_config(storage={"data_dir": str(Path(folder) / "instance")})
        store = open_store("sqlite://")
        app = create_app(settings_from_mapping(config, base_dir=Path(folder), env={}), store=store)
        app.extensions["catalog.search"].close()
        store.close()
    return [rule.rule for rule in _get_rules(app)]


@pytest.mark.parametrize("rule_text", _rule_ids())
@ROUTE_BUDGET
@given(data=st.data())
def test_no_get_route_answers_500(
    client: FlaskClient, fuzz_app: Flask, rule_text: str, data: st.DataObject
) -> None:
    rule = next(rule for rule in _get_rules(fuzz_app) if rule.rule == rule_text)
    arguments = {
        name: data.draw(_path_value(converter), label=name)
        for name, converter in rule._converters.items()
    }
    path = _build(rule, arguments)
    names = data.draw(st.lists(st.sampled_from(QUERY_NAMES), unique=True, max_size=4))
    query = {name: _as_query_text(data.draw(HOSTILE, label=name)) for name in names}
    response = client.get(path, query_string=query)
    assert response.status_code < 500, (path, query, response.get_data(as_text=True)[:500])
    if path.startswith(("/api/3/action/", "/api/action/")):
        _assert_ckan_envelope(response)


def _build(rule: Rule, arguments: dict[str, str]) -> str:
    """The rule's path with already quoted values in place of its `<converter:name>` parts."""
    return re.sub(r"<[^>]*?(\w+)>", lambda found: arguments[found.group(1)], rule.rule)
