"""The MQA quality score: how fast it scores, and what share of a harvest's time it takes.

Usage:
    python benchmarks/quality.py                          # 10,000 records scored, 500 harvested
    python benchmarks/quality.py --records 10000 --harvest 500

1. Scoring: 10,000 synthetic DCAT-AP.de datasets (benchmarks/dcat.py's generator, three
   distributions each), parsed 1,000 at a time (not timed); timed are reading the facts from
   each record's graph (`quality_facts`, what a save does) and the points (`score_facts`,
   what re-scoring after a link check does), with link results for half of the URLs.
2. Share of a harvest: the same kind of records through the harvest's own path
   (RecordPreparer.prepare: normalise, validate, derive the content, which includes the
   quality facts; then create_records into SQLite, which includes storing the score). The
   quality parts are timed on their own on the same records; the share is their sum over
   the whole path's time. Fetching and parsing a source are left out, so the share is an
   upper bound.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalog.ingest import RecordPreparer  # noqa: E402
from catalog.migrate import upgrade_database  # noqa: E402
from catalog.quality.scores import ScoreInput, keep_quality  # noqa: E402
from catalog.records import Actor, NewRecord, create_records  # noqa: E402
from catalog.settings import settings_from_mapping  # noqa: E402
from catalog.store import open_store  # noqa: E402
from dcat.quality import LinkOutcome, quality_facts, score_facts  # noqa: E402

BATCH = 1000
EX = "https://daten.beispielstadt.de/"


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("dcat_benchmark", ROOT / "benchmarks/dcat.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def dataset_graphs(first: int, count: int, rng: random.Random) -> list[tuple[Graph, URIRef]]:
    generator = _generator()
    graphs = []
    for i in range(first, first + count):
        graph = Graph().parse(data=generator.PREFIXES + generator.synthetic_dataset(i, rng))
        graphs.append((graph, URIRef(f"{EX}dataset-{i}")))
    return graphs


def bench_scoring(records: int) -> dict[str, float]:
    rng = random.Random(19)
    checked = datetime(2026, 12, 1, tzinfo=UTC)
    facts_seconds = score_seconds = 0.0
    total_points = 0.0
    for first in range(0, records, BATCH):
        graphs = dataset_graphs(first, min(BATCH, records - first), rng)
        started = time.perf_counter()
        facts = [quality_facts(graph, node) for graph, node in graphs]
        facts_seconds += time.perf_counter() - started
        outcomes = {
            url: LinkOutcome(200, True, checked) for item in facts for url in sorted(item.urls)[::2]
        }
        started = time.perf_counter()
        for item in facts:
            total_points += score_facts(item, outcomes, compliant=True).points
        score_seconds += time.perf_counter() - started
    return {
        "records": records,
        "facts_seconds": round(facts_seconds, 3),
        "score_seconds": round(score_seconds, 3),
        "records_per_second_on_save": round(records / (facts_seconds + score_seconds)),
        "records_per_second_rescoring": round(records / score_seconds),
        "mean_points": round(total_points / records, 1),
    }


def bench_harvest_share(records: int) -> dict[str, float]:
    rng = random.Random(20)
    with tempfile.TemporaryDirectory() as folder:
        settings = settings_from_mapping(
            {
                "catalog": {
                    "title": "Beispielstadt",
                    "base_url": "https://daten.beispielstadt.de",
                    "publisher": {"name": "Stadt", "uri": "https://beispielstadt.de/"},
                },
                "storage": {"data_dir": folder},
            },
            base_dir=Path(folder),
            env={},
        )
        store = open_store(settings.database_url)
        upgrade_database(store)
        preparer = RecordPreparer(settings)
        graphs = dataset_graphs(0, records, rng)
        started = time.perf_counter()
        prepared = [preparer.prepare(graph, node) for graph, node in graphs]
        prepare_seconds = time.perf_counter() - started
        started = time.perf_counter()
        ids = create_records(
            store,
            [NewRecord(name=f"ds-{n}", content=p.content) for n, p in enumerate(prepared)],
            actor=Actor(label="benchmark"),
        )
        store_seconds = time.perf_counter() - started
        # The quality parts of that path, again on the same records, timed alone.
        normalised = [
            (preparer.normalise(graph).graph, node) for graph, node in graphs
        ]  # not timed: the facts are read from the normalised graph, as complete() does
        started = time.perf_counter()
        facts = [quality_facts(graph, node) for graph, node in normalised]
        facts_seconds = time.perf_counter() - started
        started = time.perf_counter()
        with store.transaction() as session:
            keep_quality(
                session,
                [
                    ScoreInput(record_id, item, compliant=True)
                    for record_id, item in zip(ids, facts, strict=True)
                ],
            )
        keep_seconds = time.perf_counter() - started
        store.close()
    total = prepare_seconds + store_seconds
    quality = facts_seconds + keep_seconds
    return {
        "records": records,
        "harvest_path_seconds": round(total, 3),
        "harvest_ms_per_record": round(1000 * total / records, 2),
        "quality_seconds": round(quality, 3),
        "quality_facts_seconds": round(facts_seconds, 3),
        "quality_store_seconds": round(keep_seconds, 3),
        "quality_ms_per_record": round(1000 * quality / records, 3),
        "quality_share_percent": round(100 * quality / total, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--harvest", type=int, default=500)
    args = parser.parse_args()
    result = {
        "load_average": os.getloadavg(),
        "scoring": bench_scoring(args.records),
        "harvest": bench_harvest_share(args.harvest),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
