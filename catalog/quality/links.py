"""Where the quality score learns link-check results: `link_outcomes_for(session, urls)`.

The hook between the link checker and the score. Contract for an implementation:
- answer, for those of `urls` that were checked, the latest `dcat.quality.LinkOutcome`
  (status, ok, checked_at), keyed by the URL exactly as the graph writes it;
- leave out URLs never checked: the score then says "noch nicht geprüft" and earns no
  accessibility points for them (a missing result is never a pass and never a failure);
- read only, inside the caller's session (it runs in the save's transaction), never make a
  request: a save must not wait for the network.

Every score of the catalog reads outcomes through `link_outcomes_for` below, which reads the
link checker's table (catalog.link_checks), so the link checker plugs in at one place; after
each link-check run harvesters.link_service re-scores the records whose URLs it checked.
Callers that score with other results (tests, benchmarks) pass their own reader to
`catalog.quality.scores` functions as `link_outcomes`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Protocol

from sqlalchemy.orm import Session

from dcat.quality import LinkOutcome


class LinkOutcomeReader(Protocol):
    def __call__(self, session: Session, urls: Collection[str]) -> Mapping[str, LinkOutcome]:
        """The latest outcome of each checked URL among `urls` (see the module docstring)."""
        ...


def link_outcomes_for(session: Session, urls: Collection[str]) -> Mapping[str, LinkOutcome]:
    """The latest link-check outcome of each of `urls` that the catalog has checked.

    Reads the link checker's results (catalog.link_checks: the latest check per URL, in the
    caller's session); a URL never checked is absent.
    """
    # Imported here: catalog.link_checks imports catalog.publication, which imports the
    # records module that imports this one.
    from catalog.link_checks import latest_link_outcomes

    return {
        url: LinkOutcome(status=outcome.status, ok=outcome.ok, checked_at=outcome.checked_at)
        for url, outcome in latest_link_outcomes(session, urls).items()
    }
