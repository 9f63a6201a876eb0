"""The dashboard's daily rollup: what a refresh rebuilds, when a change shows, and the live current day.

Its figures themselves are checked against the hand count and the random recount in
`test_figures.py`, in every mode (live, rolled up, half and half).
"""

import datetime

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import formats, timezone

from dashboards.models import DashboardDay, DashboardRollupState, RollupKind
from dashboards.selectors.figures import DashboardScope, dashboard
from dashboards.services.rollup import RECENT_DAYS, REFRESH_LOCK, refresh_rollup
from dashboards.tasks import refresh_dashboard_rollup_task
from experiences.models import Assignment, Feeling
from tests import factories as f
from tests.dashboards.test_figures import HOUR, paris, routed, shared

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TODAY = datetime.date(2026, 11, 23)
YESTERDAY = TODAY - datetime.timedelta(days=1)


def answered_in(structure, start, end) -> int:
    return dashboard(DashboardScope(start=start, end=end, structure=structure)).delays.answered


def rows_of(day) -> set:
    return set(DashboardDay.objects.filter(day=day).values_list("kind", "target_id"))


def test_a_full_build_covers_every_scope_of_a_routing_and_stops_at_yesterday(structure_tree):
    root, mine, child = structure_tree["root"], structure_tree["mine"], structure_tree["child"]
    routed(shared(paris(2026, 9, 1, 10), Feeling.NEGATIVE), child, 10 * HOUR)

    assert refresh_rollup(full=True, today=TODAY) > 0

    state = DashboardRollupState.objects.get()
    assert state.complete_through == YESTERDAY
    assert state.refreshed_at is not None
    # The child's subtree and each ancestor's; nobody's « alone » but a structure's own routings; its
    # network; everything.
    assert rows_of(datetime.date(2026, 9, 1)) == {
        (RollupKind.SUBTREE, child.pk),
        (RollupKind.SUBTREE, mine.pk),
        (RollupKind.SUBTREE, root.pk),
        (RollupKind.NETWORK, child.network_id),
        (RollupKind.ALL, 0),
    }


def test_today_is_live_on_top_of_the_rollup(structure_tree):
    mine, child = structure_tree["mine"], structure_tree["child"]
    routed(shared(paris(2026, 11, 2, 10), Feeling.NEGATIVE), mine, 10 * HOUR)
    refresh_rollup(full=True, today=TODAY)
    routed(shared(paris(2026, 11, 23, 8), Feeling.POSITIVE), child)  # after the last refresh

    data = dashboard(DashboardScope(start=datetime.date(2026, 11, 1), end=TODAY, structure=mine))

    assert data.published == 2
    assert data.consolidated_through == YESTERDAY
    assert (data.delays.routings, data.delays.answered) == (2, 1)


def test_recent_days_follow_every_refresh_and_older_days_the_nightly_rebuild(structure_tree):
    mine = structure_tree["mine"]
    recent = routed(shared(paris(2026, 11, 2, 10), Feeling.NEGATIVE), mine)
    older = routed(shared(paris(2026, 6, 2, 10), Feeling.NEGATIVE), mine)
    assert YESTERDAY - datetime.date(2026, 11, 2) < datetime.timedelta(days=RECENT_DAYS)
    refresh_rollup(full=True, today=TODAY)
    # Both are answered after the rollup was built.
    for routing in (recent, older):
        Assignment.objects.filter(pk=routing.pk).update(first_response_at=routing.published_at + 30 * HOUR)

    refresh_rollup(today=TODAY)  # every 10 minutes

    assert answered_in(mine, datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)) == 1
    assert answered_in(mine, datetime.date(2026, 6, 1), datetime.date(2026, 6, 30)) == 0  # as the page says
    refresh_rollup(full=True, today=TODAY)  # at night
    assert answered_in(mine, datetime.date(2026, 6, 1), datetime.date(2026, 6, 30)) == 1


def test_a_day_that_lost_its_routings_loses_its_rows(structure_tree):
    routing = routed(shared(paris(2026, 11, 2, 10), Feeling.POSITIVE), structure_tree["mine"])
    refresh_rollup(full=True, today=TODAY)
    assert rows_of(datetime.date(2026, 11, 2))

    routing.delete()
    refresh_rollup(today=TODAY)

    assert not rows_of(datetime.date(2026, 11, 2))


def test_a_refresh_catches_up_the_days_missed_while_beat_was_down(structure_tree):
    routed(shared(paris(2026, 8, 3, 10), Feeling.POSITIVE), structure_tree["mine"])
    DashboardRollupState.objects.create(pk=1, complete_through=datetime.date(2026, 8, 1))

    refresh_rollup(today=TODAY)  # the recent days alone would start in October

    assert DashboardDay.objects.get(kind=RollupKind.ALL, day=datetime.date(2026, 8, 3)).published == 1
    assert DashboardRollupState.objects.get().complete_through == YESTERDAY


def test_rebuilding_the_same_rows_changes_nothing(structure_tree):
    for day, structure in [(3, "mine"), (3, "child"), (17, "sibling"), (17, "foreign")]:
        experience = shared(paris(2026, 10, day, 9), Feeling.NEUTRAL, "lien-suivi")
        routed(experience, structure_tree[structure], 50 * HOUR)
    refresh_rollup(full=True, today=TODAY)
    columns = [field.name for field in DashboardDay._meta.fields if field.name != "id"]
    before = sorted(DashboardDay.objects.values_list(*columns), key=repr)

    refresh_rollup(full=True, today=TODAY)
    refresh_rollup(today=TODAY)

    assert sorted(DashboardDay.objects.values_list(*columns), key=repr) == before


def test_the_beat_task_refreshes_the_rollup(structure_tree):
    routed(shared(paris(2026, 10, 5, 9), Feeling.NEUTRAL), structure_tree["mine"])

    assert refresh_dashboard_rollup_task.delay(full=True).get() > 0
    assert DashboardRollupState.objects.get().complete_through == timezone.localdate() - datetime.timedelta(days=1)


def test_the_page_says_until_when_the_figures_come_from_the_rollup(client, moderator, structure_tree):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    experience = f.ExperienceFactory(published_at=timezone.now() - datetime.timedelta(days=3))
    routed(experience, structure_tree["mine"])
    client.force_login(moderator)
    assert "comptés en direct" in client.get("/agents/tableau-de-bord/").content.decode()

    refresh_rollup(full=True)
    page = client.get("/agents/tableau-de-bord/?periode=30-jours&structure=" + structure_tree["root"].code)

    text = page.content.decode()
    assert f"Jusqu'au {formats.date_format(yesterday, 'j F Y')}, ils viennent d'agrégats quotidiens" in text
    assert page.context["report"].data.published == 1


def test_a_superuser_sees_the_watermark_and_rebuilds_from_the_admin(client, superuser, structure_tree):
    routed(shared(paris(2026, 10, 5, 9), Feeling.NEUTRAL), structure_tree["mine"])
    state = DashboardRollupState.objects.create(pk=1)
    client.force_login(superuser)
    url = reverse("admin:dashboards_dashboardrollupstate_changelist")
    assert client.get(url).status_code == 200

    response = client.post(url, {"action": "rebuild_rollup", "_selected_action": [state.pk]}, follow=True)

    assert "Recalcul demandé" in response.content.decode()
    state.refresh_from_db()
    assert state.complete_through == timezone.localdate() - datetime.timedelta(days=1)
    assert DashboardDay.objects.filter(kind=RollupKind.ALL, day=datetime.date(2026, 10, 5)).exists()


def test_moderators_cannot_reach_the_rollup_admin(client, moderator):
    client.force_login(moderator)
    assert client.get(reverse("admin:dashboards_dashboardrollupstate_changelist")).status_code == 403


def test_a_refresh_skips_while_another_runs(structure_tree):
    """A full rebuild takes minutes; the 10-minute ticks that fall meanwhile must not start another."""
    routed(shared(paris(2026, 10, 5, 9), Feeling.NEUTRAL), structure_tree["mine"])
    with connections["default"].cursor():
        other = connections.create_connection("default")  # another worker's session
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [REFRESH_LOCK])
        assert refresh_rollup(full=True, today=TODAY) == 0
        assert not DashboardDay.objects.exists()
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [REFRESH_LOCK])
        assert refresh_rollup(full=True, today=TODAY) > 0
    finally:
        other.close()


@pytest.mark.parametrize("trees", [1, 2])
def test_rankings_agree_live_and_rolled_up_where_a_network_and_its_trees_differ(structure_tree, trees):
    """A network's structure placed in another network's tree, and another network's structure in its tree."""
    mine, foreign = structure_tree["mine"], structure_tree["foreign"]
    network = mine.network
    stray = f.StructureFactory(parent=foreign, network=network, name="Égarée")
    guest = f.StructureFactory(parent=mine, network=foreign.network, name="Invitée")
    if trees == 2:
        f.StructureFactory(network=network, name="Seconde tête")
    for structure, hours in [(mine, 10), (stray, 20), (guest, 30), (structure_tree["child"], None)]:
        routed(shared(paris(2026, 10, 5, 9), Feeling.NEGATIVE), structure, None if hours is None else hours * HOUR)
    scope = DashboardScope(start=datetime.date(2026, 10, 1), end=datetime.date(2026, 10, 31), network=network)
    live = dashboard(scope)

    refresh_rollup(full=True, today=TODAY)
    rolled_up = dashboard(scope)

    assert rolled_up.consolidated_through == scope.end
    assert [(r.key, r.label, r.delays) for r in rolled_up.ranking] == [(r.key, r.label, r.delays) for r in live.ranking]
    assert (rolled_up.published, rolled_up.delays) == (live.published, live.delays)
