"""End-to-end harvest: a paged DCAT endpoint and a CSW on 127.0.0.1, a CSV list, into SQLite.

Usage:
    python benchmarks/harvest.py                      # every case, each in a fresh process
    python benchmarks/harvest.py --case dcat --datasets 10000   # one case, prints JSON

Each case harvests once (all new), then again (all unchanged), and reports seconds,
datasets/s and the process's peak RSS. The endpoint is `python -m http.server` in its own
process, serving pre-generated Turtle pages of 1,000 datasets linked by hydra:next, so the
server does not share the harvester's CPU time or memory accounting. The CSW case serves
generated ISO 19139 records (benchmarks/csw_records.py) in GetRecords pages of 100.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGE_SIZE = 1000
CSW_PAGE_SIZE = 100
CASES = [("dcat", 10_000), ("csv", 10_000), ("dcat", 50_000), ("csw", 1_000)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _dcat_benchmark() -> Any:
    """benchmarks/dcat.py (its dataset generator), loaded by path: `dcat` is our package's name."""
    spec = importlib.util.spec_from_file_location("dcat_benchmark", ROOT / "benchmarks/dcat.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_dcat_pages(folder: Path, datasets: int, port: int) -> None:
    """Turtle pages of PAGE_SIZE synthetic DCAT-AP.de datasets, linked with hydra:next."""
    generator = _dcat_benchmark()
    synthetic_dataset, PREFIXES, AMT = (
        generator.synthetic_dataset,
        generator.PREFIXES,
        generator.AMT,
    )
    rng = random.Random(42)
    pages = (datasets + PAGE_SIZE - 1) // PAGE_SIZE
    for page in range(1, pages + 1):
        address = f"http://127.0.0.1:{port}/page-{page}.ttl"
        parts = [
            PREFIXES,
            "@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n",
            'ex:katalog a dcat:Catalog ; dct:title "Offene Daten Beispielstadt"@de ;\n',
            f"    hydra:view <{address}> .\n",
            f"<{address}> a hydra:PartialCollectionView",
        ]
        if page < pages:
            parts.append(f" ;\n    hydra:next <http://127.0.0.1:{port}/page-{page + 1}.ttl>")
        parts.append(" .\n")
        for index, office in enumerate(AMT):
            parts.append(f'ex:org-{index} a foaf:Organization ; foaf:name "{office}"@de .\n')
        first = (page - 1) * PAGE_SIZE
        for i in range(first, min(first + PAGE_SIZE, datasets)):
            parts.append(synthetic_dataset(i, rng))
        (folder / f"page-{page}.ttl").write_text("".join(parts), encoding="utf-8")


def write_csv_list(path: Path, rows: int) -> None:
    """A department list as Excel writes it: BOM, semicolons, German headers."""
    rng = random.Random(7)
    words = ["Baumkataster", "Luftmessung", "Radzählung", "Haushalt", "Wahlbezirke", "Parkhäuser"]
    themes = ["Umwelt", "Verkehr", "Bevölkerung und Gesellschaft", "Wirtschaft und Finanzen"]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(
            [
                "Titel",
                "Beschreibung",
                "Schlagworte",
                "Kategorie",
                "Lizenz",
                "Format",
                "URL",
                "Ansprechpartner",
                "E-Mail",
                "Aktualisierung",
                "Zeitraum",
                "Kennung",
            ]
        )
        for i in range(rows):
            word = rng.choice(words)
            writer.writerow(
                [
                    f"{word} {i}",
                    f"{word} der Stadt Beispielstadt, Tabelle {i}.",
                    f"{word}, Beispielstadt",
                    rng.choice(themes),
                    "Datenlizenz Deutschland – Namensnennung – Version 2.0",
                    "CSV | JSON",
                    f"https://daten.beispielstadt.example/{i}.csv | "
                    f"https://daten.beispielstadt.example/{i}.json",
                    "Statistikstelle",
                    "statistik@beispielstadt.example",
                    "jährlich",
                    "2015-2024",
                    f"bsp-{i:06d}",
                ]
            )


def run_case(case: str, datasets: int) -> dict[str, Any]:
    """One case in this process: returns the numbers as a dict."""
    from catalog.ingest import RecordPreparer
    from catalog.organizations import get_source_by_name, sync_organizations, sync_sources
    from catalog.search.service import open_search_index
    from catalog.settings import settings_from_mapping
    from catalog.setup import initialise, open_current_store
    from harvesters.service import harvest_sources

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server = None
        if case == "dcat":
            port = free_port()
            write_dcat_pages(folder, datasets, port)
            server = subprocess.Popen(
                [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                cwd=folder,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(0.5)
            source: dict[str, Any] = {"url": f"http://127.0.0.1:{port}/page-1.ttl"}
        elif case == "csw":
            port = free_port()
            sys.path.insert(0, str(ROOT / "benchmarks"))
            from csw_records import write_csw_pages

            write_csw_pages(folder, datasets, CSW_PAGE_SIZE)
            server = subprocess.Popen(
                [sys.executable, str(ROOT / "benchmarks/csw_records.py"), str(folder), str(port)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(0.5)
            source = {
                "url": f"http://127.0.0.1:{port}/csw",
                "options": {"page_size": CSW_PAGE_SIZE},
            }
        else:
            write_csv_list(folder / "liste.csv", datasets)
            source = {"path": str(folder / "liste.csv")}
        config = {
            "catalog": {
                "title": "Benchmark",
                "base_url": "http://catalog.bench",
                "publisher": {"name": "Stadt Beispielstadt"},
            },
            "storage": {"data_dir": str(folder / "instance")},
            "harvest": {"allow_private_networks": True},
            "organizations": [{"name": "amt", "title": "Amt"}],
            "sources": [
                {
                    "name": "quelle",
                    "type": case if case in ("dcat", "csw") else "spreadsheet",
                    "organization": "amt",
                    **source,
                }
            ],
        }
        settings = settings_from_mapping(config, base_dir=folder, env={})
        initialise(settings)
        store = open_current_store(settings)
        sync_organizations(store, settings.organizations)
        sync_sources(store, settings.sources)
        harvest_source = get_source_by_name(store, "quelle")
        assert harvest_source is not None
        preparer = RecordPreparer(settings)
        # The search index listens, as under `catalog harvest`: index writes are part of it.
        index = open_search_index(store, settings)
        try:
            started, started_cpu = time.perf_counter(), time.process_time()
            with index.deferred():  # as `catalog harvest` writes the index: every 500 records
                (first,) = harvest_sources(store, settings, [harvest_source], preparer=preparer)
            first_seconds = time.perf_counter() - started
            # CPU time of this process: what the harvest costs, however loaded the machine is.
            first_cpu = time.process_time() - started_cpu
            rss_first = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            started = time.perf_counter()
            (second,) = harvest_sources(store, settings, [harvest_source], preparer=preparer)
            second_seconds = time.perf_counter() - started
        finally:
            index.close()
            if server is not None:
                server.terminate()
                server.wait()
        database = folder / "instance" / "catalog.db"
        return {
            "case": case,
            "datasets": datasets,
            "first_seconds": round(first_seconds, 1),
            "first_per_second": round(datasets / first_seconds),
            "first_cpu_ms_per_dataset": round(first_cpu * 1000 / datasets, 2),
            "first_counts": vars(first.counts),
            "first_status": first.status.value,
            "rerun_seconds": round(second_seconds, 1),
            "rerun_per_second": round(datasets / second_seconds),
            "rerun_counts": vars(second.counts),
            "peak_rss_mb_after_first": round(rss_first),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "database_mb": round(database.stat().st_size / 1e6, 1) if database.exists() else None,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=["dcat", "csv", "csw"])
    parser.add_argument("--datasets", type=int, default=10_000)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.datasets)))
        return
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    header = "| case | datasets | first harvest | re-harvest | peak RSS | database |"
    print(header)
    print("|---|---|---|---|---|---|")
    for case, datasets in CASES:
        output = subprocess.run(
            [sys.executable, __file__, "--case", case, "--datasets", str(datasets)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        print(
            f"| {case} | {datasets:,} | {result['first_seconds']} s "
            f"({result['first_per_second']}/s) | {result['rerun_seconds']} s "
            f"({result['rerun_per_second']}/s) | {result['peak_rss_mb']} MB | "
            f"{result['database_mb']} MB |",
            flush=True,
        )
        print(f"  counts: first {result['first_counts']}, rerun {result['rerun_counts']}")


if __name__ == "__main__":
    main()
