"""The CKAN Action API at /api/3/action/, its OpenAPI description and the /api page."""
