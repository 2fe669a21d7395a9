"""What DCAT-AP.de 3.0 costs: rendering a record, judging it at save time, serving a page.

Run:  .venv/bin/python benchmarks/profiles.py [--rounds 20]
Builds the Musterstadt demo catalog in a temporary folder (as `make run` does), then times
render_record_text over its public records (2.0: the stored text as it is; 3.0: parse, map,
write N-Triples), the 3.0 judgement every save now makes (render, our 3.0 shapes, N-Triples;
catalog.profile_store.V3Judge), and a full /catalog.ttl page of them through Flask's test
client in each profile (3.0 pages stream the stored 3.0 text). Medians of the rounds. Prints a
Markdown report. Not a test.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from catalog.profile_store import shared_v3_judge
from catalog.publication import public_records
from dcat.profiles import Profile, render_record_text
from tests.conftest import build_demo
from web import create_app


def _median_seconds(action, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    logging.disable(logging.INFO)
    settings, store = build_demo(Path(tempfile.mkdtemp(prefix="stadtkatalog-profiles-")))
    texts = [record.graph for record in public_records(store, settings)]
    client = create_app(settings, store=store).test_client()
    print(f"{len(texts)} public demo records, {rounds} rounds, medians\n")
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load {os.getloadavg()[0]:.2f}\n"
    )
    print("| what | 2.0 | 3.0 | 3.0 per dataset |")
    print("|---|---|---|---|")
    for_profile = {
        profile: _median_seconds(
            lambda profile=profile: [render_record_text(t, profile) for t in texts], rounds
        )
        for profile in Profile
    }
    per = for_profile[Profile.DCATAPDE_3] / len(texts) * 1000
    print(
        f"| render_record_text, all records | {for_profile[Profile.DCATAPDE_2] * 1000:.2f} ms "
        f"| {for_profile[Profile.DCATAPDE_3] * 1000:.1f} ms | {per:.2f} ms |"
    )
    judge = shared_v3_judge()
    judged = _median_seconds(lambda: [judge.judge_text(t) for t in texts], rounds)
    print(
        f"| 3.0 judgement at save (render, shapes, text), all records | - "
        f"| {judged * 1000:.1f} ms | {judged / len(texts) * 1000:.2f} ms |"
    )
    pages = {}
    for profile in Profile:
        url = f"/catalog.ttl?page_size=100&profile={profile.value}"
        pages[profile] = _median_seconds(lambda url=url: client.get(url).get_data(), rounds)
    extra = (pages[Profile.DCATAPDE_3] - pages[Profile.DCATAPDE_2]) / len(texts) * 1000
    print(
        f"| /catalog.ttl page of {len(texts)} | {pages[Profile.DCATAPDE_2] * 1000:.1f} ms "
        f"| {pages[Profile.DCATAPDE_3] * 1000:.1f} ms | +{extra:.2f} ms |"
    )
    store.close()


if __name__ == "__main__":
    main()
