"""Kind rules: a value of the wrong kind where the profile fixes the kind, and nodes whose type
follows from the property that links them.

One mechanism, driven by the shapes rather than a rule per property: wherever every shape on a
property says `sh:nodeKind sh:IRI` (or BlankNodeOrIRI), a literal that is exactly one absolute
address becomes that IRI (a contributor ID written as text); wherever they say `sh:Literal`, an
IRI becomes its text (a dct:identifier given as an IRI). Values that are neither stay for
validation to report.

Types: where the shapes require `sh:class C` and C is the declared range of the property in
DCAT-AP (so every value is a C by definition), an untyped value gets `rdf:type C`; an
adms:Identifier given as a bare IRI also gets that IRI as its skos:notation, which is what it
identifies by; one given as text becomes an adms:Identifier with that text as notation. Agents
named in another vocabulary (vcard:fn, rdfs:label, ...) get that name as foaf:name too.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SH, SKOS

from dcat.namespaces import ADMS, DCAT, DCATDE, DCT, FOAF, RDF, VCARD
from dcat.normalise.base import (
    Change,
    NormalisationContext,
    Rule,
    add_object,
    replace_object,
    short_text,
)
from dcat.normalise.urls import iri_from_text

OWN_SHAPES_FILE = "dcat-ap-de.ttl"
_URN = re.compile(r"^urn:[a-z0-9][a-z0-9-]{0,31}:\S+$", re.IGNORECASE)

# The ranges DCAT-AP 2.1.1 declares for these properties (its "range" column), paired with the
# subclasses that already satisfy them.
DECLARED_RANGES: dict[URIRef, tuple[URIRef, frozenset[URIRef]]] = {
    DCAT.distribution: (DCAT.Distribution, frozenset()),
    DCAT.contactPoint: (
        VCARD.Kind,
        frozenset({VCARD.Organization, VCARD.Individual, VCARD.Group, VCARD.Location}),
    ),
    ADMS.identifier: (ADMS.Identifier, frozenset()),
    DCT.temporal: (DCT.PeriodOfTime, frozenset()),
    DCT.publisher: (FOAF.Agent, frozenset({FOAF.Organization, FOAF.Person, FOAF.Group})),
    DCT.creator: (FOAF.Agent, frozenset({FOAF.Organization, FOAF.Person, FOAF.Group})),
}
# Where agents carry their name when not as foaf:name, in the order they are preferred.
NAME_PROPERTIES = (
    VCARD.fn,
    VCARD["organization-name"],
    SKOS.prefLabel,
    RDFS.label,
    URIRef("http://schema.org/name"),
)
AGENT_PROPERTIES = (
    DCT.publisher,
    DCT.creator,
    DCT.contributor,
    DCATDE.originator,
    DCATDE.maintainer,
)
AGENT_CLASSES = frozenset({FOAF.Agent, FOAF.Organization, FOAF.Person, FOAF.Group})


@functools.cache
def shape_node_kinds() -> dict[URIRef, URIRef]:
    """Property -> the one node kind all our shapes demand of it (properties they agree on)."""
    from importlib import resources

    shapes = Graph()
    shapes.parse(
        data=(resources.files("dcat") / "shapes" / OWN_SHAPES_FILE).read_bytes(), format="turtle"
    )
    kinds: dict[URIRef, set[URIRef]] = defaultdict(set)
    for shape, kind in shapes.subject_objects(SH.nodeKind):
        for path in shapes.objects(shape, SH.path):
            if isinstance(path, URIRef) and isinstance(kind, URIRef):
                kinds[path].add(kind)
    return {path: next(iter(found)) for path, found in kinds.items() if len(found) == 1}


@functools.cache
def shape_classes() -> dict[URIRef, URIRef]:
    """Property -> the class our shapes require, for the properties in DECLARED_RANGES."""
    from importlib import resources

    shapes = Graph()
    shapes.parse(
        data=(resources.files("dcat") / "shapes" / OWN_SHAPES_FILE).read_bytes(), format="turtle"
    )
    required: dict[URIRef, URIRef] = {}
    for shape, cls in shapes.subject_objects(SH["class"]):
        for path in shapes.objects(shape, SH.path):
            if (
                isinstance(path, URIRef)
                and isinstance(cls, URIRef)
                and path in DECLARED_RANGES
                and DECLARED_RANGES[path][0] == cls
            ):
                required[path] = cls
    return required


def _iri_in_text(text: str) -> str | None:
    text = text.strip()
    if _URN.match(text):
        return text
    return iri_from_text(text)


def fix_node_kinds(graph: Graph, context: NormalisationContext) -> list[Change]:
    changes: list[Change] = []
    kinds = shape_node_kinds()
    for subject, predicate, value in list(graph):
        kind = kinds.get(predicate)  # type: ignore[call-overload]
        if kind is None:
            continue
        if kind in (SH.IRI, SH.BlankNodeOrIRI) and isinstance(value, Literal):
            iri = _iri_in_text(str(value))
            if iri is None:
                continue
            after: URIRef | Literal = URIRef(iri)
            what_de, what_en = "Text als IRI geschrieben", "text written as an IRI"
        elif kind == SH.Literal and isinstance(value, URIRef):
            after = Literal(str(value))
            what_de, what_en = "IRI als Text geschrieben", "IRI written as text"
        else:
            continue
        changes.append(
            replace_object(
                graph,
                subject,
                predicate,  # type: ignore[arg-type]
                value,
                after,
                NODE_KIND_RULE.name,
                f"{what_de} (das Profil verlangt es)",
                f"{what_en} (the profile requires it)",
            )
        )
    return changes


def type_by_range(graph: Graph, context: NormalisationContext) -> list[Change]:
    changes = _identifiers_from_text(graph) + _places_from_text(graph)
    for predicate, cls in shape_classes().items():
        accepted = {cls, *DECLARED_RANGES[predicate][1]}
        for value in sorted(set(graph.objects(None, predicate)), key=str):
            if not isinstance(value, URIRef | BNode):
                continue
            if cls == FOAF.Agent and (value, None, None) not in graph:
                continue  # a bare agent IRI: typing it would not name it; validation reports
            if any(t in accepted for t in graph.objects(value, RDF.type)):
                continue
            changes.append(
                add_object(
                    graph,
                    value,
                    RDF.type,
                    cls,
                    RANGE_TYPE_RULE.name,
                    "Typ aus dem Wertebereich der Eigenschaft ergänzt",
                    "type added from the property's range",
                )
            )
            bare_identifier = cls == ADMS.Identifier and isinstance(value, URIRef)
            if bare_identifier and (value, SKOS.notation, None) not in graph:
                changes.append(
                    add_object(
                        graph,
                        value,
                        SKOS.notation,
                        Literal(str(value)),
                        RANGE_TYPE_RULE.name,
                        "Kennung als IRI: die IRI als skos:notation ergänzt",
                        "identifier given as an IRI: the IRI added as skos:notation",
                    )
                )
    return changes


def _identifiers_from_text(graph: Graph) -> list[Change]:
    """adms:identifier "4635D337-…" (text) is an adms:Identifier whose notation is that text."""
    changes: list[Change] = []
    if ADMS.identifier not in shape_classes():
        return changes
    for subject, value in sorted(graph.subject_objects(ADMS.identifier), key=str):
        if not isinstance(value, Literal) or not str(value).strip():
            continue
        identifier = BNode()
        what_de = "Kennung als Text: als adms:Identifier mit dieser skos:notation geschrieben"
        what_en = "identifier given as text: written as an adms:Identifier with that notation"
        graph.add((identifier, RDF.type, ADMS.Identifier))
        graph.add((identifier, SKOS.notation, value))
        changes.append(
            replace_object(
                graph,
                subject,
                ADMS.identifier,
                value,
                identifier,
                RANGE_TYPE_RULE.name,
                what_de,
                what_en,
            )
        )
    return changes


def _places_from_text(graph: Graph) -> list[Change]:
    """dct:spatial "Schweiz" (text) names a place: a dct:Location with that skos:prefLabel.

    The profile allows only an IRI or a dct:Location there; text that is an address is left to
    the kind rule.
    """
    changes: list[Change] = []
    for subject, value in sorted(graph.subject_objects(DCT.spatial), key=str):
        if not isinstance(value, Literal) or not str(value).strip() or _iri_in_text(str(value)):
            continue
        place = BNode()
        graph.add((place, RDF.type, DCT.Location))
        graph.add((place, SKOS.prefLabel, value))
        changes.append(
            replace_object(
                graph,
                subject,
                DCT.spatial,
                value,
                place,
                RANGE_TYPE_RULE.name,
                "Raumbezug als Text: als dct:Location mit diesem Namen geschrieben",
                "spatial coverage given as text: written as a dct:Location of that name",
            )
        )
    return changes


def agent_names_from_vcard(graph: Graph, context: NormalisationContext) -> list[Change]:
    agents = {
        node
        for cls in AGENT_CLASSES
        for node in graph.subjects(RDF.type, cls)
        if isinstance(node, URIRef | BNode)
    }
    for predicate in AGENT_PROPERTIES:
        agents.update(n for n in graph.objects(None, predicate) if isinstance(n, URIRef | BNode))
    changes: list[Change] = []
    for agent in sorted(agents, key=str):
        if (agent, FOAF.name, None) in graph:
            continue
        for source in NAME_PROPERTIES:
            names = [
                name
                for name in sorted(graph.objects(agent, source), key=str)
                if isinstance(name, Literal) and str(name).strip()
            ]
            for name in names:
                changes.append(
                    add_object(
                        graph,
                        agent,
                        FOAF.name,
                        name,
                        AGENT_NAME_RULE.name,
                        f"Name des Akteurs aus {short_text(source)} übernommen",
                        f"agent's name taken from {short_text(source)}",
                    )
                )
            if names:
                break
    return changes


NODE_KIND_RULE = Rule(
    name="node-kind",
    label_de="Text oder Adresse, wie das Profil es verlangt",
    label_en="text or address as the profile requires",
    description_de=(
        "Wo das Profil IRI oder Text vorschreibt (sh:nodeKind), wird ein Wert der falschen Art "
        "umgeschrieben: Text, der genau eine Adresse ist, zur IRI; eine IRI zu ihrem Text."
    ),
    description_en=(
        "Where the profile fixes IRI or text (sh:nodeKind), a value of the wrong kind is "
        "rewritten: text that is exactly one address becomes the IRI; an IRI becomes its text."
    ),
    apply=fix_node_kinds,
)

RANGE_TYPE_RULE = Rule(
    name="range-type",
    label_de="Typ ergänzt",
    label_en="type added",
    description_de=(
        "Werte von dcat:distribution, dcat:contactPoint, adms:identifier, dct:temporal, "
        "dct:publisher und dct:creator ohne Typ erhalten den Typ, den DCAT-AP als Wertebereich "
        "festlegt (unbeschriebene Akteur-IRIs ausgenommen)."
    ),
    description_en=(
        "Untyped values of dcat:distribution, dcat:contactPoint, adms:identifier, "
        "dct:temporal, dct:publisher and dct:creator get the type DCAT-AP declares as the "
        "range (undescribed agent IRIs excepted)."
    ),
    apply=type_by_range,
)

AGENT_NAME_RULE = Rule(
    name="agent-name",
    label_de="Name von Organisation oder Person",
    label_en="name of organisation or person",
    description_de=(
        "Akteure ohne foaf:name, deren Name als vcard:fn, vcard:organization-name, "
        "skos:prefLabel, rdfs:label oder schema:name angegeben ist, erhalten ihn als foaf:name."
    ),
    description_en=(
        "Agents without foaf:name whose name is given as vcard:fn, vcard:organization-name, "
        "skos:prefLabel, rdfs:label or schema:name get it as foaf:name."
    ),
    apply=agent_names_from_vcard,
)
