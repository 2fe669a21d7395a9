"""Readable, unique record names: the slug in /dataset/{name}, made from a title or identifier."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

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


def unique_record_name(
    store: Store, wanted: str, *, also_taken: Collection[str] = frozenset()
) -> str:
    """The slug of `wanted`, with -2, -3 ... appended while another record (or a name in
    `also_taken`: minted, not yet saved) holds it."""
    # Room for the suffix, so a suffixed name is never cut back into another record's name.
    base = slugify(wanted)[: MAX_NAME_LENGTH - 8].rstrip("-")
    # Exact names only, asked in batches: the unique index answers them on every database and
    # in every collation, where a LIKE 'base-%' would scan the whole table.
    first = 1
    with store.reading() as session:
        while True:
            candidates = [_numbered(base, number) for number in range(first, first + _BATCH)]
            taken = set(
                session.scalars(
                    select(DatasetRecord.name).where(DatasetRecord.name.in_(candidates))
                )
            )
            for candidate in candidates:
                if candidate not in taken and candidate not in also_taken:
                    return candidate
            first += _BATCH


_BATCH = 20


def _numbered(base: str, number: int) -> str:
    return base if number == 1 else f"{base}-{number}"
