"""The application profiles our DCAT documents come in: one registry every output reads.

A record is stored once, in DCAT-AP.de 2.0; each profile is a rendering of that graph. Clients
name a profile by token (`?profile=dcatapde-3`) or by URI (`Accept-Profile`, W3C's content
negotiation by profile); responses name it in `Content-Profile`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import pyoxigraph as ox
from rdflib import Graph

from dcat.parsing import iter_rdf_triples
from dcat.profile_v3 import render_v3
from dcat.serialise import oxigraph_triples


class Profile(StrEnum):
    """A profile by its token, as `?profile=`, the config and `catalog export --profile` say it."""

    DCATAPDE_2 = "dcatapde-2"
    DCATAPDE_3 = "dcatapde-3"


@dataclass(frozen=True)
class ProfileInfo:
    """What a profile is called, its URI, and how a stored record graph becomes it."""

    profile: Profile
    version: str
    uri: str
    label: str
    render: Callable[[Graph], Graph] | None  # None: the stored graph as it is


PROFILES: dict[Profile, ProfileInfo] = {
    Profile.DCATAPDE_2: ProfileInfo(
        Profile.DCATAPDE_2, "2.0", "http://dcat-ap.de/def/dcatde/2.0", "DCAT-AP.de 2.0", None
    ),
    Profile.DCATAPDE_3: ProfileInfo(
        Profile.DCATAPDE_3, "3.0", "http://dcat-ap.de/def/dcatde/3.0", "DCAT-AP.de 3.0", render_v3
    ),
}
DEFAULT_PROFILE = Profile.DCATAPDE_2  # GovData harvests 2.0


def profile_by_token(text: str) -> Profile | None:
    """The profile a token or version names: "dcatapde-3", "3.0", "3" (None if none)."""
    key = text.strip().lower()
    for info in PROFILES.values():
        if key in (info.profile.value, info.version, info.version.split(".")[0]):
            return info.profile
    return None


def profile_by_uri(uri: str) -> Profile | None:
    """The profile a URI names; the www./https spellings and a trailing slash count too."""
    key = _uri_key(uri)
    for info in PROFILES.values():
        if key in (_uri_key(info.uri), _uri_key(info.uri + "/spec")):
            return info.profile
    return None


def _uri_key(uri: str) -> str:
    text = uri.strip().lower().rstrip("/")
    for prefix in ("https://www.", "http://www.", "https://", "http://"):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def render_graph(graph: Graph, profile: Profile) -> Graph:
    """A stored record graph in the profile (the stored graph itself for 2.0)."""
    render = PROFILES[profile].render
    return graph if render is None else render(graph)


def render_record_text(ntriples: str, profile: Profile) -> str:
    """A record's stored N-Triples in the profile, as N-Triples; 2.0 is the text unchanged."""
    render = PROFILES[profile].render
    if render is None:
        return ntriples
    # A bare graph: binding our twenty prefixes costs more than the whole mapping.
    graph = Graph(store="SimpleMemory", bind_namespaces="none")
    add = graph.store.add
    for triple in iter_rdf_triples(ntriples.encode("utf-8"), "nt"):
        add(triple, graph, quoted=False)
    return ntriples_text(render(graph))


def ntriples_text(graph: Graph) -> str:
    """A (rendered) graph as N-Triples, the form records are stored in, written by pyoxigraph."""
    triples = list(oxigraph_triples(graph))
    return (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")


__all__ = [
    "DEFAULT_PROFILE",
    "PROFILES",
    "Profile",
    "ProfileInfo",
    "ntriples_text",
    "profile_by_token",
    "profile_by_uri",
    "render_graph",
    "render_record_text",
]
