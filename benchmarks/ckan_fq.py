"""CKAN package_search with OR and NOT in fq, on a SQLite catalog of generated records.

Run:  .venv/bin/python benchmarks/ckan_fq.py [--records 2000] [--data-dir DIR] [--reuse]
The first run fills DIR (default /tmp/stadtkatalog-ckan-fq-N) from benchmarks/corpus.py and
rebuilds its search index; --reuse keeps what is there. Requests go through Flask's test
client with rows=0, so the time is the search's and not that of building package dicts; the
CPU time of this process is given beside the wall clock, which other load on the machine skews.
Prints one Markdown table row per fq. Not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import fill_store, organisation_names

from catalog.search.service import open_search_index
from catalog.settings import Settings, load_settings
from catalog.setup import initialise, open_current_store
from web import create_app

REPO = Path(__file__).resolve().parents[1]


def settings_for(data_dir: Path) -> Settings:
    return load_settings(REPO / "config.yaml", env={"CATALOG_DATA_DIR": str(data_dir)})


def prepare_catalog(data_dir: Path, records: int, reuse: bool) -> Settings:
    settings = settings_for(data_dir)
    if reuse and (data_dir / "catalog.db").exists():
        return settings
    if (data_dir / "catalog.db").exists():
        raise SystemExit(f"{data_dir} exists: use --reuse or remove it")
    initialise(settings)
    store = open_current_store(settings)
    fill_store(store, settings, records)
    index = open_search_index(store, settings)
    index.reindex()
    index.close()
    store.close()
    return settings


def fq_cases() -> dict[str, str]:
    first, second = (slug for slug, _ in organisation_names()[:2])
    return {
        "no fq (for comparison)": "",
        "OR of two organisations": f"organization:({first} OR {second})",
        "NOT of a format": "-res_format:CSV",
        "OR of themes, NOT an organisation": (
            f"(groups:envi OR groups:tran) -organization:{first}"
        ),
        "NOT of an OR": "NOT (res_format:CSV OR res_format:PDF)",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--repeat", type=int, default=30)
    options = parser.parse_args()
    data_dir = options.data_dir or Path(f"/tmp/stadtkatalog-ckan-fq-{options.records}")
    settings = prepare_catalog(data_dir, options.records, options.reuse)
    store = open_current_store(settings)
    client = create_app(settings, store=store).test_client()
    print("| fq | matches | median ms | p95 ms | CPU median ms |")
    print("|---|---:|---:|---:|---:|")
    for label, fq in fq_cases().items():
        url = "/api/3/action/package_search?" + urlencode({"fq": fq, "rows": 0})
        count = client.get(url).get_json()["result"]["count"]  # also the warm-up
        times, cpu = [], []
        for _ in range(options.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        median, cpu_median = statistics.median(ordered), statistics.median(cpu)
        shown = f"`{fq}`" if fq else ""
        print(f"| {label}: {shown} | {count} | {median:.1f} | {p95:.1f} | {cpu_median:.1f} |")
    store.close()


if __name__ == "__main__":
    main()
