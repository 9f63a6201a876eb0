"""A super agent validates a submitted answer: as it is, corrected, or sent back; the writer stays its author."""

import pytest
from django.urls import reverse

from common.exceptions import Refused
from experiences.forms.answers import CURRENT_TEXT
from experiences.models import Activity, ActivityVerb, ResponseState
from experiences.services import responses
from tests import factories as f

pytestmark = pytest.mark.django_db

BODY = "Merci pour votre retour : nous avons revu l'organisation de l'accueil."


@pytest.fixture
def submitted(structure_tree, agent):
    assignment = f.AssignmentFactory(structure=structure_tree["mine"])
    response = responses.save_draft(
        assignment=assignment, by=agent, body=BODY, formula="Bien cordialement,", signature="L'accueil"
    )
    return responses.submit_for_validation(response=response, by=agent)


def page_of(client, response):
    return client.get(reverse("agents:experience", args=[response.assignment.experience.public_id]))


def post(client, response, name, data=None):
    url = reverse(f"agents:{name}", args=[response.assignment.experience.public_id])
    return client.post(url, {"routing": response.assignment_id, **(data or {})}, follow=True)


def writer(user) -> str:
    return f"rédigée par {user.get_full_name()}"


def test_super_agent_validates_as_it_is_and_the_writer_stays_the_author(submitted, agent, super_agent):
    response = responses.validate_response(response=submitted, by=super_agent)
    assert response.state == ResponseState.PUBLISHED
    assert (response.author, response.published_by, response.body) == (agent, super_agent, BODY)
    validation = Activity.objects.get(verb=ActivityVerb.VALIDATED)
    assert (validation.actor, validation.detail) == (super_agent, writer(agent))


def test_super_agent_validates_with_corrections_and_the_writer_stays_the_author(submitted, agent, super_agent):
    response = responses.validate_with_corrections(
        response=submitted, by=super_agent, body=BODY + " Horaires : 9 h - 17 h.", formula="Bien cordialement,"
    )
    assert response.state == ResponseState.PUBLISHED
    assert (response.author, response.published_by) == (agent, super_agent)
    assert (response.body, response.signature) == (BODY + " Horaires : 9 h - 17 h.", "")
    validation = Activity.objects.get(verb=ActivityVerb.VALIDATED_WITH_CORRECTIONS)
    assert (validation.actor, validation.detail) == (super_agent, writer(agent))


def test_a_draft_that_was_not_submitted_cannot_be_validated(structure_tree, agent, super_agent):
    draft = responses.save_draft(assignment=f.AssignmentFactory(structure=structure_tree["mine"]), by=agent, body=BODY)
    for validate in (responses.validate_response, responses.validate_with_corrections):
        kwargs = {"body": BODY} if validate is responses.validate_with_corrections else {}
        with pytest.raises(Refused, match="soumise à validation"):
            validate(response=draft, by=super_agent, **kwargs)
    draft.refresh_from_db()
    assert draft.state == ResponseState.DRAFT


def test_validating_twice_is_a_no_op(submitted, super_agent):
    first = responses.validate_response(response=submitted, by=super_agent)
    again = responses.validate_with_corrections(response=submitted, by=super_agent, body="Autre texte.")
    assert again.published_at == first.published_at and again.body == BODY
    assert Activity.objects.filter(verb__startswith="validated").count() == 1


def test_validator_sees_only_validate_correct_or_send_back(client, submitted, super_agent):
    client.force_login(super_agent)
    content = page_of(client, submitted).content.decode()
    for button in ("Valider et publier", "Corriger puis valider", "Enregistrer mes corrections et publier"):
        assert button in content
    assert "Renvoyer en rédaction" in content
    for button in ("Soumettre à validation", "Publier la réponse", "Enregistrer le brouillon"):
        assert button not in content
    assert f"Rédigée par {submitted.author.get_full_name()}" in content


def test_writer_still_edits_their_submitted_answer_without_the_validators_buttons(client, submitted, agent):
    client.force_login(agent)
    content = page_of(client, submitted).content.decode()
    assert "Soumettre à validation" in content
    for button in ("Valider et publier", "Corriger puis valider", "Publier la réponse"):
        assert button not in content


def test_super_agent_corrects_then_validates_through_the_page(client, submitted, agent, super_agent):
    client.force_login(super_agent)
    prefix = f"v{submitted.assignment_id}-"
    corrected = BODY + " Nous vous recevons sans rendez-vous le mardi."
    data = {prefix + "body": corrected, prefix + "formula": CURRENT_TEXT, prefix + "signature": CURRENT_TEXT}
    page = post(client, submitted, "correct_and_validate_response", data)
    assert "Réponse corrigée, validée et publiée : l&#x27;usager est prévenu." in page.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == ResponseState.PUBLISHED
    assert (submitted.body, submitted.formula, submitted.signature) == (corrected, "Bien cordialement,", "L'accueil")
    assert (submitted.author, submitted.published_by) == (agent, super_agent)
    history = page.context["activities"]
    assert history[0].get_verb_display() == "Réponse corrigée, validée et publiée"
    assert (history[0].actor, history[0].detail) == (super_agent, writer(agent))


def test_an_empty_correction_is_refused_and_keeps_the_answer_waiting(client, submitted, super_agent):
    client.force_login(super_agent)
    prefix = f"v{submitted.assignment_id}-"
    page = post(client, submitted, "correct_and_validate_response", {prefix + "body": ""})
    assert page.status_code == 400
    assert "Écrivez le texte de la réponse." in page.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == ResponseState.PENDING_VALIDATION


def test_agent_cannot_correct_and_validate(client, submitted, agent):
    client.force_login(agent)
    prefix = f"v{submitted.assignment_id}-"
    page = post(client, submitted, "correct_and_validate_response", {prefix + "body": "Mon texte publié."})
    assert "Seul un super répondant de la structure peut valider." in page.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == ResponseState.PENDING_VALIDATION


def test_super_agent_sends_back_with_a_comment_the_writer_reads(client, submitted, agent, super_agent):
    client.force_login(super_agent)
    post(client, submitted, "send_back_response", {"reason": "Précisez les horaires d'ouverture."})
    submitted.refresh_from_db()
    assert submitted.state == ResponseState.DRAFT
    client.force_login(agent)
    content = page_of(client, submitted).content.decode()
    assert "Précisez les horaires d&#x27;ouverture." in content
    assert "Soumettre à validation" in content
