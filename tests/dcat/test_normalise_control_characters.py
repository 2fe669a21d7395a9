"""The control-characters rule: NUL, BEL, ESC and the other Cc characters leave every text,
tab, line feed and carriage return stay, and the change record never holds them raw."""

from __future__ import annotations

from rdflib import Literal, URIRef

from dcat.namespaces import DCAT, DCT, XSD, new_graph
from dcat.normalise import DEFAULT_CONTEXT, rule_named

DATASET = URIRef("https://daten.teststadt.example/dataset/luft")


def test_control_characters_are_removed_and_layout_characters_kept() -> None:
    graph = new_graph()
    graph.add((DATASET, DCT.title, Literal("Luft\x00qualit\x07ät\x1b[0m\x85", lang="de")))
    graph.add((DATASET, DCT.description, Literal("Zeile 1\r\n\tZeile 2", lang="de")))
    graph.add((DATASET, DCAT.keyword, Literal("Luft\x7f")))
    graph.add((DATASET, DCT.issued, Literal("2024-01-02\x00", datatype=XSD.date)))

    changes = rule_named("control-characters")(graph, DEFAULT_CONTEXT)

    assert set(graph) == {
        (DATASET, DCT.title, Literal("Luftqualität[0m", lang="de")),
        (DATASET, DCT.description, Literal("Zeile 1\r\n\tZeile 2", lang="de")),
        (DATASET, DCAT.keyword, Literal("Luft")),
        (DATASET, DCT.issued, Literal("2024-01-02", datatype=XSD.date)),
    }
    assert len(changes) == 3
    title = next(change for change in changes if change.property == str(DCT.title))
    assert title.message_de == "Steuerzeichen entfernt: dct:title (U+0000, U+0007, U+001B, U+0085)"
    assert title.before is not None and "\\u0000" in title.before
    for change in changes:
        texts = (change.before or "", change.after or "", change.message_de, change.message_en)
        assert not any(ch in text for text in texts for ch in "\x00\x07\x1b\x7f\x85")


def test_the_rule_changes_nothing_the_second_time() -> None:
    graph = new_graph()
    graph.add((DATASET, DCT.title, Literal("A\x00B", lang="de")))
    rule = rule_named("control-characters")
    rule(graph, DEFAULT_CONTEXT)
    assert rule(graph, DEFAULT_CONTEXT) == []
