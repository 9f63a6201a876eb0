"""The agent's profile: who they are, their structures and roles, their formulas and signatures (seed 003), the
daily digest preference and their password."""

from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import PolitenessFormula, Signature
from structures.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

PROFILE = "/agents/profil/"
PASSWORD = "mot-de-passe-solide-2026"
NEW_PASSWORD = "un-tout-nouveau-secret-2026"
# (model, factory, URL segment, label) of the two kinds of reply texts.
KINDS = {
    "formula": (PolitenessFormula, f.PolitenessFormulaFactory, "formules", "Formule de politesse"),
    "signature": (Signature, f.SignatureFactory, "signatures", "Signature"),
}


def page_of(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def signed_in(client, agent):
    client.force_login(agent)
    return client


def test_agent_sees_their_name_email_structures_and_roles(signed_in, agent, structure_tree):
    f.MembershipFactory(user=agent, structure=structure_tree["foreign"], role=Role.REFERENT)

    page = page_of(signed_in.get(PROFILE))

    assert agent.get_full_name() in page
    assert agent.email in page
    assert "Direction départementale" in page and "Répondant" in page
    assert "Réseau étranger" in page and "Référent" in page
    assert "Direction voisine" not in page
    assert "Formules de politesse" in page and "Signatures" in page
    assert 'href="/agents/profil/mot-de-passe/"' in page
    assert 'aria-current="page">Mon profil' in page


def test_moderator_sees_they_see_every_structure(client, moderator):
    client.force_login(moderator)

    page = page_of(client.get(PROFILE))

    assert "Modérateur DITP" in page
    assert "Vous voyez toutes les structures." in page


def test_agent_sees_only_their_own_formulas_and_signatures(signed_in, agent, sibling_agent):
    f.PolitenessFormulaFactory(user=agent, text="Bien à vous,")
    f.SignatureFactory(user=agent, text="L'accueil de la direction")
    f.PolitenessFormulaFactory(user=sibling_agent, text="Salutations d'un voisin")

    page = page_of(signed_in.get(PROFILE))

    assert "Bien à vous," in page and "L'accueil de la direction" in page
    assert "Salutations d'un voisin" not in page


def test_profile_page_query_count_does_not_grow_with_formulas_or_roles(signed_in, agent, structure_tree):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(PROFILE).status_code == 200
        return len(captured)

    few = queries()
    f.PolitenessFormulaFactory.create_batch(3, user=agent)
    f.SignatureFactory.create_batch(3, user=agent)
    f.MembershipFactory(user=agent, structure=structure_tree["sibling"], role=Role.EVALUATOR)

    assert queries() == few


@pytest.mark.parametrize("kind", KINDS)
def test_agent_can_add_a_formula_or_signature_at_the_end_of_their_list(signed_in, agent, kind):
    model, factory, segment, label = KINDS[kind]
    factory(user=agent, position=4)

    response = signed_in.post(
        f"/agents/profil/{segment}/ajouter/", {f"{kind}-text": "  Cordialement,\nL'équipe  "}, follow=True
    )

    assert response.redirect_chain == [(PROFILE, 302)]
    assert f"{label} ajoutée." in page_of(response)
    added = model.objects.filter(user=agent).last()
    assert (added.text, added.position) == ("Cordialement,\nL'équipe", 5)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "Saisissez le texte."), ("x" * 501, "Le texte ne doit pas dépasser 500 caractères (il en compte 501).")],
)
def test_agent_cannot_add_an_empty_or_too_long_text_and_keeps_what_they_typed(signed_in, agent, kind, text, message):
    model, _, segment, _ = KINDS[kind]

    response = signed_in.post(f"/agents/profil/{segment}/ajouter/", {f"{kind}-text": text})

    assert response.status_code == 200
    page = page_of(response)
    assert message in page
    assert "<title>Erreur : Mon profil" in page
    assert text.strip() in page
    assert not model.objects.filter(user=agent).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_agent_can_edit_their_formula_or_signature(signed_in, agent, kind):
    model, factory, segment, label = KINDS[kind]
    item = factory(user=agent, text="Ancien texte")
    url = f"/agents/profil/{segment}/{item.pk}/modifier/"
    assert "Ancien texte" in page_of(signed_in.get(url))

    response = signed_in.post(url, {f"{kind}-text": "Nouveau texte"}, follow=True)

    assert response.redirect_chain == [(PROFILE, 302)]
    assert f"{label} enregistrée." in page_of(response)
    item.refresh_from_db()
    assert item.text == "Nouveau texte"


@pytest.mark.parametrize("kind", KINDS)
def test_agent_cannot_empty_their_formula_or_signature(signed_in, agent, kind):
    model, factory, segment, _ = KINDS[kind]
    item = factory(user=agent, text="Ancien texte")

    response = signed_in.post(f"/agents/profil/{segment}/{item.pk}/modifier/", {f"{kind}-text": ""})

    assert "Saisissez le texte." in page_of(response)
    item.refresh_from_db()
    assert item.text == "Ancien texte"


@pytest.mark.parametrize("kind", KINDS)
def test_agent_can_delete_their_formula_or_signature(signed_in, agent, kind):
    model, factory, segment, label = KINDS[kind]
    item, kept = factory(user=agent), factory(user=agent)

    response = signed_in.post(f"/agents/profil/{segment}/{item.pk}/supprimer/", follow=True)

    assert f"{label} supprimée." in page_of(response)
    assert list(model.objects.filter(user=agent)) == [kept]


@pytest.mark.parametrize("kind", KINDS)
def test_agent_cannot_delete_with_a_get(signed_in, agent, kind):
    model, factory, segment, _ = KINDS[kind]
    item = factory(user=agent)

    assert signed_in.get(f"/agents/profil/{segment}/{item.pk}/supprimer/").status_code == 405
    assert model.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("method", "action"), [("get", "modifier"), ("post", "modifier"), ("post", "supprimer")])
def test_agent_cannot_touch_someone_elses_formula_or_signature(signed_in, sibling_agent, kind, method, action):
    model, factory, segment, _ = KINDS[kind]
    theirs = factory(user=sibling_agent, text="Leur texte")

    response = getattr(signed_in, method)(f"/agents/profil/{segment}/{theirs.pk}/{action}/", {f"{kind}-text": "Piraté"})

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.text == "Leur texte"


def test_agent_can_stop_and_restart_the_daily_digest(signed_in, agent):
    assert agent.receives_digest
    assert 'name="receives_digest" value="on" checked' in page_of(signed_in.get(PROFILE))

    response = signed_in.post("/agents/profil/recapitulatif/", {}, follow=True)

    assert "Vous ne recevrez plus le récapitulatif quotidien." in page_of(response)
    assert 'name="receives_digest" value="on" checked' not in page_of(response)
    agent.refresh_from_db()
    assert not agent.receives_digest

    signed_in.post("/agents/profil/recapitulatif/", {"receives_digest": "on"})
    agent.refresh_from_db()
    assert agent.receives_digest


def test_agent_can_turn_off_and_on_the_target_breach_alerts(signed_in, agent):
    assert 'name="receives_target_alerts" value="on" checked' in page_of(signed_in.get(PROFILE))

    response = signed_in.post("/agents/profil/alertes-delai-cible/", {}, follow=True)

    assert "Vous ne recevrez plus les alertes de dépassement du délai cible." in page_of(response)
    assert 'name="receives_target_alerts" value="on" checked' not in page_of(response)
    agent.refresh_from_db()
    assert not agent.receives_target_alerts
    assert agent.receives_digest  # the digest is a preference of its own

    signed_in.post("/agents/profil/alertes-delai-cible/", {"receives_target_alerts": "on"})
    agent.refresh_from_db()
    assert agent.receives_target_alerts


def test_digest_checkbox_is_labelled_in_french(signed_in):
    page = page_of(signed_in.get(PROFILE))

    assert "Recevoir le récapitulatif quotidien des expériences sans réponse" in page


def test_agent_can_change_their_password_and_stays_signed_in(signed_in, agent):
    assert "Ancien mot de passe" in page_of(signed_in.get("/agents/profil/mot-de-passe/"))

    response = signed_in.post(
        "/agents/profil/mot-de-passe/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain == [("/agents/profil/mot-de-passe/modifie/", 302)]
    assert "Votre mot de passe est changé" in page_of(response)
    assert signed_in.get(PROFILE).status_code == 200
    agent.refresh_from_db()
    assert agent.check_password(NEW_PASSWORD)


def test_agent_cannot_change_their_password_without_the_current_one(signed_in, agent):
    response = signed_in.post(
        "/agents/profil/mot-de-passe/",
        {"old_password": "pas-le-bon", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "ancien mot de passe est incorrect" in page_of(response)
    assert NEW_PASSWORD not in page_of(response)
    agent.refresh_from_db()
    assert agent.check_password(PASSWORD)
