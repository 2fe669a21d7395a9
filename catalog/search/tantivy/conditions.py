"""Conditions (catalog.search.base) and the other filters of a query, as tantivy queries.

Everything here is evaluated by tantivy itself: boolean queries over raw terms, and ranges
over the integer (dates) and float (bounding box) columns.
"""

from __future__ import annotations

from datetime import datetime

import tantivy

from catalog.publication import PUBLIC_STATUS, public_states
from catalog.search.base import (
    EVERYTHING,
    RANGE_FIELDS,
    All,
    AnyOf,
    Condition,
    Intersects,
    Not,
    Range,
    SearchQuery,
    Term,
)
from catalog.search.tantivy.schema import FILTER_INDEX_FIELDS, TERM_INDEX_FIELDS, micros

Occur = tantivy.Occur


def condition_query(schema: tantivy.Schema, condition: Condition) -> tantivy.Query:
    """The tantivy query for a condition; raises TypeError for a node it does not know."""
    if isinstance(condition, Term):
        return term(schema, TERM_INDEX_FIELDS[condition.field], condition.value)
    if isinstance(condition, Range):
        return date_range(
            schema,
            condition.field,
            condition.low,
            condition.high,
            include_low=condition.include_low,
            include_high=condition.include_high,
        )
    if isinstance(condition, Intersects):
        box = condition.box
        return all_of(
            [
                _float_range(schema, "bbox_west", None, box.east),
                _float_range(schema, "bbox_east", box.west, None),
                _float_range(schema, "bbox_south", None, box.north),
                _float_range(schema, "bbox_north", box.south, None),
            ]
        )
    if isinstance(condition, All):
        return all_of([condition_query(schema, child) for child in condition.children])
    if isinstance(condition, AnyOf):
        return any_of([condition_query(schema, child) for child in condition.children])
    if isinstance(condition, Not):
        return tantivy.Query.boolean_query(
            [
                (Occur.Must, tantivy.Query.all_query()),
                (Occur.MustNot, condition_query(schema, condition.child)),
            ]
        )
    raise TypeError(f"not a search condition: {condition!r}")


def filter_queries(
    schema: tantivy.Schema, query: SearchQuery, publish_invalid: bool
) -> list[tantivy.Query]:
    """The conditions besides the text: public rule, facet filters, ids, date ranges, tree."""
    conditions: list[tantivy.Query] = []
    if not query.include_non_public:
        conditions.append(term(schema, "status", PUBLIC_STATUS.value))
        if (states := public_states(publish_invalid)) is not None:
            conditions.append(any_of([term(schema, "validation_state", s.value) for s in states]))
    for name, values in query.filters.items():
        field = FILTER_INDEX_FIELDS.get(name)
        if field is None:
            raise ValueError(f"unknown search filter {name!r}")
        conditions.extend(term(schema, field, value) for value in values)
    if query.organization_ids is not None:
        conditions.append(terms(schema, "organization_id", query.organization_ids))
    if query.record_ids is not None:
        conditions.append(terms(schema, "record_id", query.record_ids))
    for name, bounds in query.ranges.items():
        if name not in RANGE_FIELDS:
            raise ValueError(f"unknown date range field {name!r}")
        conditions.append(date_range(schema, name, bounds.start, bounds.end))
    if query.condition != EVERYTHING:
        conditions.append(condition_query(schema, query.condition))
    return conditions


def term(schema: tantivy.Schema, field: str, value: str) -> tantivy.Query:
    return tantivy.Query.term_query(schema, field, value, index_option="basic")


def terms(schema: tantivy.Schema, field: str, values: object) -> tantivy.Query:
    wanted = list(dict.fromkeys(values))  # type: ignore[call-overload]
    if not wanted:
        return tantivy.Query.empty_query()
    return tantivy.Query.term_set_query(schema, field, wanted)


def all_of(queries: list[tantivy.Query]) -> tantivy.Query:
    if not queries:
        return tantivy.Query.all_query()
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(Occur.Must, q) for q in queries])


def any_of(queries: list[tantivy.Query]) -> tantivy.Query:
    if not queries:
        return tantivy.Query.empty_query()
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(Occur.Should, q) for q in queries])


def date_range(
    schema: tantivy.Schema,
    field: str,
    low: datetime | None,
    high: datetime | None,
    *,
    include_low: bool = True,
    include_high: bool = True,
) -> tantivy.Query:
    if low is None and high is None:  # open on both sides: every record with the date
        return tantivy.Query.exists_query(field)
    return tantivy.Query.range_query(
        schema,
        field,
        tantivy.FieldType.Integer,
        micros(low) if low is not None else None,
        micros(high) if high is not None else None,
        include_lower=include_low,
        include_upper=include_high,
    )


def _float_range(
    schema: tantivy.Schema, field: str, low: float | None, high: float | None
) -> tantivy.Query:
    return tantivy.Query.range_query(
        schema,
        field,
        tantivy.FieldType.Float,
        float(low) if low is not None else None,
        float(high) if high is not None else None,
    )
