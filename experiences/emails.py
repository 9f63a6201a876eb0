"""Which e-mail each step of an experience's life sends, to whom (seeds 000 « parcours type », 001 q23–25).

Each function queues outbox rows in the caller's transaction. The author's address is read here and
in the outbox only; it never reaches a page. Agents are the members of the structure concerned; a
structure without any is covered by its nearest ancestor that has some, so no experience goes unseen.
"""

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from actions.models import ImprovementAction
from experiences.author_links import evaluation_url
from experiences.models import Assignment, Experience, Response, TransferRequest
from notifications.services import queue_email
from structures.models import Membership, Role, Structure

ANSWERING_ROLES = (Role.AGENT, Role.SUPER_AGENT)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def public_url(experience: Experience) -> str:
    return absolute(experience.get_absolute_url())


def agent_url(experience: Experience) -> str:
    """The experience in the agents' back-office, or its public page where the back-office is not installed."""
    try:
        return absolute(reverse("agents:experience", kwargs={"public_id": experience.public_id}))
    except NoReverseMatch:
        return public_url(experience)


def members_to_notify(structure: Structure, roles=ANSWERING_ROLES) -> list:
    """Active users with `roles` on the structure, else on its nearest ancestor that has some."""
    lineage = Structure.objects.get(pk=structure.pk).get_ancestors(include_self=True)
    memberships = (
        Membership.objects.filter(structure__in=lineage, role__in=roles, user__is_active=True)
        .select_related("user", "structure")
        .order_by("-structure__level", "user__email")
    )
    users, level = {}, None
    for membership in memberships:
        if level is not None and membership.structure.level != level:
            break
        level = membership.structure.level
        users.setdefault(membership.user.pk, membership.user)
    return list(users.values())


def _to_author(experience: Experience, template: str, context: dict, dedupe_key: str | None = None) -> None:
    queue_email(
        template=template,
        to=experience.author_email,
        context={"experience": experience, "experience_url": public_url(experience), **context},
        reference=f"expérience {experience.public_id}",
        dedupe_key=dedupe_key,
    )


def experience_published(experience: Experience) -> None:
    structures = [a.structure for a in experience.assignments.select_related("structure").order_by("position")]
    _to_author(experience, "experience_published", {"structures": structures})


def experience_rejected(experience: Experience, *, reason: str, message: str) -> None:
    _to_author(experience, "experience_rejected", {"reason": reason, "message": message})


def experience_to_modify(experience: Experience, *, message: str, edit_url: str) -> None:
    _to_author(experience, "experience_to_modify", {"message": message, "edit_url": edit_url})


def _response_to_author(response: Response, template: str) -> None:
    """A published answer, first or modified, with the link with which the author evaluates it."""
    assignment = response.assignment
    context = {"response": response, "structure": assignment.structure, "evaluation_url": evaluation_url(response)}
    _to_author(assignment.experience, template, context)


def response_published(response: Response) -> None:
    _response_to_author(response, "response_published")


def response_modified(response: Response) -> None:
    _response_to_author(response, "response_modified")


def action_linked(action: ImprovementAction, experience: Experience) -> None:
    # Linking the same action twice must not write twice to the author.
    _to_author(
        experience,
        "action_linked",
        {"action": action, "structure": action.structure},
        dedupe_key=f"action_linked:{action.pk}:{experience.pk}",
    )


def _to_members(users, template: str, context: dict, reference: str) -> None:
    for user in users:
        queue_email(template=template, to=user.email, context={"user": user, **context}, reference=reference)


def new_experience(assignment: Assignment) -> None:
    experience = assignment.experience
    _to_members(
        members_to_notify(assignment.structure),
        "agents_new_experience",
        {"experience": experience, "structure": assignment.structure, "agent_url": agent_url(experience)},
        f"expérience {experience.public_id}",
    )


def response_awaits_validation(response: Response) -> None:
    assignment = response.assignment
    _to_members(
        members_to_notify(assignment.structure, roles=(Role.SUPER_AGENT,)),
        "agents_pending_validation",
        {
            "experience": assignment.experience,
            "structure": assignment.structure,
            "response": response,
            "agent_url": agent_url(assignment.experience),
        },
        f"expérience {assignment.experience.public_id}",
    )


def transfer_decided(transfer: TransferRequest) -> None:
    """The requester and the agents of the structure it leaves, and, when accepted, those it reaches."""
    accepted = transfer.decision == "accepted"
    leaving = [transfer.requested_by, *members_to_notify(transfer.from_structure)]
    reaching = members_to_notify(transfer.to_structure) if accepted else []
    context = {
        "transfer": transfer,
        "experience": transfer.experience,
        "accepted": accepted,
        "agent_url": agent_url(transfer.experience),
    }
    reference = f"expérience {transfer.experience.public_id}"
    told = set()
    for side, users in (("origin", leaving), ("destination", reaching)):
        for user in users:
            if user.is_active and user.pk not in told:
                told.add(user.pk)
                _to_members([user], "agents_transfer_decided", {**context, "side": side}, reference)


def experience_received(experience: Experience) -> None:
    """The acknowledgement of a share: its number and what happens next (no link that acts for the author)."""
    _to_author(experience, "experience_received", {})
