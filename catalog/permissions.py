"""Who may do what: one set of rules for the CKAN API and the steward area.

Rights are loaded once per request for a user (or are anonymous); every decision is a value
that says yes, or no with a German and English reason the caller shows as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import inspect, select

from catalog.models import DatasetRecord, HarvestSource, Membership, Role, User
from catalog.publication import record_is_public
from catalog.store import Store


@dataclass(frozen=True)
class Rights:
    """What one user may do: site admin, and the organisations where editor or admin.

    `editor_of` includes the organisations in `admin_of`: an admin is also an editor there.
    """

    user_id: str | None = None
    username: str = ""
    site_admin: bool = False
    editor_of: frozenset[str] = field(default_factory=frozenset)
    admin_of: frozenset[str] = field(default_factory=frozenset)

    @property
    def anonymous(self) -> bool:
        return self.user_id is None

    def edits(self, organization_id: str | None) -> bool:
        return self.site_admin or (
            organization_id is not None and organization_id in self.editor_of
        )

    def administers(self, organization_id: str | None) -> bool:
        return self.site_admin or (organization_id or "") in self.admin_of


ANONYMOUS = Rights()


@dataclass(frozen=True)
class Decision:
    """Allowed, or refused with a reason in German and English."""

    allowed: bool
    reason_de: str = ""
    reason_en: str = ""

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def reason(self) -> str:
        return f"{self.reason_de} / {self.reason_en}" if not self.allowed else ""


ALLOWED = Decision(True)


def refused(reason_de: str, reason_en: str) -> Decision:
    return Decision(False, reason_de, reason_en)


def rights_of(user: User, memberships: list[Membership]) -> Rights:
    """Rights from a user and that user's memberships (loaded by the caller)."""
    if not user.is_active:
        return ANONYMOUS
    editor = frozenset(m.organization_id for m in memberships)
    admin = frozenset(m.organization_id for m in memberships if m.role == Role.ADMIN)
    return Rights(
        user_id=user.id,
        username=user.username,
        site_admin=user.is_site_admin,
        editor_of=editor | admin,
        admin_of=admin,
    )


def load_rights(store: Store, user_id: str) -> Rights:
    """The rights of the user with this id; anonymous for an unknown or deactivated user."""
    with store.reading() as session:
        user = session.get(User, user_id)
        if user is None:
            return ANONYMOUS
        memberships = list(session.scalars(select(Membership).where(Membership.user_id == user_id)))
        return rights_of(user, memberships)


def may_create_in(rights: Rights, organization_id: str | None) -> Decision:
    """New records belong to an organisation whose editor (or admin) the user is."""
    if rights.anonymous:
        return _login_needed()
    if organization_id is None:
        return refused(
            "Ein Datensatz braucht eine Organisation.",
            "A dataset needs an organisation.",
        )
    if rights.edits(organization_id):
        return ALLOWED
    return refused(
        f"{rights.username} ist nicht Redakteur dieser Organisation und darf dort nichts anlegen.",
        f"{rights.username} is not an editor of this organisation and may not create "
        "datasets there.",
    )


def may_edit_record(rights: Rights, record: DatasetRecord) -> Decision:
    """Editors change their organisations' records; harvested records nobody changes here.

    A harvested record is refused even for site admins: the next harvest would overwrite the
    change, so it has to be made at the source. Load the record with its source (joinedload)
    to have the source named in the reason.
    """
    if rights.anonymous:
        return _login_needed()
    if record.source_id is not None:
        return _harvested(record)
    if rights.edits(record.organization_id):
        return ALLOWED
    return refused(
        f"{rights.username} ist nicht Redakteur der Organisation dieses Datensatzes.",
        f"{rights.username} is not an editor of this dataset's organisation.",
    )


def may_manage_organization(rights: Rights, organization_id: str | None) -> Decision:
    """Members and harvest sources of an organisation: its admins and site admins."""
    if rights.anonymous:
        return _login_needed()
    if rights.administers(organization_id):
        return ALLOWED
    return refused(
        f"{rights.username} ist nicht Administrator dieser Organisation.",
        f"{rights.username} is not an administrator of this organisation.",
    )


def may_manage_accounts(rights: Rights) -> Decision:
    """Disabling, enabling, signing out and reset links of any account: site admins only.

    An account may belong to several organisations, so no organisation's admin decides
    about it alone.
    """
    if rights.anonymous:
        return _login_needed()
    if rights.site_admin:
        return ALLOWED
    return refused(
        f"{rights.username} ist nicht Administrator des Katalogs und verwaltet keine Konten.",
        f"{rights.username} is not a site administrator and does not manage accounts.",
    )


def may_see_record(
    rights: Rights, record: DatasetRecord, *, publish_invalid: bool = False
) -> Decision:
    """Public records everyone; drafts, withdrawn and invalid ones the organisation's editors."""
    public = record_is_public(record, publish_invalid=publish_invalid)
    if public or rights.edits(record.organization_id):
        return ALLOWED
    return refused(
        "Dieser Datensatz ist nicht öffentlich.",
        "This dataset is not public.",
    )


def _harvested(record: DatasetRecord) -> Decision:
    source = _loaded_source(record)
    if source is None:
        return refused(
            "Dieser Datensatz wird geerntet; ändern Sie ihn in seiner Quelle, sonst überschreibt "
            "die nächste Ernte die Änderung.",
            "This dataset is harvested; change it at its source, or the next harvest "
            "overwrites the change.",
        )
    where = source.url or ""  # a file path is the server's business, a URL people can visit
    at = f" ({where})" if where else ""
    return refused(
        f"Dieser Datensatz wird aus der Quelle {source.name!r}{at} geerntet; ändern Sie ihn "
        "dort, sonst überschreibt die nächste Ernte die Änderung.",
        f"This dataset is harvested from the source {source.name!r}{at}; change it there, "
        "or the next harvest overwrites the change.",
    )


def _loaded_source(record: DatasetRecord) -> HarvestSource | None:
    """The record's source if it was loaded with it; never a lazy load on a closed session."""
    if "source" in inspect(record).unloaded:
        return None
    return record.source


def _login_needed() -> Decision:
    return refused(
        "Anmeldung nötig: bitte ein gültiges API-Token mitsenden.",
        "Login required: please send a valid API token.",
    )
