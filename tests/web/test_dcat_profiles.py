"""DCAT-AP.de 2.0 and 3.0 from one stored graph: chosen by ?profile=, Accept-Profile or the
config, named in Content-Profile; every 3.0 page of the demo catalog conforms to the official
DCAT-AP.de 3.0 shapes (judged apart, on pyshacl as released); a profile we lack gets 406."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from rdflib import Graph
from rdflib.compare import isomorphic

from catalog.organizations import get_source_by_name
from catalog.publication import public_records
from catalog.settings import Settings
from catalog.store import Store
from catalog.withheld_v3 import withheld_in_v3_counts
from dcat.namespaces import DCATDE, HYDRA, SCHEMA
from dcat.parsing import parse_rdf
from dcat.profiles import Profile
from dcat.serialise import known_contexts
from tests.dcat.official_judge import judge
from tests.dcat.official_shapes import requires_shared
from tests.dcat.official_shapes_v3 import SHARED_V3_AVAILABLE
from web import create_app

V2 = "http://dcat-ap.de/def/dcatde/2.0"
V3 = "http://dcat-ap.de/def/dcatde/3.0"
requires_shared_v3 = pytest.mark.skipif(
    not SHARED_V3_AVAILABLE, reason="official DCAT-AP.de 3.0 shapes not found in ../shared"
)


def _graph(body: bytes, media_type: str, base_url: str) -> Graph:
    return parse_rdf(body, content_type=media_type, known_contexts=known_contexts(base_url))


def _pages(client: FlaskClient, first: str, base_url: str, **headers: str) -> list[Graph]:
    pages, url = [], first
    while url:
        response = client.get(url.removeprefix(base_url), headers=headers)
        assert response.status_code == 200, response.data[:300]
        pages.append(_graph(response.data, response.mimetype, base_url))
        following = list(pages[-1].objects(None, HYDRA.next))
        url = str(following[0]) if following else ""
    return pages


def _without_hydra(graph: Graph) -> Graph:
    kept = Graph()
    for triple in graph:
        if not any(str(term).startswith(str(HYDRA)) for term in triple):
            kept.add(triple)
    return kept


@requires_shared
@requires_shared_v3
def test_every_3_0_page_of_the_demo_conforms_to_the_official_3_0_shapes(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    base_url = demo[0].catalog.base_url
    pages = _pages(demo_client, "/catalog.ttl?profile=dcatapde-3&page_size=20", base_url)
    assert len(pages) >= 3
    # Each page on its own, as a harvester reads it (one dcat:Catalog description per page).
    assert judge(pages, batch=1, profile="3.0") == []
    # The same pages as 2.0 stay valid by the 2.0 shapes: both renderings of one record set.
    pages_v2 = _pages(demo_client, "/catalog.ttl?page_size=20", base_url)
    assert judge(pages_v2, batch=1) == []


def test_the_2_0_answer_is_unchanged_by_profiles(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    base_url = demo[0].catalog.base_url
    plain = demo_client.get("/catalog.ttl?page_size=10")
    named = demo_client.get("/catalog.ttl?page_size=10", headers={"Accept-Profile": f"<{V2}>"})
    assert plain.status_code == named.status_code == 200
    assert plain.headers["Content-Profile"] == f"<{V2}>"
    assert plain.get_etag() == named.get_etag()
    # Blank node labels are fresh in each answer; the graphs are the same.
    assert isomorphic(
        _graph(plain.data, plain.mimetype, base_url), _graph(named.data, named.mimetype, base_url)
    )


def test_accept_profile_chooses_3_0_by_its_uri_and_quality(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    base_url = demo[0].catalog.base_url
    header = f"<{V2}>;q=0.4, <{V3}>;q=0.9"
    response = demo_client.get("/dataset/baumkataster.ttl", headers={"Accept-Profile": header})
    assert response.status_code == 200
    assert response.headers["Content-Profile"] == f"<{V3}>"
    assert "Accept-Profile" in response.headers["Vary"]
    by_parameter = demo_client.get("/dataset/baumkataster.ttl?profile=dcatapde-3")
    assert by_parameter.headers["Content-Profile"] == f"<{V3}>"
    assert isomorphic(
        _graph(by_parameter.data, "text/turtle", base_url),
        _graph(response.data, "text/turtle", base_url),
    )
    assert by_parameter.get_etag() != demo_client.get("/dataset/baumkataster.ttl").get_etag()


def test_the_query_parameter_wins_over_accept_profile(demo_client: FlaskClient) -> None:
    response = demo_client.get(
        "/dataset/baumkataster.ttl?profile=dcatapde-2", headers={"Accept-Profile": f"<{V3}>"}
    )
    assert response.headers["Content-Profile"] == f"<{V2}>"


@pytest.mark.parametrize(
    "path",
    ["/catalog.ttl", "/dataset/baumkataster.jsonld", "/catalog/dump.nt", "/catalog"],
)
def test_a_profile_we_do_not_have_is_406_with_the_ones_we_have(
    demo_client: FlaskClient, path: str
) -> None:
    response = demo_client.get(
        path,
        headers={
            "Accept-Profile": "<http://example.org/profiles/other>",
            "Accept": "text/turtle",
        },
    )
    assert response.status_code == 406
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert f"<{V2}>" in text and f"<{V3}>" in text
    unknown_token = demo_client.get(path + "?profile=dcatapde-9", headers={"Accept": "text/turtle"})
    assert unknown_token.status_code == 406


def test_content_negotiation_on_the_dataset_address_serves_3_0(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    response = demo_client.get(
        "/dataset/baumkataster",
        headers={"Accept": "text/turtle", "Accept-Profile": f"<{V3}>"},
    )
    assert response.status_code == 200
    assert response.headers["Content-Profile"] == f"<{V3}>"
    assert {"Accept", "Accept-Profile"} <= set(response.vary)
    html = demo_client.get("/dataset/baumkataster", headers={"Accept-Profile": "<urn:x:none>"})
    assert html.status_code == 200 and html.mimetype == "text/html"  # a page has no profile


def test_every_format_of_a_3_0_dataset_document_says_the_same(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    base_url = demo[0].catalog.base_url
    graphs = []
    for ext in ("ttl", "rdf", "jsonld", "nt"):
        response = demo_client.get(f"/dataset/baumkataster.{ext}?profile=dcatapde-3")
        assert response.status_code == 200
        graphs.append(_graph(response.data, response.mimetype, base_url))
    assert all(isomorphic(graphs[0], other) for other in graphs[1:])


def test_the_config_default_profile_serves_3_0_without_asking(
    demo: tuple[Settings, Store],
) -> None:
    settings, store = demo
    configured = settings.model_copy(
        update={"dcat": settings.dcat.model_copy(update={"default_profile": Profile.DCATAPDE_3})}
    )
    client = create_app(configured, store=store).test_client()
    response = client.get("/catalog.nt?page_size=5")
    assert response.headers["Content-Profile"] == f"<{V3}>"
    asked = client.get("/catalog.nt?page_size=5", headers={"Accept-Profile": f"<{V2}>"})
    assert asked.headers["Content-Profile"] == f"<{V2}>"
    dump = client.get("/catalog/dump.ttl")
    assert dump.headers["Content-Profile"] == f"<{V3}>"
    graph = _graph(dump.data, dump.mimetype, settings.catalog.base_url)
    assert not list(graph.subject_objects(SCHEMA.startDate))
    assert not list(graph.subject_objects(DCATDE.maintainer))
    assert len(_without_hydra(graph)) > 100


def test_the_demo_holds_back_no_record_in_3_0(demo: tuple[Settings, Store]) -> None:
    settings, store = demo
    sources = [get_source_by_name(store, source.name) for source in settings.sources]
    source_ids = [source.id for source in sources if source is not None]
    assert len(source_ids) == len(settings.sources)
    assert set(withheld_in_v3_counts(store, source_ids).values()) == {0}
    v2 = {r.uri for r in public_records(store, settings)}
    v3 = {r.uri for r in public_records(store, settings, profile=Profile.DCATAPDE_3)}
    assert v2 == v3 and v2


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("de", ["DCAT-AP.de-Profile der DCAT-Dokumente", "Voreinstellung", "406 Not Acceptable"]),
        ("en", ["DCAT-AP.de profiles of the DCAT documents", "default", "406 Not Acceptable"]),
    ],
)
def test_the_api_page_documents_the_profiles(
    demo_client: FlaskClient, language: str, texts: list[str]
) -> None:
    page = demo_client.get(f"/api?lang={language}").get_data(as_text=True)
    for text in [*texts, "Accept-Profile", "Content-Profile", "dcat.default_profile", V2, V3]:
        assert text in page
    assert "?profile=dcatapde-3" in page
