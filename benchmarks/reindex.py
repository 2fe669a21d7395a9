"""`catalog reindex` on each search engine: seconds, records/s and peak RSS of the command.

Usage:
    python benchmarks/reindex.py --records 10000            # whoosh and tantivy, one fill
    python benchmarks/reindex.py --records 100000 --engines tantivy

Each engine runs twice: first with the stored flat views deleted (`cold`: every graph is
parsed once and its view stored, as after an upgrade from a release without them), then with
them (`stored`: the views the fill's saves kept, as every reindex after that).

The store is filled once by benchmarks/corpus.py (fill_store: records as a harvest stores
them), then `catalog reindex` runs as its own process for each engine, so that its peak RSS
(RUSAGE_CHILDREN after each run: the largest child so far) is the command's own.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _corpus() -> Any:
    spec = importlib.util.spec_from_file_location("corpus", ROOT / "benchmarks/corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus"] = module
    spec.loader.exec_module(module)
    return module


def main() -> None:
    from catalog.migrate import upgrade_database
    from catalog.settings import settings_from_mapping
    from catalog.store import open_store

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--engines", nargs="*", default=["whoosh", "tantivy"])
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="reindex-"))
    mapping = {
        "catalog": {
            "title": "Benchmark",
            "base_url": "http://127.0.0.1",
            "publisher": {"name": "Stadt Musterstadt"},
        },
        "storage": {"data_dir": str(folder / "instance")},
    }
    settings = settings_from_mapping(mapping, base_dir=folder, env={})
    store = open_store(settings.database_url)
    upgrade_database(store)
    fill_seconds = _corpus().fill_store(store, settings, options.records)
    store.close()
    print(json.dumps({"records": options.records, "fill_seconds": round(fill_seconds)}))
    catalog = str(Path(sys.executable).with_name("catalog"))
    for engine in options.engines:
        for views in ("cold", "stored"):
            if views == "cold":
                _drop_stored_views(settings)
            _reindex(folder, engine, views, options.records, catalog)


def _drop_stored_views(settings: Any) -> None:
    from sqlalchemy import delete

    from catalog.models import StoredView
    from catalog.store import open_store

    store = open_store(settings.database_url)
    with store.transaction() as session:
        session.execute(delete(StoredView))
    store.close()


def _reindex(folder: Path, engine: str, views: str, records: int, catalog: str) -> None:
    config = folder / f"config-{engine}.yaml"
    config.write_text(
        "catalog:\n  title: Benchmark\n  base_url: http://127.0.0.1\n"
        "  publisher: {name: Stadt Musterstadt}\nstorage:\n  data_dir: ./instance\n"
        f"search:\n  backend: {engine}\n",
        encoding="utf-8",
    )
    env = {**os.environ, "CATALOG_CONFIG": str(config), "PYTHONPATH": str(ROOT)}
    started, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([catalog, "reindex"], env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    print(
        json.dumps(
            {
                "engine": engine,
                "views": views,
                "records": records,
                "reindex_seconds": round(seconds, 1),
                "reindex_cpu_seconds": round(used, 1),
                "records_per_second": round(records / seconds),
                "peak_rss_mb_largest_child": round(after.ru_maxrss / 1024),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
