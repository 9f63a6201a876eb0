"""The dashboard's pages: the figures themselves and their CSV and PDF exports."""
