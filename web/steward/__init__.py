"""The steward area under /verwaltung: login, dashboard, dataset forms, revisions, harvest sources,
API tokens. Every route needs a login and checks catalog.permissions for what it touches."""
