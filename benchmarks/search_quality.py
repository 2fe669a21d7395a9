"""German search quality: recall and precision@10 over tests/data/search/german_queries.yaml.

The demo catalog and the German real catalogs (tests/data/real) are harvested the way every
source is, indexed in one Whoosh index, and each query of the set is searched among all
records (public or not). Recall is over the whole result list (a dataset not found at all is
lost); precision is over the first ten hits (the first page a citizen reads). Run from the
repository root:

    .venv/bin/python benchmarks/search_quality.py [--misses]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.catalog.search.german_corpus import (
    TOP,
    build_index,
    corpus_documents,
    judge,
    load_queries,
    mean_precision,
    mean_recall,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list what each query missed")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    queries = load_queries()
    with tempfile.TemporaryDirectory() as folder:
        documents = corpus_documents(Path(folder))
        started = time.perf_counter()
        backend = build_index(Path(folder) / "search", documents)
        built = time.perf_counter() - started
        try:
            judged = judge(backend, queries)
        finally:
            backend.close()
    print(f"{len(documents)} documents indexed in {built:.1f} s; {len(judged)} queries")
    print(f"| query | expected | found | recall | precision@{TOP} |")
    print("|---|---:|---:|---:|---:|")
    for item in judged:
        print(
            f"| {item.query} | {len(item.expected)} | {len(item.found)} "
            f"| {item.recall:.2f} | {item.precision_at_top:.2f} |"
        )
        if args.misses:
            missed = sorted(item.expected - set(item.found))
            if missed:
                print(f"  missed: {', '.join(missed[:12])}")
    print(f"| **mean** | | | {mean_recall(judged):.3f} | {mean_precision(judged):.3f} |")


if __name__ == "__main__":
    main()
