"""Sign-in, password reset and profile pages in a real browser: found by their labels, no serious axe violation."""

import re

import pytest
from playwright.sync_api import Page, expect

from structures.models import Role
from tests import factories as f
from tests.e2e.axe import blocking_violations

pytestmark = pytest.mark.e2e

PASSWORD = "mot-de-passe-solide-2026"


def test_agent_signs_in_after_a_typo_and_keeps_a_signature(page: Page, live_server):
    agent = f.MembershipFactory(structure=f.StructureFactory(), role=Role.AGENT).user

    page.goto(live_server.url + "/agents/profil/")
    expect(page.get_by_role("heading", name="Connexion à l'espace agent")).to_be_visible()
    assert blocking_violations(page) == []
    page.get_by_role("textbox", name="Adresse e-mail").fill(agent.email)
    page.get_by_label("Mot de passe", exact=True).fill("pas-le-bon")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_have_text("Adresse e-mail ou mot de passe incorrect.")
    assert blocking_violations(page) == []

    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Mon profil", exact=True)).to_be_visible()
    page.get_by_role("textbox", name="Signature").fill("Le service d'accueil")
    page.locator("#signatures").get_by_role("button", name="Ajouter").click()
    expect(page.get_by_text("Signature ajoutée.")).to_be_visible()
    expect(page.locator("#signatures")).to_contain_text("Le service d'accueil")
    assert blocking_violations(page) == []

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes déconnecté(e).")).to_be_visible()


def test_visitor_asks_for_a_new_password(page: Page, live_server):
    page.goto(live_server.url + "/agents/connexion/")
    page.get_by_role("link", name="Mot de passe oublié ?").click()

    expect(page.get_by_role("heading", name="Mot de passe oublié")).to_be_visible()
    assert blocking_violations(page) == []
    page.get_by_role("textbox", name="Adresse e-mail").fill("personne@example.gouv.fr")
    page.get_by_role("button", name="Recevoir le lien par e-mail").click()
    expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()
    assert blocking_violations(page) == []


def test_new_agent_chooses_a_password_from_the_welcome_email_and_signs_in(page: Page, live_server):
    from django.core import mail

    from accounts import services
    from accounts.models import User

    user = User.objects.create_user("lea.petit@example.gouv.fr", first_name="Léa")
    f.MembershipFactory(user=user, structure=f.StructureFactory(), role=Role.AGENT)
    services.send_first_login_link(user)
    (message,) = mail.outbox
    link = re.search(r"https?://\S+?(/agents/mot-de-passe/\S+/)", message.body).group(1)

    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", name="Choisir votre mot de passe")).to_be_visible()
    assert blocking_violations(page) == []
    page.get_by_label(re.compile(r"^Nouveau mot de passe")).fill(PASSWORD)
    page.get_by_label("Confirmation du nouveau mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()
    expect(page.get_by_role("heading", name="Votre mot de passe est enregistré")).to_be_visible()
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_role("textbox", name="Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()

    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", name="Ce lien n'est plus valable")).to_be_visible()
