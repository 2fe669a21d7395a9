"""Security headers on every response: no sniffing, a short referrer, a strict CSP, no framing.

Every page loads its styles, images and (none yet) scripts from this server, so the policy
can forbid everything else, inline code included: an injected <script> or style= attribute
would not run even if it slipped past escaping. Public pages may be framed only by the sites
the settings name (web.embedding_origins, e.g. a city portal); the steward area never, so a
click in a form cannot be stolen by a page that frames it (clickjacking).
"""

from __future__ import annotations

from flask import Flask, Response, request

from catalog.settings import Settings

STEWARD_PREFIX = "/verwaltung"
HTML_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)
# JSON, RDF, XML, CSS and SVG are data, never a page: nothing in them may load or run.
DATA_POLICY = "default-src 'none'"
REFERRER_POLICY = "strict-origin-when-cross-origin"


def register(app: Flask, settings: Settings) -> None:
    embedders = tuple(settings.web.embedding_origins)

    def add_headers(response: Response) -> Response:
        headers = response.headers
        headers["X-Content-Type-Options"] = "nosniff"
        headers.setdefault("Referrer-Policy", REFERRER_POLICY)
        framers = () if request.path.startswith(STEWARD_PREFIX) else embedders
        policy = HTML_POLICY if response.mimetype == "text/html" else DATA_POLICY
        headers["Content-Security-Policy"] = f"{policy}; frame-ancestors {_sources(framers)}"
        if not framers:
            headers["X-Frame-Options"] = "DENY"  # for browsers that predate frame-ancestors
        return response

    app.after_request(add_headers)


def _sources(origins: tuple[str, ...]) -> str:
    return " ".join(origins) if origins else "'none'"
