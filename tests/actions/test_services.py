"""actions.services on their own: who may create, edit and publish, and what they tell the apps above
(actions.signals.action_changed), which the experiences' side follows."""

import datetime

import pytest

from actions import services
from actions.models import ImprovementAction, ImprovementActionStatus
from actions.signals import action_changed
from experiences.models import ExperienceStatus
from structures.models import Role
from tests.factories import AssignmentFactory, ImprovementActionFactory, MembershipFactory, ModeratorFactory

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def sent():
    """The action_changed signals sent during the test, as (action pk, changes)."""
    received = []

    def record(sender, *, action, changes, **kwargs):
        received.append((action.pk, changes))

    action_changed.connect(record, sender=ImprovementAction)
    yield received
    action_changed.disconnect(record, sender=ImprovementAction)


def content(structure, **overrides) -> dict:
    return {
        "structure": structure,
        "title": "  Horaires affichés à l'accueil ",
        "description": "Les horaires sont affichés à l'entrée.",
        "status": ImprovementActionStatus.ENGAGED,
        "engaged_on": TODAY - datetime.timedelta(days=3),
        **overrides,
    }


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPER_AGENT, Role.REFERENT])
def test_manager_can_create_action_of_a_structure_below_theirs(structure_tree, role):
    manager = MembershipFactory(structure=structure_tree["mine"], role=role).user

    action = services.create_action(by=manager, **content(structure_tree["child"]))

    assert (action.structure, action.title, action.created_by, action.is_public) == (
        structure_tree["child"],
        "Horaires affichés à l'accueil",
        manager,
        False,
    )


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.SUPER_EVALUATOR, "moderator"])
def test_non_manager_cannot_create_action(structure_tree, role):
    if role == "moderator":
        user = ModeratorFactory()
    else:
        user = MembershipFactory(structure=structure_tree["mine"], role=role).user

    with pytest.raises(services.ActionRefused, match="Votre rôle ne vous permet pas") as refusal:
        services.create_action(by=user, **content(structure_tree["mine"]))

    assert refusal.value.field == "structure"
    assert not ImprovementAction.objects.exists()


def test_agent_cannot_create_action_of_a_sibling_structure(structure_tree, agent):
    with pytest.raises(services.ActionRefused):
        services.create_action(by=agent, **content(structure_tree["sibling"]))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"description": ""}, "description"),
        ({"status": "abandoned"}, "status"),
        ({"status": ImprovementActionStatus.DONE}, "done_on"),
        ({"done_on": TODAY}, "done_on"),
        ({"status": ImprovementActionStatus.DONE, "done_on": TODAY - datetime.timedelta(days=5)}, "done_on"),
        ({"status": ImprovementActionStatus.DONE, "done_on": TODAY + datetime.timedelta(days=1)}, "done_on"),
        ({"commitment": 10}, "commitment"),
        ({"commitment": 0}, "commitment"),
    ],
)
def test_agent_cannot_create_inconsistent_action(structure_tree, agent, overrides, field):
    with pytest.raises(services.ActionRefused) as refusal:
        services.create_action(by=agent, **content(structure_tree["mine"], **overrides))

    assert refusal.value.field == field


def test_agent_cannot_move_action_to_a_structure_outside_scope(structure_tree, agent):
    action = ImprovementActionFactory(structure=structure_tree["mine"])

    with pytest.raises(services.ActionRefused):
        services.update_action(action=action, by=agent, **content(structure_tree["sibling"]))

    action.refresh_from_db()
    assert action.structure == structure_tree["mine"]


def test_status_change_is_announced(structure_tree, agent, sent):
    action = ImprovementActionFactory(structure=structure_tree["mine"])

    services.update_action(
        action=action, by=agent, **content(structure_tree["mine"], status=ImprovementActionStatus.DONE, done_on=TODAY)
    )

    assert sent == [(action.pk, frozenset({"status"}))]


def test_edit_that_keeps_the_status_is_not_announced(structure_tree, agent, sent):
    action = ImprovementActionFactory(structure=structure_tree["mine"])

    services.update_action(action=action, by=agent, **content(structure_tree["child"], title="Autre titre"))

    assert sent == []


def test_publication_is_announced_once(structure_tree, agent, sent):
    action = ImprovementActionFactory(structure=structure_tree["mine"])

    services.publish_action(action=action, by=agent)
    services.publish_action(action=action, by=agent)

    action.refresh_from_db()
    assert action.is_public and action.published_at is not None
    assert sent == [(action.pk, frozenset({"is_public"}))]


def test_sibling_agent_cannot_publish_action(structure_tree, sibling_agent, sent):
    action = ImprovementActionFactory(structure=structure_tree["mine"])

    with pytest.raises(services.ActionRefused):
        services.publish_action(action=action, by=sibling_agent)

    action.refresh_from_db()
    assert not action.is_public and sent == []


def test_linked_experience_follows_the_action_published_then_done(structure_tree, agent):
    experience = AssignmentFactory(structure=structure_tree["mine"]).experience
    action = ImprovementActionFactory(structure=structure_tree["mine"])
    action.experiences.add(experience)

    services.publish_action(action=action, by=agent)
    experience.refresh_from_db()
    assert experience.status == ExperienceStatus.ACTION_ENGAGED

    services.update_action(
        action=action, by=agent, **content(structure_tree["mine"], status=ImprovementActionStatus.DONE, done_on=TODAY)
    )
    experience.refresh_from_db()
    assert experience.status == ExperienceStatus.ACTION_DONE
