"""Moderation steps: publish and route, reject, ask to modify, text edits kept; their effects and e-mails."""

import pytest
from django.core import mail

from common.exceptions import Refused
from experiences.models import (
    ExperienceEdit,
    ExperienceStatus,
    GeneralTag,
    ModerationAction,
    ModerationState,
    RejectionReason,
)
from experiences.services import moderation
from structures.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def submitted(**kwargs):
    experience = f.ExperienceFactory(moderation_state=ModerationState.SUBMITTED, **kwargs)
    f.ExperienceTypologyFactory(experience=experience)
    return experience


def test_moderator_publishes_and_routes_an_experience(moderator, structure_tree, django_capture_on_commit_callbacks):
    experience = submitted(author_email="lucie@example.org")
    agent = f.MembershipFactory(structure=structure_tree["mine"], role=Role.AGENT).user

    with django_capture_on_commit_callbacks(execute=True):
        moderation.publish_experience(
            experience=experience,
            by=moderator,
            structures=[structure_tree["mine"], structure_tree["sibling"]],
            general_tags={GeneralTag.RELATION: "negative"},
        )

    experience.refresh_from_db()
    assert experience.is_published and experience.published_at is not None
    assert experience.moderated_by == moderator and experience.moderated_at is not None
    assert experience.status == ExperienceStatus.AWAITING
    assignments = list(experience.assignments.order_by("position"))
    assert [a.structure for a in assignments] == [structure_tree["mine"], structure_tree["sibling"]]
    assert all(a.published_at == experience.published_at and a.feeling == experience.feeling for a in assignments)
    assert dict(experience.general_tags.values_list("tag", "value")) == {GeneralTag.RELATION: "negative"}
    decision = experience.moderation_decisions.get()
    assert (decision.action, decision.decided_by) == (ModerationAction.PUBLISHED, moderator)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(["lucie@example.org", agent.email])


def test_publishing_twice_is_a_no_op(moderator, structure_tree):
    experience = submitted()
    for _ in range(2):
        moderation.publish_experience(experience=experience, by=moderator, structures=[structure_tree["mine"]])
    assert experience.moderation_decisions.count() == 1
    assert experience.assignments.count() == 1


@pytest.mark.parametrize("count", [0, 4])
def test_publishing_needs_one_to_three_structures(moderator, count):
    experience = submitted()
    structures = [f.StructureFactory() for _ in range(count)]
    with pytest.raises(Refused, match="entre une et trois"):
        moderation.publish_experience(experience=experience, by=moderator, structures=structures)
    experience.refresh_from_db()
    assert experience.moderation_state == ModerationState.SUBMITTED


def test_publishing_needs_a_typology(moderator, structure_tree):
    experience = f.ExperienceFactory(moderation_state=ModerationState.SUBMITTED)
    with pytest.raises(Refused, match="typologie"):
        moderation.publish_experience(experience=experience, by=moderator, structures=[structure_tree["mine"]])


def test_agent_cannot_moderate(agent, structure_tree):
    experience = submitted()
    with pytest.raises(Refused):
        moderation.publish_experience(experience=experience, by=agent, structures=[structure_tree["mine"]])
    with pytest.raises(Refused):
        moderation.reject_experience(experience=experience, by=agent, reason=RejectionReason.INSULTS)


def test_rejection_hides_the_experience_and_tells_the_author_why(moderator, django_capture_on_commit_callbacks):
    experience = submitted(author_email="lucie@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        moderation.reject_experience(
            experience=experience, by=moderator, reason=RejectionReason.PERSONAL_DATA, message="Votre nom y figure."
        )

    experience.refresh_from_db()
    assert experience.moderation_state == ModerationState.REJECTED
    assert not experience.__class__.objects.published().filter(pk=experience.pk).exists()
    decision = experience.moderation_decisions.get()
    assert decision.reason == RejectionReason.PERSONAL_DATA and decision.decided_by == moderator
    (email,) = mail.outbox
    assert email.to == ["lucie@example.org"]
    assert RejectionReason.PERSONAL_DATA.label in email.body and "Votre nom y figure." in email.body


def test_rejected_experience_cannot_be_published(moderator, structure_tree):
    experience = submitted()
    moderation.reject_experience(experience=experience, by=moderator, reason=RejectionReason.DUPLICATE)
    with pytest.raises(Refused, match="rejetée"):
        moderation.publish_experience(experience=experience, by=moderator, structures=[structure_tree["mine"]])


def test_rejection_needs_a_reason_from_the_list(moderator):
    with pytest.raises(Refused, match="motif"):
        moderation.reject_experience(experience=submitted(), by=moderator, reason="parce que")


def test_request_to_modify_sends_a_link_that_lets_the_author_resubmit(
    client, moderator, django_capture_on_commit_callbacks
):
    experience = submitted(author_email="lucie@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.request_modification(experience=experience, by=moderator, message="Retirez le nom de l'agent.")
    experience.refresh_from_db()
    assert experience.moderation_state == ModerationState.TO_MODIFY
    (email,) = mail.outbox
    assert "Retirez le nom de l'agent." in email.body
    link = next(word for word in email.body.split() if "/experiences/modifier/" in word)
    path = link.split("localhost:8000", 1)[-1]

    page = client.get(path)
    assert page.status_code == 200 and "Retirez le nom de l&#x27;agent." in page.content.decode()
    new_text = "Au guichet, l'agent a été patient et m'a expliqué chaque étape du dossier. " * 3
    response = client.post(path, {"title": "Un accueil patient", "description": new_text})

    assert response.status_code == 302
    experience.refresh_from_db()
    assert experience.moderation_state == ModerationState.SUBMITTED
    assert experience.title == "Un accueil patient"
    assert experience.moderation_decisions.filter(action=ModerationAction.RESUBMITTED).exists()
    # The link works once: the experience is back with the moderators.
    assert "n'attend plus de modification" in client.get(path).content.decode()


def test_author_edit_link_refuses_a_too_short_text_and_keeps_what_was_typed(client, moderator):
    experience = submitted()
    moderation.request_modification(experience=experience, by=moderator, message="Précisez le service.")
    from experiences.author_links import author_edit_url

    path = author_edit_url(experience).split("localhost:8000", 1)[-1]
    response = client.post(path, {"title": "Nouveau titre", "description": "Trop court."})
    assert response.status_code == 400
    assert "Trop court." in response.content.decode()
    experience.refresh_from_db()
    assert experience.moderation_state == ModerationState.TO_MODIFY


def test_tampered_author_edit_link_is_refused(client):
    assert client.get("/experiences/modifier/123456:abc:def/").status_code == 400


def test_edit_keeps_the_original_text_with_who_and_when(moderator):
    experience = submitted(title="Accueil de M. Dupont à la mairie")
    original = experience.description

    moderation.edit_experience_text(
        experience=experience, by=moderator, title="Accueil à la mairie", description=original
    )
    moderation.edit_experience_text(
        experience=experience, by=moderator, title="Accueil en mairie", description=original + " Merci."
    )

    experience.refresh_from_db()
    assert experience.title == "Accueil en mairie"
    edits = list(ExperienceEdit.objects.filter(experience=experience).order_by("edited_at", "pk"))
    assert [(e.field, e.before) for e in edits] == [
        ("title", "Accueil de M. Dupont à la mairie"),
        ("title", "Accueil à la mairie"),
        ("description", original),
    ]
    assert all(e.edited_by == moderator and e.edited_at for e in edits)
