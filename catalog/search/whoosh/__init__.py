"""The embedded search engine behind catalog.search.base: Whoosh, with bitsets for speed."""
