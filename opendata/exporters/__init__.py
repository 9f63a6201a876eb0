"""The rows of each published file, streamed from the database in the schema's column order."""
