"""Advice (search, filters, beside an experience) and news (home page, list, Atom feed, images)."""

import datetime
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from content.models import Theme
from tests.content.factories import AdviceFactory, NewsArticleFactory
from tests.factories import ExperienceTypologyFactory, TypologyFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def png() -> bytes:
    """A small real PNG: the image field checks the content, not the name."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "#000091").save(buffer, format="PNG")
    return buffer.getvalue()


def titles(response) -> list[str]:
    return [advice.title for advice in response.context["page_obj"]]


# Advice: search and filters


@pytest.mark.parametrize(
    "words",
    ["déclaration revenus", "DECLARATION", "impots", "déclarations"],
    ids=["words", "upper case without accent", "without accent", "plural"],
)
def test_visitor_finds_advice_by_words_in_french(client, words):
    AdviceFactory(title="Déclarer ses revenus avant la date limite", body="La déclaration des impôts se fait en ligne.")
    AdviceFactory(title="Renouveler sa carte d'identité", body="Prenez rendez-vous en mairie.")

    assert titles(client.get("/conseils/", {"q": words})) == ["Déclarer ses revenus avant la date limite"]


def test_search_of_only_stop_words_finds_nothing_and_says_so(client):
    AdviceFactory(title="Le dossier complet")

    response = client.get("/conseils/", {"q": "le de la"})

    assert titles(response) == []
    assert "Aucun conseil ne correspond à votre recherche" in response.content.decode()


def test_visitor_filters_advice_by_theme_and_typology(client):
    caf = TypologyFactory(name="CAF")
    family = AdviceFactory(title="Déclarer une naissance", theme=Theme.FAMILY)
    family.typologies.add(caf)
    AdviceFactory(title="Déclarer un déménagement", theme=Theme.FAMILY)
    AdviceFactory(title="Changer d'adresse sur la carte grise", theme=Theme.VEHICLES)

    by_theme = titles(client.get("/conseils/", {"theme": "famille"}))
    assert by_theme == ["Déclarer un déménagement", "Déclarer une naissance"]
    assert titles(client.get("/conseils/", {"typologie": caf.pk})) == ["Déclarer une naissance"]
    content = client.get("/conseils/").content.decode()
    assert f'<option value="{caf.pk}"' in content


def test_unpublished_advice_is_neither_listed_nor_shown(client):
    hidden = AdviceFactory(title="Brouillon", is_published=False)

    assert titles(client.get("/conseils/")) == []
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_advice_page_escapes_its_text_and_links_its_sources(client):
    advice = AdviceFactory(
        title="<script>alert(1)</script>",
        body="Premier <b>paragraphe</b>.\n\nSecond.",
        sources="Service-Public.fr https://www.service-public.fr/particuliers/vosdroits/F1234",
    )

    content = client.get(advice.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in content and "&lt;script&gt;" in content
    assert "&lt;b&gt;paragraphe&lt;/b&gt;" in content
    assert 'href="https://www.service-public.fr/particuliers/vosdroits/F1234"' in content


def test_advice_list_pages_and_its_query_count_stay_flat(client, django_assert_max_num_queries):
    AdviceFactory.create_batch(15)

    # Session-free page: the typologies of the filter, the count, the page.
    with django_assert_max_num_queries(3):
        first = client.get("/conseils/")
    assert len(first.context["page_obj"]) == 12
    assert len(client.get("/conseils/", {"page": 2}).context["page_obj"]) == 3


# Advice beside an experience


def test_experience_page_shows_up_to_three_pieces_of_advice_for_its_typologies(client):
    experience_typology = ExperienceTypologyFactory()
    for n in range(4):
        AdviceFactory(title=f"Conseil pour la préfecture {n}").typologies.add(experience_typology.typology)
    AdviceFactory(title="Conseil d'ailleurs").typologies.add(TypologyFactory())

    content = client.get(experience_typology.experience.get_absolute_url()).content.decode()

    assert "Nos conseils pour ces démarches" in content
    assert content.count("Conseil pour la préfecture") == 3
    assert "Conseil d&#x27;ailleurs" not in content


def test_share_form_shows_advice_for_the_suggested_services(client):
    caf = TypologyFactory(name="CAF", keywords="caf\nallocations familiales")
    AdviceFactory(title="Déclarer ses ressources chaque trimestre").typologies.add(caf)

    before = client.get("/experiences/partager/").content.decode()
    after = client.post(
        "/experiences/partager/",
        {"action": "suggest", "title": "Mes allocations de la CAF", "description": "La CAF ne répond pas."},
    ).content.decode()

    assert "Nos conseils pour ces démarches" not in before
    assert "Déclarer ses ressources chaque trimestre" in after


# News


def test_home_page_shows_the_three_latest_published_news(client):
    for n in range(5):
        NewsArticleFactory(title=f"Nouvelle {n}", published_at=timezone.now() - datetime.timedelta(days=10 - n))
    NewsArticleFactory(title="Programmée", published_at=timezone.now() + datetime.timedelta(days=1))
    NewsArticleFactory(title="Brouillon", published_at=None)

    content = client.get("/").content.decode()

    for title in ("Nouvelle 4", "Nouvelle 3", "Nouvelle 2"):
        assert title in content
    for title in ("Nouvelle 1", "Programmée", "Brouillon"):
        assert title not in content


def test_news_list_is_paginated_newest_first(client, django_assert_max_num_queries):
    articles = NewsArticleFactory.create_batch(12)

    with django_assert_max_num_queries(2):
        first = client.get("/actualites/")
    second = client.get("/actualites/", {"page": 2})

    assert [a.pk for a in first.context["page_obj"]] == [a.pk for a in reversed(articles)][:10]
    assert len(second.context["page_obj"]) == 2


def test_atom_feed_is_valid_and_lists_published_news_only(client):
    article = NewsArticleFactory(title="Lancement du panel", summary="Devenez usager testeur & aidez-nous.")
    NewsArticleFactory(title="Programmée", published_at=timezone.now() + datetime.timedelta(days=1))

    response = client.get("/actualites/flux.atom")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}title").text == "Actualités — Services Publics+"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Lancement du panel"]
    entry = entries[0]
    assert entry.find(f"{ATOM}summary").text == "Devenez usager testeur & aidez-nous."
    assert entry.find(f"{ATOM}link").get("href").endswith(article.get_absolute_url())
    assert entry.find(f"{ATOM}id") is not None and entry.find(f"{ATOM}updated") is not None


def test_news_image_is_served_with_its_alternative_text(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = SimpleUploadedFile("photo.png", png())
    article = NewsArticleFactory(image=image, image_alt="Une équipe autour d'une table")

    page = client.get(article.get_absolute_url()).content.decode()
    served = client.get(f"/actualites/{article.slug}/image")

    assert 'alt="Une équipe autour d&#x27;une table"' in page
    assert served.status_code == 200 and b"".join(served.streaming_content) == png()


def test_moderator_cannot_save_an_image_without_alternative_text(client, moderator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(moderator)

    response = client.post(
        "/admin/content/newsarticle/add/",
        {
            "title": "Avec image",
            "slug": "avec-image",
            "summary": "Résumé",
            "body": "Texte",
            "image": SimpleUploadedFile("photo.png", png()),
            "image_alt": "",
            "published_at_0": "01/12/2026",
            "published_at_1": "10:00:00",
        },
    )

    assert response.status_code == 200
    assert "son alternative textuelle est obligatoire" in response.content.decode()


def test_moderator_writes_advice_in_the_admin_and_it_is_found(client, moderator):
    caf = TypologyFactory(name="CAF")
    client.force_login(moderator)

    response = client.post(
        "/admin/content/advice/add/",
        {
            "title": "Répondre au contrôle de la CAF",
            "slug": "controle-caf",
            "summary": "Répondez dans le délai indiqué.",
            "body": "Envoyez les pièces demandées.",
            "theme": "famille",
            "typologies": [caf.pk],
            "sources": "",
            "is_published": "on",
        },
    )

    assert response.status_code == 302
    assert titles(client.get("/conseils/", {"q": "contrôles"})) == ["Répondre au contrôle de la CAF"]
