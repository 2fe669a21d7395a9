"""Harvesters: bring dataset descriptions in from CKAN portals, DCAT endpoints and spreadsheets."""
