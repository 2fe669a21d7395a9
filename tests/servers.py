"""A WSGI app on a real HTTP server on 127.0.0.1, as CKAN clients, harvesters and browsers
meet it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from werkzeug.serving import make_server

from catalog.settings import Settings
from catalog.store import Store
from web import close_app, create_app


@contextmanager
def served(app: Any) -> Iterator[str]:
    """The app served in a thread on a free port; yields its base address."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


@contextmanager
def served_catalog(settings: Settings, store: Store) -> Iterator[str]:
    """The catalog's app served like `served`; afterwards its background harvests end and its
    app closes (web.close_app), so the next module starts from a quiet catalog."""
    app = create_app(settings, store=store)
    with served(app) as address:
        yield address
    for background in ("catalog.background_harvests", "catalog.background_link_checks"):
        running = app.extensions.get(background)
        if running is not None:
            running.join(timeout=60)
    close_app(app)
