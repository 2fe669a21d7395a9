"""Harvest through the task queue: one or two worker processes, PostgreSQL, Redis.

Usage:
    python benchmarks/queue_harvest.py --datasets 10000 --workers 1 2

Generates a paged DCAT-AP.de endpoint (benchmarks/harvest.py's pages, served by
`python -m http.server` in its own process), makes a fresh PostgreSQL schema, and per worker
count: `catalog init`, `catalog worker --concurrency N` in its own process, then
`catalog harvest quelle --wait` twice (all new, then all unchanged). Reports wall seconds of
each harvest, datasets/s, the job's counts and the peak RSS of every worker process (VmHWM of
the pool children, read just before they are stopped).

Needs CATALOG_TEST_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test) and
CATALOG_TEST_REDIS_URL (default redis://127.0.0.1:6379/15; that database is flushed).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from harvest import free_port, write_dcat_pages  # noqa: E402

from tests.nodes import postgres_schema  # noqa: E402

CATALOG = [sys.executable, "-m", "cli"]


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split()
        found += [int(child) for child in children]
    return found


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _harvest(env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    done = subprocess.run(
        [*CATALOG, "harvest", "quelle", "--wait"], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(done.stderr)
    # The summary table is on stderr, as under an in-process `catalog harvest`.
    return seconds, {"exit": done.returncode, "summary": done.stderr.strip().splitlines()[-8:]}


def run(datasets: int, workers: int, database: str, broker: str) -> dict[str, Any]:
    import redis

    redis.Redis.from_url(broker).flushdb()
    with tempfile.TemporaryDirectory() as tmp, postgres_schema(database) as schema_url:
        folder = Path(tmp)
        port = free_port()
        write_dcat_pages(folder, datasets, port)
        server = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        config = {
            "catalog": {
                "title": "Benchmark",
                "base_url": "http://catalog.bench",
                "publisher": {"name": "Stadt Beispielstadt"},
            },
            "storage": {"data_dir": str(folder / "instance")},
            "harvest": {"allow_private_networks": True},
            "tasks": {"broker_url": broker},
            "organizations": [{"name": "amt", "title": "Amt"}],
            "sources": [
                {
                    "name": "quelle",
                    "type": "dcat",
                    "organization": "amt",
                    "url": f"http://127.0.0.1:{port}/page-1.ttl",
                }
            ],
        }
        config_file = folder / "config.yaml"
        config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
        env = dict(os.environ, CATALOG_CONFIG=str(config_file), CATALOG_DATABASE_URL=schema_url)
        subprocess.run([*CATALOG, "init"], env=env, check=True, capture_output=True)
        worker = subprocess.Popen(
            [*CATALOG, "worker", "--concurrency", str(workers), "--loglevel", "WARNING"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while len(_children(worker.pid)) < workers:
                time.sleep(0.2)
            first, first_result = _harvest(env)
            again, again_result = _harvest(env)
            rss = [_peak_rss_mb(child) for child in _children(worker.pid)]
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)
            server.terminate()
    return {
        "datasets": datasets,
        "workers": workers,
        "first_s": round(first, 1),
        "first_per_s": round(datasets / first, 1),
        "unchanged_s": round(again, 1),
        "worker_peak_rss_mb": [round(value) for value in rss],
        "first": first_result,
        "unchanged": again_result,
        "load_average": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    arguments = parser.parse_args()
    database = os.environ.get(
        "CATALOG_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    broker = os.environ.get("CATALOG_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    for workers in arguments.workers:
        print(json.dumps(run(arguments.datasets, workers, database, broker), indent=1), flush=True)


if __name__ == "__main__":
    main()
