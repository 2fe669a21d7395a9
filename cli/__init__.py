"""The command line: the composition root that wires catalog, harvesters and web together."""
