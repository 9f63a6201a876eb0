"""Business steps of the experiences domain, one module per concern; each write is one transactional function."""
