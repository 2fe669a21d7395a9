"""JSON-LD contexts: replaced by known local documents, never fetched from the network."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from dcat.parse_errors import bilingual_error


def with_local_contexts(data: bytes, known_contexts: Mapping[str, Any]) -> bytes:
    """Replace every context reference by a known local context, or refuse the document.

    Remote contexts are never fetched: that would let a harvested document make us send requests
    anywhere (SSRF) and make the meaning of a record depend on a server we do not control.
    """
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", None)
        where_de = f" in Zeile {line}" if line else ""
        where_en = f" at line {line}" if line else ""
        reason = getattr(error, "msg", str(error))
        raise bilingual_error(
            f"JSON-LD-Syntaxfehler{where_de}: {reason}",
            f"JSON-LD syntax error{where_en}: {reason}",
            fmt="jsonld",
            line=line,
        ) from None
    changed = [False]
    document = _replace_contexts(document, known_contexts, changed)
    return json.dumps(document).encode("utf-8") if changed[0] else data


def _replace_contexts(value: Any, known: Mapping[str, Any], changed: list[bool]) -> Any:
    if isinstance(value, list):
        return [_replace_contexts(item, known, changed) for item in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for key, item in value.items():
        if key == "@context":
            item = _resolved_context(item, known, changed)
        elif key == "@import" and isinstance(item, str):
            item = _local_context(item, known)
            changed[0] = True
            result.update({k: v for k, v in item.items() if k not in value})
            continue
        result[key] = _replace_contexts(item, known, changed)
    return result


def _resolved_context(context: Any, known: Mapping[str, Any], changed: list[bool]) -> Any:
    if isinstance(context, str):
        changed[0] = True
        return _replace_contexts(_local_context(context, known), known, changed)
    if isinstance(context, list):
        return [_resolved_context(item, known, changed) for item in context]
    return _replace_contexts(context, known, changed)


def _local_context(url: str, known: Mapping[str, Any]) -> dict[str, Any]:
    document = known.get(url) or known.get(url.split("#", 1)[0])
    if document is None:
        raise bilingual_error(
            f"JSON-LD mit entferntem @context <{url}> wird nicht abgerufen; nur eingebettete "
            "oder bekannte Kontexte sind erlaubt",
            f"JSON-LD with remote @context <{url}> is not fetched; only embedded or known "
            "contexts are allowed",
            fmt="jsonld",
        )
    inner = document.get("@context", document) if isinstance(document, dict) else document
    if not isinstance(inner, dict):
        raise bilingual_error(
            f"Bekannter JSON-LD-Kontext <{url}> ist kein Objekt",
            f"known JSON-LD context <{url}> is not an object",
            fmt="jsonld",
        )
    return inner
