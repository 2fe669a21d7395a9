"""Errors of the DCAT endpoints are one line of plain text naming the parameter and what is
allowed, in English unless the client asks for German."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


@pytest.mark.parametrize(
    ("url", "named", "allowed"),
    [
        ("/catalog.ttl?page_size=5000", "page_size: '5000'", "from 1 to 1000"),
        ("/catalog.ttl?page_size=zehn", "page_size: 'zehn'", "from 1 to 1000"),
        ("/catalog.ttl?page=garbage", "page: 'garbage'", "hydra:next"),
        ("/catalog.jsonld?modified_since=gestern", "modified_since: 'gestern'", "ISO 8601"),
        ("/catalog.ttl?organisation=gibt-es-nicht", "organisation:", "short name"),
    ],
)
def test_a_bad_parameter_is_named_with_what_is_allowed_in_plain_text(
    demo_client: FlaskClient, url: str, named: str, allowed: str
) -> None:
    response = demo_client.get(url)
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert body.startswith("400 Bad Request: ") and named in body and allowed in body
    assert "<html" not in body and "Ungültige Anfrage" not in body


def test_german_clients_read_the_reason_in_german(demo_client: FlaskClient) -> None:
    response = demo_client.get(
        "/catalog.ttl?page_size=0", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}
    )
    body = response.get_data(as_text=True)
    assert response.headers["Content-Language"] == "de"
    assert "page_size: '0' ist nicht erlaubt" in body and "von 1 bis 1000" in body
    assert "allowed" not in body


def test_an_unknown_format_is_a_plain_text_404(demo_client: FlaskClient) -> None:
    for url in ("/catalog.xls", "/catalog/dump.xls"):
        response = demo_client.get(url)
        assert response.status_code == 404 and response.mimetype == "text/plain"
