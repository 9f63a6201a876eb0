"""Open data: the five published referentials (files, Table Schemas) and their page."""
