"""Descriptions as other systems deliver them: HTML becomes safe rich text, snippets plain text."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from flask.testing import FlaskClient

from catalog.migrate import upgrade_database
from catalog.records import get_record_by_uri
from catalog.store import open_store
from tests.harvesters.conftest import run_source, source_settings
from web import create_app
from web.public.descriptions import contains_html, plain_description, render_description

# Real descriptions, quoted from the fixtures in ../shared/fixtures (origins in SOURCES.md).
# Bremen's transparency portal: dcat/portals/bremen-catalog.rdf (GovDataOfficial's
# DCAT-AP.de-SHACL-Validation test case); every HTML description there is <p> paragraphs,
# with the tab and the missing spaces after full stops as delivered.
BREMEN = (
    "<p>Statistischer Bericht</p><p>Der Bericht enthält Tabellen zum Verbraucherindex nach "
    "Verwendungszweck, für Energie, für Wohnungsmieten, sowie eine Grafik zur Entwicklung der "
    "Energie- und Benzinkosten. Die Angaben liegen für das Land Bremen vor.Der Bericht wird "
    "monatlich aktualisiert. Er ist als PDF-Datei verfügbar.\tHerausgegeben wird der Bericht "
    "vom Statistischen Landesamt Bremen. </p>"
)
# udata's DCAT test catalog: dcat/udata/catalog.xml (dcterms:abstract of dataset 1).
UDATA_HEADINGS = "<h1>h1 title</h1><h2>h2 title</h2><b>and bold text</b>"
# A DKAN portal as udata harvests it: ckan/udata/dkan-french-w-license.json (notes).
DKAN = (
    "<p>Liste et coordonnées des antennes de proximité du conseil régional Hauts-de-France.</p>\n"
)
# USDA's data.json: datajson/gsa/usda.gov.data.json, the end of "Percent change in annual
# precipitation (CONUS) (Image Service)": CRLF line ends and an image on another host.
USDA = (
    "<p>Raster data are also available for download from RMRS site (https://www.fs.fed.us/rm/"
    "boise/AWAE/projects/NFS-regional-climate-change-maps/categories/us-raster-layers.html), "
    "along with pdf maps and detailed metadata.</p>\r\n\r\n"
    '<p><img src="https://farm8.staticflickr.com/7824/47007970771_22492043f6.jpg" /></p>'
)
# Hand-written in the style of a city CMS (no such record among the fixtures): entities,
# a line break, a list, links with a target and a mailto address.
CMS = (
    "<p>Stra&szlig;enb&auml;ume&nbsp;in <strong>M&uuml;nster</strong><br>Stand 2024</p>\n"
    "<ul>\n    <li>Baumart</li>\n\n    <li>Pflanzjahr</li>\n</ul>\n"
    '<p>Mehr im <a href="https://www.stadt.example/baeume" target="_blank">Baumkataster</a> '
    'oder per <a href="mailto:gruen@stadt.example">E-Mail</a>.</p>'
)


def _fragment(markup: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(str(markup), create_parent="div")


def _children(markup: str) -> list[tuple[str, str]]:
    """(tag, text) of the top-level elements, as a browser would build them."""
    return [(child.tag, child.text_content()) for child in _fragment(markup)]


def test_html_paragraphs_from_bremen_render_as_paragraphs() -> None:
    assert _children(render_description(BREMEN)) == [
        ("p", "Statistischer Bericht"),
        ("p", BREMEN.split("<p>")[2].removesuffix("</p>")),
    ]


def test_html_paragraph_from_a_dkan_portal_renders_as_a_paragraph() -> None:
    assert _children(render_description(DKAN)) == [("p", DKAN.strip()[3:-4])]


def test_headings_keep_their_order_but_start_below_the_page_heading() -> None:
    html = str(render_description(UDATA_HEADINGS))
    assert html == "<h3>h1 title</h3><h4>h2 title</h4><b>and bold text</b>"
    assert str(render_description("<h4>Quelle</h4><h5>Stand</h5>", top_heading=4)) == (
        "<h4>Quelle</h4><h5>Stand</h5>"
    )


def test_an_image_on_another_host_is_dropped_so_nothing_loads_from_there() -> None:
    fragment = _fragment(render_description(USDA))
    assert [element.tag for element in fragment] == ["p", "p"]
    assert fragment[0].text_content().startswith("Raster data are also available")
    assert not fragment.xpath("//*[@src]") and "staticflickr" not in str(render_description(USDA))


def test_entities_line_breaks_lists_and_links_from_a_cms_render_as_rich_text() -> None:
    fragment = _fragment(render_description(CMS))
    assert [element.tag for element in fragment] == ["p", "ul", "p"]
    assert fragment[0].text_content() == "Straßenbäume\xa0in MünsterStand 2024"
    assert [element.tag for element in fragment[0]] == ["strong", "br"]
    assert [item.text_content() for item in fragment[1]] == ["Baumart", "Pflanzjahr"]
    links = [dict(link.attrib) for link in fragment.iter("a")]
    assert links == [
        {"href": "https://www.stadt.example/baeume", "rel": "nofollow noopener noreferrer"},
        {"href": "mailto:gruen@stadt.example", "rel": "nofollow noopener noreferrer"},
    ]


HOSTILE = {
    "script": '<p>Daten</p><script>alert("x")</script>',
    "event attribute": '<p onclick="alert(1)">Daten<img src=x onerror="alert(2)"></p>',
    "javascript link": '<p><a href="javascript:alert(1)">Daten</a><a href=" JaVaScRiPt:x">',
    "data link": '<p><a href="data:text/html,<script>alert(1)</script>">Daten</a></p>',
    "relative links": '<p><a href="/verwaltung/">Daten</a> <a href="//evil.example/">b</a></p>',
    "iframe": '<p>Daten</p><iframe src="https://evil.example/">alert(1)</iframe>',
    "style": '<style>body{display:none}</style><p style="position:fixed">Daten</p>',
    "image": '<p>Daten <img src="https://evil.example/pixel.gif" alt="alert(1)"></p>',
    "object": '<object data="https://evil.example/x.swf">alert(1)</object><p>Daten</p>',
    "markdown image": "Daten\n\n![Bild](https://evil.example/pixel.gif)",  # a link, not a load
}


@pytest.mark.parametrize("markup", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_markup_stays_inert(markup: str) -> None:
    fragment = _fragment(render_description(markup))
    tags = {element.tag for element in fragment.iter()} - {"div"}
    assert tags <= {"p", "a"}, tags
    attributes = {name for element in fragment.iter() for name in element.attrib}
    assert attributes <= {"href", "rel"}, attributes
    assert all(re.match(r"https?://|mailto:", href) for href in fragment.xpath("//a/@href"))
    assert "Daten" in fragment.text_content()
    assert "alert(" not in fragment.text_content()


@pytest.mark.parametrize(
    "text",
    ["Gilt, wenn a < b und b > c.", "Tragen Sie <Stadtteil> und <Code> ein.", "Siehe <Datum>."],
)
def test_comparisons_and_placeholders_are_text_not_html(text: str) -> None:
    assert not contains_html(text)
    assert _children(render_description(text)) == [("p", text)]
    assert plain_description(text) == text


def test_placeholders_inside_an_html_description_are_shown_not_swallowed() -> None:
    html = render_description(
        "<p>Für <Stadtteil> gilt a < b.</p><p>Zweitens <https://x.example></p>"
    )
    assert _children(html) == [
        ("p", "Für <Stadtteil> gilt a < b."),
        ("p", "Zweitens <https://x.example>"),
    ]


@pytest.mark.parametrize(
    "text", ["<p>x</p>", "x<br>y", "x<BR/>y", '<a href="https://x.example/">y</a>', "<!-- c -->x"]
)
def test_html_markup_is_recognised(text: str) -> None:
    assert contains_html(text)


def test_markdown_without_html_still_renders_as_markdown() -> None:
    text = (
        "Die Werte sind **nicht** geprüft.\n\n- eins\n- zwei\n\n[Quelle](https://daten.example/q)"
    )
    fragment = _fragment(render_description(text))
    assert [element.tag for element in fragment] == ["p", "ul", "p"]
    assert [(child.tag, child.text) for child in fragment[0]] == [("strong", "nicht")]
    assert fragment[2][0].get("href") == "https://daten.example/q"


def test_snippet_drops_markdown_syntax() -> None:
    assert plain_description("**nicht**") == "nicht"
    text = "# Luft\n\nDie Werte sind **nicht** [geprüft](https://x.example/)."
    assert plain_description(text) == "Luft Die Werte sind nicht geprüft."


def test_snippet_of_html_is_plain_text_with_entities_decoded() -> None:
    assert plain_description(CMS) == (
        "Straßenbäume in Münster Stand 2024 Baumart Pflanzjahr "
        "Mehr im Baumkataster oder per E-Mail."
    )
    assert plain_description(BREMEN).startswith(
        "Statistischer Bericht Der Bericht enthält Tabellen zum Verbraucherindex"
    )
    assert "verfügbar. Herausgegeben" in plain_description(BREMEN)  # the tab is a space
    assert plain_description('<p>Daten</p><script>alert("x")</script>') == "Daten"


def test_snippet_is_cut_at_a_word_boundary() -> None:
    snippet = plain_description(BREMEN, 60)
    assert snippet == "Statistischer Bericht Der Bericht enthält Tabellen zum …"
    assert len(snippet) <= 60
    assert plain_description("Kurz.", 60) == "Kurz."


def test_snippet_of_a_summary_the_index_cut_inside_a_tag_has_no_tag_remains() -> None:
    cut = '<p>Daten mit <a href="https://daten.example/x">Link</a> und <a href="https://da …'
    assert plain_description(cut) == "Daten mit Link und …"


# Through the app: a harvested dataset with Bremen's HTML and one with Markdown.
SOURCE = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://daten.example/dataset/vpi> a dcat:Dataset ;
    dct:title "Verbraucherpreisindex"@de ;
    dct:description {bremen}@de ;
    dcat:distribution <https://daten.example/dataset/vpi/pdf> .
<https://daten.example/dataset/vpi/pdf> a dcat:Distribution ;
    dct:description "<p>Bericht als <strong>PDF</strong></p>"@de ;
    dcat:accessURL <https://daten.example/vpi.pdf> ;
    dct:license <http://dcat-ap.de/def/licenses/cc-by/4.0> .
<https://daten.example/dataset/luft> a dcat:Dataset ;
    dct:title "Luftmessung"@de ;
    dct:description "Die Werte sind **nicht** geprüft."@de ;
    dcat:distribution <https://daten.example/dataset/luft/csv> .
<https://daten.example/dataset/luft/csv> a dcat:Distribution ;
    dcat:accessURL <https://daten.example/luft.csv> ;
    dct:license <http://dcat-ap.de/def/licenses/cc-by/4.0> .
"""


@pytest.fixture(scope="module")
def harvested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FlaskClient, str]]:
    """A client on a catalog that harvested SOURCE, and the Bremen dataset's name."""
    tmp_path: Path = tmp_path_factory.mktemp("descriptions")
    source = SOURCE.format(bremen='"""' + BREMEN + '"""')
    (tmp_path / "export.ttl").write_text(source, encoding="utf-8")
    settings = source_settings(tmp_path, [{"name": "amt", "type": "dcat", "path": "export.ttl"}])
    store = open_store(settings.database_url)
    upgrade_database(store)
    try:
        assert run_source(store, settings, "amt").counts.new == 2
        record = get_record_by_uri(store, "https://daten.example/dataset/vpi")
        assert record is not None
        yield create_app(settings, store=store).test_client(), record.name
    finally:
        store.close()


def test_dataset_page_renders_an_html_description_as_paragraphs(
    harvested: tuple[FlaskClient, str],
) -> None:
    client, name = harvested
    page = lxml.html.fromstring(client.get(f"/dataset/{name}").get_data(as_text=True))
    (description,) = page.xpath('//section[@aria-labelledby="beschreibung"]/div')
    assert [child.tag for child in description] == ["p", "p"]
    assert description[0].text_content() == "Statistischer Bericht"
    assert "<p>" not in description.text_content()  # no tags shown as text
    (distribution,) = page.xpath('//li[@class="distribution"]/div[@class="description"]')
    assert [(child.tag, child.text_content()) for child in distribution] == [
        ("p", "Bericht als PDF")
    ]
    (meta,) = page.xpath('//meta[@name="description"]/@content')
    assert meta.startswith("Statistischer Bericht Der Bericht enthält") and meta.endswith(" …")
    (json_ld,) = page.xpath('//script[@type="application/ld+json"]/text()')
    assert json.loads(json_ld)["description"] == plain_description(BREMEN)


def test_search_results_and_feed_show_plain_snippets(harvested: tuple[FlaskClient, str]) -> None:
    client, _ = harvested
    results = lxml.html.fromstring(client.get("/suche").get_data(as_text=True))
    snippets = [p.text_content() for p in results.xpath('//p[@class="dataset-summary"]')]
    assert sorted(snippets) == sorted(
        ["Die Werte sind nicht geprüft.", plain_description(BREMEN, 300)]
    )
    feed = client.get("/feed.atom").get_data(as_text=True)
    summaries = re.findall(r"<summary>(.*?)</summary>", feed, re.S)
    assert "Die Werte sind nicht geprüft." in summaries
    assert not [summary for summary in summaries if "&lt;" in summary or "*" in summary]


def test_ckan_api_keeps_the_description_as_delivered(harvested: tuple[FlaskClient, str]) -> None:
    client, name = harvested
    response = client.get(f"/api/3/action/package_show?id={name}")
    assert response.get_json()["result"]["notes"] == BREMEN
