"""« Documents simplifiés »: only the examples moderators published, before and after, paginated; and the way in."""

import pytest

from simplification import services

from .conftest import make_report

pytestmark = pytest.mark.django_db

EXAMPLES_URL = "/documents-simplifies/"


def simplified(moderator, structure, *, title: str, publish: bool):
    report = make_report(title=title)
    services.accept_report(report=report, by=moderator, structures=[structure])
    services.mark_simplified(report=report, by=moderator, simplified_version=f"Après : {title}")
    if publish:
        services.publish_example(
            report=report, by=moderator, original_excerpt=f"Avant : {title}", simplified_version=f"Après : {title}"
        )
    return report


def test_page_shows_only_published_examples_with_before_and_after(client, moderator, structure_tree):
    simplified(moderator, structure_tree["mine"], title="Formulaire publié", publish=True)
    simplified(moderator, structure_tree["mine"], title="Courrier simplifié non publié", publish=False)
    make_report(title="Courrier tout juste reçu")

    content = client.get(EXAMPLES_URL).content.decode()

    assert "Avant : Formulaire publié" in content and "Après : Formulaire publié" in content
    assert "non publié" not in content
    assert "tout juste reçu" not in content


def test_unpublished_example_leaves_the_page(client, moderator, structure_tree):
    report = simplified(moderator, structure_tree["mine"], title="Retiré ensuite", publish=True)

    services.unpublish_example(report=report, by=moderator)

    assert "Retiré ensuite" not in client.get(EXAMPLES_URL).content.decode()


def test_empty_page_invites_to_report(client, db):
    content = client.get(EXAMPLES_URL).content.decode()

    assert "Aucun exemple publié pour l'instant" in content
    assert 'href="/documents-complexes/signaler/"' in content


def test_page_queries_do_not_grow_with_its_examples(client, moderator, structure_tree, django_assert_max_num_queries):
    for index in range(12):
        simplified(moderator, structure_tree["mine"], title=f"Exemple {index}", publish=True)

    with django_assert_max_num_queries(3):
        response = client.get(EXAMPLES_URL)
    assert response.content.decode().count("Avant : Exemple") == 10
    assert client.get(EXAMPLES_URL, {"page": 2}).content.decode().count("Avant : Exemple") == 2


def test_home_page_and_menu_lead_to_the_documents(client, db):
    content = client.get("/").content.decode()

    assert 'href="/documents-complexes/signaler/">Signaler un document complexe</a>' in content
    assert ">Documents simplifiés</a>" in content
