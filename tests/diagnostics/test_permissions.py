"""Every role × scope on the diagnostics' pages: the five profiles read their subtree's diagnostics; agents and
evaluators fill them in; a referent only reads; out of scope is a 404."""

import html

import pytest
from django.urls import reverse

from diagnostics.models import AnswerValue, Diagnostic, DiagnosticStatus
from structures.models import Role
from tests import factories as f
from tests.diagnostics.helpers import completed

pytestmark = pytest.mark.django_db

FILL_IN = {Role.AGENT, Role.SUPER_AGENT, Role.EVALUATOR, Role.SUPER_EVALUATOR}
IN_SCOPE = {"mine", "child"}


@pytest.mark.parametrize("target", ["mine", "child", "sibling", "foreign"])
@pytest.mark.parametrize("role", list(Role))
def test_member_reads_results_only_in_own_subtree(client, structure_tree, role, target):
    member = f.MembershipFactory(structure=structure_tree["mine"], role=role).user
    diagnostic = completed(structure_tree[target])
    client.force_login(member)

    by_pk = client.get(reverse("agents:diagnostic", args=[diagnostic.pk]))
    by_structure = client.get(reverse("agents:diagnostic_history", args=[structure_tree[target].pk]))

    expected = 200 if target in IN_SCOPE else 404
    assert (by_pk.status_code, by_structure.status_code) == (expected, expected)


@pytest.mark.parametrize("target", ["mine", "child", "sibling", "foreign"])
@pytest.mark.parametrize("role", list(Role))
def test_member_fills_in_a_draft_only_when_role_allows_in_own_subtree(client, structure_tree, role, target):
    member = f.MembershipFactory(structure=structure_tree["mine"], role=role).user
    draft = f.DiagnosticFactory(structure=structure_tree[target])
    client.force_login(member)

    response = client.get(reverse("agents:diagnostic_page", args=[draft.pk, 1]))

    assert response.status_code == (200 if role in FILL_IN and target in IN_SCOPE else 404)


@pytest.mark.parametrize("role", list(Role))
def test_member_starts_a_diagnostic_only_when_role_allows(client, structure_tree, role):
    member = f.MembershipFactory(structure=structure_tree["mine"], role=role).user
    client.force_login(member)

    client.post(reverse("agents:diagnostic_start"), {"structure": structure_tree["mine"].pk})

    assert Diagnostic.objects.filter(status=DiagnosticStatus.DRAFT).exists() == (role in FILL_IN)


def test_agent_cannot_start_a_diagnostic_of_a_structure_outside_their_memberships(client, structure_tree, agent):
    client.force_login(agent)

    client.post(reverse("agents:diagnostic_start"), {"structure": structure_tree["sibling"].pk})

    assert not Diagnostic.objects.exists()


def test_referent_is_told_they_read_results_only(client, structure_tree):
    referent = f.MembershipFactory(structure=structure_tree["mine"], role=Role.REFERENT).user
    client.force_login(referent)

    response = client.get(reverse("agents:diagnostics"))

    assert "Réaliser le diagnostic" not in response.content.decode()
    assert "consulter les résultats" in response.content.decode()


def test_moderator_reads_every_diagnostic_but_fills_in_none(client, structure_tree):
    moderator = f.ModeratorFactory()
    diagnostic = completed(structure_tree["foreign"])
    draft = f.DiagnosticFactory(structure=structure_tree["mine"])
    client.force_login(moderator)

    assert client.get(reverse("agents:diagnostic", args=[diagnostic.pk])).status_code == 200
    assert client.get(reverse("agents:diagnostic_page", args=[draft.pk, 1])).status_code == 404


def test_reader_without_fill_in_right_finds_no_draft(client, structure_tree):
    referent = f.MembershipFactory(structure=structure_tree["mine"], role=Role.REFERENT).user
    draft = f.DiagnosticFactory(structure=structure_tree["mine"])
    client.force_login(referent)

    assert client.get(reverse("agents:diagnostic", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_weak_points_link_to_a_prefilled_action_for_those_who_manage_actions(client, structure_tree, role):
    member = f.MembershipFactory(structure=structure_tree["mine"], role=role).user
    diagnostic = completed(structure_tree["child"], value=AnswerValue.NO)
    client.force_login(member)

    page = client.get(reverse("agents:diagnostic", args=[diagnostic.pk])).content.decode()

    link = f"{reverse('agents:action_create')}?structure={structure_tree['child'].pk}&amp;engagement=1"
    manages = role in {Role.AGENT, Role.SUPER_AGENT, Role.REFERENT}
    assert (link in page) == manages
    assert ("peuvent en faire des actions d'amélioration" in html.unescape(page)) == (not manages)
