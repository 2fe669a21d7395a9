"""The JSON body of an API call, read strictly: an object, plain JSON, nested at most 32 deep.

A CKAN package is about five levels deep (package, resources, resource, extras); a body nested
a thousand deep is an attack on the parser's recursion, answered as a Validation Error.
"""

from __future__ import annotations

import json
from typing import Any

from web.ckan.base import validation

MAX_JSON_DEPTH = 32


def json_object(body: bytes) -> dict[str, Any]:
    """The body as a JSON object; anything else is a Validation Error on `body`."""
    try:
        parsed = json.loads(body, parse_constant=_refuse_constant)
    except RecursionError:
        raise _too_deep() from None
    except ValueError:  # also UnicodeDecodeError
        raise validation("body", "Ungültiges JSON", "Invalid JSON") from None
    if not isinstance(parsed, dict):
        raise validation("body", "JSON-Objekt erwartet", "A JSON object is expected")
    if json_depth(parsed) > MAX_JSON_DEPTH:
        raise _too_deep()
    return parsed


def json_depth(value: Any) -> int:
    """How deeply lists and objects nest in a parsed JSON value (a scalar is 0), without
    recursion, so that measuring cannot fail the way parsing does."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            pending.extend((child, depth + 1) for child in item)
    return deepest


def _refuse_constant(name: str) -> Any:
    """NaN and Infinity are not JSON (RFC 8259), though Python's parser accepts them."""
    raise ValueError(name)


def _too_deep() -> Exception:
    return validation(
        "body",
        f"JSON zu tief verschachtelt (höchstens {MAX_JSON_DEPTH} Ebenen)",
        f"JSON nested too deeply (at most {MAX_JSON_DEPTH} levels)",
    )
