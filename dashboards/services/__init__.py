"""Business steps of the dashboard: the daily rollup and the PDF exports; each write is one transactional function."""
