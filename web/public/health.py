"""/healthz: is the app up and can it reach its database?"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify

from catalog.migrate import DatabaseUnreachable, head_revision, reachable_revision
from web.context import current_store

blueprint = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@blueprint.get("/healthz")
def healthz() -> tuple[Response, int]:
    """200 when the database answers and has the current schema; 503 otherwise (for probes)."""
    try:
        revision = reachable_revision(current_store())
    except DatabaseUnreachable as exc:
        log.warning("health check: database unreachable: %s", exc)
        return jsonify(status="error", database="unreachable"), 503
    if revision != head_revision():
        return jsonify(status="error", database="schema outdated, run 'catalog init'"), 503
    return jsonify(status="ok", database="ok", schema=revision), 200
