"""Search: the catalog's index of records, behind a backend interface (base.py)."""
