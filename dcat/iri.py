"""IRIs that real portals publish with characters no IRI may hold, and their escaped form."""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox

# Everything an IRI may hold besides letters and digits, and "%" of escapes already made.
IRI_SAFE = ":/?#@!$&'()*+,;=-._~%"


def escaped_iri(iri: str) -> str:
    """The IRI itself if a strict parser accepts it, else with the offending characters
    percent-encoded ("tel:+49 40 …", "…?LAYER[id]=1"), which every reader accepts."""
    try:
        ox.NamedNode(iri)
    except ValueError:
        return quote(iri, safe=IRI_SAFE)
    return iri
