"""Read queries of the experiences domain (scoping, search, aggregates), one module per concern."""
