"""Who calls a CKAN action: the API token in the request, and the rights of its user.

Tokens come as CKAN clients send them: `Authorization: <token>` (ckanapi), `X-CKAN-API-Key`,
or `Authorization: Bearer <token>`. As in CKAN, a request with an unknown or revoked token is
served as anonymous: reads see the public catalog, write actions answer "Authorization Error".
"""

from __future__ import annotations

from flask import g, request

from catalog.accounts import user_for_token
from catalog.permissions import ANONYMOUS, Decision, Rights, load_rights
from web.ckan.base import ActionError, authorization
from web.context import current_store

_RIGHTS = "ckan_rights"


def request_token() -> str | None:
    """The API token the request carries, if any."""
    for header in ("Authorization", "X-CKAN-API-Key"):
        value = (request.headers.get(header) or "").strip()
        if value.lower().startswith("bearer "):
            value = value[len("bearer ") :].strip()
        if value:
            return value
    return None


def current_rights() -> Rights:
    """The caller's rights, looked up once per request; anonymous without a valid token."""
    rights: Rights | None = g.get(_RIGHTS)
    if rights is None:
        rights = _rights_for_token(request_token())
        setattr(g, _RIGHTS, rights)
    return rights


def require_login() -> Rights:
    """The caller's rights; an Authorization Error for anonymous callers."""
    rights = current_rights()
    if rights.anonymous:
        raise authorization(
            "Diese Aktion braucht ein gültiges API-Token (Authorization oder X-CKAN-API-Key).",
            "This action needs a valid API token (Authorization or X-CKAN-API-Key header).",
        )
    return rights


def refuse(decision: Decision) -> ActionError:
    return authorization(decision.reason_de, decision.reason_en)


def _rights_for_token(token: str | None) -> Rights:
    if not token:
        return ANONYMOUS
    store = current_store()
    user = user_for_token(store, token)
    if user is None:
        return ANONYMOUS
    return load_rights(store, user.id)
