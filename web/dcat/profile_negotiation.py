"""Which DCAT-AP.de profile a request asks for: `?profile=`, `Accept-Profile`, else the config.

Content negotiation by profile after W3C's conneg-by-ap (HTTP realisation): `Accept-Profile`
lists profile URIs in angle brackets with q-values (`<http://dcat-ap.de/def/dcatde/3.0>;q=0.9,
<http://dcat-ap.de/def/dcatde/2.0>;q=0.5`); the answer names its profile in `Content-Profile`
and varies by `Accept-Profile`. The query parameter (its QSA realisation) wins over the header.
A request that names only profiles we do not have gets 406 with the ones we do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from flask import Request
from werkzeug.wrappers import Response

from dcat.profiles import PROFILES, Profile, profile_by_token, profile_by_uri

PROFILE_PARAMETER = "profile"
AnyResponse = TypeVar("AnyResponse", bound=Response)


@dataclass(frozen=True, slots=True)
class ProfileRange:
    """One element of an Accept-Profile header: a profile URI (or token) with its quality."""

    name: str
    quality: float


def parse_accept_profile(header: str | None) -> tuple[ProfileRange, ...]:
    """The readable elements of an Accept-Profile header, in the order given."""
    if not header:
        return ()
    ranges = []
    for element in _split_outside_brackets(header):
        name, *parameters = element.split(";")
        name = name.strip()
        if name.startswith("<") and name.endswith(">"):
            name = name[1:-1].strip()
        if not name:
            continue
        quality = 1.0
        for parameter in parameters:
            key, equals, value = parameter.partition("=")
            if key.strip().lower() == "q" and equals:
                try:
                    quality = min(max(float(value.strip().strip('"')), 0.0), 1.0)
                except ValueError:
                    quality = -1.0
                break
        if quality == quality and quality >= 0:  # neither NaN nor unreadable
            ranges.append(ProfileRange(name, quality))
    return tuple(ranges)


def _split_outside_brackets(header: str) -> list[str]:
    """Commas separate elements; a URI in <...> may hold one itself."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in header:
        if char == "<":
            depth += 1
        elif char == ">":
            depth = max(depth - 1, 0)
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part for part in parts if part.strip()]


def _known(name: str) -> Profile | None:
    return profile_by_uri(name) or profile_by_token(name)


def requested_profile(request: Request, default: Profile) -> Profile | None:
    """The profile to serve, or None when the client names only profiles we do not have."""
    acceptable = acceptable_profiles(request, default)
    return acceptable[0] if acceptable else None


def acceptable_profiles(request: Request, default: Profile) -> list[Profile]:
    """Every profile the client accepts, best first; empty when it names none of ours.

    `?profile=` names exactly one. Without it and without Accept-Profile the client states no
    wish: the default comes first and the others after it. Accept-Profile's profiles come by
    falling quality (q=0 refuses one); `*` adds the rest. A record held back in its first
    choice (3.0) is served in the next one the client accepts (web/dcat/documents.py).
    """
    parameter = request.args.get(PROFILE_PARAMETER)
    if parameter is not None:
        known = _known(parameter)
        return [known] if known is not None else []
    ranges = parse_accept_profile(request.headers.get("Accept-Profile"))
    others = [default, *(profile for profile in PROFILES if profile is not default)]
    if not ranges:
        return others
    ranked: list[tuple[float, Profile]] = []
    for profile_range in ranges:
        known = _known(profile_range.name)
        if known is not None and all(known is not p for _, p in ranked):
            ranked.append((profile_range.quality, known))
    accepted = [p for q, p in sorted(ranked, key=lambda item: -item[0]) if q > 0]
    if any(r.name == "*" and r.quality > 0 for r in ranges):
        refused = {p for q, p in ranked if q <= 0}
        accepted += [p for p in others if p not in accepted and p not in refused]
    return accepted


def not_acceptable_reason() -> tuple[str, str]:
    """The 406 explanation in German and English: which profiles there are, by URI and token."""
    offered = ", ".join(f"<{info.uri}> ({info.profile.value})" for info in PROFILES.values())
    return (
        f"Kein angebotenes Profil passt zu profile/Accept-Profile; angeboten: {offered}.",
        f"No offered profile matches profile/Accept-Profile; offered: {offered}.",
    )


def not_acceptable_text() -> str:
    german, english = not_acceptable_reason()
    return f"406 Not Acceptable: {german} / {english}\n"


def mark_profile(response: AnyResponse, profile: Profile) -> AnyResponse:
    """Name the profile served and that the answer depends on Accept-Profile."""
    response.headers["Content-Profile"] = f"<{PROFILES[profile].uri}>"
    response.vary.add("Accept-Profile")
    return response


__all__ = [
    "PROFILE_PARAMETER",
    "ProfileRange",
    "acceptable_profiles",
    "mark_profile",
    "not_acceptable_reason",
    "not_acceptable_text",
    "parse_accept_profile",
    "requested_profile",
]
