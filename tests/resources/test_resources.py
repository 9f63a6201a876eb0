"""« Ressources et FAQ »: who sees what, the French search over both, theme filters and the checked file view."""

import pytest
from django.core.files.base import ContentFile

from resources import selectors
from resources.models import FaqEntry, Resource, ResourceKind, Theme
from structures.models import Role
from tests import factories as f

URL = "/agents/ressources/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def transparency(db):
    return Theme.objects.create(name="Transparence des résultats", slug="transparence")


@pytest.fixture
def answering(db):
    return Theme.objects.create(name="Répondre aux usagers", slug="repondre")


def document(title, summary, *themes, networks=(), content=b"a;b\n", name="modele.csv") -> Resource:
    resource = Resource(kind=ResourceKind.DOCUMENT, title=title, summary=summary)
    resource.file.save(name, ContentFile(content), save=True)
    resource.themes.set(themes)
    resource.networks.set(networks)
    return resource


def page(title, summary, body, *themes) -> Resource:
    resource = Resource.objects.create(kind=ResourceKind.PAGE, title=title, summary=summary, body=body)
    resource.themes.set(themes)
    return resource


@pytest.fixture
def library(transparency, answering):
    guide = page(
        "Guide pratique de l'import",
        "Publier les résultats de votre réseau sur la page transparence.",
        "Préparez le fichier CSV.\nTestez-le, puis exécutez l'import.",
        transparency,
    )
    template = document("Modèle de fichier d'import", "Le fichier CSV à remplir pour la transparence.", transparency)
    booklet = document("Livret de présentation", "Le programme Services Publics+ en huit pages.", answering)
    FaqEntry.objects.create(
        theme=answering, question="Le délai de réponse est-il contraint ?", answer="Non, mais 48 à 72 heures."
    )
    FaqEntry.objects.create(
        theme=transparency, question="Qui importe les résultats ?", answer="Les référents, pour la transparence."
    )
    return {"guide": guide, "template": template, "booklet": booklet}


def test_agent_searching_transparence_finds_the_guide_and_the_template(client, agent, library):
    client.force_login(agent)
    response = client.get(URL, {"q": "transparence"})
    assert response.status_code == 200
    titles = [resource.title for resource in response.context["page_obj"].object_list]
    assert sorted(titles) == ["Guide pratique de l'import", "Modèle de fichier d'import"]
    assert [entry.question for entry in response.context["faq"]] == ["Qui importe les résultats ?"]


def test_search_ignores_accents_and_plurals(agent, library):
    found = selectors.search_resources(agent, selectors.ResourceSearch(text="résultat"))
    assert set(found) == {library["guide"]}
    found = selectors.search_resources(agent, selectors.ResourceSearch(text="PRESENTATION"))
    assert set(found) == {library["booklet"]}


def test_sqlite_fallback_finds_the_same_rows(agent, library):
    rows = selectors.resources_for(agent)
    found = selectors._sqlite_matching(rows, "transparence", title="title", texts=("summary", "body"))
    assert set(found) == {library["guide"], library["template"]}
    assert list(selectors._sqlite_matching(rows, "le de", title="title", texts=("summary",))) == []
    entries = selectors.published_faq()
    found = selectors._sqlite_matching(entries, "délais", title="question", texts=("answer",))
    assert [entry.question for entry in found] == ["Le délai de réponse est-il contraint ?"]


def test_theme_filter_keeps_that_theme_only(client, agent, library, answering):
    client.force_login(agent)
    response = client.get(URL, {"theme": answering.slug})
    assert [r.title for r in response.context["page_obj"].object_list] == ["Livret de présentation"]
    assert [e.question for e in response.context["faq"]] == ["Le délai de réponse est-il contraint ?"]


def test_empty_search_says_so(client, agent, library):
    client.force_login(agent)
    response = client.get(URL, {"q": "zzzzquartz"})
    assert "Aucune ressource ne correspond à votre recherche" in response.content.decode()


def test_resource_of_another_network_is_hidden_and_its_file_404(client, agent, structure_tree, transparency):
    other = document(
        "Note interne", "Pour un autre réseau.", transparency, networks=[structure_tree["foreign"].network]
    )
    own = document("Note du réseau", "Pour mon réseau.", transparency, networks=[structure_tree["mine"].network])
    client.force_login(agent)
    titles = [r.title for r in client.get(URL).context["page_obj"].object_list]
    assert titles == ["Note du réseau"]
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert client.get(f"{URL}{other.pk}/fichier/").status_code == 404
    assert client.get(f"{URL}{own.pk}/").status_code == 200


def test_signed_in_agent_downloads_the_file_through_the_checked_view(client, agent, library):
    client.force_login(agent)
    response = client.get(f"{URL}{library['template'].pk}/fichier/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"a;b\n"
    assert "attachment" in response["Content-Disposition"]


def test_anonymous_visitor_is_sent_to_sign_in_and_gets_no_file(client, library):
    response = client.get(f"{URL}{library['template'].pk}/fichier/")
    assert response.status_code == 302
    assert response["Location"].startswith("/agents/connexion/")


def test_user_without_membership_cannot_enter(client, library):
    client.force_login(f.UserFactory())
    assert client.get(URL).status_code == 403


def test_unpublished_resource_is_not_shown(client, agent, library):
    Resource.objects.filter(pk=library["guide"].pk).update(is_published=False)
    client.force_login(agent)
    assert client.get(f"{URL}{library['guide'].pk}/").status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_resources(client, structure_tree, library, role):
    user = f.MembershipFactory(structure=structure_tree["mine"], role=role).user
    client.force_login(user)
    assert client.get(f"{URL}{library['booklet'].pk}/").status_code == 200


def test_moderator_reads_resources_of_every_network(client, moderator, structure_tree, transparency):
    other = document(
        "Note interne", "Pour un autre réseau.", transparency, networks=[structure_tree["foreign"].network]
    )
    client.force_login(moderator)
    assert client.get(f"{URL}{other.pk}/").status_code == 200


def test_list_query_count_does_not_grow_with_rows(client, agent, transparency, django_assert_max_num_queries):
    for n in range(25):
        page(f"Fiche {n}", "Résumé de la fiche.", "Texte.", transparency)
    client.force_login(agent)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert response.context["paginator"].num_pages == 2
