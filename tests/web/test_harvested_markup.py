"""A harvested description with scripts, javascript: links and event attributes renders inert."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from flask.testing import FlaskClient

from catalog.ingest import RecordPreparer
from catalog.settings import Settings
from catalog.store import Store
from tests.catalog.search.support import add_dataset

HOSTILE = """Messwerte **täglich**.

<script>alert('xss')</script>
<img src=x onerror="alert(1)">
[Klick mich](javascript:alert(1)) und [auch](JaVaScRiPt:alert(2)) und [Daten](https://daten.example/a.csv)
<a href="javascript:alert(3)" onclick="steal()">roh</a>
<iframe src="https://evil.example/"></iframe>
"""


def test_hostile_markup_in_a_description_is_shown_as_text(
    client: FlaskClient, sqlite_store: Store, settings: Settings
) -> None:
    add_dataset(sqlite_store, RecordPreparer(settings), "luft", "Luftmessung", HOSTILE)
    html = client.get("/dataset/luft").get_data(as_text=True)
    description = re.search(r'<div class="description">(.*?)</div>', html, re.S)
    assert description
    body = description.group(1)
    assert "<strong>täglich</strong>" in body
    assert '<a href="https://daten.example/a.csv" rel="nofollow noopener noreferrer">' in body
    elements = _elements(body)
    assert {tag for tag, _ in elements} <= {"p", "strong", "a", "br"}
    attributes = [(name, value or "") for _, attrs in elements for name, value in attrs]
    assert not [name for name, _ in attributes if name.startswith("on")]
    assert all(value.startswith("https://") for name, value in attributes if name == "href")
    assert "&lt;script&gt;" in body  # shown, so the reader sees what the source sent
    assert "<script>alert" not in html
    schema_org = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert schema_org and "<" not in schema_org.group(1)


def _elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """The elements (tag and attributes) the browser would build from the HTML."""
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collector().feed(html)
    return found
