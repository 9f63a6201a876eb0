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
