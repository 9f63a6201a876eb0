"""The public list /experiences/: only published experiences, search, every filter, count, pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from experiences.models import ExperienceStatus, Feeling, ModerationState
from experiences.selectors import search as search_selectors
from tests.factories import (
    AssignmentFactory,
    ExperienceFactory,
    ExperienceTypologyFactory,
    NetworkFactory,
    StructureFactory,
    TypologyFactory,
)

LIST_URL = "/experiences/"
# The capped count and the page's rows, whatever the number of cards; the filters' referential
# lists come from the cache (four more queries when it is cold).
QUERIES_PER_PAGE = 2


def titles(response) -> list[str]:
    return [experience.title for experience in response.context["page_obj"].object_list]


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def client_get(client, db):
    def get(**params):
        response = client.get(LIST_URL, params)
        assert response.status_code == 200
        return response

    return get


def test_list_url_is_named():
    assert reverse("experiences:list") == LIST_URL


@pytest.mark.parametrize("state", [ModerationState.SUBMITTED, ModerationState.REJECTED, ModerationState.TO_MODIFY])
def test_visitor_cannot_see_unpublished_experience_in_list(client_get, state):
    ExperienceFactory(title="Publiée à la mairie")
    ExperienceFactory(title="Cachée à la mairie", moderation_state=state)

    assert titles(client_get()) == ["Publiée à la mairie"]
    assert titles(client_get(q="mairie")) == ["Publiée à la mairie"]


def test_visitor_sees_newest_first_as_cards_with_link_and_badges(client_get):
    ExperienceFactory(title="Ancienne", published_at=days_ago(5))
    newest = ExperienceFactory(
        title="Récente", published_at=days_ago(1), feeling=Feeling.NEGATIVE, pseudonym="Camille75"
    )

    response = client_get()

    assert titles(response) == ["Récente", "Ancienne"]
    html = response.content.decode()
    assert f'href="/experiences/{newest.public_id}/"' in html
    assert "Ressenti négatif" in html
    assert "En attente de réponse" in html
    assert "Camille75" in html
    assert "Paris (75)" in html
    assert "2 résultats" in html


def test_visitor_never_sees_author_email(client_get):
    ExperienceFactory(author_email="secret.usager@example.org")

    assert "secret.usager@example.org" not in client_get().content.decode()
    assert "secret.usager" not in client_get(q="préfecture").content.decode()


def test_script_in_title_comes_back_escaped(client_get):
    ExperienceFactory(title="<script>alert('x')</script> guichet")

    html = client_get().content.decode()

    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(" in html


def test_empty_parameters_redirect_to_a_short_url_to_share(client, db):
    response = client.get(LIST_URL, {"q": "mairie", "reseau": "", "ressenti": "negatif", "du": ""})

    assert response.status_code == 302
    assert response.url == "/experiences/?q=mairie&ressenti=negatif"
    assert client.get(LIST_URL, {"reseau": ""}).url == LIST_URL


# Filters, each alone


def test_visitor_filters_by_feeling(client_get):
    ExperienceFactory(title="Bien", feeling=Feeling.POSITIVE)
    ExperienceFactory(title="Mal", feeling=Feeling.NEGATIVE)

    assert titles(client_get(ressenti="negatif")) == ["Mal"]


@pytest.mark.parametrize(
    ("param", "status"),
    [
        ("en-attente", ExperienceStatus.AWAITING),
        ("avec-reponse", ExperienceStatus.ANSWERED),
        ("action-engagee", ExperienceStatus.ACTION_ENGAGED),
        ("action-realisee", ExperienceStatus.ACTION_DONE),
    ],
)
def test_visitor_filters_by_status(client_get, param, status):
    for each in ExperienceStatus:
        ExperienceFactory(title=each.label, status=each)

    assert titles(client_get(statut=param)) == [status.label]


def test_visitor_filters_by_department_and_region(client_get):
    ExperienceFactory(title="Paris", department_id="75", region_id="11")
    ExperienceFactory(title="Marseille", department_id="13", region_id="93")

    assert titles(client_get(departement="13")) == ["Marseille"]
    assert titles(client_get(region="11")) == ["Paris"]


def test_visitor_filters_by_network(client_get):
    police, caf = NetworkFactory(name="POLICE"), NetworkFactory(name="CAF")
    AssignmentFactory(experience__title="Commissariat", structure=StructureFactory(network=police))
    AssignmentFactory(experience__title="Allocations", structure=StructureFactory(network=caf))

    assert titles(client_get(reseau=str(police.pk))) == ["Commissariat"]


def test_visitor_filters_by_organism_once_per_experience(client_get):
    prefecture, caf = TypologyFactory(name="Préfecture"), TypologyFactory(name="CAF")
    both = ExperienceFactory(title="Deux organismes")
    ExperienceTypologyFactory(experience=both, typology=prefecture)
    ExperienceTypologyFactory(experience=both, typology=caf)
    ExperienceTypologyFactory(experience__title="Allocations", typology=caf)

    assert titles(client_get(organisme=prefecture.code)) == ["Deux organismes"]
    assert sorted(titles(client_get(organisme=caf.code))) == ["Allocations", "Deux organismes"]


def test_visitor_filters_by_structure_including_descendants(client_get, structure_tree):
    AssignmentFactory(experience__title="Chez moi", structure=structure_tree["mine"])
    AssignmentFactory(experience__title="Antenne", structure=structure_tree["child"])
    AssignmentFactory(experience__title="Voisine", structure=structure_tree["sibling"])
    AssignmentFactory(experience__title="Ailleurs", structure=structure_tree["foreign"])

    assert sorted(titles(client_get(structure=structure_tree["mine"].code))) == ["Antenne", "Chez moi"]
    assert sorted(titles(client_get(structure=structure_tree["mine"].code.lower()))) == ["Antenne", "Chez moi"]
    assert len(titles(client_get(structure=structure_tree["root"].code))) == 3


def test_visitor_filters_by_period_in_paris_time(client_get):
    paris = search_selectors.PARIS
    ExperienceFactory(title="Avant", published_at=datetime.datetime(2026, 3, 31, 23, 30, tzinfo=paris))
    ExperienceFactory(title="Début", published_at=datetime.datetime(2026, 4, 1, 0, 30, tzinfo=paris))
    ExperienceFactory(title="Fin", published_at=datetime.datetime(2026, 4, 30, 23, 30, tzinfo=paris))
    ExperienceFactory(title="Après", published_at=datetime.datetime(2026, 5, 1, 0, 10, tzinfo=paris))

    assert titles(client_get(du="2026-04-01", au="2026-04-30")) == ["Fin", "Début"]
    assert titles(client_get(du="01/05/2026")) == ["Après"]


def test_visitor_combines_filters(client_get):
    network = NetworkFactory(name="FRANCE TRAVAIL")
    structure = StructureFactory(network=network)
    wanted = dict(feeling=Feeling.NEGATIVE, department_id="13", region_id="93", title="Agence de Marseille")
    AssignmentFactory(experience=ExperienceFactory(**wanted), structure=structure)
    AssignmentFactory(experience=ExperienceFactory(**{**wanted, "title": "Autre ressenti", "feeling": "neutral"}))
    AssignmentFactory(experience=ExperienceFactory(**{**wanted, "title": "Autre réseau"}))
    AssignmentFactory(experience=ExperienceFactory(title="Autre département", feeling="negative"), structure=structure)

    response = client_get(reseau=str(network.pk), ressenti="negatif", departement="13", q="Marseille")

    assert titles(response) == ["Agence de Marseille"]


@pytest.mark.parametrize(
    "params",
    [
        {"reseau": "abc"},
        {"reseau": "999999"},
        {"organisme": "NOPE"},
        {"structure": "INCONNU"},
        {"structure": "x" * 50},
        {"ressenti": "furieux"},
        {"statut": "perdu"},
        {"region": "ZZ"},
        {"departement": "000"},
        {"du": "hier"},
        {"au": "2026-02-30"},
        {"tri": "hasard"},
        {"page": "abc"},
        {"page": "-3"},
        {"page": "99999999999999999999"},
        {"q": "x" * 500},
        {"q": "\"'!&|<>():*"},
    ],
)
def test_invalid_filter_value_is_reported_and_ignored(client_get, params):
    ExperienceFactory(title="Toujours là")

    response = client_get(**params)

    if "q" not in params and "page" not in params:
        assert response.context["form"].errors
        assert "Certains critères n'ont pas été pris en compte" in response.content.decode()
    if "q" not in params:
        assert titles(response) == ["Toujours là"]


def test_unknown_structure_code_says_so_in_french(client_get):
    response = client_get(structure="ZZZ999")

    assert "Aucune structure ne porte le code SP+ « ZZZ999 »." in response.content.decode()


def test_period_end_before_start_is_reported(client_get):
    response = client_get(du="2026-05-01", au="2026-04-01")

    assert "La date de fin doit suivre la date de début." in response.content.decode()


# Text search: the same behaviour on PostgreSQL (`french_unaccent`) and on SQLite (FTS5 index,
# experiences/sqlite_search.py). tests/experiences/test_search_on_sqlite.py runs this module on SQLite.


def test_search_finds_every_word_in_title_or_description(client_get):
    ExperienceFactory(title="Carte grise en ligne", description="Démarche simple. " * 10)
    ExperienceFactory(title="Carte grise au guichet", description="Longue attente. " * 10)

    assert titles(client_get(q="carte SIMPLE")) == ["Carte grise en ligne"]
    assert len(titles(client_get(q="grise"))) == 2


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("démarche", "demarche"),
        ("demarche", "démarche"),
        ("Démarche", "DÉMARCHE"),
        ("façade", "FACADE"),
        ("cœur", "coeur"),
        ("soeur", "sœur"),
    ],
)
def test_search_ignores_accents_and_case_both_ways(client_get, stored, typed):
    ExperienceFactory(title=f"Une {stored} compliquée")
    ExperienceFactory(title="Tout autre sujet")

    assert titles(client_get(q=typed)) == [f"Une {stored} compliquée"]


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("impôts", "impot"),
        ("impôt", "impots"),
        ("démarches", "démarche"),
        ("démarche", "demarches"),
        ("journaux", "journal"),
        ("bureau", "bureaux"),
        ("services", "service"),
    ],
)
def test_search_finds_singular_and_plural_forms(client_get, stored, typed):
    ExperienceFactory(title=f"Question sur {stored}")
    ExperienceFactory(title="Tout autre sujet")

    assert titles(client_get(q=typed)) == [f"Question sur {stored}"]


def test_search_finds_french_word_forms_in_description(client_get):
    ExperienceFactory(title="Sans rapport", description="Mes démarches.Cordialement " + "x " * 60)

    assert titles(client_get(q="démarche")) == ["Sans rapport"]
    assert titles(client_get(q="cordialement")) == ["Sans rapport"]


def test_search_leaves_out_french_stop_words(client_get):
    ExperienceFactory(title="Titre de séjour expiré")

    assert titles(client_get(q="le titre du séjour")) == ["Titre de séjour expiré"]
    assert titles(client_get(q="le du")) == []


def test_search_reads_phrases_alternatives_and_exclusions(client_get):
    ExperienceFactory(title="Carte grise perdue")
    ExperienceFactory(title="Grise mine devant la carte vitale")
    ExperienceFactory(title="Allocations de la CAF")

    assert titles(client_get(q='"carte grise"')) == ["Carte grise perdue"]
    assert sorted(titles(client_get(q="perdue or CAF"))) == ["Allocations de la CAF", "Carte grise perdue"]
    assert titles(client_get(q="carte -vitale")) == ["Carte grise perdue"]
    assert titles(client_get(q="-carte")) == ["Allocations de la CAF"]


def test_search_orders_by_relevance_by_default_and_by_date_on_request(client_get):
    ExperienceFactory(
        title="Récente sans le mot au titre",
        description="Un rendez-vous, puis une longue attente au guichet. " * 3,
        published_at=days_ago(1),
    )
    ExperienceFactory(title="Rendez-vous manqué, rendez-vous reporté", published_at=days_ago(30))

    assert titles(client_get(q="rendez-vous"))[0] == "Rendez-vous manqué, rendez-vous reporté"
    assert titles(client_get(q="rendez-vous", tri="date"))[0] == "Récente sans le mot au titre"


def test_search_ranks_a_word_in_the_title_before_the_same_word_in_the_description(client_get):
    filler = "Rien d'autre à signaler. " * 6
    ExperienceFactory(title="Accueil téléphonique", description=filler, published_at=days_ago(30))
    ExperienceFactory(
        title="Rien à signaler", description=f"Un accueil téléphonique. {filler}", published_at=days_ago(1)
    )

    assert titles(client_get(q="accueil")) == ["Accueil téléphonique", "Rien à signaler"]


@pytest.mark.parametrize(
    "typed", ['impôts"', '"impôts', "impôts*", "(impôts)", "'impôts'", "impôts^", "impôts:", "+impôts"]
)
def test_search_treats_query_syntax_characters_as_separators(client_get, typed):
    ExperienceFactory(title="Guichet des impôts")

    assert titles(client_get(q=typed)) == ["Guichet des impôts"]


@pytest.mark.parametrize("typed", ['"', '""', "*", "(", ")", "-", "^", ":", "OR", "le", "l'"])
def test_search_for_punctuation_or_stop_words_alone_finds_nothing_and_says_so(client_get, typed):
    ExperienceFactory(title="Guichet des impôts")

    response = client_get(q=typed)

    assert titles(response) == []
    assert "Aucune expérience ne correspond à votre recherche" in response.content.decode()


@pytest.mark.parametrize("typed", ["AND", "NOT", "NEAR(", "NEAR(and not)", "not AND near"])
def test_search_reads_full_text_operators_as_plain_words(client_get, typed):
    ExperienceFactory(title="Near and not far")
    ExperienceFactory(title="Guichet des impôts")

    assert titles(client_get(q=typed)) == ["Near and not far"]


def test_blank_search_lists_every_experience_newest_first(client_get):
    ExperienceFactory(title="Ancienne", published_at=days_ago(5))
    ExperienceFactory(title="Récente", published_at=days_ago(1))

    assert titles(client_get(q="   ")) == ["Récente", "Ancienne"]


def test_list_without_search_ignores_relevance(client_get):
    ExperienceFactory(title="Ancienne", published_at=days_ago(5))
    ExperienceFactory(title="Récente", published_at=days_ago(1))

    assert titles(client_get(tri="pertinence")) == ["Récente", "Ancienne"]


# Count, pages, queries


def test_count_is_capped_past_one_thousand(client_get, monkeypatch):
    monkeypatch.setattr(search_selectors, "RESULT_CAP", 3)
    ExperienceFactory.create_batch(4)

    response = client_get()

    assert "Plus de 1 000 résultats" in response.content.decode()
    assert response.context["paginator"].count == 3


def test_capped_count_reads_at_most_cap_plus_one_rows(db, django_assert_num_queries):
    ExperienceFactory.create_batch(5)
    matches = search_selectors.matching_experiences(search_selectors.ExperienceSearch())

    with django_assert_num_queries(1) as captured:
        assert search_selectors.capped_count(matches, cap=3) == 4
    assert "LIMIT 4" in captured.captured_queries[0]["sql"]


def test_pages_hold_twenty_and_keep_filters(client_get):
    for day in range(25):
        ExperienceFactory(title=f"Négative {day:02d}", feeling=Feeling.NEGATIVE, published_at=days_ago(day + 1))
    ExperienceFactory(feeling=Feeling.POSITIVE)

    first, second = client_get(ressenti="negatif"), client_get(ressenti="negatif", page="2")

    assert len(titles(first)) == 20
    assert titles(second) == ["Négative 20", "Négative 21", "Négative 22", "Négative 23", "Négative 24"]
    assert "?ressenti=negatif&amp;page=2" in first.content.decode()
    assert "25 résultats" in first.content.decode()


def test_page_past_the_last_shows_the_last(client_get):
    ExperienceFactory.create_batch(3)

    assert client_get(page="40").context["page_obj"].number == 1


@pytest.mark.parametrize("rows", [5, 25])
def test_queries_per_page_do_not_grow_with_rows(client, db, django_assert_num_queries, rows):
    department_experiences = ExperienceFactory.create_batch(rows)
    for experience in department_experiences:
        AssignmentFactory(experience=experience)

    params = {"q": "préfecture", "ressenti": "positif"}
    with django_assert_num_queries(QUERIES_PER_PAGE + 4):
        client.get(LIST_URL, params)
    with django_assert_num_queries(QUERIES_PER_PAGE):
        assert len(client.get(LIST_URL, params).context["page_obj"]) == min(rows, 20)


def test_filters_offer_the_referential_and_keep_the_chosen_values(client_get):
    typology = TypologyFactory(name="Caisse d'allocations familiales", network=NetworkFactory(name="CAF"))

    html = client_get(organisme=typology.code, ressenti="negatif", departement="2A").content.decode()

    assert (
        f'<optgroup label="CAF"><option value="{typology.code}" selected>Caisse d&#x27;allocations familiales' in html
    )
    assert '<option value="negatif" selected>Négatif</option>' in html
    assert '<option value="2A" selected>2A – Corse-du-Sud</option>' in html


# Empty state


def test_empty_state_offers_to_remove_each_filter_and_to_share(client_get):
    ExperienceFactory(feeling=Feeling.POSITIVE)

    response = client_get(q="introuvable", ressenti="negatif", departement="13")
    html = response.content.decode()

    assert "Aucune expérience ne correspond à votre recherche" in html
    assert "vérifiez l'orthographe de « introuvable »" in html
    assert 'href="?q=introuvable&amp;departement=13"' in html
    assert 'href="?q=introuvable&amp;ressenti=negatif"' in html
    assert 'href="?ressenti=negatif&amp;departement=13"' in html
    assert "Partager votre expérience" in html
    assert "Aucun résultat" in html
