"""Response-time targets: due times at routing, a referent tightening within their network only, recomputation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from common.exceptions import Refused
from experiences.models import ResponseStatus
from experiences.services.moderation import route
from experiences.services.targets import remove_response_target, set_response_target, target_hours
from structures.models import ResponseTarget, Role
from tests import factories as f

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
TARGETS = reverse("agents:targets")


@pytest.fixture
def referent(structure_tree):
    """The referent of the whole network (its root)."""
    return f.MembershipFactory(structure=structure_tree["root"], role=Role.REFERENT).user


@pytest.fixture
def local_referent(structure_tree):
    return f.MembershipFactory(structure=structure_tree["mine"], role=Role.REFERENT).user


def test_routing_is_due_72_hours_after_publication_by_default(structure_tree):
    experience = f.ExperienceFactory()
    (assignment,) = route(experience, [structure_tree["mine"]])
    assert assignment.due_at == experience.published_at + 72 * HOUR
    assert assignment.escalate_at == experience.published_at + 144 * HOUR


def test_tightest_target_of_network_and_lineage_applies(structure_tree, referent):
    network = structure_tree["root"].network
    set_response_target(network=network, hours=60, by=referent)
    set_response_target(network=network, structure=structure_tree["mine"], hours=48, by=referent)
    assert target_hours(structure_tree["child"]) == 48
    assert target_hours(structure_tree["sibling"]) == 60
    assert target_hours(structure_tree["foreign"]) == 72


def test_changing_a_target_moves_the_due_times_of_waiting_routings_only(structure_tree, referent):
    waiting = f.AssignmentFactory(structure=structure_tree["child"])
    answered = f.AssignmentFactory(structure=structure_tree["child"], response_status=ResponseStatus.ANSWERED)
    elsewhere = f.AssignmentFactory(structure=structure_tree["sibling"])
    before = answered.due_at

    set_response_target(network=structure_tree["root"].network, structure=structure_tree["mine"], hours=24, by=referent)

    waiting.refresh_from_db(), answered.refresh_from_db(), elsewhere.refresh_from_db()
    assert waiting.due_at == waiting.published_at + 24 * HOUR
    assert waiting.escalate_at == waiting.published_at + 48 * HOUR
    assert answered.due_at == before
    assert elsewhere.due_at == elsewhere.published_at + 72 * HOUR


def test_a_target_moved_later_rearms_the_alert(structure_tree, superuser):
    late = f.AssignmentFactory(structure=structure_tree["mine"], experience__published_at=timezone.now() - 80 * HOUR)
    late.breach_notified_at = timezone.now()
    late.save()
    set_response_target(network=structure_tree["root"].network, hours=96, by=superuser)
    late.refresh_from_db()
    assert late.breach_notified_at is None


def test_removing_a_target_brings_back_the_inherited_one(structure_tree, referent):
    waiting = f.AssignmentFactory(structure=structure_tree["mine"])
    target = set_response_target(
        network=structure_tree["root"].network, structure=structure_tree["mine"], hours=24, by=referent
    )
    remove_response_target(target=target, by=referent)
    waiting.refresh_from_db()
    assert waiting.due_at == waiting.published_at + 72 * HOUR


def test_referent_cannot_loosen_the_inherited_target(structure_tree, referent):
    network = structure_tree["root"].network
    set_response_target(network=network, hours=48, by=referent)
    with pytest.raises(Refused, match="resserrer"):
        set_response_target(network=network, structure=structure_tree["mine"], hours=60, by=referent)


def test_local_referent_cannot_set_the_network_target(structure_tree, local_referent):
    with pytest.raises(Refused):
        set_response_target(network=structure_tree["root"].network, hours=48, by=local_referent)


def test_local_referent_cannot_set_a_target_outside_their_subtree(structure_tree, local_referent):
    with pytest.raises(Refused):
        set_response_target(
            network=structure_tree["root"].network, structure=structure_tree["sibling"], hours=48, by=local_referent
        )


def test_referent_cannot_set_a_target_in_another_network(structure_tree, referent):
    foreign = structure_tree["foreign"]
    with pytest.raises(Refused):
        set_response_target(network=foreign.network, structure=foreign, hours=48, by=referent)
    with pytest.raises(Refused):
        set_response_target(network=foreign.network, hours=48, by=referent)


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPER_AGENT, Role.EVALUATOR, Role.SUPER_EVALUATOR])
def test_other_roles_cannot_set_targets(structure_tree, role):
    user = f.MembershipFactory(structure=structure_tree["root"], role=role).user
    with pytest.raises(Refused):
        set_response_target(network=structure_tree["root"].network, structure=structure_tree["mine"], hours=48, by=user)


def test_referent_sets_a_subtree_target_through_the_page(client, structure_tree, local_referent):
    client.force_login(local_referent)
    network = structure_tree["mine"].network
    response = client.post(
        TARGETS, {"network": network.pk, "structure_code": structure_tree["child"].code, "hours": 36}
    )
    assert response.status_code == 302
    assert ResponseTarget.objects.get(structure=structure_tree["child"]).hours == 36
    assert "36 heures" in client.get(TARGETS).content.decode()


def test_page_refuses_a_code_outside_the_referents_subtree(client, structure_tree, local_referent):
    client.force_login(local_referent)
    network = structure_tree["mine"].network
    response = client.post(
        TARGETS, {"network": network.pk, "structure_code": structure_tree["sibling"].code, "hours": 36}
    )
    assert response.status_code == 400
    assert "Aucune structure de ce code dans votre périmètre" in response.content.decode()
    assert not ResponseTarget.objects.exists()


def test_agent_reads_the_targets_without_the_form(client, structure_tree, agent, referent):
    set_response_target(network=structure_tree["root"].network, hours=48, by=referent)
    client.force_login(agent)
    content = client.get(TARGETS).content.decode()
    assert "48 heures" in content
    assert "Fixer un délai cible" not in content
    assert client.post(TARGETS, {"network": structure_tree["root"].network.pk, "hours": 12}).status_code == 400
    assert ResponseTarget.objects.get().hours == 48


def test_targets_of_another_network_are_not_shown_and_cannot_be_removed(client, structure_tree, referent, superuser):
    foreign = structure_tree["foreign"]
    target = set_response_target(network=foreign.network, structure=foreign, hours=12, by=superuser)
    client.force_login(referent)
    assert "12 heures" not in client.get(TARGETS).content.decode()
    assert client.post(reverse("agents:target_remove", kwargs={"pk": target.pk})).status_code == 404


def test_targets_page_query_count_does_not_grow_with_targets(
    client, structure_tree, referent, django_assert_num_queries
):
    client.force_login(referent)
    network = structure_tree["root"].network
    set_response_target(network=network, hours=60, by=referent)
    client.get(TARGETS)
    for name in ("mine", "child", "sibling"):
        set_response_target(network=network, structure=structure_tree[name], hours=48, by=referent)
    # session, user, roles; the scope's bounds for setting and for reading; whether a network is offered, the
    # targets, the network select's options (read twice by the form's rendering): none per target
    with django_assert_num_queries(9):
        response = client.get(TARGETS)
    assert response.content.decode().count("et sa descendance</td>") == 3
