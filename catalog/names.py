"""Readable, unique record names: the slug in /dataset/{name}, made from a title or identifier."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select

from catalog.models import DatasetRecord
from catalog.store import Store

MAX_NAME_LENGTH = 100
_GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"}
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """'Bäume an Straßen 2024' -> 'baeume-an-strassen-2024' (German umlauts spelt out)."""
    folded = unicodedata.normalize("NFKD", text.translate(_GERMAN))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    slug = _NOT_SLUG.sub("-", ascii_text).strip("-")
    return slug[:MAX_NAME_LENGTH].rstrip("-") or "datensatz"


def unique_record_name(store: Store, wanted: str) -> str:
    """The slug of `wanted`, with -2, -3 ... appended while another record holds it."""
    # Room for the suffix, so a suffixed name is never cut back into another record's name.
    base = slugify(wanted)[: MAX_NAME_LENGTH - 8].rstrip("-")
    with store.reading() as session:
        taken = set(
            session.scalars(
                select(DatasetRecord.name).where(
                    (DatasetRecord.name == base) | DatasetRecord.name.like(f"{base}-%")
                )
            )
        )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
