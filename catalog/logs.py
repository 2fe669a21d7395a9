"""Logging set up once per process, by whoever starts it (the CLI or the WSGI entry point)."""

from __future__ import annotations

import logging
import sys

_configured = False


def configure_logging(level: int = logging.INFO) -> None:
    """Plain lines on stderr; a second call only adjusts the level."""
    global _configured
    root = logging.getLogger()
    root.setLevel(level)
    if _configured:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    # Alembic announces every plugin and migration step at INFO; only its problems matter here.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    _configured = True
