"""Conformance on real catalogs: each catalog of tests/data/real harvested through a real HTTP
server on 127.0.0.1, first as a steward adds it (no per-source settings), then with the
settings a steward writes after reading the job report (tests/data/real/steward-settings.yaml).

Prints per catalog: datasets delivered, published, held back, refused, the publishable share,
seconds, and the top reasons records were held back. Run from the repository root:

    .venv/bin/python benchmarks/conformance.py [--top 3] [--kind csw ...]
"""

from __future__ import annotations

import argparse
import logging
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from catalog.migrate import upgrade_database
from catalog.store import open_store
from tests.harvesters.real_corpus import (
    CatalogOutcome,
    corpus_settings,
    harvest,
    load_corpus,
    serve,
    total_of,
)
from tests.harvesters.recorded import RecordedServer


def run(with_steward_settings: bool, kinds: list[str]) -> list[tuple[str, CatalogOutcome]]:
    results = []
    for catalog in load_corpus():
        if kinds and catalog.kind not in kinds:
            continue
        server = RecordedServer().start()
        try:
            with tempfile.TemporaryDirectory() as folder:
                sources = serve(server, catalog)
                settings = corpus_settings(Path(folder), sources, with_steward_settings)
                store = open_store(settings.database_url)
                upgrade_database(store)
                try:
                    outcomes = harvest(store, settings)
                finally:
                    store.close()
        finally:
            server.stop()
        total = total_of(outcomes, catalog.slug)
        results.append((catalog.origin, total))
    return results


def print_table(title: str, results: list[tuple[str, CatalogOutcome]], top: int) -> None:
    print(f"\n## {title}\n")
    print("| catalog | delivered | published | held back | refused | share | seconds |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    sums = [0, 0, 0, 0, 0.0]
    for _origin, outcome in results:
        share = outcome.published / outcome.delivered if outcome.delivered else 0.0
        print(
            f"| {outcome.slug} | {outcome.delivered} | {outcome.published} | "
            f"{outcome.held_back} | {outcome.refused} | {share:.0%} | {outcome.seconds:.1f} |"
        )
        for index, value in enumerate(
            (outcome.delivered, outcome.published, outcome.held_back, outcome.refused)
        ):
            sums[index] += value
        sums[4] += outcome.seconds
    share = sums[1] / sums[0] if sums[0] else 0.0
    print(
        f"| **all** | {sums[0]} | {sums[1]} | {sums[2]} | {sums[3]} | {share:.0%} | {sums[4]:.1f} |"
    )
    print("\nTop reasons (records held back per finding; refusals per cause):\n")
    for _origin, outcome in results:
        reasons = outcome.reasons.most_common(top) + outcome.refusals.most_common(top)
        if outcome.kept_out:
            reasons.append(
                ("held back by the source's rule: no open licence", len(outcome.kept_out))
            )
        if reasons:
            print(f"- {outcome.slug}: " + "; ".join(f"{n}× {text}" for text, n in reasons))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=3)
    parser.add_argument(
        "--kind", action="append", default=[], help="only catalogs of this kind (repeatable)"
    )
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    print(f"Machine: {platform.machine()}, {platform.python_version()}, {time.strftime('%F')}")
    print_table("Without per-source settings", run(False, arguments.kind), arguments.top)
    print_table("With the steward's settings", run(True, arguments.kind), arguments.top)


if __name__ == "__main__":
    main()
