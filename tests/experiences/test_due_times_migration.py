"""Migration 0028 gives every published routing its due times; what is already past them is not alerted again."""

import datetime

import pytest
from django.utils import timezone

from experiences.models import Assignment
from tests.factories import AssignmentFactory
from tests.migrations import latest, migrate

BEFORE = [("experiences", "0027_assignment_due_times")]
HOUR = datetime.timedelta(hours=1)

pytestmark = pytest.mark.postgres


@pytest.fixture
def routings(db):
    """A routing published 10 hours ago and one 100 hours ago, their due times wiped as before the backfill."""
    recent = AssignmentFactory(experience__published_at=timezone.now() - 10 * HOUR)
    old = AssignmentFactory(experience__published_at=timezone.now() - 100 * HOUR)
    Assignment.objects.update(due_at=None, escalate_at=None)
    migrate(BEFORE)
    yield recent, old
    migrate(latest())


def test_backfill_sets_due_times_and_marks_only_what_is_past_them(routings):
    recent, old = routings
    migrate([("experiences", "0028_backfill_assignment_due_times")])
    recent.refresh_from_db(), old.refresh_from_db()
    assert recent.due_at == recent.published_at + 72 * HOUR
    assert recent.escalate_at == recent.published_at + 144 * HOUR
    assert recent.breach_notified_at is None and recent.escalation_notified_at is None
    assert old.breach_notified_at is not None  # past 72 h at deployment: the digest already tells of it
    assert old.escalation_notified_at is None  # 144 h not reached: the parent still hears of it then
