"""The one CKAN <-> DCAT-AP.de mapping: fields (the table), parse, serialize, errors."""
