"""Small builders of record content for store tests (the graph text is opaque to the store)."""

from __future__ import annotations

import hashlib

from catalog.records import RecordContent


def content(name: str, title: str = "Titel", extra: str = "") -> RecordContent:
    uri = f"http://catalog.test/dataset/{name}"
    graph = (
        f"<{uri}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        f"<http://www.w3.org/ns/dcat#Dataset> .\n"
        f'<{uri}> <http://purl.org/dc/terms/title> "{title}"@de .\n{extra}'
    )
    return RecordContent(
        uri=uri, graph=graph, content_hash=hashlib.sha256(graph.encode()).hexdigest(), title=title
    )
