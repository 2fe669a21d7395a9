"""The fast embedded engine: tantivy behind the search contract (catalog.search.base)."""
