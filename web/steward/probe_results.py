"""The saved source's connection test result, carried from its POST to the source page's GET.

The test runs on POST (it fetches from the source); its result goes into the signed session
cookie and the browser is sent on to the source page (POST-redirect-GET), so a reload shows
the page again instead of re-sending the form, and the address is the source page's own.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from flask import session

from harvesters.background import ProbeResult

SESSION_KEY = "source_probe"
# Messages are cut so the cookie stays well under the browsers' 4 KB.
MAX_TEXT = 600
_FIELDS = {field.name for field in fields(ProbeResult)}


def keep_probe_result(source_name: str, result: ProbeResult) -> None:
    """Remember the result for the next view of the source's page."""
    stored: dict[str, Any] = {
        name: value[:MAX_TEXT] if isinstance(value, str) else value
        for name, value in asdict(result).items()
    }
    session[SESSION_KEY] = {"source": source_name, "result": stored}


def take_probe_result(source_name: str) -> ProbeResult | None:
    """The result kept for this source, once (a later view shows the page without it)."""
    kept = session.get(SESSION_KEY)
    if not isinstance(kept, dict) or kept.get("source") != source_name:
        return None
    session.pop(SESSION_KEY, None)
    stored = kept.get("result")
    if not isinstance(stored, dict) or not set(stored) <= _FIELDS:
        return None
    try:
        return ProbeResult(**stored)
    except TypeError:
        return None
