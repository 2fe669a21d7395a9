"""Benchmark of the dcat pipeline on synthetic DCAT-AP.de catalogs: parse, split, hash,
serialise, normalise, validate.

Run: .venv/bin/python benchmarks/dcat.py [--datasets 10000] [--validate-sample 200]
Prints a Markdown table (datasets/s per stage, peak memory). Not a test.
"""

from __future__ import annotations

import argparse
import gc
import logging
import random
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rdflib import Graph

from dcat.hashing import content_hash
from dcat.normalise import normalise
from dcat.parsing import parse_rdf, parse_rdf_file
from dcat.serialise import catalog_document_chunks, serialise
from dcat.split import split_catalog_into_datasets
from dcat.validation import Validator

WORDS = [
    "Baumkataster",
    "Parkplätze",
    "Haltestellen",
    "Radwege",
    "Schulen",
    "Kindertagesstätten",
    "Spielplätze",
    "Gewässergüte",
    "Luftqualität",
    "Lärmkarte",
    "Bebauungspläne",
    "Wahlergebnisse",
    "Haushaltsplan",
    "Bevölkerungsstatistik",
    "Abfallkalender",
    "Straßenverzeichnis",
    "Denkmalliste",
    "Friedhöfe",
    "Bibliotheken",
    "Sporthallen",
    "Trinkwasser",
    "Hochwasser",
    "Solarpotenzial",
    "Ladesäulen",
    "Carsharing",
]
AMT = ["Umweltamt", "Tiefbauamt", "Stadtplanungsamt", "Bürgeramt", "Statistikstelle"]
THEMES = ["ENVI", "TRAN", "EDUC", "GOVE", "SOCI", "REGI"]
GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/01054015"
FILE_TYPES = ["CSV", "JSON", "XLSX", "PDF", "GEOJSON"]

PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcatde: <http://dcat-ap.de/def/dcatde/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://daten.beispielstadt.de/> .
"""


def synthetic_dataset(i: int, rng: random.Random) -> str:
    """One DCAT-AP.de dataset of about 45 triples, in Turtle."""
    title = " ".join(rng.sample(WORDS, 2))
    office = rng.choice(AMT)
    distributions = []
    for d in range(3):
        fmt = rng.choice(FILE_TYPES)
        distributions.append(f"""ex:dataset-{i}-dist-{d} a dcat:Distribution ;
    dct:title "{title} als {fmt}"@de ;
    dcat:accessURL <https://daten.beispielstadt.de/files/{i}/{d}.{fmt.lower()}> ;
    dcat:downloadURL <https://daten.beispielstadt.de/files/{i}/{d}.{fmt.lower()}> ;
    dct:format <http://publications.europa.eu/resource/authority/file-type/{fmt}> ;
    dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ;
    dcatde:licenseAttributionByText "Stadt Beispielstadt, {office}" ;
    dct:modified "2024-0{1 + d}-15"^^xsd:date .""")
    return f"""ex:katalog dcat:dataset ex:dataset-{i} .
ex:dataset-{i} a dcat:Dataset ;
    dct:identifier "bsp-{i:06d}" ;
    dct:title "{title} {i}"@de ;
    dct:description "Der Datensatz {title} des {office}s enthält Angaben für das Stadtgebiet."@de ;
    dcat:keyword "{rng.choice(WORDS)}"@de, "{rng.choice(WORDS)}"@de, "Beispielstadt"@de ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/{rng.choice(THEMES)}> ;
    dct:issued "2020-03-01"^^xsd:date ;
    dct:modified "2024-05-{1 + i % 28:02d}"^^xsd:date ;
    dct:publisher ex:org-{AMT.index(office)} ;
    dcatde:contributorID <http://dcat-ap.de/def/contributors/beispielstadt> ;
    dcatde:politicalGeocodingURI <{GEOCODING}> ;
    dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2020-01-01"^^xsd:date ] ;
    dcat:contactPoint [ a vcard:Organization ; vcard:fn "{office}" ;
        vcard:hasEmail <mailto:{office.lower()}@beispielstadt.de> ] ;
    dcat:distribution ex:dataset-{i}-dist-0, ex:dataset-{i}-dist-1, ex:dataset-{i}-dist-2 .
{chr(10).join(distributions)}
"""


def synthetic_catalog(n: int) -> bytes:
    rng = random.Random(42)
    parts = [PREFIXES, 'ex:katalog a dcat:Catalog ; dct:title "Offene Daten Beispielstadt"@de .\n']
    for index, office in enumerate(AMT):
        parts.append(f'ex:org-{index} a foaf:Organization ; foaf:name "{office}"@de .\n')
    parts.extend(synthetic_dataset(i, rng) for i in range(n))
    return "".join(parts).encode("utf-8")


def timed(function: Callable[[], Any]) -> tuple[Any, float]:
    gc.collect()
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


REAL_CATALOGS = {
    "Bremen (RDF/XML)": "fixtures/dcat/portals/bremen-catalog.rdf",
    "Rostock page 1 (RDF/XML)": "fixtures/dcat/portals/rostock-catalog-page1.rdf",
}
SHARED = Path(__file__).resolve().parents[2] / "shared"


def real_catalog_rows(validator: Validator) -> list[tuple[str, int, list[float]]]:
    """Parse, split, normalise and validate each real portal catalog: seconds per stage."""
    rows = []
    for name, relative in REAL_CATALOGS.items():
        path = SHARED / relative
        if not path.is_file():
            print(f"{path} missing: {name} skipped", file=sys.stderr)
            continue
        graph, parse_seconds = timed(lambda p=path: parse_rdf_file(p))
        parts, split_seconds = timed(lambda g=graph: list(split_catalog_into_datasets(g)))
        normalised, normalise_seconds = timed(
            lambda ps=parts: [normalise(part.graph).graph for part in ps]
        )
        _, validate_seconds = timed(lambda gs=normalised: list(validator.validate_many(gs)))
        seconds = [parse_seconds, split_seconds, normalise_seconds, validate_seconds]
        rows.append((name, len(parts), seconds))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--validate-sample", type=int, default=200)
    parser.add_argument("--skip-rdflib-parse", action="store_true")
    args = parser.parse_args()
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    n = args.datasets
    rows: list[tuple[str, float, int, str]] = []

    def row(stage: str, seconds: float, count: int, note: str = "") -> None:
        rows.append((stage, seconds, count, note))

    data, seconds = timed(lambda: synthetic_catalog(n))
    row("generate Turtle text", seconds, n, f"{len(data) / 1e6:.1f} MB")

    if not args.skip_rdflib_parse:
        rdflib_graph, seconds = timed(lambda: Graph().parse(data=data, format="turtle"))
        row("parse: rdflib Graph.parse", seconds, n, f"{len(rdflib_graph):,} triples")
        del rdflib_graph
    graph, seconds = timed(lambda: parse_rdf(data, content_type="text/turtle"))
    row("parse: parse_rdf (pyoxigraph -> rdflib)", seconds, n, f"{len(graph):,} triples")

    parts, seconds = timed(lambda: list(split_catalog_into_datasets(graph)))
    sizes = [len(part.graph) for part in parts]
    row("split", seconds, len(parts), f"{sum(sizes) / len(sizes):.0f} triples per dataset")

    _, seconds = timed(lambda: [content_hash(part.graph) for part in parts])
    row("content_hash (RDFC-1.0, per dataset)", seconds, len(parts))

    texts, seconds = timed(lambda: [serialise(part.graph, "ttl") for part in parts])
    row("serialise Turtle per record (pyoxigraph)", seconds, len(parts))
    sample = parts[: min(len(parts), 1000)]
    _, seconds = timed(lambda: [part.graph.serialize(format="turtle") for part in sample])
    row("serialise Turtle per record (rdflib)", seconds, len(sample), "sample")
    _, seconds = timed(lambda: [serialise(part.graph, "jsonld") for part in sample])
    row("serialise JSON-LD per record", seconds, len(sample), "sample")
    _, seconds = timed(lambda: serialise(graph, "ttl"))
    row("serialise Turtle whole graph (pyoxigraph)", seconds, n)
    nt_texts = [serialise(part.graph, "nt").decode() for part in parts]
    header = Graph()
    for fmt, stored in (("ttl", [t.decode() for t in texts]), ("nt", nt_texts)):
        size, seconds = timed(
            lambda f=fmt, s=stored: sum(map(len, catalog_document_chunks(header, s, f)))
        )
        row(f"stream catalog dump ({fmt}) from stored texts", seconds, n, f"{size / 1e6:.1f} MB")

    subset = parts[: args.validate_sample]
    _, seconds = timed(lambda: [normalise(part.graph) for part in subset])
    row("normalise (dcat.normalise)", seconds, len(subset), "sample")
    validator, seconds = timed(Validator)
    row("Validator() load shapes", seconds, 1)
    _, seconds = timed(lambda: [validator.validate(part.graph) for part in subset])
    row("validate one by one (dcat.validation)", seconds, len(subset), "sample")
    _, seconds = timed(lambda: list(validator.validate_many(part.graph for part in subset)))
    row("validate_many, batches of 50", seconds, len(subset), "sample")

    real_rows = real_catalog_rows(validator)

    peak_after_pipeline = peak_rss_mb()
    tracemalloc.start()
    small = synthetic_catalog(1000)
    for part in split_catalog_into_datasets(parse_rdf(small, content_type="text/turtle")):
        content_hash(part.graph)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"\n## dcat pipeline, {n:,} synthetic datasets\n")
    print("| stage | datasets | seconds | datasets/s | note |")
    print("|---|---:|---:|---:|---|")
    for stage, seconds, count, note in rows:
        rate = f"{count / seconds:,.0f}" if seconds and count else "-"
        print(f"| {stage} | {count:,} | {seconds:.2f} | {rate} | {note} |")
    print("\n## Real portal catalogs (../shared/fixtures), whole pipeline\n")
    print("| catalog | datasets | parse s | split s | normalise s | validate s | datasets/s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, count, stage_seconds in real_rows:
        rate = f"{count / sum(stage_seconds):,.0f}" if count else "-"
        cells = " | ".join(f"{value:.2f}" for value in stage_seconds)
        print(f"| {name} | {count:,} | {cells} | {rate} |")
    print(f"\nPeak RSS of the process: {peak_after_pipeline:,.0f} MB")
    print(f"tracemalloc peak, parse+split+hash of 1,000 datasets: {traced_peak / 1e6:,.0f} MB")


if __name__ == "__main__":
    main()
