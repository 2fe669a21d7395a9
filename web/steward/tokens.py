"""API tokens in the steward area: each steward's own, created (the secret shown once) and
revoked. Site admins see and revoke every steward's tokens, so a leaked token can be stopped
while its owner is away; nobody else sees tokens that are not their own."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from catalog.accounts import (
    IssuedToken,
    TokenRow,
    create_token,
    get_token,
    list_tokens,
    revoke_token,
)
from catalog.models import ApiToken
from web.context import current_store
from web.steward.auth import current_rights, login_required

blueprint = Blueprint("steward_tokens", __name__, url_prefix="/verwaltung")
MAX_NAME_LENGTH = 200


@blueprint.get("/tokens")
@login_required
def index() -> str:
    return _page()


@blueprint.post("/tokens")
@login_required
def create() -> Response | tuple[str, int]:
    name = request.form.get("name", "").strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        error = gettext(
            "Bitte sagen Sie in höchstens %(count)s Zeichen, wofür das Token ist.",
            count=MAX_NAME_LENGTH,
        )
        return _page(error=error, name=name), 422
    issued = create_token(current_store(), current_user.username, name)
    response = make_response(_page(issued=issued))
    # The secret is in this page only: no cache, no back-button copy.
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.post("/tokens/<token_id>/widerrufen")
@login_required
def revoke(token_id: str) -> Response:
    token = get_token(current_store(), token_id)
    if token is None or not _may_see(token):
        abort(404)
    revoke_token(current_store(), token.id)
    flash(gettext("Das Token „%(name)s“ ist widerrufen.", name=token.name), "success")
    return redirect(url_for(".index"), 303)


def _may_see(token: ApiToken) -> bool:
    return token.user_id == current_user.id or current_rights().site_admin


def _tokens(*, everyone: bool) -> list[TokenRow]:
    return list_tokens(current_store(), owner_id=None if everyone else current_user.id)


def _page(*, issued: IssuedToken | None = None, error: str = "", name: str = "") -> str:
    everyone = current_rights().site_admin
    return render_template(
        "steward/tokens/index.html",
        tokens=_tokens(everyone=everyone),
        everyone=everyone,
        issued=issued,
        error=error,
        name=name,
    )
