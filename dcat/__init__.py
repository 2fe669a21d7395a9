"""DCAT-AP.de: turn what departments write into valid DCAT-AP.de graphs and check them.

This package knows RDF and nothing else of ours: no database, no Flask.
"""
