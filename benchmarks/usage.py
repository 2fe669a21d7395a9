"""Request overhead of usage counting: the dataset page with counting on and off.

Run:  .venv/bin/python benchmarks/usage.py [--requests 1000] [--rounds 5]
Builds the demo catalog (as `make run` does) in a temporary directory, then requests one
dataset page through Flask's test client with a browser's user agent, alternating rounds
with `usage.enabled` true and false so machine load hits both alike; also times the counting
call alone. Prints p50/p95 per setting. Not a test.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from catalog.records import get_record_by_name
from catalog.usage import Use
from tests.conftest import build_demo
from web import create_app

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    settings, store = build_demo(Path(tempfile.mkdtemp(prefix="usage-bench-")))
    apps = {}
    for enabled in (True, False):
        usage = settings.usage.model_copy(update={"enabled": enabled})
        apps[enabled] = create_app(settings.model_copy(update={"usage": usage}), store=store)
    page = apps[False].test_client().get("/suche").get_data(as_text=True)
    found = re.search(r'href="/dataset/([^"/.]+)"', page)
    assert found
    path = f"/dataset/{found.group(1)}"
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(options.rounds):
        for enabled, app in apps.items():
            client = app.test_client()
            client.get(path, headers={"User-Agent": BROWSER})  # warm
            for _ in range(options.requests):
                start = time.perf_counter()
                client.get(path, headers={"User-Agent": BROWSER})
                times[enabled].append(time.perf_counter() - start)
    counter = apps[True].extensions["catalog.usage"]
    record = get_record_by_name(store, found.group(1))
    assert record is not None
    calls = []
    for _ in range(10_000):
        start = time.perf_counter()
        counter.dataset_used(Use.VIEW, record.id, BROWSER)
        calls.append(time.perf_counter() - start)
    start = time.perf_counter()
    counter.flush()
    flushed = time.perf_counter() - start
    print("| counting | requests | p50 ms | p95 ms |")
    print("|---|---:|---:|---:|")
    for enabled in (False, True):
        values = times[enabled]
        print(
            f"| {'on' if enabled else 'off'} | {len(values)} | "
            f"{statistics.median(values) * 1000:.2f} | {percentile(values, 0.95) * 1000:.2f} |"
        )
    print(
        f"counting call alone: p50 {statistics.median(calls) * 1e6:.1f} µs, "
        f"p95 {percentile(calls, 0.95) * 1e6:.1f} µs; one flush {flushed * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
