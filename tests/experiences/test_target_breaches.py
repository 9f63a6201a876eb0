"""Alerts when a routing passes its response-time target: at the right moment, grouped, once, after a pause."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from experiences.models import ResponseStatus
from experiences.services.breaches import send_breach_alerts
from experiences.tasks import send_breach_alerts_task
from structures.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 10, 7, tzinfo=ZoneInfo("Europe/Paris"))
HOUR, MINUTE = datetime.timedelta(hours=1), datetime.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def run_alerts(django_capture_on_commit_callbacks):
    """Run the beat job at `now` and deliver; returns the e-mails this run sent."""

    def run(now=NOW):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            send_breach_alerts(now=now)
        return mail.outbox[before:]

    return run


def routed(structure, age, status=ResponseStatus.AWAITING):
    """A routing to `structure` published `age` before NOW, due 72 h after."""
    return f.AssignmentFactory(structure=structure, response_status=status, experience__published_at=NOW - age)


def test_agent_is_told_when_a_routing_passes_its_target_and_not_before(run_alerts, structure_tree, agent):
    mine = structure_tree["mine"]
    late = routed(mine, 72 * HOUR + MINUTE)
    routed(mine, 72 * HOUR - MINUTE)  # one minute left

    (email,) = run_alerts()

    assert email.to == [agent.email]
    assert email.subject == f"1 expérience sans réponse au-delà du délai cible — {mine.display_name}"
    assert f"n° {late.experience.public_id} " in email.body
    late.refresh_from_db()
    assert late.breach_notified_at == NOW


def test_answered_routings_past_their_target_are_not_signalled(run_alerts, structure_tree, agent):
    routed(structure_tree["mine"], 80 * HOUR, status=ResponseStatus.ANSWERED)

    assert run_alerts() == []


def test_breaches_of_one_structure_are_grouped_in_one_email(run_alerts, structure_tree, agent):
    for age in (73, 75, 90):
        routed(structure_tree["mine"], age * HOUR)

    (email,) = run_alerts()

    assert email.subject.startswith("3 expériences sans réponse au-delà du délai cible")
    assert email.body.count("délai cible dépassé de") == 3


def test_second_run_sends_nothing_again(run_alerts, structure_tree, agent):
    routed(structure_tree["mine"], 73 * HOUR)
    assert len(run_alerts()) == 1

    assert run_alerts(NOW + 5 * MINUTE) == []
    assert run_alerts(NOW + 2 * HOUR) == []


def test_a_structure_gets_at_most_one_email_per_hour_the_rest_waits_for_the_next(run_alerts, structure_tree, agent):
    mine = structure_tree["mine"]
    routed(mine, 73 * HOUR)
    assert len(run_alerts()) == 1
    later = routed(mine, 72 * HOUR - 20 * MINUTE)  # breaches at 10:27

    assert run_alerts(NOW + 30 * MINUTE) == []  # 10:37, same hour
    (email,) = run_alerts(NOW + 55 * MINUTE)  # 11:02

    assert f"n° {later.experience.public_id} " in email.body
    assert email.subject.startswith("1 expérience ")


def test_beat_down_for_hours_catches_up_on_its_next_run(run_alerts, structure_tree, agent):
    mine = structure_tree["mine"]
    first, second = routed(mine, 70 * HOUR), routed(mine, 69 * HOUR)  # due at 12:07 and 13:07

    (email,) = run_alerts(NOW + 4 * HOUR)  # beat was down from 10:07 to 14:07

    assert email.body.count("délai cible dépassé de") == 2
    assert "délai cible dépassé de 2 heures" in email.body and "délai cible dépassé de 1 heure\n" in email.body
    first.refresh_from_db(), second.refresh_from_db()
    assert first.breach_notified_at == second.breach_notified_at == NOW + 4 * HOUR


def test_each_structure_gets_its_own_email(run_alerts, structure_tree, agent, sibling_agent):
    routed(structure_tree["mine"], 73 * HOUR)
    routed(structure_tree["sibling"], 73 * HOUR)

    emails = run_alerts()

    assert sorted(email.to[0] for email in emails) == sorted([agent.email, sibling_agent.email])


def test_agent_who_turned_alerts_off_gets_none_and_nothing_is_queued_again(run_alerts, structure_tree, agent):
    agent.receives_target_alerts = False
    agent.save()
    late = routed(structure_tree["mine"], 73 * HOUR)

    assert run_alerts() == []
    late.refresh_from_db()
    assert late.breach_notified_at == NOW


def test_parent_super_agents_are_told_at_twice_the_target(run_alerts, structure_tree, agent):
    parent_super = f.MembershipFactory(structure=structure_tree["root"], role=Role.SUPER_AGENT).user
    f.MembershipFactory(structure=structure_tree["root"], role=Role.AGENT)  # not a super agent: not told
    mine = structure_tree["mine"]
    routed(mine, 100 * HOUR)  # past 72 h, not 144 h
    assert [email.to for email in run_alerts()] == [[agent.email]]

    late = routed(mine, 144 * HOUR + MINUTE)
    emails = run_alerts(NOW + HOUR)

    escalation = [email for email in emails if email.to == [parent_super.email]]
    assert len(escalation) == 1
    assert escalation[0].subject.startswith("1 expérience sans réponse au double du délai cible")
    assert f"n° {late.experience.public_id} " in escalation[0].body
    assert run_alerts(NOW + 3 * HOUR) == []


def test_agent_list_link_and_opt_out_are_in_the_email(run_alerts, structure_tree, agent):
    routed(structure_tree["mine"], 73 * HOUR)

    (email,) = run_alerts()

    assert "/agents/experiences/" in email.body
    assert "vous pouvez les y désactiver" in email.body


def test_beat_task_runs_the_alerts(structure_tree, agent, django_capture_on_commit_callbacks):
    routed(structure_tree["mine"], 73 * HOUR)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_breach_alerts_task() == 1
