"""Byte size rule: whole byte counts written as "1234.0", text or integer become xsd:decimal."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from rdflib import Graph, Literal

from dcat.namespaces import DCAT, XSD
from dcat.normalise.base import Change, NormalisationContext, Rule, replace_object

# DCAT-AP 2.1.1 Distribution_Property_dcat_byteSize: sh:datatype xsd:decimal, so an
# xsd:integer or xsd:nonNegativeInteger value is a violation; a whole number typed decimal passes.
_NUMBER = re.compile(r"^\+?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def whole_byte_count(text: str) -> int | None:
    """The byte count a number stands for, if it is a whole non-negative number.

    "1.5 MB" (a unit: 10^6 or 2^20?) and "1234.5" (half a byte?) are not repairable.
    """
    text = text.strip()
    if not _NUMBER.match(text):
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if number != number.to_integral_value():
        return None
    return int(number)


def byte_sizes_to_decimal(graph: Graph, context: NormalisationContext) -> list[Change]:
    changes: list[Change] = []
    for subject, value in list(graph.subject_objects(DCAT.byteSize)):
        if not isinstance(value, Literal):
            continue
        count = whole_byte_count(str(value))
        if count is None:
            continue
        repaired = Literal(str(count), datatype=XSD.decimal)
        if repaired == value:
            continue
        changes.append(
            replace_object(
                graph,
                subject,
                DCAT.byteSize,
                value,
                repaired,
                BYTE_SIZE_RULE.name,
                "Dateigröße als ganze Zahl vom Typ xsd:decimal geschrieben",
                "byte size written as a whole number typed xsd:decimal",
            )
        )
    return changes


BYTE_SIZE_RULE = Rule(
    name="byte-size-decimal",
    label_de="Dateigröße in Byte",
    label_en="file size in bytes",
    description_de=(
        "dcat:byteSize als ganze Zahl mit dem Datentyp xsd:decimal schreiben, den die "
        'DCAT-AP-2.1.1-Shapes verlangen ("1234.0" → "1234"); Einheiten und Bruchteile bleiben.'
    ),
    description_en=(
        "Write dcat:byteSize as a whole number with the datatype xsd:decimal that the DCAT-AP "
        '2.1.1 shapes require ("1234.0" → "1234"); units and fractions stay.'
    ),
    apply=byte_sizes_to_decimal,
)
