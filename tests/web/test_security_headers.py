"""Every response says nosniff and a referrer policy; pages carry a strict CSP and may not be
framed, except public pages by the sites the settings name (issue 16, item 9)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from catalog.migrate import upgrade_database
from catalog.organizations import sync_organizations
from catalog.settings import settings_from_mapping
from catalog.store import open_store
from tests.conftest import minimal_config
from web import create_app

STRICT_PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"


def _policy(response_headers: dict[str, str]) -> set[str]:
    return {part.strip() for part in response_headers["Content-Security-Policy"].split(";")}


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/", "text/html"),
        ("/suche?q=wasser", "text/html"),
        ("/verwaltung/anmelden", "text/html"),
        ("/nicht-vorhanden", "text/html"),
        ("/api/3/action/package_list", "application/json"),
        ("/catalog.ttl", "text/turtle"),
        ("/catalog.jsonld", "application/ld+json"),
    ],
)
def test_every_response_forbids_sniffing_framing_and_long_referrers(
    client: FlaskClient, path: str, kind: str
) -> None:
    response = client.get(path)
    assert response.mimetype == kind
    headers = dict(response.headers)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    expected = STRICT_PAGE_POLICY if kind == "text/html" else DATA_POLICY
    assert _policy(headers) == {part.strip() for part in expected.split(";")}


def test_configured_sites_may_frame_public_pages_but_never_the_steward_area(
    tmp_path: Path,
) -> None:
    config = minimal_config(
        storage={"data_dir": str(tmp_path / "instance")},
        web={"embedding_origins": ["https://www.teststadt.example", "https://*.land.example"]},
    )
    settings = settings_from_mapping(config, base_dir=tmp_path, env={})
    store = open_store(settings.database_url)
    upgrade_database(store)
    sync_organizations(store, settings.organizations)
    client = create_app(settings, store=store).test_client()

    public = client.get("/")
    assert "frame-ancestors https://www.teststadt.example https://*.land.example" in _policy(
        dict(public.headers)
    )
    assert "X-Frame-Options" not in public.headers
    steward = client.get("/verwaltung/anmelden")
    assert "frame-ancestors 'none'" in _policy(dict(steward.headers))
    assert steward.headers["X-Frame-Options"] == "DENY"
    store.close()


@pytest.mark.parametrize(
    "origin",
    ["https://a.example/pfad", "https://a.example; script-src *", "a.example", "*"],
)
def test_an_embedding_origin_that_is_no_origin_is_refused(tmp_path: Path, origin: str) -> None:
    config = minimal_config(web={"embedding_origins": [origin]})
    with pytest.raises(Exception, match="expected an origin"):
        settings_from_mapping(config, base_dir=tmp_path, env={})
