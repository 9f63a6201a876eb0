"""Admin for experiences and everything hanging off them: the DITP moderators' and administrators' tool.

One module per concern; importing each one registers its admin classes.
"""

from . import experiences, improvement_actions, moderation, reactions, responses, transfers

__all__ = ["experiences", "improvement_actions", "moderation", "reactions", "responses", "transfers"]
