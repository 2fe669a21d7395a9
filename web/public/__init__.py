"""The public pages: start, search, dataset, organisation and theme pages, feeds, health."""
