"""Role × step × structure, through the agents' pages: what each role may do, and where (README « Who may do what »).

The expected table is written out here, not recomputed from `structures.permissions`, so that a change
to ROLES_ALLOWED fails this test until the README and the table agree again.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from actions.models import ImprovementAction
from experiences.models import (
    Activity,
    Assignment,
    Comment,
    Experience,
    ExperienceChannel,
    GeneralTagValue,
    Response,
    ResponseState,
    ResponseStatus,
    TransferRequest,
)
from structures.models import Role, Structure
from tests import factories as f

pytestmark = pytest.mark.django_db

AGENT, SUPER_AGENT, MODERATOR = Role.AGENT.value, Role.SUPER_AGENT.value, "moderator"
ROLES = [*Role.values, MODERATOR]
TARGETS = ["mine", "child", "sibling", "foreign"]

# Who may do each step: on "mine" and its descendants for a member of "mine", on every structure for a
# DITP moderator. Évaluateurs, super évaluateurs and référents see the experience but do none of these.
EXPECTED = {
    "answer": {AGENT, SUPER_AGENT},
    "submit": {AGENT, SUPER_AGENT},
    "publish": {SUPER_AGENT},
    "send_back": {SUPER_AGENT},
    "unpublish": {SUPER_AGENT},
    "modify": {SUPER_AGENT},
    "adopt": {SUPER_AGENT},
    "qualify": {AGENT, SUPER_AGENT},
    "move": {AGENT, SUPER_AGENT},
    "transfer": {AGENT, SUPER_AGENT},
    "comment": {AGENT, SUPER_AGENT, MODERATOR},
}
# A member of "mine" does not see what is routed only to a sibling or to another network.
UNSEEN_BY_MEMBERS = {"sibling", "foreign"}

BODY = "Merci pour votre retour : nous avons revu l'organisation de l'accueil."
NEW_BODY = "Merci pour votre retour : l'accueil ouvre désormais dès 8 h 30."


def experience_state(experience: Experience) -> dict:
    """Everything an agent's step can change on an experience, to compare before and after a request."""
    experience_fields = ("status", "first_response_at", "moderation_state")
    assignment_fields = ("pk", "structure_id", "response_status", "needs_improvement", "first_response_at")
    response_fields = ("pk", "state", "body", "formula", "signature", "adopted_from_id", "published_at", "modified_at")
    return {
        "experience": Experience.objects.filter(pk=experience.pk).values_list(*experience_fields).get(),
        "assignments": list(
            Assignment.objects.filter(experience=experience).order_by("pk").values_list(*assignment_fields)
        ),
        "responses": list(
            Response.objects.filter(assignment__experience=experience).order_by("pk").values_list(*response_fields)
        ),
        "comments": list(Comment.objects.filter(experience=experience).order_by("pk").values_list("pk", "body")),
        "transfers": list(TransferRequest.objects.filter(experience=experience).values_list("pk", flat=True)),
        "general_tags": sorted(GeneralTagValue.objects.filter(experience=experience).values_list("tag", "value")),
        "channels": sorted(
            ExperienceChannel.objects.filter(experience_typology__experience=experience).values_list(
                "pk", "channel", "feeling"
            )
        ),
        "actions": sorted(
            ImprovementAction.experiences.through.objects.filter(experience=experience).values_list(
                "improvementaction_id", flat=True
            )
        ),
        "activities": Activity.objects.filter(experience=experience).count(),
    }


# The routing's status as the services leave it next to each state of its answer.
STATUS_OF = {
    ResponseState.DRAFT: ResponseStatus.AWAITING,
    ResponseState.PENDING_VALIDATION: ResponseStatus.PENDING_VALIDATION,
    ResponseState.PUBLISHED: ResponseStatus.ANSWERED,
}


def _response(assignment: Assignment, state: str) -> Response:
    Assignment.objects.filter(pk=assignment.pk).update(response_status=STATUS_OF[state])
    published = {} if state == ResponseState.PUBLISHED else {"published_at": None}
    return f.ResponseFactory(assignment=assignment, state=state, **published)


def _state(assignment: Assignment) -> str | None:
    return Response.objects.filter(assignment=assignment).values_list("state", flat=True).first()


@dataclass(frozen=True)
class Step:
    """One step of the agents' detail page: its URL, what must exist before, what shows it was done."""

    url_name: str
    arrange: Callable[[Assignment, dict], dict]  # builds what the step needs; returns the POST fields
    done: Callable[[Assignment, dict], bool]


def _arrange_nothing(assignment, arranged):
    return {}


def _with_response(state: str, fields: Callable[[Assignment], dict] = lambda a: {}):
    def arrange(assignment, arranged):
        _response(assignment, state)
        return fields(assignment)

    return arrange


def _adoptable_answer(assignment, arranged):
    # Another structure concerned, outside every member's scope: the network's root.
    root = Structure.objects.get(pk=arranged["tree"]["root"].pk)
    arranged["source"] = f.ResponseFactory(
        assignment=f.AssignmentFactory(experience=assignment.experience, structure=root)
    )
    return {"source": arranged["source"].pk}


def _new_child(assignment, arranged):
    parent = Structure.objects.get(pk=assignment.structure_id)
    arranged["child"] = f.StructureFactory(parent=parent, name="Nouvelle antenne")
    return {f"d{assignment.pk}-child": arranged["child"].pk}


def _transfer_to_root(assignment, arranged):
    return {
        f"t{assignment.pk}-to_structure": arranged["tree"]["root"].code,
        f"t{assignment.pk}-reason": "Cette expérience concerne la direction nationale.",
    }


STEPS = {
    "answer": Step(
        "write_response",
        lambda a, arranged: {f"r{a.pk}-body": BODY, "step": "draft"},
        lambda a, arranged: _state(a) == ResponseState.DRAFT,
    ),
    "submit": Step(
        "write_response",
        _with_response(ResponseState.DRAFT, lambda a: {f"r{a.pk}-body": BODY, "step": "submit"}),
        lambda a, arranged: _state(a) == ResponseState.PENDING_VALIDATION,
    ),
    "publish": Step(
        "validate_response",
        _with_response(ResponseState.PENDING_VALIDATION),
        lambda a, arranged: _state(a) == ResponseState.PUBLISHED,
    ),
    "send_back": Step(
        "send_back_response",
        _with_response(ResponseState.PENDING_VALIDATION, lambda a: {"reason": "Ajoutez les horaires."}),
        lambda a, arranged: _state(a) == ResponseState.DRAFT,
    ),
    "unpublish": Step(
        "unpublish_response",
        _with_response(ResponseState.PUBLISHED),
        lambda a, arranged: _state(a) == ResponseState.UNPUBLISHED,
    ),
    "modify": Step(
        "modify_response",
        _with_response(ResponseState.PUBLISHED, lambda a: {f"m{a.pk}-body": NEW_BODY, f"m{a.pk}-notify_author": "on"}),
        lambda a, arranged: Response.objects.filter(assignment=a, body=NEW_BODY).exists(),
    ),
    "adopt": Step(
        "adopt_response",
        _adoptable_answer,
        lambda a, arranged: Response.objects.filter(
            assignment=a, adopted_from=arranged["source"], state=ResponseState.PUBLISHED
        ).exists(),
    ),
    "qualify": Step(
        "qualify",
        lambda a, arranged: {f"q{a.pk}-needs_improvement": "on"},
        lambda a, arranged: Assignment.objects.filter(pk=a.pk, needs_improvement=True).exists(),
    ),
    "move": Step(
        "move",
        _new_child,
        lambda a, arranged: Assignment.objects.filter(pk=a.pk, structure=arranged["child"]).exists(),
    ),
    "transfer": Step(
        "transfer",
        _transfer_to_root,
        lambda a, arranged: TransferRequest.objects.filter(
            experience_id=a.experience_id, from_structure_id=a.structure_id
        ).exists(),
    ),
    "comment": Step(
        "comment",
        lambda a, arranged: {"body": "Je transmets au service concerné."},
        lambda a, arranged: Comment.objects.filter(experience_id=a.experience_id).exists(),
    ),
}
assert set(STEPS) == set(EXPECTED)


def user_with_role(role: str, structure: Structure):
    if role == MODERATOR:
        return f.ModeratorFactory()
    return f.MembershipFactory(structure=structure, role=role).user


def expected_outcome(role: str, action: str, target: str) -> str:
    if role != MODERATOR and target in UNSEEN_BY_MEMBERS:
        return "not found"
    return "done" if role in EXPECTED[action] else "refused"


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_member_of_mine_can_do_only_what_the_readme_allows_where_it_allows(
    client, structure_tree, role, action, target
):
    user = user_with_role(role, structure_tree["mine"])
    experience = f.ExperienceFactory(author_email="auteur.secret@example.org")
    assignment = f.AssignmentFactory(experience=experience, structure=structure_tree[target])
    step, arranged = STEPS[action], {"tree": structure_tree}
    data = {"routing": assignment.pk, **step.arrange(assignment, arranged)}
    before = experience_state(experience)
    client.force_login(user)

    page = client.post(reverse(f"agents:{step.url_name}", args=[experience.public_id]), data)

    outcome = expected_outcome(role, action, target)
    if outcome == "not found":
        assert page.status_code == 404
    else:
        assert page.status_code == 302
        assert page.url == reverse("agents:experience", args=[experience.public_id])
    if outcome == "done":
        assert step.done(assignment, arranged)
    else:
        assert not step.done(assignment, arranged)
        assert experience_state(experience) == before


@pytest.mark.parametrize("role", [role for role in ROLES if role not in EXPECTED["publish"]])
def test_member_without_the_right_cannot_publish_through_the_answer_form(client, structure_tree, role):
    assignment = f.AssignmentFactory(structure=structure_tree["mine"])
    client.force_login(user_with_role(role, structure_tree["mine"]))

    page = client.post(
        reverse("agents:write_response", args=[assignment.experience.public_id]),
        {"routing": assignment.pk, f"r{assignment.pk}-body": BODY, "step": "publish"},
    )

    assert page.status_code == 302
    assert not Response.objects.filter(assignment=assignment, state=ResponseState.PUBLISHED).exists()
    assert Experience.objects.get(pk=assignment.experience_id).first_response_at is None
