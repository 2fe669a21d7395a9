"""Record store throughput: batch inserts and keyset paging of 100,000 records.

Usage: python benchmarks/store.py [--records N] [--batch B] [--postgres URL]
Each record carries about 5 KB of N-Triples, as a real DCAT-AP.de dataset graph does.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

from rdflib import URIRef
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from catalog.migrate import upgrade_database
from catalog.records import Actor, NewRecord, RecordContent, create_records, list_records
from catalog.store import Store, open_store
from dcat.parsing import parse_rdf
from dcat.view import dataset_view

WORDS = [
    *("Baumkataster", "Luftqualität", "Messstation", "Stickstoffdioxid", "Radverkehr"),
    *("Zählstelle", "Bebauungsplan", "Haushalt", "Wahlbezirk", "Einwohner", "Stadtteil"),
    *("Spielplatz", "Haltestelle", "Parkhaus", "Lärmkarte", "Gewässer"),
]
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
DOWNLOADS = "https://daten.musterstadt.example"


def graph_text(index: int, target_bytes: int = 5_000) -> str:
    """About target_bytes of N-Triples describing one dataset with distributions."""
    uri = f"http://musterstadt.example/dataset/ds-{index}"
    lines = [
        f"<{uri}> {TYPE} <{DCAT}Dataset> .",
        f'<{uri}> <{DCT}title> "{WORDS[index % len(WORDS)]} {index}"@de .',
    ]
    n = 0
    while sum(len(line) + 1 for line in lines) < target_bytes:
        dist = f"{uri}/distribution/{n}"
        word = WORDS[(index + n) % len(WORDS)]
        lines += [
            f"<{uri}> <{DCAT}distribution> <{dist}> .",
            f"<{dist}> {TYPE} <{DCAT}Distribution> .",
            f"<{dist}> <{DCAT}accessURL> <{DOWNLOADS}/{word}/{index}/{n}.csv> .",
            f'<{dist}> <{DCT}description> "{word} der Stadt Musterstadt, Stand {2000 + n}"@de .',
            f'<{uri}> <{DCAT}keyword> "{word}"@de .',
        ]
        n += 1
    return "\n".join(lines) + "\n"


def new_record(index: int) -> NewRecord:
    uri = f"http://musterstadt.example/dataset/ds-{index}"
    graph = graph_text(index)
    # Read from the graph as catalog.ingest reads them before a save (the caller's work too).
    view = dataset_view(parse_rdf(graph, content_type="application/n-triples"), URIRef(uri))
    content = RecordContent(
        uri=uri,
        graph=graph,
        content_hash=hashlib.sha256(graph.encode()).hexdigest(),
        title=f"{WORDS[index % len(WORDS)]} {index}",
        distributions=view.distributions,
    )
    return NewRecord(name=f"ds-{index}", content=content)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(store: Store, records: int, batch: int) -> dict[str, float]:
    upgrade_database(store)
    actor = Actor(label="benchmark")
    insert_seconds = 0.0
    for start in range(0, records, batch):
        # Generating the graph text is the caller's work, not the store's: keep it out of the clock.
        items = [new_record(i) for i in range(start, min(start + batch, records))]
        started = time.perf_counter()
        create_records(store, items, actor=actor)
        insert_seconds += time.perf_counter() - started

    started = time.perf_counter()
    seen = 0
    cursor = None
    while True:
        page = list_records(store, after=cursor, limit=1000)
        seen += len(page.records)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    read_seconds = time.perf_counter() - started
    assert seen == records, f"paging returned {seen} of {records} records"
    return {
        "insert_per_s": records / insert_seconds,
        "insert_s": insert_seconds,
        "read_per_s": records / read_seconds,
        "read_s": read_seconds,
    }


def table_row(database: str, records: int, result: dict[str, float], size: str) -> str:
    inserted, read = result["insert_per_s"], result["read_per_s"]
    return f"| {database} | {records:,} | {inserted:,.0f} | {read:,.0f} | {size} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--postgres", help="PostgreSQL URL; a throwaway schema is used")
    args = parser.parse_args()
    print(f"graph text per record: {len(graph_text(1))} bytes")

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.db")
        result = run(store, args.records, args.batch)
        store.close()
        size = Path(tmp, "bench.db").stat().st_size / 1e6
        print(table_row("SQLite", args.records, result, f"{size:,.0f} MB"))

    if args.postgres:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.postgres)
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        try:
            store = open_store(args.postgres, connect_args={"options": f"-csearch_path={schema}"})
            result = run(store, args.records, args.batch)
            store.close()
            print(table_row("PostgreSQL", args.records, result, ""))
        finally:
            with admin.begin() as connection:
                connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    print(f"peak RSS: {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
