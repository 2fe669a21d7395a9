"""Control character rule: NUL, BEL, ESC and the like are removed from every text value.

They carry no meaning in metadata; they come from broken exports and copy-and-paste, cannot
be stored in PostgreSQL (NUL), are not allowed in XML 1.0 (so RDF/XML and the feeds would
break) and let a terminal or log viewer be steered (ESC). Tab, line feed and carriage return
are text layout and stay.
"""

from __future__ import annotations

import re

from rdflib import Graph, Literal

from dcat.normalise.base import Change, NormalisationContext, Rule, short_text, subject_text

# Unicode category Cc (C0 controls, DEL, C1 controls) without tab, line feed and return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
WHAT_DE = "Steuerzeichen entfernt"
WHAT_EN = "control characters removed"


def without_control_characters(text: str) -> str:
    return _CONTROL.sub("", text)


def remove_control_characters(graph: Graph, context: NormalisationContext) -> list[Change]:
    changes: list[Change] = []
    for subject, predicate, value in list(graph):
        if not isinstance(value, Literal) or not _CONTROL.search(value):
            continue
        cleaned = Literal(
            without_control_characters(str(value)), lang=value.language, datatype=value.datatype
        )
        graph.remove((subject, predicate, value))
        graph.add((subject, predicate, cleaned))
        changes.append(
            _change(subject_text(subject), short_text(predicate), str(predicate), value, cleaned)
        )
    return changes


def _change(subject: str, prop: str, predicate: str, before: Literal, after: Literal) -> Change:
    """The change, with the removed characters written as escapes (\\u0000), never raw: a
    raw NUL would break the report's own storage."""
    removed = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in _CONTROL.findall(before)))
    return Change(
        rule=CONTROL_CHARACTER_RULE.name,
        subject=subject,
        property=predicate,
        before=_escaped(before.n3()),
        after=after.n3(),
        message_de=f"{WHAT_DE}: {prop} ({removed})",
        message_en=f"{WHAT_EN}: {prop} ({removed})",
        what_de=WHAT_DE,
        what_en=WHAT_EN,
    )


def _escaped(text: str) -> str:
    return _CONTROL.sub(lambda match: f"\\u{ord(match.group()):04X}", text)


CONTROL_CHARACTER_RULE = Rule(
    name="control-characters",
    label_de="Steuerzeichen entfernt",
    label_en="control characters removed",
    description_de=(
        "Steuerzeichen (NUL, BEL, ESC und die übrigen der Unicode-Kategorie Cc) aus allen "
        "Texten entfernen; Tabulator, Zeilenumbruch und Wagenrücklauf bleiben."
    ),
    description_en=(
        "Remove control characters (NUL, BEL, ESC and the rest of Unicode category Cc) from "
        "every text; tab, line feed and carriage return stay."
    ),
    apply=remove_control_characters,
)
