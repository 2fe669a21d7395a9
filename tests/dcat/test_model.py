"""Typed input -> graph (builder) -> flat view, judged by the official DCAT-AP.de 2.0 shapes."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef

from dcat import namespaces as ns
from dcat.builder import build_dataset_graph
from dcat.model import (
    AgentInput,
    ContactInput,
    DatasetInput,
    DistributionInput,
    InputError,
    LocationInput,
    PeriodInput,
    keywords_in,
    parse_date_value,
)
from dcat.parsing import parse_rdf_file
from dcat.view import Labelled, dataset_view
from dcat.vocabularies import FILE_TYPES, LICENSES, THEMES
from tests.conftest import SHARED
from tests.dcat.official_shapes import official_report, requires_shared

THEME_ENVI = "http://publications.europa.eu/resource/authority/data-theme/ENVI"
THEME_TRAN = "http://publications.europa.eu/resource/authority/data-theme/TRAN"
CSV = "http://publications.europa.eu/resource/authority/file-type/CSV"
JSON_TYPE = "http://publications.europa.eu/resource/authority/file-type/JSON"
DL_BY = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
DL_ZERO = "http://dcat-ap.de/def/licenses/dl-zero-de/2.0"
ANNUAL = "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
CONTRIBUTOR = "http://dcat-ap.de/def/contributors/transparenzportalHamburg"
MUNICIPALITY = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/01054015"
LEVEL = "http://dcat-ap.de/def/politicalGeocoding/Level/municipality"
EXAMPLES = SHARED / "dcat-ap-de" / "examples"


def rich_dataset() -> DatasetInput:
    return DatasetInput(
        title={"de": "Straßenbäume", "en": "Street trees"},
        description={"de": "Alle Straßenbäume der Stadt.", "en": "All street trees."},
        identifier="baumkataster-2024",
        keywords={"de": ("Bäume", "Umwelt"), "en": ("trees",)},
        themes=(THEME_ENVI, THEME_TRAN),
        publisher=AgentInput(
            "Stadt Teststadt",
            uri="https://teststadt.example/",
            type="http://purl.org/adms/publishertype/LocalAuthority",
            email="info@teststadt.example",
            homepage="https://teststadt.example/home",
        ),
        contact=ContactInput(
            name="Umweltamt",
            email="umwelt@teststadt.example",
            url="https://teststadt.example/umwelt",
            phone="+49 40 123",
        ),
        creators=(AgentInput("Grünflächenamt"),),
        maintainers=(AgentInput("Team Open Data", email="opendata@teststadt.example"),),
        contributor_id=CONTRIBUTOR,
        political_geocoding_uris=(MUNICIPALITY,),
        political_geocoding_level_uri=LEVEL,
        geocoding_description={"de": "Stadtgebiet Teststadt"},
        spatial=(
            "https://sws.geonames.org/2911298/",
            LocationInput(bbox="POLYGON((9.7 53.4, 10.3 53.4, 10.3 53.7, 9.7 53.7, 9.7 53.4))"),
        ),
        temporal=(PeriodInput(date(2020, 1, 1), datetime(2024, 12, 31, 23, 0, tzinfo=UTC)),),
        issued=date(2021, 3, 1),
        modified=datetime(2024, 5, 6, 7, 8, 9),
        accrual_periodicity=ANNUAL,
        landing_page="https://teststadt.example/daten/baeume",
        pages=("https://teststadt.example/doku",),
        access_rights="https://teststadt.example/zugang",
        conforms_to=("https://teststadt.example/standard", "Baumkataster-Norm"),
        legal_basis={"de": "§ 12 HmbTG"},
        version_info="2.1",
        distributions=(
            DistributionInput(
                access_url="https://teststadt.example/baeume.csv",
                download_url="https://teststadt.example/baeume.csv",
                title={"de": "Bäume als CSV"},
                description={"de": "Tabelle"},
                format=CSV,
                media_type="text/csv",
                license=DL_BY,
                license_attribution_by_text="Stadt Teststadt",
                byte_size=123456,
                issued=date(2021, 3, 1),
                modified=datetime(2024, 5, 6, 7, 8, 9),
                identifier="res-1",
            ),
            DistributionInput(
                access_url="https://teststadt.example/api/baeume",
                title={"de": "Bäume als JSON"},
                format=JSON_TYPE,
                license=DL_ZERO,
                uri="https://teststadt.example/distribution/json",
            ),
        ),
    )


def test_rich_dataset_comes_back_through_graph_and_view() -> None:
    graph, node = build_dataset_graph(
        rich_dataset(), uri="https://teststadt.example/dataset/baeume"
    )
    view = dataset_view(graph, node)

    assert view.uri == "https://teststadt.example/dataset/baeume"
    assert view.title == "Straßenbäume"
    assert view.description == "Alle Straßenbäume der Stadt."
    assert view.identifier == "baumkataster-2024"
    assert set(view.keywords) == {"Bäume", "Umwelt"}
    assert [theme.iri for theme in view.themes] == [THEME_ENVI, THEME_TRAN]
    assert view.themes[0].label == THEMES.label(THEME_ENVI, "de")
    assert {f.iri for f in view.formats} == {CSV, JSON_TYPE}
    assert Labelled(CSV, FILE_TYPES.label(CSV, "de") or CSV) in view.formats
    assert {licence.iri for licence in view.licenses} == {DL_BY, DL_ZERO}
    assert view.publisher is not None
    assert (view.publisher.name, view.publisher.uri) == (
        "Stadt Teststadt",
        "https://teststadt.example/",
    )
    assert view.publisher.email == "info@teststadt.example"
    assert view.publisher.type == "http://purl.org/adms/publishertype/LocalAuthority"
    assert view.contact is not None
    assert view.contact.name == "Umweltamt"
    assert view.contact.email == "umwelt@teststadt.example"
    assert view.contact.url == "https://teststadt.example/umwelt"
    assert view.contact.phone == "+49 40 123"
    assert view.creator is not None and view.creator.name == "Grünflächenamt"
    assert view.maintainer is not None and view.maintainer.email == "opendata@teststadt.example"
    assert view.contributor_id == CONTRIBUTOR
    assert view.political_geocoding_uris == (MUNICIPALITY,)
    assert view.political_geocoding_level_uri == LEVEL
    assert view.geocoding_description == "Stadtgebiet Teststadt"
    assert view.legal_basis == "§ 12 HmbTG"
    assert view.issued == date(2021, 3, 1) and not isinstance(view.issued, datetime)
    assert view.modified == datetime(2024, 5, 6, 7, 8, 9)
    assert view.temporal_start == date(2020, 1, 1)
    assert view.temporal_end == datetime(2024, 12, 31, 23, 0, tzinfo=UTC)
    assert view.spatial_uris == ("https://sws.geonames.org/2911298/",)
    assert view.locations[0].bbox is not None and view.locations[0].bbox.startswith("POLYGON")
    assert view.landing_page == "https://teststadt.example/daten/baeume"
    assert view.pages == ("https://teststadt.example/doku",)
    assert view.frequency is not None and view.frequency.iri == ANNUAL
    assert view.access_rights == "https://teststadt.example/zugang"
    assert set(view.conforms_to) == {"https://teststadt.example/standard", "Baumkataster-Norm"}
    assert view.version_info == "2.1"

    csv, api = view.distributions
    assert csv.title == "Bäume als CSV" and api.title == "Bäume als JSON"
    assert csv.access_url == csv.download_url == "https://teststadt.example/baeume.csv"
    assert csv.format is not None and csv.format.iri == CSV
    assert csv.media_type == "text/csv"
    assert csv.license == Labelled(DL_BY, LICENSES.label(DL_BY, "de") or DL_BY)
    assert csv.license_attribution_by_text == "Stadt Teststadt"
    assert csv.byte_size == 123456
    assert csv.issued == date(2021, 3, 1)
    assert csv.modified == datetime(2024, 5, 6, 7, 8, 9)
    assert csv.identifier == "res-1" and csv.uri is None
    assert api.uri == "https://teststadt.example/distribution/json"
    assert api.download_url is None and api.byte_size is None


def test_view_reads_english_when_asked() -> None:
    graph, node = build_dataset_graph(rich_dataset())
    view = dataset_view(graph, node, lang="en")
    assert (view.title, view.description, view.keywords) == (
        "Street trees",
        "All street trees.",
        ("trees",),
    )


@pytest.mark.parametrize(
    ("titles", "lang", "expected"),
    [
        ({"fr": "Arbres", "en": "Trees", "de": "Bäume"}, "fr", "Arbres"),
        ({"fr": "Arbres", "": "Ohne Sprache", "de": "Bäume"}, "it", "Ohne Sprache"),
        ({"fr": "Arbres", "en": "Trees", "de": "Bäume"}, "it", "Bäume"),
        ({"fr": "Arbres", "en": "Trees"}, "it", "Trees"),
        ({"fr": "Arbres"}, "de", "Arbres"),
        ({"de-AT": "Bäume in Wien"}, "de", "Bäume in Wien"),
    ],
)
def test_title_falls_back_from_asked_language_to_untagged_de_en_any(
    titles: dict[str, str], lang: str, expected: str
) -> None:
    graph, node = build_dataset_graph(DatasetInput(title=titles, description={"de": "x"}))
    assert dataset_view(graph, node, lang=lang).title == expected


def test_keywords_in_asked_language_are_deduplicated_ignoring_case() -> None:
    graph, node = build_dataset_graph(
        DatasetInput(
            title={"de": "T"}, keywords={"de": ("Wasser", "wasser", "Boden"), "en": ("water",)}
        )
    )
    assert dataset_view(graph, node).keywords == ("Boden", "Wasser")
    assert keywords_in("de", [" a ", "a", "", "b"]) == {"de": ("a", "b")}


def test_flat_keyword_list_takes_the_keyword_language_and_lists_become_tuples() -> None:
    data = DatasetInput(
        title={"en": "T"},
        keywords=["trees", " trees ", "parks"],
        keyword_language="en",
        themes=[THEME_ENVI],
        distributions=[DistributionInput(access_url="https://x.example/a")],
    )
    assert data.keywords_by_language == {"en": ("trees", "parks")}
    assert data.themes == (THEME_ENVI,) and isinstance(data.distributions, tuple)
    graph, node = build_dataset_graph(data)
    assert set(graph.objects(node, ns.DCAT.keyword)) == {
        Literal("trees", lang="en"),
        Literal("parks", lang="en"),
    }


def test_without_uri_the_dataset_and_its_parts_are_blank_nodes() -> None:
    graph, node = build_dataset_graph(rich_dataset())
    assert isinstance(node, BNode)
    contact = graph.value(node, ns.DCAT.contactPoint)
    period = graph.value(node, ns.DCT.temporal)
    assert isinstance(contact, BNode) and isinstance(period, BNode)
    distributions = set(graph.objects(node, ns.DCAT.distribution))
    assert sum(isinstance(d, BNode) for d in distributions) == 1


def test_builder_writes_the_datatypes_and_node_kinds_the_profile_asks_for() -> None:
    graph, node = build_dataset_graph(rich_dataset())
    assert graph.value(node, ns.DCT.issued) == Literal("2021-03-01", datatype=ns.XSD.date)
    assert graph.value(node, ns.DCT.modified) == Literal(
        "2024-05-06T07:08:09", datatype=ns.XSD.dateTime
    )
    assert graph.value(node, ns.DCT.identifier) == Literal("baumkataster-2024")
    assert Literal("Straßenbäume", lang="de") in set(graph.objects(node, ns.DCT.title))
    contact = graph.value(node, ns.DCAT.contactPoint)
    assert (contact, ns.RDF.type, ns.VCARD.Kind) in graph
    assert graph.value(contact, ns.VCARD.hasEmail) == URIRef("mailto:umwelt@teststadt.example")
    publisher = graph.value(node, ns.DCT.publisher)
    assert (publisher, ns.RDF.type, ns.FOAF.Agent) in graph
    assert graph.value(publisher, ns.FOAF.name) == Literal("Stadt Teststadt")
    period = graph.value(node, ns.DCT.temporal)
    assert (period, ns.RDF.type, ns.DCT.PeriodOfTime) in graph
    assert graph.value(period, ns.DCAT.startDate) == Literal("2020-01-01", datatype=ns.XSD.date)
    assert graph.value(node, ns.DCATDE.contributorID) == URIRef(CONTRIBUTOR)
    csv = next(d for d in graph.objects(node, ns.DCAT.distribution) if isinstance(d, BNode))
    assert (csv, ns.RDF.type, ns.DCAT.Distribution) in graph
    assert graph.value(csv, ns.DCAT.byteSize) == Literal(Decimal(123456), datatype=ns.XSD.decimal)
    assert graph.value(csv, ns.DCT.license) == URIRef(DL_BY)
    assert graph.value(csv, ns.DCAT.mediaType) == URIRef(
        "http://www.iana.org/assignments/media-types/text/csv"
    )


@requires_shared
@pytest.mark.parametrize("profile", ["spezifikation", "konventionen"])
def test_rich_dataset_conforms_to_the_official_shapes(profile: str) -> None:
    graph, _ = build_dataset_graph(rich_dataset(), uri="https://teststadt.example/dataset/baeume")
    report = official_report(graph, profile)
    assert report.violations == 0, report.messages


@requires_shared
def test_minimal_dataset_conforms_to_the_official_shapes() -> None:
    graph, _ = build_dataset_graph(
        DatasetInput(title={"de": "Nur Titel"}, description={"de": "Und Text"})
    )
    report = official_report(graph)
    assert report.violations == 0, report.messages


@requires_shared
def test_view_reads_the_official_simple_example() -> None:
    graph = parse_rdf_file(EXAMPLES / "v2.0" / "dcat_ap_de-RefImp_TTL_SIMPLE.ttl")
    node = URIRef("https://example.com/dataset/d4ce4e6e-ab89-44cb-bf5c-33a162c234de#dataset")
    view = dataset_view(graph, node)
    assert view.title == "Badegewässer (Daten) Hamburg"
    assert view.description.startswith("Darstellung der Badegewässer")
    assert view.contact is not None
    assert view.contact.name == "Meister, Thomas, Herr"
    assert view.contact.email == "thomas.meister@example.com"
    assert view.contributor_id == CONTRIBUTOR
    (distribution,) = view.distributions
    assert distribution.download_url == "http://example.com/Badegewaesser_HH_2004-2013.zip"
    assert distribution.license is not None and distribution.license.iri == DL_BY
    assert distribution.license.label != DL_BY
    assert distribution.license_attribution_by_text is not None
    assert view.licenses == (distribution.license,)
    assert view.issued is None and view.publisher is None


@requires_shared
def test_view_reads_the_perfect_konventionen_testcase() -> None:
    graph = parse_rdf_file(EXAMPLES / "v2.0-testcases" / "konventionen__perfect.ttl")
    view = dataset_view(graph, URIRef("http://example.org/perfect/dataset"))
    assert (view.title, view.description, view.keywords) == ("Test", "Test", ("Test",))
    assert view.issued == datetime(2022, 8, 5)
    assert view.modified == datetime(2022, 8, 5, 8, 0)
    assert view.identifier == "http://example.com/#dataset"
    assert [t.iri for t in view.themes] == [
        "http://publications.europa.eu/resource/authority/data-theme/AGRI"
    ]
    assert view.themes[0].label != view.themes[0].iri
    assert view.publisher is not None and view.publisher.name == "example"
    assert view.contact is not None
    assert (view.contact.url, view.contact.phone) == ("http://google.com/", "+49 40 123 45678")
    assert (view.temporal_start, view.temporal_end) == (date(1987, 5, 8), date(2090, 5, 8))
    assert view.landing_page == "https://example.com"
    assert view.conforms_to == ("DCAT-AP.de Version 2.0",)
    assert [f.iri for f in view.formats] == [CSV]
    (distribution,) = view.distributions
    assert distribution.title == "Test"
    assert distribution.access_url == "http://example.org/#accessURL"


def test_view_reads_leniently_and_to_dict_is_json() -> None:
    graph = Graph()
    node = URIRef("https://example.org/d")
    distribution = BNode()
    graph.add((node, ns.RDF.type, ns.DCAT.Dataset))
    graph.add((node, ns.DCT.title, Literal("Lenient")))
    graph.add((node, ns.DCT.issued, Literal("2019-09-30 22:00:00")))
    graph.add((node, ns.DCT.modified, Literal("gestern")))
    graph.add((node, ns.DCAT.distribution, distribution))
    graph.add((distribution, ns.DCAT.accessURL, URIRef("https://example.org/f")))
    graph.add((distribution, ns.DCT.format, Literal("Shapefile")))
    graph.add((distribution, ns.DCAT.byteSize, Literal("12 KB")))
    legacy = "http://dcat-ap.de/def/dcatde/1.0/"
    graph.add((node, URIRef(legacy + "contributorID"), URIRef(CONTRIBUTOR)))
    contact, email = BNode(), BNode()
    graph.add((node, ns.DCAT.contactPoint, contact))
    graph.add((contact, ns.VCARD.hasEmail, email))
    graph.add((email, ns.VCARD.hasValue, URIRef("mailto:amt@example.org")))
    view = dataset_view(graph, node)
    assert view.issued == datetime(2019, 9, 30, 22, 0)
    assert view.modified is None
    assert view.formats == (Labelled("Shapefile", "Shapefile"),)
    assert view.distributions[0].byte_size is None
    assert view.contributor_id == CONTRIBUTOR
    assert view.contact is not None and view.contact.email == "amt@example.org"
    data = json.loads(json.dumps(view.to_dict()))
    assert data["issued"] == "2019-09-30T22:00:00"
    assert data["formats"] == [{"iri": "Shapefile", "label": "Shapefile"}]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01", date(2024, 5, 1)),
        ("2024-05-01T01:20:33", datetime(2024, 5, 1, 1, 20, 33)),
        ("2024-12-31T23:59:59+00:00", datetime(2024, 12, 31, 23, 59, 59, tzinfo=UTC)),
        ("2013-04-26T00:00:00Z", datetime(2013, 4, 26, tzinfo=UTC)),
        ("1982", date(1982, 1, 1)),
        ("2012-05", date(2012, 5, 1)),
        ("mar, 10/12/2019 - 09:23", None),
        ("2024-02-30", None),
        ("", None),
    ],
)
def test_dates_are_parsed_leniently_but_never_guessed(text: str, expected: object) -> None:
    assert parse_date_value(text) == expected


@pytest.mark.parametrize(
    "build",
    [
        lambda: DatasetInput(title={"de": "  "}),
        lambda: DatasetInput(title={"de": "T"}, themes=("Umwelt",)),
        lambda: DatasetInput(title={"de_DE": "T"}),
        lambda: DistributionInput(access_url="datei.csv"),
        lambda: DistributionInput(access_url="https://x.example/", byte_size=-1),
        lambda: ContactInput(email="keine adresse"),
        lambda: ContactInput(),
        lambda: AgentInput(" "),
        lambda: PeriodInput(),
    ],
)
def test_invalid_input_is_refused_with_a_bilingual_message(build: object) -> None:
    with pytest.raises(InputError, match=" / "):
        build()  # type: ignore[operator]


# --- property: every valid input builds a conforming graph that reads back ------------------

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda text: text.strip() != "")
_languages = st.sampled_from(["de", "en", ""])
_dates = st.one_of(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
    st.datetimes(
        min_value=datetime(1990, 1, 1),
        max_value=datetime(2050, 1, 1),
        timezones=st.sampled_from([UTC, timezone(timedelta(hours=2))]),
    ),
)
_urls = st.from_regex(r"https://[a-z]{1,10}\.example/[a-z0-9/]{0,20}", fullmatch=True)


@st.composite
def _distributions(draw: st.DrawFn) -> DistributionInput:
    return DistributionInput(
        access_url=draw(_urls),
        download_url=draw(st.none() | _urls),
        title=draw(st.dictionaries(_languages, _text, max_size=2)),
        format=draw(st.none() | st.sampled_from([CSV, JSON_TYPE])),
        license=draw(st.none() | st.sampled_from([DL_BY, DL_ZERO])),
        byte_size=draw(st.none() | st.integers(min_value=0, max_value=10**12)),
        modified=draw(st.none() | _dates),
    )


@st.composite
def _datasets(draw: st.DrawFn) -> DatasetInput:
    return DatasetInput(
        title=draw(st.dictionaries(_languages, _text, min_size=1, max_size=3)),
        description=draw(st.dictionaries(_languages, _text, min_size=1, max_size=2)),
        identifier=draw(st.none() | _text),
        keywords=draw(
            st.dictionaries(_languages, st.lists(_text, max_size=4).map(tuple), max_size=2)
        ),
        themes=tuple(draw(st.lists(st.sampled_from([THEME_ENVI, THEME_TRAN]), unique=True))),
        publisher=draw(st.none() | st.builds(AgentInput, name=_text)),
        contact=draw(
            st.none()
            | st.builds(ContactInput, name=st.none() | _text, email=st.just("a@b.example"))
        ),
        temporal=tuple(
            draw(st.lists(st.builds(PeriodInput, _dates, st.none() | _dates), max_size=1))
        ),
        issued=draw(st.none() | _dates),
        modified=draw(st.none() | _dates),
        accrual_periodicity=draw(st.none() | st.just(ANNUAL)),
        landing_page=draw(st.none() | _urls),
        distributions=tuple(draw(st.lists(_distributions(), max_size=5))),
    )


def _size(byte_size: int | None) -> int:
    return -1 if byte_size is None else byte_size


@requires_shared
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_datasets(), with_uri=st.booleans())
def test_any_valid_input_conforms_and_reads_back(data: DatasetInput, with_uri: bool) -> None:
    graph, node = build_dataset_graph(data, uri="https://x.example/dataset/1" if with_uri else None)
    report = official_report(graph)
    assert report.violations == 0, report.messages

    view = dataset_view(graph, node)
    assert view.title.strip() in {text.strip() for text in data.title.values()}
    assert len(view.distributions) == len(data.distributions)
    assert sorted(d.access_url or "" for d in view.distributions) == sorted(
        d.access_url for d in data.distributions
    )
    assert sorted(_size(d.byte_size) for d in view.distributions) == sorted(
        _size(d.byte_size) for d in data.distributions
    )
    assert view.issued == data.issued and view.modified == data.modified
    assert {t.iri for t in view.themes} == set(data.themes)
    assert view.identifier == (data.identifier.strip() if data.identifier else None)


def test_an_input_error_keeps_its_german_and_english_texts_apart() -> None:
    with pytest.raises(InputError) as refused:
        DistributionInput(access_url="https://x.example/", byte_size=-1)
    error = refused.value
    assert error.message_de == "dcat:byteSize darf nicht negativ sein."
    assert error.message_en == "dcat:byteSize must not be negative."
    assert str(error) == f"{error.message_de} / {error.message_en}"
