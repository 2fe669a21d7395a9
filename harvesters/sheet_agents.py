"""The publisher a spreadsheet row names (dct:publisher), read from its publisher columns.

Nothing is invented: a row whose publisher cells are empty (or hold a database export's "null")
names no publisher, and the source's `defaults.publisher` may fill the gap as for any other
record. Portal exports write a linked entity as `"Name" (reference)`: DKAN writes its groups
`"Stadt Münster" (40612)` (a node id, dropped) and Münster's DCAT-AP.de publisher field
`"Stadt Münster" (https://www.stadt-muenster.de)` (the agent's web page, kept as foaf:homepage).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from dcat.bilingual import Bilingual
from dcat.model import AgentInput, is_absolute_iri
from harvesters.sheet_columns import SheetRow

# How database exports write "no value" into a text cell; no agent has such a name.
_NO_NAME = {"null", "none", "nil"}
# A portal's export of a linked entity: the name in double quotes, then its reference.
_REFERENCE = re.compile(r'^"(?P<name>[^"]+)"\s*\((?P<reference>[^()\s]*)\)$')
_WEB_ADDRESS = re.compile(r"^https?://\S+$", re.IGNORECASE)
_EMAIL = re.compile(r"^(mailto:)?[^@\s]+@[^@\s]+\.[^@\s]+$", re.IGNORECASE)
_IRI = Bilingual("eine absolute IRI (https://…)", "an absolute IRI (https://…)")
_MAIL = Bilingual("eine E-Mail-Adresse", "an e-mail address")
_PAGE = Bilingual("eine vollständige Adresse (https://…)", "a complete address (https://…)")


def name_and_reference(text: str) -> tuple[str, str | None]:
    """`"Name" (reference)` as name and reference; any other text is a name of its own."""
    match = _REFERENCE.match(text.strip())
    if match is None:
        return text.strip(), None
    return match["name"].strip(), match["reference"]


def publisher_from_row(row: SheetRow, notes: list[Bilingual]) -> AgentInput | None:
    """The row's publisher: the first publisher cell that names one (its own column, then its
    fallback column), with the URI, e-mail and homepage columns; None when no cell names one."""
    name, homepage = _named(row)
    uri = _checked(row, "publisher_uri", is_absolute_iri, notes, _IRI)
    email = _checked(row, "publisher_email", _is_email, notes, _MAIL)
    homepage = _checked(row, "publisher_homepage", _is_web_address, notes, _PAGE) or homepage
    if name is None:
        if uri or email or homepage:
            notes.append(
                row.left_out(
                    "publisher",
                    "Herausgeber ohne Namen (foaf:name ist Pflicht); URI, E-Mail und Webseite "
                    "des Herausgebers",
                    "publisher without a name (foaf:name is mandatory); the publisher's URI, "
                    "e-mail and homepage",
                )
            )
        return None
    return AgentInput(name=name, uri=uri, email=email, homepage=homepage)


def _named(row: SheetRow) -> tuple[str | None, str | None]:
    """The first publisher name the row's cells give, with the homepage its reference names."""
    for text in row.cells("publisher"):
        name, reference = name_and_reference(text)
        if name.lower() in _NO_NAME:
            continue
        homepage = reference if reference and _is_web_address(reference) else None
        return name, homepage
    return None, None


def _checked(
    row: SheetRow,
    field_name: str,
    fits: Callable[[str], bool],
    notes: list[Bilingual],
    expected: Bilingual,
) -> str | None:
    """The cell's value if it has the form the field needs; else None, with a warning."""
    text = row.cell(field_name)
    if not text or text.lower() in _NO_NAME:
        return None
    if fits(text):
        return text.removeprefix("mailto:") if field_name == "publisher_email" else text
    notes.append(
        row.left_out(
            field_name,
            f"{text!r} ist nicht {expected.de}",
            f"{text!r} is not {expected.en}",
        )
    )
    return None


def _is_web_address(text: str) -> bool:
    return bool(_WEB_ADDRESS.match(text)) and is_absolute_iri(text)


def _is_email(text: str) -> bool:
    return bool(_EMAIL.match(text))
