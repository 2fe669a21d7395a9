"""A condition tree (catalog.search.base) as the Whoosh query that matches the same records.

The boolean nodes become Whoosh's own And, Or and Not, which catalog.search.whoosh.matching
evaluates on term bitsets: an OR or NOT over the whole index costs a few integer operations,
not a list of every record.
"""

from __future__ import annotations

from whoosh import query as wq

from catalog.search.base import All, AnyOf, Condition, Intersects, Not, Range, Term
from catalog.search.whoosh.schema import RANGE_INDEX_FIELDS, TERM_INDEX_FIELDS, naive_utc


def whoosh_query(condition: Condition) -> wq.Query:
    """The Whoosh query for a condition; raises TypeError for a node it does not know."""
    if isinstance(condition, Term):
        return wq.Term(TERM_INDEX_FIELDS[condition.field], condition.value)
    if isinstance(condition, Range):
        return wq.DateRange(
            RANGE_INDEX_FIELDS[condition.field],
            naive_utc(condition.low) if condition.low else None,
            naive_utc(condition.high) if condition.high else None,
            startexcl=not condition.include_low,
            endexcl=not condition.include_high,
        )
    if isinstance(condition, Intersects):
        box = condition.box
        return wq.And(
            [
                wq.NumericRange("bbox_west", None, box.east),
                wq.NumericRange("bbox_east", box.west, None),
                wq.NumericRange("bbox_south", None, box.north),
                wq.NumericRange("bbox_north", box.south, None),
            ]
        )
    if isinstance(condition, All):
        if not condition.children:
            return wq.Every()
        return wq.And([whoosh_query(child) for child in condition.children])
    if isinstance(condition, AnyOf):
        if not condition.children:
            return wq.NullQuery
        return wq.Or([whoosh_query(child) for child in condition.children])
    if isinstance(condition, Not):
        return wq.Not(whoosh_query(condition.child))
    raise TypeError(f"not a search condition: {condition!r}")
