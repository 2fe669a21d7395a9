"""The steward-area fixtures (defined in the support modules), for every test here."""

from __future__ import annotations

from tests.web.steward.dataset_support import dataset_app, dataset_store
from tests.web.steward.steward_support import steward_app, steward_store

__all__ = ["dataset_app", "dataset_store", "steward_app", "steward_store"]
