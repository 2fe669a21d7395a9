"""Date rule: dates written as text, or with a wrong datatype, become typed xsd literals."""

from __future__ import annotations

import re
from datetime import date, datetime

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from dcat.namespaces import DCAT, DCT, SCHEMA, XSD
from dcat.normalise.base import Change, NormalisationContext, Rule, replace_object

DATE_PROPERTIES = (
    DCT.issued,
    DCT.modified,
    DCAT.startDate,
    DCAT.endDate,
    SCHEMA.startDate,
    SCHEMA.endDate,
)
# DCAT-AP 2.1.1 DateOrDateTimeDataType_Shape: these four datatypes, and nothing else, pass.
DATE_DATATYPES = (XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth)
# Values with another datatype (a number, a custom type) say something we do not understand.
_TEXT_DATATYPES = (None, XSD.string, XSD.normalizedString, *DATE_DATATYPES)

_ZONE = r"(?P<zone>Z|[+-]\d{2}:?\d{2})?"
_XSD_LEXICAL = {
    XSD.date: re.compile(r"^\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$"),
    XSD.dateTime: re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"),
    XSD.gYear: re.compile(r"^\d{4}(Z|[+-]\d{2}:\d{2})?$"),
    XSD.gYearMonth: re.compile(r"^\d{4}-\d{2}(Z|[+-]\d{2}:\d{2})?$"),
}
_YEAR = re.compile(r"^(?P<y>\d{4})$")
_YEAR_MONTH = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})$")
_ISO_DATE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _ZONE + "$")
_GERMAN_DATE = re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$")
_TIME = r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?P<frac>\.\d+)?)?"
_ISO_DATETIME = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:T|\s+)" + _TIME + r"\s*" + _ZONE + "$"
)
_GERMAN_DATETIME = re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4}),?\s+" + _TIME + "$")
# Seen in the Bremen portal export: "2021-01-28 GMT 01:51:03.34919300" (GMT is UTC).
_UTC_WORD = re.compile(r"\s*\b(GMT|UTC)\b\s*")


def _valid_date(year: str, month: str, day: str) -> bool:
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def _zone(text: str | None) -> str | None:
    """xsd zone notation, or None if the offset is impossible."""
    if not text:
        return ""
    if text == "Z":
        return "Z"
    hours, minutes = text[1:3], text[-2:]
    if int(hours) > 14 or int(minutes) > 59:
        return None
    return f"{text[0]}{hours}:{minutes}"


def _date_literal(match: re.Match[str]) -> Literal | None:
    y, m, d = match["y"], match["m"], match["d"]
    if not _valid_date(y, m, d):
        return None
    zone = _zone(match.groupdict().get("zone"))
    if zone is None:
        return None
    return Literal(f"{y}-{int(m):02d}-{int(d):02d}{zone}", datatype=XSD.date)


def _datetime_literal(match: re.Match[str]) -> Literal | None:
    y, m, d = match["y"], match["m"], match["d"]
    hour, minute, second = int(match["H"]), int(match["M"]), int(match["S"] or 0)
    zone = _zone(match.groupdict().get("zone"))
    if not _valid_date(y, m, d) or zone is None:
        return None
    try:
        datetime(int(y), int(m), int(d), hour, minute, second)
    except ValueError:
        return None
    clock = f"{hour:02d}:{minute:02d}:{second:02d}{match['frac'] or ''}"
    return Literal(f"{y}-{int(m):02d}-{int(d):02d}T{clock}{zone}", datatype=XSD.dateTime)


def _year_month_literal(match: re.Match[str]) -> Literal | None:
    if not 1 <= int(match["m"]) <= 12:
        return None
    return Literal(f"{match['y']}-{int(match['m']):02d}", datatype=XSD.gYearMonth)


def typed_date(text: str) -> Literal | None:
    """The typed literal a date string stands for; None if it is ambiguous or no date.

    ISO dates and date-times (with "T" or a space, with or without seconds and zone), German
    "dd.mm.yyyy", a bare year or year-month (the shapes accept xsd:gYear and xsd:gYearMonth, so
    no day is made up). Slashed forms like "01/02/2020" are day-first in Germany and month-first
    elsewhere: ambiguous, left alone.
    """
    text = text.strip()
    if _UTC_WORD.search(text):
        text = _UTC_WORD.sub(" ", text).strip() + "Z"
    if match := _ISO_DATETIME.match(text):
        return _datetime_literal(match)
    if match := _GERMAN_DATETIME.match(text):
        return _datetime_literal(match)
    if match := _ISO_DATE.match(text):
        return _date_literal(match)
    if match := _GERMAN_DATE.match(text):
        return _date_literal(match)
    if match := _YEAR_MONTH.match(text):
        return _year_month_literal(match)
    if match := _YEAR.match(text):
        return Literal(match["y"], datatype=XSD.gYear)
    return None


def is_valid_date_literal(value: Literal) -> bool:
    """Typed with one of the accepted datatypes, and well-formed for it."""
    pattern = _XSD_LEXICAL.get(value.datatype) if value.datatype is not None else None
    if pattern is None or not pattern.match(str(value)):
        return False
    if value.datatype in (XSD.date, XSD.dateTime):
        text = str(value)
        return _valid_date(text[0:4], text[5:7], text[8:10]) and not value.ill_typed
    return True


def type_date_literals(graph: Graph, context: NormalisationContext) -> list[Change]:
    changes: list[Change] = []
    for predicate in DATE_PROPERTIES:
        for subject, value in list(graph.subject_objects(predicate)):
            if not isinstance(value, Literal) or value.datatype not in _TEXT_DATATYPES:
                continue
            if is_valid_date_literal(value):
                continue
            typed = typed_date(str(value))
            if typed is None or typed == value:
                continue
            changes.append(_replace(graph, subject, predicate, value, typed))
    return changes


def _replace(
    graph: Graph, subject: Node, predicate: URIRef, value: Literal, typed: Literal
) -> Change:
    return replace_object(
        graph,
        subject,
        predicate,
        value,
        typed,
        DATE_RULE.name,
        "Datum als typisiertes xsd-Literal geschrieben",
        "date written as a typed xsd literal",
    )


DATE_RULE = Rule(
    name="date-literal",
    label_de="Datumsangaben",
    label_en="dates",
    description_de=(
        "Datumsangaben in dct:issued, dct:modified und Zeiträumen als xsd:date, xsd:dateTime, "
        "xsd:gYear oder xsd:gYearMonth typisieren (ISO, dd.mm.yyyy); Mehrdeutiges bleibt."
    ),
    description_en=(
        "Type dates in dct:issued, dct:modified and periods as xsd:date, xsd:dateTime, "
        "xsd:gYear or xsd:gYearMonth (ISO, dd.mm.yyyy); ambiguous ones stay."
    ),
    apply=type_date_literals,
)
