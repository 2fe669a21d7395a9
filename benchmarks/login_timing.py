"""Whether a failed login's duration tells a known user name from an unknown one.

Run:  .venv/bin/python benchmarks/login_timing.py [--tries 50]
Builds the app on a fresh SQLite catalog in a temporary directory with one steward, then posts
wrong passwords to /verwaltung/anmelden through Flask's test client (with the form's CSRF
token, as a browser sends it), alternating a known and an unknown name. The login throttle's
rows are removed before each try, outside the timing, so every try reaches the password check.
Prints a Markdown table: median and p90 per kind of name. Not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import delete

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from catalog.accounts import add_user
from catalog.models import LoginAttempt
from catalog.settings import load_settings
from catalog.setup import initialise, open_current_store
from catalog.store import Store
from web import create_app

REPO = Path(__file__).resolve().parents[1]
LOGIN = "/verwaltung/anmelden"
KNOWN, UNKNOWN = "anna", "niemand-hier"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def timed_failed_logins(
    client: FlaskClient, token: str, store: Store, tries: int
) -> dict[str, list[float]]:
    """Seconds per wrong-password login, by kind of name, tries alternating between them."""
    seconds: dict[str, list[float]] = {KNOWN: [], UNKNOWN: []}
    for _ in range(tries):
        for name in (KNOWN, UNKNOWN):
            with store.transaction() as session:
                session.execute(delete(LoginAttempt))
            form = {"username": name, "password": "falsches-passwort", "csrf_token": token}
            started = time.perf_counter()
            response = client.post(LOGIN, data=form)
            seconds[name].append(time.perf_counter() - started)
            assert response.status_code == 401, (name, response.status_code)
    return seconds


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=50, help="logins per kind of name")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stadtkatalog-login-") as data_dir:
        settings = load_settings(REPO / "config.yaml", env={"CATALOG_DATA_DIR": data_dir})
        initialise(settings)
        store = open_current_store(settings)
        add_user(store, username=KNOWN, email="anna@stadt.example", password="richtig-und-lang")
        app = create_app(settings, store=store)
        try:
            client = app.test_client()
            match = _CSRF.search(client.get(LOGIN).get_data(as_text=True))
            assert match is not None, "no CSRF token on the login page"
            token = match.group(1) or match.group(2)
            client.post(
                LOGIN, data={"username": UNKNOWN, "password": "x" * 10, "csrf_token": token}
            )
            seconds = timed_failed_logins(client, token, store, args.tries)
        finally:
            app.extensions["catalog.search"].close()
            store.close()
    print(
        f"Machine: {os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}; {args.tries} wrong-password logins per name\n"
    )
    print("| user name | median ms | p90 ms |")
    print("|---|---:|---:|")
    for name, label in ((KNOWN, "known"), (UNKNOWN, "unknown")):
        median = statistics.median(seconds[name]) * 1000
        p90 = percentile(seconds[name], 0.9) * 1000
        print(f"| {label} | {median:.1f} | {p90:.1f} |")


if __name__ == "__main__":
    main()
