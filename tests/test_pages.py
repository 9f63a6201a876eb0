"""Public pages: DSFR layout, the 9 commitments, error pages, and no navigation link answering 500."""

import html
import re

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from structures.commitments import COMMITMENT_GROUPS, COMMITMENTS, get_commitment

# seed 004, « 9 ENGAGEMENTS »: a key passage of each commitment's wording, in order.
COMMITMENT_KEY_TEXTS = [
    "vous êtes accueillis avec courtoisie et bienveillance, et dans les conditions prévues par la loi "
    "vous avez le droit à l'erreur",
    "Nous sommes joignables par téléphone ou sur place et nous facilitons vos démarches en ligne",
    "Vous bénéficiez d'un accompagnement adapté à votre situation personnelle",
    "Nous vous orientons vers la personne compétente pour traiter votre demande",
    "Vous recevez une réponse à vos demandes dans les délais annoncés et vous êtes informés sur l'avancement "
    "de votre dossier",
    "Vous avez accès à nos résultats de qualité de service",
    "Vos avis sont pris en compte pour améliorer et simplifier nos démarches",
    "Nous développons en permanence nos compétences et nous améliorons en continu",
    "Nous sommes éco-responsables",
]
# The home page reads the three latest news.
pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/engagements/", "/accessibilite/", "/mentions-legales/", "/donnees-personnelles/"]


def visible_text(response) -> str:
    """The page's text as a reader sees it: tags dropped, entities decoded, spaces collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"</?(strong|em|a|span)\b[^>]*>", "", body)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_commitments_are_nine_in_three_groups():
    assert [c.number for c in COMMITMENTS] == list(range(1, 10))
    assert [(g.label, len(g.commitments)) for g in COMMITMENT_GROUPS] == [
        ("+ proches", 3),
        ("+ efficaces", 3),
        ("+ simples", 3),
    ]
    assert get_commitment(9).title == "Éco-responsabilité"


@pytest.mark.parametrize("commitment", COMMITMENTS, ids=lambda c: str(c.number))
def test_commitment_highlights_are_words_of_its_wording(commitment):
    for word in commitment.highlights:
        assert f"<strong>{html.escape(word)}</strong>" in commitment.html


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_visitor_can_open_public_page_in_dsfr_layout(client, url):
    response = client.get(url)

    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="fr"' in content
    assert '<p class="fr-logo">République<br>Française</p>' in content
    assert "Services Publics+" in content
    assert 'class="fr-skiplinks"' in content
    assert 'href="#content"' in content and 'id="content"' in content
    assert 'href="#footer"' in content and 'id="footer"' in content
    assert "/static/dsfr/dist/dsfr/dsfr.min.css" in content


def test_visitor_sees_main_menu_and_footer_links(client):
    content = client.get("/").content.decode()

    for href, label in [
        ("/", "Accueil"),
        ("/experiences/", "Les expériences"),
        ("/experiences/partager/", "Partager une expérience"),
        ("/engagements/", "Les engagements"),
        ("/actions-amelioration/", "Actions d'amélioration"),
        ("/documents-simplifies/", "Documents simplifiés"),
        ("/resultats/", "Résultats"),
        ("/conseils/", "Conseils"),
        ("/usagers-testeurs/", "Usagers testeurs"),
        ("/actualites/", "Actualités"),
        ("/agents/", "Espace agent"),
    ]:
        assert re.search(rf'class="fr-nav__link" href="{re.escape(href)}"[^>]*>{label}</a>', content), label
    for site in ["legifrance.gouv.fr", "gouvernement.fr", "service-public.fr", "data.gouv.fr"]:
        assert f'href="https://www.{site}"' in content
    assert "Accessibilité : non conforme" in content
    assert "Mentions légales" in content


@pytest.mark.parametrize(("url", "title"), [("/", "Accueil"), ("/engagements/", "Les engagements")])
def test_visitor_sees_page_title_with_service_name(client, url, title):
    assert f"<title>{title} — Services Publics+</title>" in client.get(url).content.decode()


@pytest.mark.parametrize("url", ["/", "/engagements/"])
def test_visitor_reads_the_nine_commitments_in_full(client, url):
    text = visible_text(client.get(url))

    for key_text in COMMITMENT_KEY_TEXTS:
        assert key_text in text
    for group in ["+ proches", "+ efficaces", "+ simples"]:
        assert group in text


def test_visitor_learns_what_the_platform_offers_on_home(client):
    text = visible_text(client.get("/"))

    assert "donner leur avis sur une expérience vécue avec leurs services publics" in text
    assert "consulter les résultats des services publics près de chez eux" in text
    for action in [
        "Partager une expérience",
        "Lire les expériences et les réponses",
        "Consulter les résultats près de chez vous",
        "Suivre les actions d'amélioration",
        "Devenir usager testeur",
        "Éviter les erreurs administratives",
    ]:
        assert action in text


def test_home_marks_its_menu_entry_as_current(client):
    content = client.get("/engagements/").content.decode()

    assert re.search(r'href="/engagements/"[^>]*aria-current="page"', content)
    assert not re.search(r'href="/"[^>]*aria-current="page"', content)


def test_home_page_runs_one_query(client, db, django_assert_num_queries):
    # The three latest news only: the layout never reads django-dsfr's DsfrConfig row.
    with django_assert_num_queries(1):
        assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_no_menu_or_footer_link_answers_500(client):
    content = client.get("/").content.decode()
    internal_links = set(re.findall(r'href="(/[^"#]*)"', content)) - {"/"}
    internal_links = {link for link in internal_links if not link.startswith("/static/")}

    assert "/agents/" in internal_links
    for link in internal_links:
        assert client.get(link).status_code < 500, link


def test_visitor_gets_french_dsfr_404_page(client):
    response = client.get("/page-qui-n-existe-pas/")

    assert response.status_code == 404
    content = response.content.decode()
    assert '<html lang="fr"' in content
    assert "<title>Page non trouvée — Services Publics+</title>" in content
    assert "La page que vous cherchez est introuvable" in content
    assert 'class="fr-header"' in content


def test_500_page_renders_in_french_without_context():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    content = response.content.decode()
    assert "<title>Erreur inattendue — Services Publics+</title>" in content
    assert "le service rencontre un problème" in content
    assert '<p class="fr-logo">République<br>Française</p>' in content
