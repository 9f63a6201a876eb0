"""Advice, news and the tester panel in a real browser: axe on each page and form, the keyboard-only paths."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from panel import links
from panel.models import Answer, Invitation, Panellist
from tests.content.factories import AdviceFactory, NewsArticleFactory
from tests.factories import TypologyFactory
from tests.panel.factories import InvitationFactory, PanellistFactory

from .axe import blocking_violations

pytestmark = pytest.mark.e2e

MAX_TABS = 60


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until the target has the focus: it must be reachable with the keyboard alone."""
    for _ in range(MAX_TABS):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} never received the focus from the keyboard")


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_visitor_searches_advice_and_reads_one(page: Page, live_server):
    caf = TypologyFactory(name="CAF")
    advice = AdviceFactory(
        title="Faire sa déclaration trimestrielle de ressources",
        summary="Sans déclaration, le versement s'arrête.",
        sources="Caf.fr https://www.caf.fr/",
    )
    advice.typologies.add(caf)
    AdviceFactory(title="Renouveler sa carte d'identité")

    page.goto(live_server.url + "/conseils/")
    expect(page).to_have_title("Conseils — Services Publics+")
    assert blocking_violations(page) == []
    page.get_by_role("searchbox", name="Rechercher un conseil").fill("déclarations trimestrielles")
    page.get_by_role("searchbox", name="Rechercher un conseil").press("Enter")

    expect(page.get_by_role("status")).to_contain_text("1 conseil")
    page.get_by_role("link", name="Faire sa déclaration trimestrielle de ressources").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Faire sa déclaration trimestrielle de ressources")
    expect(page.get_by_role("link", name="https://www.caf.fr/")).to_be_visible()
    assert blocking_violations(page) == []


def test_visitor_reads_the_latest_news_from_home_and_the_paginated_list(page: Page, live_server):
    NewsArticleFactory.create_batch(11)
    latest = NewsArticleFactory(title="Le panel des usagers testeurs est ouvert")

    page.goto(live_server.url + "/")
    news = page.get_by_role("region", name="Actualités")
    expect(news.get_by_role("listitem")).to_have_count(3)
    assert blocking_violations(page) == []
    news.get_by_role("link", name="Toutes les actualités").click()

    expect(page).to_have_title("Actualités — Services Publics+")
    assert blocking_violations(page) == []
    page.get_by_role("link", name="Page suivante").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    page.goto(live_server.url + latest.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(latest.title)
    assert blocking_violations(page) == []


def test_visitor_joins_the_panel_with_the_keyboard_only_and_confirms(page: Page, live_server, mailoutbox):
    page.goto(live_server.url + "/usagers-testeurs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Devenir usager testeur")
    assert blocking_violations(page) == []

    # A first try without anything: the errors are announced and the page stays accessible.
    tab_to(page, page.get_by_role("button", name="Rejoindre le panel"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Votre inscription n'a pas pu être envoyée")
    assert blocking_violations(page) == []

    tab_to(page, page.get_by_label("Adresse e-mail"))
    page.keyboard.type("camille.testeuse@example.org")
    tab_to(page, page.get_by_label("Tranche d'âge"))
    page.keyboard.type("40")
    tab_to(page, page.get_by_label("Département de résidence"))
    page.keyboard.type("Gironde")
    tab_to(page, page.get_by_label("À l'aise avec les démarches en ligne"))
    page.keyboard.press("ArrowDown")  # moves to, and checks, « Parfois en difficulté »
    tab_to(page, page.get_by_label("Formulaires"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Sites internet et démarches en ligne"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("En semaine, en journée"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("checkbox", name=re.compile("J'accepte que Services Publics\\+ conserve")))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Rejoindre le panel"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre adresse e-mail")
    expect(page.get_by_text("c***@example.org")).to_be_visible()
    assert blocking_violations(page) == []
    panellist = Panellist.objects.get()
    assert (panellist.age_range, panellist.department_id, panellist.digital_ease) == ("40-59", "33", "parfois")
    assert panellist.interests == ",formulaires,sites," and panellist.availability == "semaine"

    (email,) = mailoutbox
    confirm = re.search(r"https?://\S+/usagers-testeurs/confirmer/\S+/", email.body).group(0)
    page.goto(live_server.url + path_of(confirm))
    assert blocking_violations(page) == []
    tab_to(page, page.get_by_role("button", name="Confirmer mon inscription"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre inscription est confirmée")
    assert Panellist.objects.get().is_confirmed


def test_panellist_answers_an_invitation_then_leaves_with_the_keyboard(page: Page, live_server):
    invitation = InvitationFactory(panellist=PanellistFactory())

    page.goto(live_server.url + path_of(links.answer_url(invitation)))
    expect(page.get_by_role("heading", level=1)).to_contain_text(invitation.campaign.title)
    assert blocking_violations(page) == []
    tab_to(page, page.get_by_label("Oui, je participe"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Envoyer ma réponse"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Oui, je participe")
    assert Invitation.objects.get().answer == Answer.YES

    page.goto(live_server.url + path_of(links.leave_url(invitation.panellist)))
    assert blocking_violations(page) == []
    tab_to(page, page.get_by_role("button", name="Quitter le panel et supprimer mes informations"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous avez quitté le panel")
    assert not Panellist.objects.exists()


def test_moderator_invites_a_sample_and_reads_the_yes_answers_in_the_admin(page: Page, live_server):
    from tests.factories import ModeratorFactory
    from tests.panel.factories import TestCampaignFactory

    moderator = ModeratorFactory(email="moderatrice@ditp.gouv.fr")
    PanellistFactory.create_batch(5)
    campaign = TestCampaignFactory(title="Test du nouveau formulaire", testers_wanted=3)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Adresse e-mail").fill(moderator.email)
    page.get_by_label("Mot de passe").fill("mot-de-passe-solide-2026")  # tests/factories.py
    page.get_by_role("button", name="Connexion").click()

    page.goto(live_server.url + "/admin/panel/testcampaign/")
    assert blocking_violations(page) == []
    page.get_by_role("checkbox", name=re.compile("Test du nouveau formulaire")).check()
    page.get_by_role("combobox", name="Action").select_option(label="Inviter un échantillon tiré au sort")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_text("« Test du nouveau formulaire » : 3 usagers testeurs invités.")).to_be_visible()

    invitation = campaign.invitations.first()
    invitation.answer = Answer.YES
    invitation.save()
    page.goto(f"{live_server.url}/admin/panel/testcampaign/{campaign.pk}/change/")
    expect(page.get_by_text("5 (dont 3 déjà invités)")).to_be_visible()
    expect(page.get_by_text(str(invitation.panellist), exact=True)).to_be_visible()
    assert invitation.panellist.email not in page.content()
    assert blocking_violations(page) == []
