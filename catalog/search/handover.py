"""Views in hand: the flat view a save already has, given to this process's index writer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from catalog.store import HANDED_OVER, Store
from dcat.view import DatasetView


@dataclass(frozen=True)
class ViewInHand:
    """The flat view a save had of the graph it stored, and that graph's content hash: the
    index writer uses it instead of parsing the stored graph again, as long as the record
    still has that hash (a later save elsewhere has not replaced it)."""

    content_hash: str
    view: DatasetView


def hand_over_views(session: Session, views: Iterable[tuple[str, ViewInHand]]) -> None:
    """Inside the saving transaction: the views of the records it stores, for the index."""
    session.info.setdefault(HANDED_OVER, {}).update(views)


def take_view(store: Store, record_id: str, content_hash: str) -> DatasetView | None:
    """The view handed over for the record's current graph; None: parse the stored graph."""
    handed = store.handed_over.pop(record_id, None)
    if isinstance(handed, ViewInHand) and handed.content_hash == content_hash:
        return handed.view
    return None
