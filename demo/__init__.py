"""The demo data set: `manage.py seed_demo` loads the real referential and generates experiences around it."""


class SeedError(Exception):
    """The demo cannot be loaded; the message is for the user, in French."""
