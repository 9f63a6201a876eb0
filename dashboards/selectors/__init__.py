"""Read queries of the dashboard: its figures, live or from the daily rollup."""
