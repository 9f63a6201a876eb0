"""The scoping rules every view, API endpoint, export and task relies on (structures/permissions.py).

The `structure_tree` fixture is root → (mine → child, sibling), plus the root of another network.
A member holds a role on « mine »; the other structures stand in for its descendant, its parent,
its sibling and a foreign network.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from actions.models import ImprovementAction
from experiences.models import Assignment, Experience, ModerationState
from structures.models import Role, Structure
from structures.permissions import (
    MODERATOR_ACTIONS,
    ROLES_ALLOWED,
    Action,
    can,
    is_member,
    networks_seen_whole_by,
    roles_on,
    sees_whole_country,
    structures_visible_to,
)
from tests.factories import (
    AssignmentFactory,
    ExperienceFactory,
    ImprovementActionFactory,
    MembershipFactory,
    ModeratorFactory,
    StructureFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


ROLES = list(Role)
ACTIONS = list(Action)
# own structure, descendant, parent, sibling, foreign network (keys of the structure_tree fixture)
RELATIONS = ["mine", "child", "root", "sibling", "foreign"]
IN_SCOPE = {"mine", "child"}


def member_of(structure, role=Role.AGENT):
    return MembershipFactory(structure=structure, role=role).user


def pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def tree_pks(structure_tree, names) -> set[int]:
    return {structure_tree[name].pk for name in names}


# --- the table itself --------------------------------------------------------------------------


def test_roles_allowed_covers_every_action():
    assert set(ROLES_ALLOWED) == set(Action)


def test_every_role_may_view_and_follow_the_dashboard():
    assert ROLES_ALLOWED[Action.VIEW] == ROLES_ALLOWED[Action.VIEW_DASHBOARD] == set(Role)


# --- scope of each role, relative to the member's structure ------------------------------------


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", ROLES)
def test_member_sees_structure_only_in_own_subtree(structure_tree, role, relation):
    user = member_of(structure_tree["mine"], role)
    structure = structure_tree[relation]

    assert structures_visible_to(user).filter(pk=structure.pk).exists() is (relation in IN_SCOPE)
    assert Structure.objects.visible_to(user).filter(pk=structure.pk).exists() is (relation in IN_SCOPE)


@pytest.mark.parametrize("role", ROLES)
def test_member_sees_exactly_own_structure_and_descendants(structure_tree, role):
    user = member_of(structure_tree["mine"], role)

    assert pks(structures_visible_to(user)) == tree_pks(structure_tree, IN_SCOPE)
    assert pks(Structure.objects.visible_to(user)) == tree_pks(structure_tree, IN_SCOPE)


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", ROLES)
def test_member_sees_experience_only_when_routed_in_own_subtree(structure_tree, role, relation):
    user = member_of(structure_tree["mine"], role)
    experience = AssignmentFactory(structure=structure_tree[relation]).experience

    assert Experience.objects.visible_to(user).filter(pk=experience.pk).exists() is (relation in IN_SCOPE)


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", ROLES)
def test_member_sees_assignment_only_in_own_subtree(structure_tree, role, relation):
    user = member_of(structure_tree["mine"], role)
    assignment = AssignmentFactory(structure=structure_tree[relation])

    assert Assignment.objects.visible_to(user).filter(pk=assignment.pk).exists() is (relation in IN_SCOPE)


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", ROLES)
def test_member_sees_improvement_action_only_in_own_subtree(structure_tree, role, relation):
    user = member_of(structure_tree["mine"], role)
    action = ImprovementActionFactory(structure=structure_tree[relation])

    assert ImprovementAction.objects.visible_to(user).filter(pk=action.pk).exists() is (relation in IN_SCOPE)


# --- what each role may do: the whole matrix, derived from ROLES_ALLOWED ------------------------


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_member_can_act_only_when_role_allows_it_in_own_subtree(structure_tree, action, role, relation):
    user = member_of(structure_tree["mine"], role)

    expected = role in ROLES_ALLOWED[action] and relation in IN_SCOPE
    assert can(user, action, structure_tree[relation]) is expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_member_scope_for_an_action_follows_roles_allowed(structure_tree, action, role):
    user = member_of(structure_tree["mine"], role)

    expected = tree_pks(structure_tree, IN_SCOPE) if role in ROLES_ALLOWED[action] else set()
    assert pks(structures_visible_to(user, action)) == expected


# A few rules spelled out, so a wrong edit of the table is caught by name too.


def test_agent_cannot_publish_response_in_own_structure(structure_tree, agent):
    assert not can(agent, Action.PUBLISH_RESPONSE, structure_tree["mine"])


def test_agent_can_answer_in_descendant(structure_tree, agent):
    assert can(agent, Action.ANSWER, structure_tree["child"])


def test_agent_cannot_answer_in_sibling(structure_tree, agent):
    assert not can(agent, Action.ANSWER, structure_tree["sibling"])


def test_super_agent_can_publish_response_in_descendant(structure_tree, super_agent):
    assert can(super_agent, Action.PUBLISH_RESPONSE, structure_tree["child"])


def test_super_agent_cannot_publish_response_in_parent(structure_tree, super_agent):
    assert not can(super_agent, Action.PUBLISH_RESPONSE, structure_tree["root"])


def test_referent_can_import_results_in_own_structure(structure_tree):
    referent = member_of(structure_tree["mine"], Role.REFERENT)

    assert can(referent, Action.IMPORT_RESULTS, structure_tree["mine"])


def test_super_agent_cannot_import_results(structure_tree, super_agent):
    assert not can(super_agent, Action.IMPORT_RESULTS, structure_tree["mine"])


def test_evaluator_cannot_answer_in_own_structure(structure_tree):
    evaluator = member_of(structure_tree["mine"], Role.EVALUATOR)

    assert not can(evaluator, Action.ANSWER, structure_tree["mine"])


def test_evaluator_can_diagnose_in_descendant(structure_tree):
    evaluator = member_of(structure_tree["mine"], Role.EVALUATOR)

    assert can(evaluator, Action.DIAGNOSE, structure_tree["child"])


def test_referent_can_read_diagnostics_but_cannot_diagnose(structure_tree):
    referent = member_of(structure_tree["mine"], Role.REFERENT)

    assert can(referent, Action.READ_DIAGNOSTICS, structure_tree["child"])
    assert not can(referent, Action.DIAGNOSE, structure_tree["mine"])


def test_can_costs_one_query(structure_tree, agent, django_assert_num_queries):
    with django_assert_num_queries(1):
        can(agent, Action.ANSWER, structure_tree["child"])


def test_can_reads_the_tree_from_the_database_not_from_a_stale_instance(structure_tree, agent):
    # Inserting a root that sorts first renumbers every later tree (mptt's order_insertion_by),
    # so an instance loaded earlier carries an outdated tree_id.
    stale_child = Structure.objects.get(pk=structure_tree["child"].pk)
    StructureFactory(name="AAA Premier réseau")

    assert can(agent, Action.ANSWER, stale_child)


# --- roles held ---------------------------------------------------------------------------------


def test_roles_on_include_roles_held_on_ancestors(structure_tree, agent):
    assert roles_on(agent, structure_tree["child"]) == {Role.AGENT}


def test_roles_on_exclude_roles_held_on_descendants(structure_tree):
    user = member_of(structure_tree["child"], Role.SUPER_AGENT)

    assert roles_on(user, structure_tree["mine"]) == set()


def test_roles_on_unite_roles_held_at_several_levels(structure_tree):
    user = member_of(structure_tree["root"], Role.EVALUATOR)
    MembershipFactory(user=user, structure=structure_tree["mine"], role=Role.AGENT)

    assert roles_on(user, structure_tree["child"]) == {Role.EVALUATOR, Role.AGENT}


def test_user_with_two_roles_on_a_structure_can_do_what_either_allows(structure_tree, agent):
    MembershipFactory(user=agent, structure=structure_tree["mine"], role=Role.EVALUATOR)

    assert can(agent, Action.ANSWER, structure_tree["mine"])
    assert can(agent, Action.DIAGNOSE, structure_tree["mine"])


def test_evaluator_on_parent_and_agent_on_mine_can_answer_only_in_mine(structure_tree):
    user = member_of(structure_tree["root"], Role.EVALUATOR)
    MembershipFactory(user=user, structure=structure_tree["mine"], role=Role.AGENT)

    assert pks(structures_visible_to(user, Action.ANSWER)) == tree_pks(structure_tree, IN_SCOPE)
    assert can(user, Action.DIAGNOSE, structure_tree["sibling"])
    assert not can(user, Action.ANSWER, structure_tree["sibling"])


# --- experiences routed to several structures ----------------------------------------------------


def test_agent_sees_experience_routed_to_mine_and_foreign_once(structure_tree, agent):
    experience = AssignmentFactory(structure=structure_tree["mine"]).experience
    AssignmentFactory(experience=experience, structure=structure_tree["foreign"])

    assert list(Experience.objects.visible_to(agent)) == [experience]


def test_agent_sees_experience_routed_to_mine_and_child_once(structure_tree, agent):
    experience = AssignmentFactory(structure=structure_tree["mine"]).experience
    AssignmentFactory(experience=experience, structure=structure_tree["child"])
    MembershipFactory(user=agent, structure=structure_tree["child"], role=Role.SUPER_AGENT)

    assert list(Experience.objects.visible_to(agent)) == [experience]
    assert Experience.objects.visible_to(agent).count() == 1


def test_agent_cannot_see_assignment_of_foreign_structure_on_a_shared_experience(structure_tree, agent):
    mine = AssignmentFactory(structure=structure_tree["mine"])
    AssignmentFactory(experience=mine.experience, structure=structure_tree["foreign"])

    assert list(Assignment.objects.visible_to(agent)) == [mine]


def test_agent_cannot_see_experience_routed_nowhere(agent):
    ExperienceFactory()

    assert not Experience.objects.visible_to(agent).exists()


def test_member_of_two_trees_sees_both_subtrees_and_nothing_else(structure_tree, agent):
    foreign_child = StructureFactory(parent=structure_tree["foreign"], name="Service étranger")
    MembershipFactory(user=agent, structure=foreign_child, role=Role.EVALUATOR)

    visible = tree_pks(structure_tree, IN_SCOPE) | {foreign_child.pk}
    assert pks(structures_visible_to(agent)) == visible


def test_member_of_two_trees_sees_experiences_of_both_subtrees_and_nothing_else(structure_tree, agent):
    foreign_child = StructureFactory(parent=structure_tree["foreign"], name="Service étranger")
    MembershipFactory(user=agent, structure=foreign_child, role=Role.EVALUATOR)
    seen = [AssignmentFactory(structure=s).experience for s in (structure_tree["child"], foreign_child)]
    for name in ("root", "sibling", "foreign"):
        AssignmentFactory(structure=structure_tree[name])

    assert pks(Experience.objects.visible_to(agent)) == {e.pk for e in seen}


@pytest.mark.parametrize("extra_memberships", [0, 4])
def test_experience_visibility_costs_two_queries_whatever_the_memberships(
    structure_tree, agent, extra_memberships, django_assert_num_queries
):
    for _ in range(extra_memberships):
        MembershipFactory(user=agent, structure=StructureFactory(), role=Role.EVALUATOR)
    AssignmentFactory(structure=structure_tree["child"])

    # The scope is read once per user object (the member's subtree bounds, then their structures' ids),
    # then each list costs one query.
    with django_assert_num_queries(3):
        assert len(list(Experience.objects.visible_to(agent))) == 1
    with django_assert_num_queries(1):
        assert len(list(Experience.objects.visible_to(agent))) == 1


# --- DITP moderators and superusers -------------------------------------------------------------


@pytest.mark.parametrize("who", ["moderator", "superuser"])
def test_staff_sees_every_structure(request, structure_tree, who):
    user = request.getfixturevalue(who)

    assert pks(structures_visible_to(user)) == pks(Structure.objects.all())
    assert pks(Structure.objects.visible_to(user)) == pks(Structure.objects.all())


@pytest.mark.parametrize("who", ["moderator", "superuser"])
def test_staff_sees_every_experience_routed_or_not(request, structure_tree, who):
    user = request.getfixturevalue(who)
    routed = [AssignmentFactory(structure=structure_tree[name]).experience for name in RELATIONS]
    unrouted = ExperienceFactory()

    assert pks(Experience.objects.visible_to(user)) == {e.pk for e in [*routed, unrouted]}


@pytest.mark.parametrize("who", ["moderator", "superuser"])
def test_staff_sees_every_assignment_and_improvement_action(request, structure_tree, who):
    user = request.getfixturevalue(who)
    assignments = [AssignmentFactory(structure=structure_tree[name]) for name in RELATIONS]
    actions = [ImprovementActionFactory(structure=structure_tree[name]) for name in RELATIONS]

    assert pks(Assignment.objects.visible_to(user)) == {a.pk for a in assignments}
    assert pks(ImprovementAction.objects.visible_to(user)) == {a.pk for a in actions}


@pytest.mark.parametrize("relation", RELATIONS)
def test_moderator_can_comment_anywhere(structure_tree, moderator, relation):
    assert can(moderator, Action.COMMENT, structure_tree[relation])


def test_moderator_cannot_answer(structure_tree, moderator):
    assert not can(moderator, Action.ANSWER, structure_tree["mine"])
    assert not structures_visible_to(moderator, Action.ANSWER).exists()


@pytest.mark.parametrize("action", ACTIONS)
def test_moderator_can_only_read_and_comment(structure_tree, moderator, action):
    assert can(moderator, action, structure_tree["child"]) is (action in MODERATOR_ACTIONS)


@pytest.mark.parametrize("action", ACTIONS)
def test_superuser_can_do_everything_everywhere(structure_tree, superuser, action):
    assert can(superuser, action, structure_tree["foreign"])
    assert pks(structures_visible_to(superuser, action)) == pks(Structure.objects.all())


def test_moderator_who_is_also_agent_can_answer_only_in_own_subtree(structure_tree):
    moderator = ModeratorFactory()
    MembershipFactory(user=moderator, structure=structure_tree["mine"], role=Role.AGENT)

    assert can(moderator, Action.ANSWER, structure_tree["child"])
    assert not can(moderator, Action.ANSWER, structure_tree["sibling"])


# --- inactive and anonymous users ---------------------------------------------------------------


def outsider(kind: str, structure):
    """A user who must see nothing: deactivated accounts of every kind, and anonymous visitors."""
    if kind == "anonymous":
        return AnonymousUser()
    if kind == "inactive_agent":
        user = member_of(structure, Role.SUPER_AGENT)
    elif kind == "inactive_moderator":
        user = ModeratorFactory()
    else:
        user = UserFactory(is_superuser=True, is_staff=True)
    user.is_active = False
    user.save()
    return user


OUTSIDERS = ["anonymous", "inactive_agent", "inactive_moderator", "inactive_superuser"]


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_outsider_sees_no_structure(structure_tree, kind):
    user = outsider(kind, structure_tree["mine"])

    assert not structures_visible_to(user).exists()
    assert not Structure.objects.visible_to(user).exists()


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_outsider_sees_no_experience(structure_tree, kind):
    user = outsider(kind, structure_tree["mine"])
    AssignmentFactory(structure=structure_tree["mine"])

    assert not Experience.objects.visible_to(user).exists()


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_outsider_sees_no_assignment_nor_improvement_action(structure_tree, kind):
    user = outsider(kind, structure_tree["mine"])
    AssignmentFactory(structure=structure_tree["mine"])
    ImprovementActionFactory(structure=structure_tree["mine"])

    assert not Assignment.objects.visible_to(user).exists()
    assert not ImprovementAction.objects.visible_to(user).exists()


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("kind", OUTSIDERS)
def test_outsider_cannot_act(structure_tree, kind, action):
    user = outsider(kind, structure_tree["mine"])

    assert not can(user, action, structure_tree["mine"])


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_outsider_is_not_member(structure_tree, kind):
    assert not is_member(outsider(kind, structure_tree["mine"]))


# --- entering the back-office -------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_user_with_a_role_is_member(structure_tree, role):
    assert is_member(member_of(structure_tree["child"], role))


@pytest.mark.parametrize("who", ["moderator", "superuser"])
def test_staff_is_member_without_membership(request, who):
    assert is_member(request.getfixturevalue(who))


def test_user_without_membership_is_not_member(db):
    assert not is_member(UserFactory())


@pytest.mark.parametrize("state", [ModerationState.SUBMITTED, ModerationState.REJECTED, ModerationState.TO_MODIFY])
def test_agent_cannot_see_unpublished_experience_of_own_structure(structure_tree, agent, moderator, state):
    experience = AssignmentFactory(structure=structure_tree["mine"], experience__moderation_state=state).experience

    assert not Experience.objects.visible_to(agent).filter(pk=experience.pk).exists()
    assert Experience.objects.visible_to(moderator).filter(pk=experience.pk).exists()


# --- the dashboard's wide scopes: whole networks and the whole country --------------------------


def test_network_referent_sees_own_network_whole_and_no_other(structure_tree):
    referent = member_of(structure_tree["root"], Role.REFERENT)

    assert pks(networks_seen_whole_by(referent)) == {structure_tree["root"].network_id}
    assert not sees_whole_country(referent)


def test_network_with_a_structure_outside_the_referents_tree_is_not_theirs_whole(structure_tree):
    referent = member_of(structure_tree["root"], Role.REFERENT)
    StructureFactory(network=structure_tree["root"].network, name="Hors réseau")

    assert pks(networks_seen_whole_by(referent)) == set()


@pytest.mark.parametrize("role", [role for role in ROLES if role != Role.REFERENT])
def test_other_roles_on_a_root_see_no_network_whole(structure_tree, role):
    assert pks(networks_seen_whole_by(member_of(structure_tree["root"], role))) == set()


def test_referent_below_the_root_sees_no_network_whole(structure_tree):
    assert pks(networks_seen_whole_by(member_of(structure_tree["mine"], Role.REFERENT))) == set()


def test_moderator_sees_every_network_and_the_whole_country(structure_tree):
    moderator = ModeratorFactory()

    assert pks(networks_seen_whole_by(moderator)) == {s.network_id for s in structure_tree.values()}
    assert sees_whole_country(moderator)
