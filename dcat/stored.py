"""The flat view of a record's stored N-Triples, read once per text and kept.

The CKAN API, the dataset pages and the search index all need a record's DatasetView; parsing
and reading the graph is about 5 ms, most of a package_search answer. A view is immutable and
its text says everything it depends on, so the most recently read ones are kept per process.
"""

from __future__ import annotations

import functools

from rdflib import URIRef

from dcat.parsing import parse_rdf
from dcat.view import DatasetView, dataset_view

CACHED_VIEWS = 4096  # about 7 KB of text and a view each: some 40 MB at most


@functools.lru_cache(maxsize=CACHED_VIEWS)
def stored_view(ntriples: str, uri: str, lang: str = "de") -> DatasetView:
    """The view of the dataset `uri` in a stored N-Triples text."""
    graph = parse_rdf(ntriples, content_type="application/n-triples")
    return dataset_view(graph, URIRef(uri), lang=lang)
