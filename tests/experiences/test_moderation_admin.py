"""The moderators' admin: the queue, the moderation page with its routing suggestion, bulk actions, transfers."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from experiences.models import (
    Experience,
    ExperienceEdit,
    GeneralTag,
    ModerationState,
    RejectionReason,
    ResponseStatus,
    TransferDecision,
)
from structures.models import Role
from tests import factories as f
from tests.helpers import admin_form_data

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:experiences_experiencetomoderate_changelist")
TRANSFERS = reverse("admin:experiences_transferrequest_changelist")
AUTHOR_EMAIL = "auteur.cache@example.org"


def page(experience) -> str:
    return reverse("admin:experiences_experiencetomoderate_change", args=[experience.pk])


@pytest.fixture
def routed():
    """A typology with one structure in Paris, its agent, and an experience about it waiting in the queue."""
    typology = f.TypologyFactory(name="Caisse d'allocations familiales")
    structure = f.StructureFactory(name="CAF de Paris", typology=typology, insee_department="75")
    agent = f.MembershipFactory(structure=structure, role=Role.AGENT).user
    experience = f.ExperienceFactory(
        moderation_state=ModerationState.SUBMITTED, author_email=AUTHOR_EMAIL, department_id="75"
    )
    f.ExperienceTypologyFactory(experience=experience, typology=typology)
    return {"structure": structure, "agent": agent, "experience": experience, "typology": typology}


def queued(hours_ago: int, **kwargs):
    kwargs.setdefault("moderation_state", ModerationState.SUBMITTED)
    return f.ExperienceFactory(submitted_at=timezone.now() - datetime.timedelta(hours=hours_ago), **kwargs)


def test_queue_lists_what_waits_oldest_first_with_its_age_and_count(moderator_client):
    recent, oldest = queued(2), queued(50)
    f.ExperienceFactory()  # published: not in the queue
    queued(1, moderation_state=ModerationState.TO_MODIFY)

    response = moderator_client.get(QUEUE)

    assert list(response.context["cl"].result_list) == [oldest, recent]
    content = response.content.decode()
    assert "2 expériences à modérer" in content
    assert "2 j 2 h" in content


def test_queue_shows_what_waits_for_its_author_on_demand(moderator_client):
    waiting_author = queued(1, moderation_state=ModerationState.TO_MODIFY)
    queued(2)
    response = moderator_client.get(QUEUE, {"etat": ModerationState.TO_MODIFY})
    assert list(response.context["cl"].result_list) == [waiting_author]


def test_queue_filters_by_network_typology_department_and_source(moderator_client, routed):
    other = queued(3, department_id="13", source="qr-code-mairie")
    f.ExperienceTypologyFactory(experience=other)
    cases = {
        "reseau": routed["typology"].network_id,
        "typologies__typology__id__exact": routed["typology"].pk,
        "department__code__exact": "75",
    }
    for parameter, value in cases.items():
        response = moderator_client.get(QUEUE, {parameter: value})
        assert list(response.context["cl"].result_list) == [routed["experience"]], parameter
    response = moderator_client.get(QUEUE, {"source": "qr-code-mairie"})
    assert list(response.context["cl"].result_list) == [other]


def test_queue_filter_choices_come_from_the_referentials_not_the_waiting_rows(moderator_client, routed):
    unused = f.TypologyFactory(name="Typologie sans expérience en attente")
    f.ExperienceFactory(source="campagne-publiee")  # published: its source is still a choice
    content = moderator_client.get(QUEUE).content.decode()
    assert f"typologies__typology__id__exact={unused.pk}" in content
    assert f"{unused.name} ({unused.network.name})" in content
    assert "department__code__exact=2A" in content  # Corse-du-Sud, where nothing waits
    assert "source=campagne-publiee" in content


def test_queue_query_count_does_not_grow_with_rows(moderator_client, django_assert_num_queries):
    for hours in range(1, 6):
        experience = queued(hours, source=f"campagne-{hours}")
        f.ExperienceTypologyFactory(experience=experience)
    moderator_client.get(QUEUE)  # the referential choices are cached for every moderator
    # Session, user, title count and oldest, 3 permission reads, networks, the page's count, its rows,
    # their typologies and those typologies' names.
    with django_assert_num_queries(12):
        response = moderator_client.get(QUEUE)
    assert len(response.context["cl"].result_list) == 5


def test_queue_search_finds_by_words_and_public_id(moderator_client, routed):
    queued(1, title="Une autre démarche")
    experience = routed["experience"]
    for term in (experience.title.split()[0], str(experience.public_id)):
        response = moderator_client.get(QUEUE, {"q": term})
        assert experience in list(response.context["cl"].result_list), term


def test_moderation_page_is_prefilled_with_the_routing_suggestion(moderator_client, routed):
    response = moderator_client.get(page(routed["experience"]))
    form = response.context["adminform"].form
    assert form.fields["structures"].initial == [routed["structure"].pk]
    # The factory's structure is at 75001, the author at 75011: the same city, Paris.
    assert "seule structure de cette typologie à Paris, ville du code postal indiqué" in response.content.decode()


def test_moderator_publishes_from_the_page_and_author_and_agents_are_told(
    moderator_client, moderator, routed, django_capture_on_commit_callbacks
):
    experience = routed["experience"]
    data = admin_form_data(moderator_client.get(page(experience)))
    data.update({"decision": "publish", f"tag_{GeneralTag.REACTIVITY}": "positive"})

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(page(experience), data)

    assert response.status_code == 302 and response["Location"] == QUEUE
    experience.refresh_from_db()
    assert experience.is_published and experience.moderated_by == moderator
    assert list(experience.assignments.values_list("structure", flat=True)) == [routed["structure"].pk]
    assert dict(experience.general_tags.values_list("tag", "value")) == {GeneralTag.REACTIVITY: "positive"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([AUTHOR_EMAIL, routed["agent"].email])
    assert "publiée et orientée vers : CAF de Paris" in moderator_client.get(QUEUE).content.decode()


def test_publishing_needs_a_typology(moderator_client, routed):
    experience = routed["experience"]
    data = admin_form_data(moderator_client.get(page(experience)))
    data.update({"decision": "publish", "typologies-0-DELETE": "on"})

    response = moderator_client.post(page(experience), data)

    assert response.status_code == 200
    assert "choisissez au moins une typologie" in response.content.decode()
    experience.refresh_from_db()
    assert experience.moderation_state == ModerationState.SUBMITTED


def test_publishing_needs_a_structure(moderator_client, routed):
    experience = routed["experience"]
    data = admin_form_data(moderator_client.get(page(experience)))
    data.pop("structures")
    data["decision"] = "publish"
    response = moderator_client.post(page(experience), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["structures"]


def test_rejecting_from_the_page_needs_a_reason(moderator_client, routed, django_capture_on_commit_callbacks):
    experience = routed["experience"]
    data = admin_form_data(moderator_client.get(page(experience)))
    data["decision"] = "reject"
    assert moderator_client.post(page(experience), data).status_code == 200

    data["rejection_reason"] = RejectionReason.OUT_OF_SCOPE
    with django_capture_on_commit_callbacks(execute=True):
        assert moderator_client.post(page(experience), data).status_code == 302

    experience.refresh_from_db()
    assert experience.moderation_state == ModerationState.REJECTED
    assert [m.to for m in mail.outbox] == [[AUTHOR_EMAIL]]


def test_asking_to_modify_needs_a_message(moderator_client, routed):
    experience = routed["experience"]
    data = admin_form_data(moderator_client.get(page(experience)))
    data["decision"] = "to_modify"
    assert moderator_client.post(page(experience), data).status_code == 200
    data["message"] = "Retirez le numéro de dossier."
    assert moderator_client.post(page(experience), data).status_code == 302
    experience.refresh_from_db()
    assert experience.moderation_state == ModerationState.TO_MODIFY


def test_text_edited_on_the_page_keeps_the_original_for_moderators(moderator_client, moderator, routed):
    experience = routed["experience"]
    original = experience.title
    data = admin_form_data(moderator_client.get(page(experience)))
    data["title"] = "Titre sans nom propre"

    assert moderator_client.post(page(experience), data).status_code == 302

    edit = ExperienceEdit.objects.get(experience=experience)
    assert (edit.before, edit.after, edit.edited_by) == (original, "Titre sans nom propre", moderator)
    assert original in moderator_client.get(page(experience)).content.decode()
    assert original not in moderator_client.get(experience.get_absolute_url()).content.decode()


def test_staff_without_the_moderator_flag_cannot_decide_from_the_page(client, routed):
    """Permissions granted by hand open the page; the decision is still the moderators' (the service says no)."""
    staff = f.UserFactory(is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(codename__in=["view_experiencetomoderate", "change_experiencetomoderate"])
    )
    client.force_login(staff)
    experience = routed["experience"]
    data = admin_form_data(client.get(page(experience)))
    data["decision"] = "publish"

    response = client.post(page(experience), data, follow=True)

    assert response.redirect_chain == [(page(experience), 302)]
    assert "Décision non enregistrée : Seuls les modérateurs" in response.content.decode()
    experience.refresh_from_db()
    assert experience.moderation_state == ModerationState.SUBMITTED


def test_moderation_pages_never_show_the_author_email(moderator_client, routed):
    for url in (QUEUE, page(routed["experience"]), QUEUE + "?q=auteur.cache"):
        assert AUTHOR_EMAIL not in moderator_client.get(url).content.decode(), url


def test_search_cannot_find_an_experience_by_its_author_email(moderator_client, routed):
    response = moderator_client.get(QUEUE, {"q": AUTHOR_EMAIL})
    assert list(response.context["cl"].result_list) == []


def test_bulk_publish_routes_by_suggestion_and_skips_what_has_none(
    moderator_client, routed, django_capture_on_commit_callbacks
):
    without_typology = queued(5)
    selected = [routed["experience"].pk, without_typology.pk]

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(QUEUE, {"action": "bulk_publish", ACTION_CHECKBOX_NAME: selected}, follow=True)

    routed["experience"].refresh_from_db()
    without_typology.refresh_from_db()
    assert routed["experience"].is_published
    assert routed["experience"].assignments.get().structure == routed["structure"]
    assert without_typology.moderation_state == ModerationState.SUBMITTED
    assert str(without_typology.public_id) in response.content.decode()


def test_bulk_reject_asks_for_one_reason_then_rejects_all(moderator_client, django_capture_on_commit_callbacks):
    first, second = queued(1, author_email="a@example.org"), queued(2, author_email="b@example.org")
    selected = [first.pk, second.pk]

    confirm = moderator_client.post(QUEUE, {"action": "bulk_reject", ACTION_CHECKBOX_NAME: selected})
    assert confirm.status_code == 200 and "Motif du rejet" in confirm.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            QUEUE,
            {
                "action": "bulk_reject",
                "apply": "1",
                ACTION_CHECKBOX_NAME: selected,
                "reason": RejectionReason.DUPLICATE,
                "message": "",
            },
        )

    states = set(Experience.objects.filter(pk__in=selected).values_list("moderation_state", flat=True))
    assert states == {ModerationState.REJECTED}
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]


def transfer_page(transfer) -> str:
    return reverse("admin:experiences_transferrequest_change", args=[transfer.pk])


def test_pending_transfers_are_listed_first(moderator_client, transfer):
    f.TransferRequestFactory(decision=TransferDecision.REFUSED, decision_reason="Non.")
    response = moderator_client.get(TRANSFERS)
    assert list(response.context["cl"].result_list) == [transfer]


def test_accepting_a_transfer_moves_the_experience_and_tells_both_sides(
    moderator_client, moderator, transfer, structure_tree, django_capture_on_commit_callbacks
):
    receiving_agent = f.MembershipFactory(structure=structure_tree["foreign"], role=Role.AGENT).user

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(transfer_page(transfer), {"decision": TransferDecision.ACCEPTED})

    assert response.status_code == 302
    transfer.refresh_from_db()
    assert (transfer.decision, transfer.decided_by) == (TransferDecision.ACCEPTED, moderator)
    assignment = transfer.experience.assignments.get()
    assert assignment.structure == structure_tree["foreign"]
    assert assignment.response_status == ResponseStatus.AWAITING
    recipients = {m.to[0] for m in mail.outbox}
    assert recipients == {transfer.requested_by.email, receiving_agent.email}
    assert AUTHOR_EMAIL not in recipients


def test_refusing_a_transfer_needs_a_reason_and_keeps_the_routing(
    moderator_client, transfer, structure_tree, django_capture_on_commit_callbacks
):
    assert moderator_client.post(transfer_page(transfer), {"decision": TransferDecision.REFUSED}).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            transfer_page(transfer), {"decision": TransferDecision.REFUSED, "decision_reason": "Elle vous concerne."}
        )

    transfer.refresh_from_db()
    assert transfer.decision == TransferDecision.REFUSED
    assert transfer.experience.assignments.get().structure == structure_tree["mine"]
    (email,) = mail.outbox
    assert email.to == [transfer.requested_by.email] and "Elle vous concerne." in email.body


def test_a_transfer_is_refused_when_the_origin_already_answered_publicly(moderator_client, transfer):
    assignment = transfer.experience.assignments.get()
    f.ResponseFactory(assignment=assignment)

    response = moderator_client.post(transfer_page(transfer), {"decision": TransferDecision.ACCEPTED}, follow=True)

    assert "dépublier" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.decision == TransferDecision.PENDING


def test_bulk_accept_of_transfers(moderator_client, transfer, structure_tree):
    moderator_client.post(TRANSFERS, {"action": "accept_selected", ACTION_CHECKBOX_NAME: [transfer.pk]})
    assert transfer.experience.assignments.get().structure == structure_tree["foreign"]
