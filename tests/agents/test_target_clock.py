"""The agents' list against the response-time target: the clock, the « en retard » filter, the sort by due time."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from experiences.models import ResponseStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

LIST = reverse("agents:experiences")
HOUR = datetime.timedelta(hours=1)
NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def routed(structure, age, status=ResponseStatus.AWAITING):
    return f.AssignmentFactory(
        structure=structure, response_status=status, experience__published_at=timezone.now() - age
    ).experience


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def test_list_shows_time_left_and_time_over_the_target(agent_client, structure_tree):
    routed(structure_tree["mine"], 62 * HOUR)
    routed(structure_tree["mine"], 75 * HOUR)
    routed(structure_tree["mine"], 80 * HOUR, status=ResponseStatus.ANSWERED)

    content = agent_client.get(LIST).content.decode()

    assert "10 heures restantes avant le délai cible" in content
    assert "délai cible dépassé de 3 heures" in content
    assert content.count("délai cible dépassé") == 1


def test_late_filter_keeps_what_passed_its_target_unanswered(agent_client, structure_tree):
    late = routed(structure_tree["mine"], 75 * HOUR)
    routed(structure_tree["mine"], 10 * HOUR)
    routed(structure_tree["mine"], 90 * HOUR, status=ResponseStatus.ANSWERED)
    routed(structure_tree["sibling"], 90 * HOUR)  # out of scope

    response = agent_client.get(LIST, {"retard": "on"})

    assert list(response.context["page_obj"].object_list) == [late]


def test_sort_by_due_time_puts_the_most_urgent_first_and_answered_last(agent_client, structure_tree):
    answered = routed(structure_tree["mine"], 100 * HOUR, status=ResponseStatus.ANSWERED)
    soon = routed(structure_tree["mine"], 70 * HOUR)
    later = routed(structure_tree["mine"], 2 * HOUR)
    overdue = routed(structure_tree["child"], 80 * HOUR)

    response = agent_client.get(LIST, {"tri": "echeance"})

    assert list(response.context["page_obj"].object_list) == [overdue, soon, later, answered]


def test_late_list_query_count_does_not_grow_with_rows(agent_client, structure_tree, django_assert_num_queries):
    routed(structure_tree["mine"], 75 * HOUR)
    agent_client.get(LIST, {"retard": "on", "tri": "echeance"})
    for _ in range(5):
        routed(structure_tree["child"], 80 * HOUR)
    # session, user, membership, scope bounds, networks, structures for the filter, their ids; count, the page's
    # ids in order, its rows, their routings
    with django_assert_num_queries(11):
        response = agent_client.get(LIST, {"retard": "on", "tri": "echeance"})
    assert len(response.context["page_obj"].object_list) == 6


@pytest.mark.parametrize("scope_ids_up_to", [500, 0], ids=["scope as ids", "scope as a subquery"])
def test_sort_by_due_time_reads_the_users_own_routings_only(agent_client, structure_tree, monkeypatch, scope_ids_up_to):
    monkeypatch.setattr("structures.permissions.SCOPE_IDS_UP_TO", scope_ids_up_to)
    first = routed(structure_tree["mine"], 70 * HOUR)
    # Routed also to a structure out of the scope whose routing is far more urgent: that one does not count.
    shared = routed(structure_tree["mine"], 10 * HOUR)
    f.AssignmentFactory(experience=shared, structure=structure_tree["sibling"], position=2)
    shared.assignments.filter(structure=structure_tree["sibling"]).update(
        due_at=timezone.now() - 100 * HOUR, response_status=ResponseStatus.AWAITING
    )
    # Routed to two structures of the scope: the earlier of the two due times.
    both = routed(structure_tree["mine"], 5 * HOUR)
    f.AssignmentFactory(experience=both, structure=structure_tree["child"], position=2)
    both.assignments.filter(structure=structure_tree["child"]).update(due_at=timezone.now() + 20 * HOUR)

    response = agent_client.get(LIST, {"tri": "echeance"})

    assert list(response.context["page_obj"].object_list) == [first, both, shared]
    late = agent_client.get(LIST, {"retard": "on"})
    assert list(late.context["page_obj"].object_list) == []


def test_sorted_page_leaves_out_an_experience_deleted_between_its_two_reads(agent, structure_tree, monkeypatch):
    from experiences.selectors import agents as selectors

    first = routed(structure_tree["mine"], 70 * HOUR)
    second = routed(structure_tree["mine"], 2 * HOUR)
    real = selectors.with_list_rows

    def delete_then_read(experiences, user):
        first.delete()
        return real(experiences, user)

    monkeypatch.setattr(selectors, "with_list_rows", delete_then_read)
    rows = selectors.list_rows(
        selectors.filtered_experiences(agent, selectors.AgentFilters(by_due_time=True)),
        agent,
        selectors.AgentFilters(by_due_time=True),
    )

    assert rows[0:20] == [second]
