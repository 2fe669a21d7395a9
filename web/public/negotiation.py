"""Content negotiation by the Accept header: HTML or one of the four RDF formats.

Pure functions, no routes: `choose_representation` says what to serve for an Accept header,
`add_vary_accept` marks a response as negotiated. The rules (RFC 9110, section 12.5.1):

- Each range's q-value counts (default 1; q=0 means "not acceptable"; values outside 0..1 are
  clamped, a range whose q is no number is ignored).
- The most specific range that matches a media type decides its quality: `type/subtype`
  beats `type/*` beats `*/*`, so `*/*;q=0.1, text/html;q=0` refuses HTML.
- Among equally good representations the server's order decides: HTML first, then Turtle,
  RDF/XML, JSON-LD, N-Triples. Browsers (text/html at q=1) and clients that send only `*/*`
  (curl, requests, wget, and harvesters that send no Accept header) therefore get HTML; an
  RDF client must name an RDF type.
- A missing, empty or wholly unreadable header counts as `*/*`; unreadable ranges in an
  otherwise readable header are skipped. Nothing here raises on client input.
- None means no representation is acceptable: the caller answers 406.

Some clients send older or broader names, accepted as aliases when named exactly:
`application/x-turtle` and `text/n3` (a Turtle document is valid N3) for Turtle,
`application/json` for JSON-LD (rdflib asks for it at q=0.9), `text/plain` for N-Triples (its
media type before 2014; rdflib still sends it for format="nt"). `application/xml` is no alias
of RDF/XML: old WebKit browsers sent `application/xml,application/xhtml+xml,text/html;q=0.9`
and would get RDF/XML instead of the page. Parameters other than q (`charset`, a JSON-LD
`profile`) neither exclude nor favour a range. werkzeug's MIMEAccept is not used: it matches
no offer to `text/turtle;charset=utf-8` and treats an empty header as refusing everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from werkzeug.wrappers import Response

from dcat.serialise import MEDIA_TYPES

HTML = "html"

REPRESENTATIONS: tuple[str, ...] = (HTML, "ttl", "rdf", "jsonld", "nt")
"""What /dataset/<name> and /catalog can serve, in the server's order of preference."""

ACCEPTED_MEDIA_TYPES: dict[str, tuple[str, ...]] = {
    HTML: ("text/html",),
    "ttl": (MEDIA_TYPES["ttl"], "application/x-turtle", "text/n3"),
    "rdf": (MEDIA_TYPES["rdf"],),
    "jsonld": (MEDIA_TYPES["jsonld"], "application/json"),
    "nt": (MEDIA_TYPES["nt"], "text/plain"),
}
"""The media types each representation answers to; the first is the one it is served as."""


@dataclass(frozen=True, slots=True)
class MediaRange:
    """One element of an Accept header: `type/subtype` (either may be `*`) with its quality."""

    type: str
    subtype: str
    quality: float

    @property
    def specificity(self) -> int:
        """2 for type/subtype, 1 for type/*, 0 for */*."""
        if self.type == "*":
            return 0
        return 1 if self.subtype == "*" else 2

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        return self.type in ("*", main) and self.subtype in ("*", sub)


ANYTHING = (MediaRange("*", "*", 1.0),)


def parse_accept(header: str | None) -> tuple[MediaRange, ...]:
    """The readable ranges of an Accept header; `*/*` when there are none."""
    if not header:
        return ANYTHING
    ranges = []
    for element in header.split(","):
        media_range = _parse_range(element)
        if media_range is not None:
            ranges.append(media_range)
    return tuple(ranges) or ANYTHING


def _parse_range(element: str) -> MediaRange | None:
    name, *parameters = element.split(";")
    name = name.strip().lower()
    if name == "*":
        name = "*/*"  # Java's HttpURLConnection sends a bare "*"
    main, slash, sub = name.partition("/")
    if not slash or not _is_token(main) or not _is_token(sub) or (main == "*" and sub != "*"):
        return None
    quality = 1.0
    for parameter in parameters:
        key, equals, value = parameter.partition("=")
        if key.strip().lower() != "q" or not equals:
            continue
        try:
            quality = float(value.strip().strip('"'))
        except ValueError:
            return None
        if quality != quality:  # NaN
            return None
        quality = min(max(quality, 0.0), 1.0)
        break  # what follows q are accept-extensions, not media type parameters
    return MediaRange(main, sub, quality)


def _is_token(text: str) -> bool:
    return bool(text) and all(
        (char.isascii() and char.isalnum()) or char in "!#$&^_.+-*" for char in text
    )


def media_type_quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """The quality the client gives one media type: that of the most specific matching range.

    Several ranges of that specificity (they may differ in parameters) count by the best one.
    """
    matching = [media_range for media_range in ranges if media_range.matches(media_type)]
    if not matching:
        return 0.0
    most_specific = max(media_range.specificity for media_range in matching)
    return max(r.quality for r in matching if r.specificity == most_specific)


def representation_quality(ranges: Sequence[MediaRange], representation: str) -> float:
    """The quality of the representation's main media type, or of an alias the client names.

    Aliases count only where named exactly: through `text/*` the alias text/n3 would otherwise
    lift Turtle over an explicit `text/turtle;q=0.5`.
    """
    main, *aliases = ACCEPTED_MEDIA_TYPES[representation]
    named = [
        media_type_quality([r for r in ranges if r.specificity == 2], alias) for alias in aliases
    ]
    return max([media_type_quality(ranges, main), *named])


def choose_representation(
    accept: str | None, available: Sequence[str] = REPRESENTATIONS
) -> str | None:
    """What to serve for this Accept header: "html", "ttl", "rdf", "jsonld" or "nt".

    `available` is what the route offers, in the server's order of preference (ties go to
    the earlier one). None when the client accepts none of them: answer 406.
    """
    ranges = parse_accept(accept)
    best, best_quality = None, 0.0
    for representation in available:
        quality = representation_quality(ranges, representation)
        if quality > best_quality:
            best, best_quality = representation, quality
    return best


def media_type_of(representation: str) -> str:
    """The Content-Type a chosen representation is served with."""
    return ACCEPTED_MEDIA_TYPES[representation][0]


def add_vary_accept(response: Response) -> Response:
    """Tell caches that the answer depends on Accept, keeping any other Vary entries.

    Every answer of a negotiated address needs it, the HTML page, the RDF documents, 304 and
    406 alike: otherwise a shared cache may hand Turtle to a browser or HTML to a harvester.
    """
    response.vary.add("Accept")
    return response


def not_acceptable_message(available: Sequence[str] = REPRESENTATIONS) -> str:
    """The body of a 406 answer: what the address does offer."""
    offered = ", ".join(media_type_of(representation) for representation in available)
    return (
        f"Kein passendes Format für Accept; angeboten: {offered} / "
        f"no acceptable format for Accept; offered: {offered}"
    )


__all__ = [
    "ACCEPTED_MEDIA_TYPES",
    "HTML",
    "REPRESENTATIONS",
    "MediaRange",
    "add_vary_accept",
    "choose_representation",
    "media_type_of",
    "media_type_quality",
    "not_acceptable_message",
    "parse_accept",
    "representation_quality",
]
