"""The two "new password" fields that the own-password form and the reset-link page share:
the rule (at least catalog.accounts.MIN_PASSWORD_LENGTH characters, typed twice alike) and
its messages, keyed by field name for the page to show beside each field."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext

from catalog.accounts import MIN_PASSWORD_LENGTH

MAX_PASSWORD_LENGTH = 1000  # argon2 takes any length; this only bounds the work per request


def new_password_errors(form: Mapping[str, str]) -> dict[str, str]:
    """Messages for the fields `new_password` and `new_password_repeat`; empty when fine."""
    new = form.get("new_password", "")
    repeat = form.get("new_password_repeat", "")
    if len(new) < MIN_PASSWORD_LENGTH:
        message = gettext(
            "Das neue Passwort braucht mindestens %(count)s Zeichen.", count=MIN_PASSWORD_LENGTH
        )
        return {"new_password": message}
    if len(new) > MAX_PASSWORD_LENGTH:
        message = gettext(
            "Das neue Passwort darf höchstens %(count)s Zeichen haben.", count=MAX_PASSWORD_LENGTH
        )
        return {"new_password": message}
    if new != repeat:
        return {"new_password_repeat": gettext("Die beiden neuen Passwörter sind verschieden.")}
    return {}
