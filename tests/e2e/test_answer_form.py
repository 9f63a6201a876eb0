"""The answer form as a person fills it in Chromium: a multi-line signature is posted with CRLF line breaks."""

import pytest
from playwright.sync_api import Page, expect

from experiences.models import Response, ResponseState
from structures.models import Role
from tests import factories as f
from tests.e2e.test_agent_journey import sign_in

pytestmark = pytest.mark.e2e

ANSWER = "Merci pour votre retour.\nL'accueil téléphonique est désormais ouvert jusqu'à 18 h."
FORMULA = "Nous restons à votre disposition.\nBien cordialement,"
SIGNATURE = "Camille Martin\nService des impôts des particuliers de Bastia"


def test_super_agent_types_chooses_a_multi_line_signature_and_publishes(page: Page, live_server):
    office = f.StructureFactory(name="Service des impôts des particuliers de Bastia")
    boss = f.MembershipFactory(structure=office, role=Role.SUPER_AGENT, user__email="chef@dgfip.gouv.fr").user
    f.PolitenessFormulaFactory(user=boss, text=FORMULA)
    f.SignatureFactory(user=boss, text=SIGNATURE)
    experience = f.ExperienceFactory(title="Un rendez-vous fixé en deux jours")
    f.AssignmentFactory(experience=experience, structure=office)

    sign_in(page, live_server.url, boss.email)
    page.goto(live_server.url + f"/agents/experiences/{experience.public_id}/")
    page.get_by_label("Votre réponse").fill(ANSWER)
    # An option's label reads its text with the line breaks as spaces, as a person sees it in the list.
    page.get_by_label("Formule de politesse").select_option(label=FORMULA.replace("\n", " "))
    page.get_by_label("Signature").select_option(label=SIGNATURE.replace("\n", " "))
    page.get_by_role("button", name="Publier la réponse").click()

    expect(page.get_by_text("Réponse publiée : l'usager est prévenu et invité à l'évaluer.")).to_be_visible()
    response = Response.objects.get(assignment__experience=experience)
    assert response.state == ResponseState.PUBLISHED
    assert response.signature == SIGNATURE
    page.goto(live_server.url + experience.get_absolute_url())
    assert page.locator(".spplus-response__signature").inner_text() == SIGNATURE


def test_agent_submits_and_the_super_agent_corrects_then_validates(page: Page, live_server):
    office = f.StructureFactory(name="Service des impôts des particuliers de Bastia")
    agent = f.MembershipFactory(structure=office, role=Role.AGENT, user__email="repondant@dgfip.gouv.fr").user
    f.PolitenessFormulaFactory(user=agent, text=FORMULA)
    f.SignatureFactory(user=agent, text=SIGNATURE)
    boss = f.MembershipFactory(structure=office, role=Role.SUPER_AGENT, user__email="chef@dgfip.gouv.fr").user
    experience = f.ExperienceFactory(title="Un rendez-vous fixé en deux jours")
    f.AssignmentFactory(experience=experience, structure=office)
    url = live_server.url + f"/agents/experiences/{experience.public_id}/"

    sign_in(page, live_server.url, agent.email)
    page.goto(url)
    page.get_by_label("Votre réponse").fill(ANSWER)
    page.get_by_label("Formule de politesse").select_option(label=FORMULA.replace("\n", " "))
    page.get_by_label("Signature").select_option(label=SIGNATURE.replace("\n", " "))
    page.get_by_role("button", name="Soumettre à validation").click()
    expect(page.get_by_text("Réponse soumise à validation : les super répondants sont prévenus.")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()

    sign_in(page, live_server.url, boss.email)
    page.goto(url)
    expect(page.get_by_role("button", name="Publier la réponse")).to_have_count(0)
    expect(page.get_by_role("button", name="Soumettre à validation")).to_have_count(0)
    page.get_by_role("button", name="Corriger puis valider").click()
    page.get_by_label("Votre réponse").fill(ANSWER + "\nNous vous recevons aussi sans rendez-vous le mardi.")
    page.get_by_role("button", name="Enregistrer mes corrections et publier").click()
    expect(page.get_by_text("Réponse corrigée, validée et publiée : l'usager est prévenu.")).to_be_visible()

    response = Response.objects.get(assignment__experience=experience)
    assert (response.state, response.author, response.published_by) == (ResponseState.PUBLISHED, agent, boss)
    assert (response.formula, response.signature) == (FORMULA, SIGNATURE)
    assert response.body.endswith("sans rendez-vous le mardi.")
