"""The web app: public pages, DCAT endpoints, CKAN Action API and the steward area."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from flask import Flask
from flask_wtf import CSRFProtect

from catalog.logs import configure_logging
from catalog.search.follower import IndexFollower
from catalog.search.service import SearchIndex, open_search_index
from catalog.settings import Settings, load_settings
from catalog.store import Store, open_store
from catalog.usage import UsageCounter
from harvesters.registry import declare_source_types

STORE_KEY = "catalog.store"
SETTINGS_KEY = "catalog.settings"
SEARCH_KEY = "catalog.search"
USAGE_KEY = "catalog.usage"  # web.usage reads it
DELIVERIES_KEY = "catalog.background_deliveries"
FOLLOWER_KEY = "catalog.search_follower"


def create_app(settings: Settings | None = None, store: Store | None = None) -> Flask:
    """Build the app; without arguments it reads $CATALOG_CONFIG or ./config.yaml (gunicorn)."""
    if settings is None:
        configure_logging()
        declare_source_types()
        settings = load_settings()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.web.secret_key or _instance_secret(settings.data_dir),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.catalog.base_url.startswith("https://"),
        SESSION_COOKIE_NAME="stadtkatalog_session",
        REMEMBER_COOKIE_SECURE=settings.catalog.base_url.startswith("https://"),
        WTF_CSRF_TIME_LIMIT=None,  # tokens live as long as the session: long forms are fine
        JSON_SORT_KEYS=False,
    )
    app.extensions[SETTINGS_KEY] = settings
    app.extensions[STORE_KEY] = store = store or open_store(settings.database_url)
    # Saves made by this app reach the index right after their commit (catalog.search);
    # those of other processes and nodes through the follower thread.
    app.extensions[SEARCH_KEY] = index = open_search_index(store, settings)
    _catch_up(index)
    _follow_change_log(app, settings, index)
    app.extensions[USAGE_KEY] = UsageCounter(
        store, enabled=settings.usage.enabled, flush_seconds=settings.usage.flush_seconds
    )

    from web import errors, i18n, page_context, path_numbers, request_limits, security_headers
    from web.ckan import api as ckan_api
    from web.dcat import documents as dcat_documents
    from web.dcat import dump as dcat_dump
    from web.public import change_feed, dataset_page, feeds, health, impact, search_pages
    from web.public import overview as public
    from web.steward import account as steward_account
    from web.steward import auth, password_reset
    from web.steward import dashboard as steward_dashboard
    from web.steward import datasets as steward_datasets
    from web.steward import hvd as steward_hvd
    from web.steward import impact as steward_impact
    from web.steward import links as steward_links
    from web.steward import members as steward_members
    from web.steward import quality as steward_quality
    from web.steward import sources as steward_sources
    from web.steward import tokens as steward_tokens
    from web.steward import users as steward_users
    from web.steward import webhooks as steward_webhooks

    path_numbers.register(app)
    request_limits.register(app, settings)
    i18n.register(app, settings.catalog.language)
    csrf = CSRFProtect(app)
    csrf.exempt(ckan_api.blueprint)  # CKAN clients authenticate with tokens, not cookies
    auth.register(app)
    for module in (
        public,
        search_pages,
        dataset_page,
        feeds,
        change_feed,
        health,
        impact,
        dcat_documents,
        dcat_dump,
        ckan_api,
        steward_dashboard,
        steward_datasets,
        steward_quality,
        steward_links,
        steward_hvd,
        steward_sources,
        steward_members,
        steward_impact,
        steward_tokens,
        steward_account,
        steward_users,
        steward_webhooks,
        password_reset,
    ):
        app.register_blueprint(module.blueprint)
    errors.register(app)
    _start_background_deliveries(app, settings, store)
    page_context.register(app, settings)
    security_headers.register(app, settings)
    # The app's threads use the store: they stop when it closes, never after.
    store.on_close(lambda: close_app(app))

    logging.getLogger(__name__).debug("app created for %s", settings.catalog.base_url)
    return app


def close_app(app: Flask) -> None:
    """Stop the app's threads (index follower, webhook deliveries, the usage writer, which
    writes what it counted) and close its search index; again is harmless. Closing the store
    does this too. Harvests and link checks started from the steward area end on their own."""
    follower = app.extensions.get(FOLLOWER_KEY)
    if follower is not None:
        follower.stop()
    deliveries = app.extensions.get(DELIVERIES_KEY)
    if deliveries is not None:
        deliveries.stop()
    usage = app.extensions.get(USAGE_KEY)
    if usage is not None:
        usage.close()
    index = app.extensions.get(SEARCH_KEY)
    if index is not None and not index.closed:
        index.close()


def _catch_up(index: SearchIndex) -> None:
    """Bring this node's index up to the change log before the first request, so the first
    searches do not answer from an index the follower thread is still building; a writer in
    another process, or a database not migrated yet, leaves it to the follower."""
    try:
        if index.is_behind():
            index.sync()
    except Exception:
        logging.getLogger(__name__).warning(
            "search index not brought up to date at start; the follower will", exc_info=True
        )


def _follow_change_log(app: Flask, settings: Settings, index: SearchIndex) -> None:
    """Keep this node's index in step with the change log, from the first request of each
    process on (catalog.search.follower says why not earlier)."""
    follower = IndexFollower(index, settings.search.follow_seconds)
    app.extensions[FOLLOWER_KEY] = follower
    app.before_request(follower.ensure_running)


def _start_background_deliveries(app: Flask, settings: Settings, store: Store) -> None:
    """Webhook deliveries from this process too, when webhooks.deliver_every_seconds says so."""
    if settings.webhooks.deliver_every_seconds <= 0:
        return
    from harvesters.webhook_delivery import BackgroundDeliveries

    deliveries = BackgroundDeliveries(store, settings)
    deliveries.start()
    app.extensions[DELIVERIES_KEY] = deliveries


def _instance_secret(data_dir: Path) -> str:
    """A secret kept in data_dir, so sessions survive restarts and all workers agree on it."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_hex(32)
    path.touch(mode=0o600)
    path.write_text(secret, encoding="ascii")
    return secret
