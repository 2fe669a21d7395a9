"""The record store: settings, database models, services and the `catalog` command."""
