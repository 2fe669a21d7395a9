"""Content negotiation for /dataset/<name> and /catalog: what real browsers, command-line tools
and portal harvesters send, and the edge cases of q-values, wildcards and broken headers."""

from __future__ import annotations

import pytest
from flask import Response

from harvesters.dcat import ACCEPT as OUR_DCAT_HARVESTER
from web.public.negotiation import (
    HTML,
    REPRESENTATIONS,
    add_vary_accept,
    choose_representation,
    media_type_of,
    not_acceptable_message,
    parse_accept,
)

# Headers as the clients send them (browsers: their defaults for a page navigation).
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
FIREFOX_65 = "text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8"
CHROME = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,"
    "*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)
SAFARI = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
OLD_WEBKIT = (
    "application/xml,application/xhtml+xml,text/html;q=0.9,text/plain;q=0.8,image/png,*/*;q=0.5"
)
INTERNET_EXPLORER_8 = (
    "image/jpeg, application/x-ms-application, image/gif, application/xaml+xml, image/pjpeg, "
    "application/x-ms-xbap, */*"
)
CURL = "*/*"  # also python-requests and wget
JAVA_URLCONNECTION = "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2"
# ckanext-dcat's RDF harvester (harvesters/base.py, _get_content_and_type) sends HEAD and GET
# through a plain requests.Session: requests' default "*/*". GovData's ckanext-dcatde builds on
# it. piveau's importing-rdf fetches with a Vert.x WebClient and sets no Accept header at all.
CKANEXT_DCAT = "*/*"
PIVEAU = None
# The fork of ckanext-dcat that dati.gov.it runs names the RDF types, all at q=1.
DATI_GOV_IT = (
    "application/rdf+xml, text/turtle, application/n-triples, application/ld+json, */*;q=0.8"
)
# rdflib's Graph.parse(url) for format=None, "nt" and "json-ld" (rdflib/parser.py).
RDFLIB_ANY = (
    "application/rdf+xml, text/n3, text/turtle, application/n-triples, application/ld+json, "
    "application/n-quads, application/trix, application/trig"
)
RDFLIB_NT = "text/plain, */*;q=0.1"
RDFLIB_JSONLD = "application/ld+json, application/json;q=0.9, */*;q=0.1"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (FIREFOX, HTML),
        (FIREFOX_65, HTML),
        (CHROME, HTML),
        (SAFARI, HTML),
        (OLD_WEBKIT, HTML),
        (INTERNET_EXPLORER_8, HTML),
        (JAVA_URLCONNECTION, HTML),
        (CURL, HTML),
        (CKANEXT_DCAT, HTML),
        (PIVEAU, HTML),
        (DATI_GOV_IT, "ttl"),
        (OUR_DCAT_HARVESTER, "ttl"),
        (RDFLIB_ANY, "ttl"),
        (RDFLIB_NT, "nt"),
        (RDFLIB_JSONLD, "jsonld"),
        ("text/turtle", "ttl"),
        ("application/rdf+xml", "rdf"),
        ("application/ld+json", "jsonld"),
        ("application/n-triples", "nt"),
        ("text/html", HTML),
    ],
)
def test_real_clients_get_what_they_ask_for(accept: str | None, expected: str) -> None:
    assert choose_representation(accept) == expected


def test_harvesters_that_send_only_the_wildcard_get_html_and_must_use_an_extension() -> None:
    # Documented consequence: ckanext-dcat and piveau should be pointed at /catalog.ttl.
    assert choose_representation(CKANEXT_DCAT) == HTML
    assert choose_representation(PIVEAU) == HTML


def test_a_higher_quality_wins_over_the_server_order() -> None:
    assert choose_representation("application/rdf+xml;q=0.9, text/turtle") == "ttl"
    assert choose_representation("text/turtle;q=0.5, application/rdf+xml") == "rdf"
    assert choose_representation("text/html;q=0.5, application/ld+json;q=0.6") == "jsonld"
    assert choose_representation("text/html;q=0.9, text/turtle;q=0.91") == "ttl"


def test_equal_qualities_go_to_the_server_order() -> None:
    assert choose_representation("application/n-triples, application/ld+json") == "jsonld"
    assert choose_representation("application/n-triples, text/turtle, text/html") == HTML
    assert choose_representation("application/rdf+xml, application/n-triples") == "rdf"


def test_q_zero_means_not_acceptable() -> None:
    assert choose_representation("text/turtle;q=0") is None
    assert choose_representation("*/*;q=0") is None
    assert choose_representation("text/html;q=0, text/turtle;q=0.0") is None
    assert choose_representation("text/turtle;q=0, */*;q=0.1") == HTML
    assert choose_representation("*/*;q=0.1, text/html;q=0") == "ttl"


def test_the_most_specific_range_decides_over_broader_ones() -> None:
    # text/turtle is named at 0.5, so text/* at 0.9 does not lift it; HTML gets 0.9.
    assert choose_representation("text/*;q=0.9, text/turtle;q=0.5") == HTML
    assert choose_representation("text/*;q=0.1, text/turtle") == "ttl"
    assert choose_representation("*/*;q=0.9, text/html;q=0.2") == "ttl"
    assert choose_representation("text/*, text/html;q=0") == "ttl"
    assert choose_representation("text/*") == HTML
    assert choose_representation("application/*") == "rdf"  # the first application/ type


def test_aliases_count_only_where_the_client_names_them() -> None:
    assert choose_representation("application/x-turtle") == "ttl"
    assert choose_representation("text/n3") == "ttl"
    assert choose_representation("application/json") == "jsonld"
    assert choose_representation("text/plain") == "nt"
    assert choose_representation("text/turtle;q=0, text/n3") == "ttl"
    # application/xml is not RDF/XML: browsers that put it first want the page.
    assert choose_representation("application/xml") is None


def test_parameters_other_than_q_neither_exclude_nor_favour() -> None:
    assert choose_representation("text/turtle; charset=utf-8") == "ttl"
    profile = 'application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"'
    assert choose_representation(profile) == "jsonld"
    assert choose_representation("text/html;level=1;q=0.4, text/turtle;q=0.5") == "ttl"
    # Parameters after q are accept-extensions; they do not change the quality.
    assert choose_representation("text/turtle;q=0.3;foo=1, text/html;q=0.2") == "ttl"


def test_names_are_case_insensitive_and_spaces_are_ignored() -> None:
    assert choose_representation("TEXT/TURTLE") == "ttl"
    assert choose_representation("  Application/RDF+XML ;  Q = 0.8 ,text/html;q=0.1") == "rdf"


@pytest.mark.parametrize(
    "accept",
    [
        "",
        ",,,",
        "garbage",
        "garbage;;;q=x",
        "text/turtle;q=abc",
        "*/turtle",
        "/",
        "text/",
        ";q=1",
        "text/turtle;q=nan",
        "\x00\x01\x02",
        "ä/ö",
    ],
)
def test_unreadable_headers_count_as_anything_and_never_raise(accept: str) -> None:
    assert parse_accept(accept) == parse_accept("*/*")
    assert choose_representation(accept) == HTML


def test_unreadable_ranges_are_skipped_and_the_rest_is_honoured() -> None:
    assert choose_representation("text/turtle, foo;q=abc") == "ttl"
    assert choose_representation("text/turtle;q=abc, application/ld+json") == "jsonld"
    assert choose_representation("garbage, image/png") is None


def test_out_of_range_qualities_are_clamped() -> None:
    assert choose_representation("text/turtle;q=1.5, text/html") == HTML  # 1.5 counts as 1
    assert choose_representation("text/turtle;q=-1") is None
    assert choose_representation('text/turtle;q="0.5", text/html;q=0.4') == "ttl"


def test_a_long_header_is_read_to_its_end() -> None:
    # Servers cap a header at about 8 KB (gunicorn: 8190 bytes); that is some 600 ranges.
    header = ", ".join(f"image/x-{number}" for number in range(600)) + ", text/turtle;q=0.1"
    assert choose_representation(header) == "ttl"
    assert choose_representation(header.replace("q=0.1", "q=0")) is None


def test_nothing_acceptable_is_none_so_the_caller_answers_406() -> None:
    assert choose_representation("image/png, application/pdf") is None
    message = not_acceptable_message()
    assert all(media_type_of(representation) in message for representation in REPRESENTATIONS)


def test_a_route_may_offer_fewer_representations() -> None:
    rdf_only = ("ttl", "rdf", "jsonld", "nt")
    assert choose_representation(FIREFOX, rdf_only) == "ttl"  # through */*;q=0.8
    assert choose_representation("text/html", rdf_only) is None
    assert choose_representation("text/turtle", (HTML,)) is None


def test_served_media_types_are_the_registered_ones() -> None:
    assert media_type_of(HTML) == "text/html"
    assert media_type_of("ttl") == "text/turtle"
    assert media_type_of("rdf") == "application/rdf+xml"
    assert media_type_of("jsonld") == "application/ld+json"
    assert media_type_of("nt") == "application/n-triples"


def test_vary_accept_is_added_once_and_keeps_other_entries() -> None:
    response = Response("x")
    response.headers["Vary"] = "Cookie"
    add_vary_accept(response)
    add_vary_accept(response)
    entries = [entry.strip().lower() for entry in response.headers["Vary"].split(",")]
    assert sorted(entries) == ["accept", "cookie"]

    fresh = add_vary_accept(Response("y"))
    assert fresh.headers["Vary"] == "Accept"
