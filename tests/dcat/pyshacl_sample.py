"""A graph whose verdict tells pyshacl's own sh:or from ours; imports nothing of ours.

The shape's sh:or has a member that fits and, second, a member with a broken pattern. pyshacl
as released checks every member and fails on the pattern; our sh:or (dcat.validation) stops
at the first member that fits and finds the graph conforming.
`python -m tests.dcat.pyshacl_sample` prints the verdict, and whether dcat was imported.
"""

from __future__ import annotations

import sys

import pyshacl
from rdflib import Graph

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
ex:CodeShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:code ; sh:or ( [ sh:datatype xsd:string ] [ sh:pattern "(" ] ) ] .
"""
DATA = """
@prefix ex: <http://example.org/> .
ex:a a ex:Thing ; ex:code "x" .
"""


def verdict() -> str:
    """What pyshacl.validate makes of the sample: "conforms=..." or the error it raised."""
    data = Graph().parse(data=DATA, format="turtle")
    shapes = Graph().parse(data=SHAPES, format="turtle")
    try:
        conforms, _, _ = pyshacl.validate(data, shacl_graph=shapes)
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return f"conforms={conforms}"


def dcat_imported() -> bool:
    return any(name == "dcat" or name.startswith("dcat.") for name in sys.modules)


if __name__ == "__main__":
    print(verdict())
    print(f"dcat imported: {dcat_imported()}")
