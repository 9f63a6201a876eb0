"""The moderation page's and the transfer page's one step each: moderate_experience and decide_transfer."""

import pytest
from django.core import mail

from common.exceptions import Refused
from experiences.models import (
    ExperienceEdit,
    GeneralTag,
    ModerationAction,
    ModerationState,
    RejectionReason,
    ResponseStatus,
    TransferDecision,
)
from experiences.services import moderation, transfers
from structures.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def submitted(**kwargs):
    experience = f.ExperienceFactory(moderation_state=ModerationState.SUBMITTED, **kwargs)
    f.ExperienceTypologyFactory(experience=experience)
    return experience


def page(experience, **changes) -> dict:
    """What the page posts when the moderator changes nothing but `changes`."""
    return {"title": experience.title, "description": experience.description, "general_tags": {}, **changes}


def test_moderator_can_save_corrections_without_deciding(moderator):
    experience = submitted(title="Accueil de M. Dupont")

    outcome = moderation.moderate_experience(
        experience=experience,
        by=moderator,
        **page(experience, title="Accueil en mairie", general_tags={GeneralTag.RELATION: "negative"}),
    )

    assert (outcome.decided, outcome.message) == (False, "")
    experience.refresh_from_db()
    assert experience.title == "Accueil en mairie"
    assert experience.moderation_state == ModerationState.SUBMITTED
    assert ExperienceEdit.objects.get(experience=experience).before == "Accueil de M. Dupont"
    assert dict(experience.general_tags.values_list("tag", "value")) == {GeneralTag.RELATION: "negative"}


def test_moderator_can_publish_with_corrections_in_one_step(
    moderator, structure_tree, django_capture_on_commit_callbacks
):
    experience = submitted(author_email="lucie@example.org")
    agent = f.MembershipFactory(structure=structure_tree["mine"], role=Role.AGENT).user

    with django_capture_on_commit_callbacks(execute=True):
        outcome = moderation.moderate_experience(
            experience=experience,
            by=moderator,
            **page(experience, general_tags={GeneralTag.REACTIVITY: "positive"}),
            decision=moderation.PUBLISH,
            structures=[structure_tree["mine"]],
        )

    assert outcome.decided
    assert outcome.message == (
        f"Expérience {experience.public_id} publiée et orientée vers : {structure_tree['mine']}. "
        "L'auteur et les agents sont prévenus."
    )
    experience.refresh_from_db()
    assert experience.is_published
    assert dict(experience.general_tags.values_list("tag", "value")) == {GeneralTag.REACTIVITY: "positive"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["lucie@example.org", agent.email])


def test_moderator_can_reject_and_the_author_is_told_why(moderator, django_capture_on_commit_callbacks):
    experience = submitted(author_email="lucie@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        outcome = moderation.moderate_experience(
            experience=experience,
            by=moderator,
            **page(experience),
            decision=moderation.REJECT,
            reason=RejectionReason.PERSONAL_DATA,
            message=" Votre nom y figure. ",
        )

    assert outcome.message == f"Expérience {experience.public_id} rejetée. L'auteur est prévenu du motif."
    decision = experience.moderation_decisions.get()
    assert (decision.action, decision.message) == (ModerationAction.REJECTED, "Votre nom y figure.")
    (email,) = mail.outbox
    assert email.to == ["lucie@example.org"] and "Votre nom y figure." in email.body


def test_moderator_can_send_an_experience_back_to_its_author(moderator, django_capture_on_commit_callbacks):
    experience = submitted(author_email="lucie@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        outcome = moderation.moderate_experience(
            experience=experience,
            by=moderator,
            **page(experience),
            decision=moderation.TO_MODIFY,
            message="Retirez le nom de l'agent.",
        )

    assert outcome.message == f"Expérience {experience.public_id} renvoyée à son auteur pour modification."
    experience.refresh_from_db()
    assert experience.moderation_state == ModerationState.TO_MODIFY
    (email,) = mail.outbox
    assert "Retirez le nom de l'agent." in email.body


def test_moderator_cannot_publish_when_another_rejected_first_but_keeps_the_corrections(moderator, structure_tree):
    experience = submitted(title="Accueil de M. Dupont")
    moderation.reject_experience(experience=experience, by=f.ModeratorFactory(), reason=RejectionReason.DUPLICATE)

    outcome = moderation.moderate_experience(
        experience=experience,
        by=moderator,
        **page(experience, title="Accueil en mairie"),
        decision=moderation.PUBLISH,
        structures=[structure_tree["mine"]],
    )

    assert not outcome.decided
    assert outcome.message.startswith("Décision non enregistrée : Cette expérience a été rejetée")
    experience.refresh_from_db()
    assert (experience.moderation_state, experience.title) == (ModerationState.REJECTED, "Accueil en mairie")
    assert not experience.assignments.exists()


def test_agent_cannot_moderate_and_nothing_is_written(agent, structure_tree):
    experience = submitted(title="Accueil de M. Dupont")

    with pytest.raises(moderation.ModerationRefused):
        moderation.moderate_experience(
            experience=experience,
            by=agent,
            **page(experience, title="Accueil en mairie"),
            decision=moderation.PUBLISH,
            structures=[structure_tree["mine"]],
        )

    experience.refresh_from_db()
    assert (experience.moderation_state, experience.title) == (ModerationState.SUBMITTED, "Accueil de M. Dupont")
    assert not ExperienceEdit.objects.filter(experience=experience).exists()


def test_moderator_cannot_take_an_unknown_decision(moderator):
    experience = submitted()
    with pytest.raises(moderation.ModerationRefused, match="décision"):
        moderation.moderate_experience(experience=experience, by=moderator, **page(experience), decision="delete")


# --- Transfers -----------------------------------------------------------------------------------


def test_moderator_can_accept_a_transfer_and_both_sides_are_told(
    moderator, transfer, structure_tree, django_capture_on_commit_callbacks
):
    receiving_agent = f.MembershipFactory(structure=structure_tree["foreign"], role=Role.AGENT).user

    with django_capture_on_commit_callbacks(execute=True):
        outcome = transfers.decide_transfer(transfer=transfer, by=moderator, decision=TransferDecision.ACCEPTED)

    assert outcome.message == "Demande de transfert acceptée ; les agents sont prévenus."
    assert (outcome.transfer.decision, outcome.transfer.decided_by) == (TransferDecision.ACCEPTED, moderator)
    assignment = transfer.experience.assignments.get()
    assert (assignment.structure, assignment.response_status) == (structure_tree["foreign"], ResponseStatus.AWAITING)
    assert {m.to[0] for m in mail.outbox} == {transfer.requested_by.email, receiving_agent.email}


def test_moderator_can_refuse_a_transfer_with_a_reason(moderator, transfer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = transfers.decide_transfer(
            transfer=transfer, by=moderator, decision=TransferDecision.REFUSED, reason=" Elle vous concerne. "
        )

    assert outcome.message == "Demande de transfert refusée ; les agents sont prévenus."
    transfer.refresh_from_db()
    assert (transfer.decision, transfer.decision_reason) == (TransferDecision.REFUSED, "Elle vous concerne.")
    (email,) = mail.outbox
    assert email.to == [transfer.requested_by.email] and "Elle vous concerne." in email.body


def test_moderator_cannot_refuse_a_transfer_without_a_reason(moderator, transfer):
    with pytest.raises(transfers.TransferRefused, match="motif"):
        transfers.decide_transfer(transfer=transfer, by=moderator, decision=TransferDecision.REFUSED, reason=" ")
    transfer.refresh_from_db()
    assert transfer.decision == TransferDecision.PENDING


def test_moderator_cannot_take_an_unknown_transfer_decision(moderator, transfer):
    with pytest.raises(transfers.TransferRefused):
        transfers.decide_transfer(transfer=transfer, by=moderator, decision=TransferDecision.PENDING)


def test_moderator_cannot_refuse_a_transfer_already_accepted(moderator, transfer):
    transfers.decide_transfer(transfer=transfer, by=moderator, decision=TransferDecision.ACCEPTED)
    with pytest.raises(transfers.TransferRefused, match="déjà été acceptée"):
        transfers.decide_transfer(transfer=transfer, by=moderator, decision=TransferDecision.REFUSED, reason="Non.")


def test_accepting_a_transfer_twice_is_a_no_op(moderator, transfer):
    for _ in range(2):
        transfers.decide_transfer(transfer=transfer, by=moderator, decision=TransferDecision.ACCEPTED)
    assert transfer.experience.moderation_decisions.filter(action=ModerationAction.TRANSFER_ACCEPTED).count() == 1


def test_agent_cannot_decide_a_transfer(agent, transfer):
    with pytest.raises(Refused):
        transfers.decide_transfer(transfer=transfer, by=agent, decision=TransferDecision.ACCEPTED)
    transfer.refresh_from_db()
    assert transfer.decision == TransferDecision.PENDING
