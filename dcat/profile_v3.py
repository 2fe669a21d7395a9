"""DCAT-AP.de 3.0: the rendering of a stored (2.0) record graph, and a 3.0 graph read back.

The stored graph stays the one record; 3.0 is a rendering of it, made by the tables below in
one direction (`render_v3`) and read back by the same tables in the other (`stored_form_of_v3`,
used when a 3.0 catalog is harvested). What 3.0 names and 2.0 does not (dcat:version's siblings
without a 2.0 term, dcatap:applicableLegislation, dcatap:hvdCategory, EU dataset types) passes
through both directions unchanged.

The changes, after the 3.0 changelog (08_changelog_3_0_manual.md, 08_changelog_3_0.md) and the
3.0 shapes (../shared/dcat-ap-de/shapes/v3.0):
- removed: dcatde:plannedAvailability (-> dcatap:availability where none is given),
  schema:startDate/endDate (-> dcat:startDate/endDate), dcat:granularity, dct:type
  datasetTypes/collection;
- deprecated with a named successor: owl:versionInfo -> dcat:version, dcatde:originator/
  maintainer -> geodcatap:originator/custodian (dct:hasVersion stays: dcat:hasVersion must name
  a described dcat:Dataset, which a landing page a portal links as its version is not);
- new lists: SPDX checksum algorithms, EU distribution-status (adms:status), EU access-right;
- ranges: a text in dct:provenance, dct:rights, dct:accessRights (none of the EU list) or
  dct:conformsTo the rdfs:label of a ProvenanceStatement, RightsStatement or Standard node;
  dcat:byteSize xsd:nonNegativeInteger, vcard:hasTelephone an IRI (tel:), locn:geometry
  a locn:Geometry node (a WKT or GeoJSON literal becomes its gsp:asWKT / gsp:asGeoJSON).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from dcat.namespaces import (
    ADMS,
    DCAT,
    DCATAP,
    DCATDE,
    DCT,
    GSP,
    LOCN,
    OWL,
    RDF,
    RDFS,
    SCHEMA,
    SPDX,
    VCARD,
    XSD,
)
from dcat.vocabularies import ACCESS_RIGHTS, AVAILABILITY, DISTRIBUTION_STATUS

GEODCATAP = Namespace("http://data.europa.eu/930/")
HASH_ALGORITHMS = "http://dcat-ap.de/def/hashAlgorithms/"
DATASET_TYPE_COLLECTION = URIRef("http://dcat-ap.de/def/datasetTypes/collection")
ADMS_STATUS = "http://purl.org/adms/status/"
# DCAT 3 terms that rdflib's DCAT namespace (DCAT 2) does not know, and the one it dropped.
DCAT_VERSION = URIRef(str(DCAT) + "version")
DCAT_GRANULARITY = URIRef(str(DCAT) + "granularity")

# Deprecated in 3.0 with a successor that means the same: renamed both ways.
RENAMED: tuple[tuple[URIRef, URIRef], ...] = (
    (OWL.versionInfo, DCAT_VERSION),
    (DCATDE.originator, GEODCATAP.originator),
    (DCATDE.maintainer, GEODCATAP.custodian),
)

# Removed in 3.0, superseded by a property 2.0 already had: moved where the successor is
# missing, dropped where it is given (2.0 normalisation does the same on the way in).
SUPERSEDED: tuple[tuple[URIRef, URIRef], ...] = (
    (DCATDE.plannedAvailability, DCATAP.availability),
    (SCHEMA.startDate, DCAT.startDate),
    (SCHEMA.endDate, DCAT.endDate),
)

# Removed in 3.0 without a successor.
DROPPED_PROPERTIES: frozenset[URIRef] = frozenset({DCAT_GRANULARITY})
DROPPED_VALUES: frozenset[tuple[URIRef, URIRef]] = frozenset({(DCT.type, DATASET_TYPE_COLLECTION)})

# dcat-ap.de hash algorithms (2.0) and their SPDX names (3.0), one to one.
CHECKSUM_ALGORITHMS: dict[URIRef, URIRef] = {
    URIRef(HASH_ALGORITHMS + code): SPDX["checksumAlgorithm_" + spdx]
    for code, spdx in (
        ("md/2", "md2"),
        ("md/5", "md5"),
        ("sha/1", "sha1"),
        ("sha/224", "sha224"),
        ("sha/256", "sha256"),
        ("sha/384", "sha384"),
        ("sha/512", "sha512"),
    )
}
# ADMS status (2.0) and EU distribution-status (3.0), one to one.
DISTRIBUTION_STATUSES: dict[URIRef, URIRef] = {
    URIRef(ADMS_STATUS + adms): URIRef(DISTRIBUTION_STATUS.scheme + "/" + eu)
    for adms, eu in (
        ("Completed", "COMPLETED"),
        ("Deprecated", "DEPRECATED"),
        ("UnderDevelopment", "DEVELOP"),
        ("Withdrawn", "WITHDRAWN"),
    )
}
VALUE_MAPS: tuple[tuple[URIRef, dict[URIRef, URIRef]], ...] = (
    (SPDX.algorithm, CHECKSUM_ALGORITHMS),
    (ADMS.status, DISTRIBUTION_STATUSES),
)
_SPDX_ALGORITHM_PREFIX = str(SPDX) + "checksumAlgorithm_"
_DCATAP_WITH_SLASH = "http://data.europa.eu/r5r/"
_DCATAP_2_TERMS = frozenset({"availability"})  # DCAT-AP.de 2.0's terms in the "#" namespace
_HEX = re.compile(r"^(?:[0-9a-fA-F]{2})+$")
_INTEGER = re.compile(r"^\+?[0-9]+(\.0*)?$")


def render_v3(graph: Graph) -> Graph:
    """The DCAT-AP.de 3.0 rendering of a stored record graph (the input stays as it is)."""
    rendered = _bare_graph()
    forward: dict[Node, Node] = {old: new for old, new in RENAMED}
    superseded: dict[Node, Node] = dict(SUPERSEDED)
    values: dict[Node, dict[Node, Node]] = {
        p: {old: new for old, new in table.items()} for p, table in VALUE_MAPS
    }
    for subject, predicate, obj in graph:
        if predicate in DROPPED_PROPERTIES or (predicate, obj) in DROPPED_VALUES:
            continue
        if predicate in superseded:
            successor = superseded[predicate]
            if graph.value(subject, successor) is None:
                rendered.add((subject, successor, _successor_value(successor, obj)))
            continue
        if predicate in values:
            obj = values[predicate].get(obj, obj)
        rendered.add((subject, forward.get(predicate, predicate), _v3_value(predicate, obj)))
    _geometry_literals_as_nodes(rendered)
    _statement_literals_as_nodes(rendered)
    for algorithm in set(rendered.objects(None, SPDX.algorithm)):
        if str(algorithm).startswith(_SPDX_ALGORITHM_PREFIX):
            # spdx:algorithm's range in 3.0 (checked with sh:class); the SPDX ontology says so
            # of each of its individuals, and no reader of our documents loads it.
            rendered.add((algorithm, RDF.type, SPDX.ChecksumAlgorithm))
    return rendered


def stored_form_of_v3(graph: Graph) -> Graph:
    """A DCAT-AP.de 3.0 graph in the stored (2.0) form: the renamings and lists mapped back
    where 2.0 has an equivalent, everything else kept as it was."""
    stored = _bare_graph()
    backward: dict[Node, Node] = {new: old for old, new in RENAMED}
    values: dict[Node, dict[Node, Node]] = {
        predicate: {new: old for old, new in table.items()} for predicate, table in VALUE_MAPS
    }
    algorithms_back = values[SPDX.algorithm]
    geometries = _geometry_nodes_as_literals(graph)
    statements = _statement_nodes_as_literals(graph)
    for subject, predicate, obj in graph:
        if predicate == RDF.type and obj == SPDX.ChecksumAlgorithm and subject in algorithms_back:
            continue  # our own rendering's typing of a list value that maps back
        if subject in geometries or subject in statements:
            continue
        if predicate == LOCN.geometry and obj in geometries:
            obj = geometries[obj]
        elif obj in statements:
            obj = statements[obj]
        predicate = _dcatap_namespace(predicate)
        if predicate in values:
            obj = values[predicate].get(obj, obj)
        if predicate == DCAT.byteSize and isinstance(obj, Literal):
            obj = _decimal(obj)
        stored.add((subject, backward.get(predicate, predicate), obj))
    return stored


GEOMETRY_SERIALISATIONS: tuple[tuple[URIRef, URIRef], ...] = (
    (GSP.wktLiteral, GSP.asWKT),
    (GSP.geoJSONLiteral, GSP.asGeoJSON),
)


# Properties whose 3.0 range is a described resource where portals (and 2.0) write a text: the
# text becomes the label of a node of that class, as DCAT-AP's usage notes show it.
STATEMENT_CLASSES: dict[Node, URIRef] = {
    DCT.provenance: DCT.ProvenanceStatement,
    DCT.rights: DCT.RightsStatement,
    DCT.accessRights: DCT.RightsStatement,  # a text the EU access-right list cannot name
    DCT.conformsTo: DCT.Standard,
}


def _statement_literals_as_nodes(graph: Graph) -> None:
    for predicate, cls in STATEMENT_CLASSES.items():
        for subject, literal in list(graph.subject_objects(predicate)):
            if not isinstance(literal, Literal):
                continue
            digest = hashlib.sha1(f"{subject.n3()} {predicate} {literal.n3()}".encode())
            node = BNode(f"statement{digest.hexdigest()[:16]}")
            graph.remove((subject, predicate, literal))
            graph.add((subject, predicate, node))
            graph.add((node, RDF.type, cls))
            graph.add((node, RDFS.label, literal))


def _statement_nodes_as_literals(graph: Graph) -> dict[Node, Literal]:
    """The statement nodes that say nothing but their class and one label, with that label."""
    found: dict[Node, Literal] = {}
    for predicate, cls in STATEMENT_CLASSES.items():
        for node in set(graph.objects(None, predicate)):
            if not isinstance(node, BNode):
                continue
            labels = [o for o in graph.objects(node, RDFS.label) if isinstance(o, Literal)]
            pairs = set(graph.predicate_objects(node))
            if len(labels) == 1 and pairs == {(RDF.type, cls), (RDFS.label, labels[0])}:
                found[node] = labels[0]
    return found


def _geometry_literals_as_nodes(graph: Graph) -> None:
    """locn:geometry "POLYGON(...)" -> locn:geometry [a locn:Geometry; gsp:asWKT "POLYGON(...)"].

    3.0 gives locn:geometry the range locn:Geometry (a node); GeoSPARQL's serialisation
    properties carry the same literal. The node's label comes from its content, so the same
    record always renders to the same document. A location named by an IRI (a political
    geocoding key) is shared by many records: its geometry node gets a name-based
    `urn:uuid:` IRI instead, since a page or dump keeps each record's blank nodes apart and
    the location would otherwise carry one geometry per record (locn:geometry max 1).
    """
    serialisation = dict(GEOMETRY_SERIALISATIONS)
    for location, literal in list(graph.subject_objects(LOCN.geometry)):
        if not isinstance(literal, Literal):
            continue
        datatype = literal.datatype or (
            GSP.geoJSONLiteral if str(literal).lstrip().startswith("{") else GSP.wktLiteral
        )
        if datatype not in serialisation:
            continue
        node = _geometry_node(location, literal)
        graph.remove((location, LOCN.geometry, literal))
        graph.add((location, LOCN.geometry, node))
        graph.add((node, RDF.type, LOCN.Geometry))
        graph.add((node, serialisation[datatype], literal))


def _geometry_node(location: Node, literal: Literal) -> Node:
    """A blank node for a record's own location; a name-based IRI for a shared (IRI) one."""
    if isinstance(location, URIRef):
        return URIRef(uuid.uuid5(uuid.NAMESPACE_URL, f"{location} {literal.n3()}").urn)
    digest = hashlib.sha1(f"{location.n3()} {literal.n3()}".encode()).hexdigest()[:16]
    return BNode(f"geometry{digest}")


def _geometry_nodes_as_literals(graph: Graph) -> dict[Node, Literal]:
    """The geometry nodes that say nothing but one serialisation, with that literal: blank
    ones, and the name-based IRIs _geometry_node gives a shared location's geometry."""
    properties = {prop for _, prop in GEOMETRY_SERIALISATIONS}
    found: dict[Node, Literal] = {}
    for location, node in set(graph.subject_objects(LOCN.geometry)):
        if isinstance(node, Literal):
            continue
        pairs = set(graph.predicate_objects(node))
        literals = [o for p, o in pairs if p in properties and isinstance(o, Literal)]
        if len(literals) != 1 or not pairs <= {
            (RDF.type, LOCN.Geometry),
            *((p, literals[0]) for p in properties),
        }:
            continue
        if isinstance(node, BNode) or node == _geometry_node(location, literals[0]):
            found[node] = literals[0]
    return found


def _bare_graph() -> Graph:
    """A graph without prefix bindings: binding ours costs more than the mapping itself, and
    every writer of ours names its prefixes itself."""
    return Graph(store="SimpleMemory", bind_namespaces="none")


def _dcatap_namespace(predicate: Node) -> Node:
    """dcatap:availability in the namespace 2.0 writes it: DCAT-AP.de 3.0's own examples
    declare the prefix as http://data.europa.eu/r5r/ (slash). Only 2.0's terms move; DCAT-AP
    3's own (applicableLegislation, hvdCategory: the HVD marking of dcat.hvd) are slash terms
    and stay as they are."""
    text = str(predicate)
    if isinstance(predicate, URIRef) and text.startswith(_DCATAP_WITH_SLASH):
        local = text.removeprefix(_DCATAP_WITH_SLASH)
        if local in _DCATAP_2_TERMS:
            return URIRef(str(DCATAP) + local)
    return predicate


def _successor_value(successor: Node, obj: Node) -> Node:
    if successor == DCATAP.availability:
        resolved = AVAILABILITY.resolve(str(obj))
        return URIRef(resolved) if resolved else obj
    return obj


_BYTE_SIZE, _TELEPHONE, _CHECKSUM_VALUE, _ACCESS_RIGHTS = (
    DCAT.byteSize,
    VCARD.hasTelephone,
    SPDX.checksumValue,
    DCT.accessRights,
)


def _v3_value(predicate: Node, obj: Node) -> Node:
    if not isinstance(obj, Literal):
        return obj
    if predicate == _BYTE_SIZE:
        return _non_negative_integer(obj)
    if predicate == _TELEPHONE:
        return _telephone_iri(str(obj))
    if predicate == _CHECKSUM_VALUE and obj.datatype in (None, XSD.string):
        text = str(obj).strip()
        if _HEX.match(text):
            return Literal(text, datatype=XSD.hexBinary)  # 3.0's range; 2.0 named none
    if predicate == _ACCESS_RIGHTS:
        resolved = ACCESS_RIGHTS.resolve(str(obj))
        return URIRef(resolved) if resolved else obj
    return obj


def _non_negative_integer(value: Literal) -> Literal:
    """3.0's range of dcat:byteSize; a fraction or negative number stays as written."""
    text = str(value).strip()
    if not _INTEGER.match(text):
        return value
    return Literal(
        text.lstrip("+").split(".")[0].lstrip("0") or "0", datatype=XSD.nonNegativeInteger
    )


def _decimal(value: Literal) -> Literal:
    if value.datatype == XSD.nonNegativeInteger:
        return Literal(str(value), datatype=XSD.decimal)
    return value


def _telephone_iri(text: str) -> Node:
    """A phone number as the tel: IRI 3.0 wants (RFC 3966: spaces become visual separators)."""
    number = text.strip()
    if number.lower().startswith("tel:"):
        number = number[4:]
    number = re.sub(r"\s+", "-", number.strip())
    if not number or not re.fullmatch(r"[0-9+()./-]+", number):
        return Literal(text)  # not a number a tel: IRI can carry: the 3.0 shapes will say so
    return URIRef("tel:" + number)


def is_v3_graph(graph: Graph) -> bool:
    """Whether a harvested graph uses terms only DCAT-AP.de 3.0 gives a meaning to."""
    predicates = set(graph.predicates())
    if predicates & {new for _, new in RENAMED}:
        return True
    objects: Iterable[Node] = graph.objects(None, SPDX.algorithm)
    if any(str(o).startswith(_SPDX_ALGORITHM_PREFIX) for o in objects):
        return True
    return any(o in set(DISTRIBUTION_STATUSES.values()) for o in graph.objects(None, ADMS.status))


__all__ = [
    "CHECKSUM_ALGORITHMS",
    "DISTRIBUTION_STATUSES",
    "GEODCATAP",
    "RENAMED",
    "SUPERSEDED",
    "is_v3_graph",
    "render_v3",
    "stored_form_of_v3",
]
