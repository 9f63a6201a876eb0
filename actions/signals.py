"""What the actions app tells the apps above it, which it may not import."""

from django.dispatch import Signal

# Sent by actions.services inside the step's transaction when an action's status or publication changed,
# with `action` and `changes` (a frozenset of "status" and "is_public"). Experiences listen: the status of
# the experiences an action is linked to follows it (seed 000, « avec action engagée / réalisée »).
action_changed = Signal()
