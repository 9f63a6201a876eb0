"""The dashboard against the response-time targets: share answered within target, breaches, ranking by breach rate."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dashboards.report import _report
from dashboards.selectors.figures import DashboardScope, dashboard
from dashboards.services.rollup import refresh_rollup
from experiences.models import ResponseStatus
from experiences.services.targets import set_due_times, set_response_target
from tests import factories as f

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 15, 12, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def routed(structure, age, answered_after=None):
    assignment = f.AssignmentFactory(
        structure=structure,
        experience__published_at=NOW - age,
        response_status=ResponseStatus.ANSWERED if answered_after else ResponseStatus.AWAITING,
    )
    set_due_times(assignment)  # as routing does, with the structure's target
    if answered_after:
        assignment.first_response_at = assignment.published_at + answered_after
    assignment.save()
    return assignment


@pytest.fixture
def counted(structure_tree, superuser):
    mine, child = structure_tree["mine"], structure_tree["child"]
    set_response_target(network=mine.network, structure=child, hours=24, by=superuser)
    routed(mine, 10 * 24 * HOUR, answered_after=50 * HOUR)  # within 72 h
    routed(mine, 10 * 24 * HOUR, answered_after=80 * HOUR)  # answered after its target
    routed(mine, 10 * 24 * HOUR)  # past its target, unanswered
    routed(mine, 10 * HOUR)  # not due yet
    routed(child, 10 * 24 * HOUR, answered_after=30 * HOUR)  # the child's 24 h target: late
    return structure_tree


@pytest.fixture(params=["live", "rollup"])
def mode(request):
    if request.param == "rollup" and not refresh_rollup(full=True, today=timezone.localdate()):
        pytest.skip("the rollup needs PostgreSQL")
    return request.param


def scope(structure):
    today = timezone.localdate()
    return DashboardScope(start=today - datetime.timedelta(days=30), end=today, structure=structure)


def test_share_within_target_and_breaches_by_hand(counted, mode):
    delays = dashboard(scope(counted["mine"])).delays
    assert (delays.routings, delays.within_target, delays.breached) == (5, 1, 3)


def test_ranking_by_breach_rate_puts_the_child_first(counted, mode):
    report = _report(dashboard(scope(counted["mine"])))
    first, second = report.breach_ranking  # both have a breach
    assert first.label == counted["child"].display_name and first.delays.breached == 1
    assert (second.delays.routings, second.delays.breached) == (4, 2)


def test_dashboard_page_shows_the_target_figures(client, counted, superuser):
    client.force_login(superuser)
    content = client.get(reverse("agents:dashboard"), {"structure": counted["mine"].code}).content.decode()
    assert "Réponse dans le délai cible" in content
    assert "En dépassement du délai cible, le plus fort taux d'abord" in content
