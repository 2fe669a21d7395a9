"""A harvested description with scripts, javascript: links and event attributes renders inert."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from catalog.migrate import upgrade_database
from catalog.records import get_record_by_uri
from catalog.store import open_store
from tests.harvesters.conftest import run_source, source_settings
from web import create_app

HOSTILE = """Messwerte **täglich**.

<script>alert('xss')</script>
<img src=x onerror="alert(1)">
[Klick mich](javascript:alert(1)) und [auch](JaVaScRiPt:alert(2)) und [Daten](https://daten.example/a.csv)
<a href="javascript:alert(3)" onclick="steal()">roh</a>
<iframe src="https://evil.example/"></iframe>
</script><script>alert(4)</script>"""

SOURCE = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://daten.example/dataset/luft> a dcat:Dataset ;
    dct:title "Luftmessung"@de ;
    dct:description {description}@de ;
    dcat:distribution <https://daten.example/dataset/luft/csv> .
<https://daten.example/dataset/luft/csv> a dcat:Distribution ;
    dcat:accessURL <https://daten.example/luft.csv> ;
    dct:license <http://dcat-ap.de/def/licenses/cc-by/4.0> .
"""


def _elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """The elements (tag and attributes) the browser would build from the HTML."""
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collector().feed(html)
    return found


def test_hostile_markup_in_a_harvested_description_stays_inert(tmp_path: Path) -> None:
    quoted = '"""' + HOSTILE.replace("\\", "\\\\") + '"""'
    (tmp_path / "export.ttl").write_text(SOURCE.format(description=quoted), encoding="utf-8")
    settings = source_settings(tmp_path, [{"name": "amt", "type": "dcat", "path": "export.ttl"}])
    store = open_store(settings.database_url)
    upgrade_database(store)
    try:
        assert run_source(store, settings, "amt").counts.new == 1
        record = get_record_by_uri(store, "https://daten.example/dataset/luft")
        assert record is not None
        client = create_app(settings, store=store).test_client()
        html = client.get(f"/dataset/{record.name}").get_data(as_text=True)
    finally:
        store.close()
    assert '<h1 id="dataset-title">Luftmessung</h1>' in html, html[:500]
    description = re.search(r'<div class="description">(.*?)</div>', html, re.S)
    assert description
    body = description.group(1)
    # The description carries HTML, so it is read as Markdown with HTML and then cleaned.
    assert "<strong>täglich</strong>" in body
    elements = _elements(body)
    assert {tag for tag, _ in elements} <= {"p", "strong", "a", "br"}
    attributes = [(name, value or "") for _, attrs in elements for name, value in attrs]
    assert not [name for name, _ in attributes if name.startswith("on")]
    assert not [value for name, value in attributes if name in {"href", "src"}]
    assert "alert('xss')" not in html and "alert(4)" not in html  # script bodies are dropped
    schema_org = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert schema_org and "<" not in schema_org.group(1)
    assert len(re.findall(r"<script", html)) == 1  # only the JSON-LD block
    assert "<iframe" not in html and "<img" not in html
