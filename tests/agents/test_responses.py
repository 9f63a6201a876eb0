"""Response steps: draft → validation → published, sent back, unpublished, modified, adopted; statuses follow."""

import pytest
from django.core import mail
from django.urls import reverse

from common.exceptions import Refused
from experiences.models import Activity, ExperienceStatus, Response, ResponseState, ResponseStatus
from experiences.services import responses
from tests import factories as f

pytestmark = pytest.mark.django_db

BODY = "Merci pour votre retour : nous avons revu l'organisation de l'accueil."


@pytest.fixture
def assignment(structure_tree):
    experience = f.ExperienceFactory(author_email="auteur@example.org")
    return f.AssignmentFactory(experience=experience, structure=structure_tree["mine"])


def draft(assignment, agent):
    return responses.save_draft(assignment=assignment, by=agent, body=BODY, formula="Bonjour,", signature="L'équipe")


def test_agent_saves_a_draft_that_stays_private(assignment, agent):
    response = draft(assignment, agent)
    assignment.refresh_from_db()
    assert response.state == ResponseState.DRAFT and response.author == agent
    assert assignment.response_status == ResponseStatus.AWAITING
    assert Activity.objects.filter(experience=assignment.experience, actor=agent).exists()


def test_agent_submits_for_validation_and_super_agents_are_told(
    assignment, agent, super_agent, django_capture_on_commit_callbacks
):
    response = draft(assignment, agent)
    with django_capture_on_commit_callbacks(execute=True):
        responses.submit_for_validation(response=response, by=agent)
    assignment.refresh_from_db()
    assert assignment.response_status == ResponseStatus.PENDING_VALIDATION
    assert [m.to for m in mail.outbox] == [[super_agent.email]]


def test_agent_cannot_publish(assignment, agent):
    response = draft(assignment, agent)
    with pytest.raises(Refused, match="super répondant"):
        responses.publish_response(response=response, by=agent)
    response.refresh_from_db()
    assert response.state == ResponseState.DRAFT


def test_super_agent_publishes_dates_the_first_response_and_tells_the_author(
    assignment, agent, super_agent, django_capture_on_commit_callbacks
):
    response = draft(assignment, agent)
    responses.submit_for_validation(response=response, by=agent)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        responses.publish_response(response=response, by=super_agent)
    assignment.refresh_from_db()
    experience = assignment.experience
    experience.refresh_from_db()
    response.refresh_from_db()
    assert response.state == ResponseState.PUBLISHED and response.published_by == super_agent
    assert assignment.response_status == ResponseStatus.ANSWERED
    assert assignment.first_response_at == experience.first_response_at == response.published_at
    assert experience.status == ExperienceStatus.ANSWERED
    assert [m.to for m in mail.outbox] == [["auteur@example.org"]]


def test_publishing_twice_is_a_no_op(assignment, super_agent, django_capture_on_commit_callbacks):
    response = draft(assignment, super_agent)
    with django_capture_on_commit_callbacks(execute=True):
        responses.publish_response(response=response, by=super_agent)
        responses.publish_response(response=response, by=super_agent)
    assert len(mail.outbox) == 1


def test_super_agent_sends_a_draft_back(assignment, agent, super_agent):
    response = draft(assignment, agent)
    responses.submit_for_validation(response=response, by=agent)
    responses.send_back(response=response, by=super_agent, reason="Ajoutez les horaires.")
    response.refresh_from_db()
    assignment.refresh_from_db()
    assert response.state == ResponseState.DRAFT
    assert assignment.response_status == ResponseStatus.AWAITING
    assert Activity.objects.filter(detail="Ajoutez les horaires.").exists()


@pytest.mark.parametrize(
    ("published_first", "step"),
    [
        (True, lambda r, u: responses.send_back(response=r, by=u)),
        (True, lambda r, u: responses.submit_for_validation(response=r, by=u)),
        (False, lambda r, u: responses.unpublish_response(response=r, by=u)),
        (False, lambda r, u: responses.modify_response(response=r, by=u, body=BODY)),
    ],
    ids=["send_back_a_published_answer", "submit_a_published_answer", "unpublish_a_draft", "modify_a_draft"],
)
def test_transitions_that_must_be_refused(assignment, super_agent, published_first, step):
    response = draft(assignment, super_agent)
    if published_first:
        responses.publish_response(response=response, by=super_agent)
    state = type(response).objects.get(pk=response.pk).state
    with pytest.raises(Refused):
        step(response, super_agent)
    assert type(response).objects.get(pk=response.pk).state == state


def test_a_published_answer_cannot_be_overwritten_by_a_draft(assignment, super_agent):
    response = draft(assignment, super_agent)
    responses.publish_response(response=response, by=super_agent)
    with pytest.raises(Refused, match="publiée"):
        draft(assignment, super_agent)


def test_empty_answer_is_refused(assignment, agent):
    with pytest.raises(Refused, match="texte"):
        responses.save_draft(assignment=assignment, by=agent, body="   ")


def test_unpublishing_withdraws_it_and_the_status_follows(assignment, super_agent):
    response = draft(assignment, super_agent)
    responses.publish_response(response=response, by=super_agent)
    responses.unpublish_response(response=response, by=super_agent)
    assignment.refresh_from_db()
    assignment.experience.refresh_from_db()
    assert assignment.response_status == ResponseStatus.UNPUBLISHED
    assert assignment.experience.status == ExperienceStatus.AWAITING


def test_significant_modification_notifies_the_author(assignment, super_agent, django_capture_on_commit_callbacks):
    response = draft(assignment, super_agent)
    responses.publish_response(response=response, by=super_agent)
    with django_capture_on_commit_callbacks(execute=True):
        responses.modify_response(response=response, by=super_agent, body=BODY + " Précision.", notify_author=True)
    assignment.refresh_from_db()
    assert assignment.response_status == ResponseStatus.MODIFIED_NOTIFIED
    assert [m.to for m in mail.outbox] == [["auteur@example.org"]]
    assert "modifié" in mail.outbox[0].subject


def test_minor_correction_does_not_notify(assignment, super_agent, django_capture_on_commit_callbacks):
    response = draft(assignment, super_agent)
    responses.publish_response(response=response, by=super_agent)
    with django_capture_on_commit_callbacks(execute=True):
        responses.modify_response(response=response, by=super_agent, body=BODY + " (coquille)")
    assignment.refresh_from_db()
    assert assignment.response_status == ResponseStatus.ANSWERED and mail.outbox == []


@pytest.fixture
def shared(structure_tree):
    """An experience routed to my structure and to another network's, which has answered."""
    experience = f.ExperienceFactory()
    mine = f.AssignmentFactory(experience=experience, structure=structure_tree["mine"])
    theirs = f.AssignmentFactory(
        experience=experience, structure=structure_tree["foreign"], response_status=ResponseStatus.ANSWERED
    )
    published = f.ResponseFactory(assignment=theirs)
    return {"mine": mine, "theirs": theirs, "published": published}


def test_super_agent_adopts_another_structures_answer(shared, super_agent):
    response = responses.adopt_response(assignment=shared["mine"], by=super_agent, source=shared["published"])
    shared["mine"].refresh_from_db()
    assert response.adopted_from == shared["published"] and response.is_published
    assert shared["mine"].response_status == ResponseStatus.ADOPTED
    assert shared["mine"].first_response_at is not None


def test_an_unpublished_or_adopted_answer_cannot_be_adopted(shared, super_agent, structure_tree):
    shared["published"].state = ResponseState.UNPUBLISHED
    shared["published"].save()
    with pytest.raises(Refused, match="publiée"):
        responses.adopt_response(assignment=shared["mine"], by=super_agent, source=shared["published"])


def test_an_answer_of_another_experience_cannot_be_adopted(shared, super_agent):
    elsewhere = f.ResponseFactory()
    with pytest.raises(Refused, match="même expérience"):
        responses.adopt_response(assignment=shared["mine"], by=super_agent, source=elsewhere)


def test_agent_can_write_a_complementary_answer_on_a_shared_experience(shared, super_agent):
    response = draft(shared["mine"], super_agent)
    responses.publish_response(response=response, by=super_agent)
    statuses = {shared["mine"].pk: ResponseStatus.ANSWERED, shared["theirs"].pk: ResponseStatus.ANSWERED}
    for assignment in (shared["mine"], shared["theirs"]):
        assignment.refresh_from_db()
        assert assignment.response_status == statuses[assignment.pk]
    assert shared["published"].body != response.body


def test_agent_of_another_structure_cannot_answer_for_mine(assignment, sibling_agent):
    with pytest.raises(Refused):
        draft(assignment, sibling_agent)


def test_moderator_cannot_answer_for_a_structure(assignment, moderator):
    with pytest.raises(Refused):
        draft(assignment, moderator)


def test_ancestor_super_agent_may_publish_for_a_child(structure_tree, super_agent):
    assignment = f.AssignmentFactory(structure=structure_tree["child"])
    response = responses.publish_response(response=draft(assignment, super_agent), by=super_agent)
    assert response.is_published


# « Soumettre » and « Publier » on the answer form, and the one rule of which answers may be adopted.
def test_agent_can_save_and_submit_in_one_step(assignment, agent, super_agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = responses.save_and_submit(assignment=assignment, by=agent, body=BODY)
    assignment.refresh_from_db()
    assert response.state == ResponseState.PENDING_VALIDATION and response.body == BODY
    assert assignment.response_status == ResponseStatus.PENDING_VALIDATION
    assert [m.to for m in mail.outbox] == [[super_agent.email]]


def test_super_agent_can_save_and_publish_in_one_step(assignment, super_agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = responses.save_and_publish(assignment=assignment, by=super_agent, body=BODY)
    assignment.refresh_from_db()
    assert response.state == ResponseState.PUBLISHED and response.published_by == super_agent
    assert assignment.response_status == ResponseStatus.ANSWERED
    assert [m.to for m in mail.outbox] == [["auteur@example.org"]]


def test_agent_cannot_save_and_publish_and_nothing_is_saved(assignment, agent):
    with pytest.raises(Refused, match="super répondant"):
        responses.save_and_publish(assignment=assignment, by=agent, body=BODY)
    assignment.refresh_from_db()
    assert not Response.objects.filter(assignment=assignment).exists()
    assert assignment.response_status == ResponseStatus.AWAITING
    assert not Activity.objects.filter(experience=assignment.experience).exists()


@pytest.mark.parametrize(
    ("step", "state"),
    [("draft", ResponseState.DRAFT), ("submit", ResponseState.PENDING_VALIDATION), ("", ResponseState.DRAFT)],
    ids=["draft", "submit", "no_step"],
)
def test_agent_can_save_from_the_answer_form(client, assignment, agent, step, state):
    client.force_login(agent)
    url = reverse("agents:write_response", args=[assignment.experience.public_id])
    page = client.post(url, {"routing": assignment.pk, "step": step, f"r{assignment.pk}-body": BODY})
    assert page.status_code == 302
    assert Response.objects.get(assignment=assignment).state == state


def test_agent_cannot_publish_from_the_answer_form_and_nothing_is_saved(client, assignment, agent):
    client.force_login(agent)
    url = reverse("agents:write_response", args=[assignment.experience.public_id])
    page = client.post(url, {"routing": assignment.pk, "step": "publish", f"r{assignment.pk}-body": BODY}, follow=True)
    assert "Seul un super répondant de la structure peut publier." in page.content.decode()
    assert not Response.objects.filter(assignment=assignment).exists()


def co_routed(tree: dict, third: str) -> dict:
    """One experience routed to my structure and to two others: a published answer, and a `third` one."""
    experience = f.ExperienceFactory()
    mine = f.AssignmentFactory(experience=experience, structure=tree["mine"])
    published = f.ResponseFactory(assignment=f.AssignmentFactory(experience=experience, structure=tree["foreign"]))
    other = f.AssignmentFactory(experience=experience, structure=tree["sibling"])
    if third == "draft":
        answer = f.ResponseFactory(assignment=other, state=ResponseState.DRAFT, published_at=None)
    else:
        answer = f.ResponseFactory(assignment=other, adopted_from=published, body="")
    return {"mine": mine, "published": published, third: answer}


@pytest.mark.parametrize(
    ("source", "refusal"),
    [
        ("published", ""),
        ("draft", "Seule une réponse publiée, rédigée par une autre structure, peut être adoptée."),
        ("adopted", "Seule une réponse publiée, rédigée par une autre structure, peut être adoptée."),
        ("elsewhere", "Seule la réponse d'une autre structure à la même expérience peut être adoptée."),
    ],
)
def test_adoption_rule_names_what_a_structure_may_adopt(structure_tree, source, refusal):
    routed = co_routed(structure_tree, "draft" if source == "draft" else "adopted")
    answer = f.ResponseFactory() if source == "elsewhere" else routed[source]
    assert responses.adoption_refusal(routed["mine"], answer) == refusal
    assert responses.may_adopt(routed["mine"], answer) is (refusal == "")


def test_structure_cannot_adopt_its_own_answer(structure_tree):
    routed = co_routed(structure_tree, "draft")
    own = f.ResponseFactory(assignment=routed["mine"])
    assert not responses.may_adopt(routed["mine"], own)


@pytest.mark.parametrize("third", ["draft", "adopted"])
def test_super_agent_page_offers_exactly_the_answers_the_service_accepts(client, structure_tree, super_agent, third):
    routed = co_routed(structure_tree, third)
    client.force_login(super_agent)
    page = client.get(reverse("agents:experience", args=[routed["mine"].experience.public_id]))
    (workspace,) = [w for w in page.context["workspaces"] if w["assignment"].pk == routed["mine"].pk]
    assert [answer.pk for answer in workspace["adoptable"]] == [routed["published"].pk]
    with pytest.raises(Refused):
        responses.adopt_response(assignment=routed["mine"], by=super_agent, source=routed[third])
    adopted = responses.adopt_response(assignment=routed["mine"], by=super_agent, source=routed["published"])
    assert adopted.adopted_from == routed["published"]


def test_a_structure_that_published_its_own_answer_is_offered_nothing_to_adopt(client, structure_tree, super_agent):
    routed = co_routed(structure_tree, "draft")
    own = draft(routed["mine"], super_agent)
    responses.publish_response(response=own, by=super_agent)
    client.force_login(super_agent)

    page = client.get(reverse("agents:experience", args=[routed["mine"].experience.public_id]))

    (workspace,) = [w for w in page.context["workspaces"] if w["assignment"].pk == routed["mine"].pk]
    assert workspace["adoptable"] == []
    assert "Adopter la réponse" not in page.content.decode()
    with pytest.raises(Refused, match="déjà publié une réponse"):
        responses.adopt_response(assignment=routed["mine"], by=super_agent, source=routed["published"])


def test_adopting_the_same_answer_twice_keeps_the_first_adoption(shared, super_agent):
    first = responses.adopt_response(assignment=shared["mine"], by=super_agent, source=shared["published"])

    again = responses.adopt_response(assignment=shared["mine"], by=super_agent, source=shared["published"])

    assert again.pk == first.pk and again.adopted_from == shared["published"]
