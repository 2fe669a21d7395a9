"""The DCAT-AP.de endpoints for other portals: catalog pages, dataset documents, the dump."""
