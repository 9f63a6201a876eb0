"""Public pages: improvement actions, a structure's public page with its figures, the moderation charter."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from actions.models import ImprovementActionStatus
from experiences.models import ModerationState, ResponseStatus
from tests.factories import (
    AssignmentFactory,
    ExperienceFactory,
    ImprovementActionFactory,
    NetworkFactory,
    StructureFactory,
)

pytestmark = pytest.mark.django_db

ACTIONS_URL = "/actions-amelioration/"
NOW = timezone.now()


def public_action(structure, title="Horaires affichés", **kwargs):
    return ImprovementActionFactory(structure=structure, title=title, is_public=True, published_at=NOW, **kwargs)


def action_titles(response) -> list[str]:
    assert response.status_code == 200
    return [action.title for action in response.context["page_obj"]]


def test_url_names_point_to_the_public_pages():
    assert reverse("experiences:actions") == ACTIONS_URL
    assert reverse("experiences:structure", kwargs={"code": "STR-1"}) == "/structures/STR-1/"
    assert reverse("experiences:charter") == "/charte-de-moderation/"


# --- /actions-amelioration/ -------------------------------------------------------------------


def test_visitor_sees_only_public_actions(client, structure_tree):
    public_action(structure_tree["mine"], title="Action publiée")
    ImprovementActionFactory(structure=structure_tree["mine"], title="Action interne", is_public=False)

    response = client.get(ACTIONS_URL)

    assert action_titles(response) == ["Action publiée"]
    assert "Action interne" not in response.content.decode()
    assert response.context["active_nav"] == "actions"


def test_visitor_sees_only_published_experiences_linked_to_an_action(client, structure_tree):
    action = public_action(structure_tree["mine"])
    published = ExperienceFactory(title="Expérience publiée liée")
    for state in (ModerationState.SUBMITTED, ModerationState.REJECTED, ModerationState.TO_MODIFY):
        action.experiences.add(ExperienceFactory(title=f"Texte {state}", moderation_state=state))
    action.experiences.add(published)

    content = client.get(ACTIONS_URL).content.decode()

    assert f'href="{published.get_absolute_url()}"' in content
    assert "Expérience publiée liée" in content
    for state in (ModerationState.SUBMITTED, ModerationState.REJECTED, ModerationState.TO_MODIFY):
        assert f"Texte {state}" not in content


def test_visitor_sees_actions_newest_first_with_status_dates_and_structure(client, structure_tree):
    older = public_action(structure_tree["mine"], title="Ancienne")
    older.published_at = NOW - datetime.timedelta(days=30)
    older.save()
    public_action(
        structure_tree["child"],
        title="Récente",
        status=ImprovementActionStatus.DONE,
        engaged_on=datetime.date(2026, 3, 2),
        done_on=datetime.date(2026, 4, 15),
    )

    response = client.get(ACTIONS_URL)

    assert action_titles(response) == ["Récente", "Ancienne"]
    content = response.content.decode()
    assert "Action réalisée" in content
    assert "Engagée le 2 mars 2026 · réalisée le 15 avril 2026" in content
    assert f'href="/structures/{structure_tree["child"].code}/"' in content


def test_visitor_filters_actions_by_network(client, structure_tree):
    public_action(structure_tree["mine"], title="Chez nous")
    public_action(structure_tree["foreign"], title="Ailleurs")

    response = client.get(ACTIONS_URL, {"reseau": structure_tree["foreign"].network_id})

    assert action_titles(response) == ["Ailleurs"]


def test_visitor_filters_actions_by_structure_with_its_descendants(client, structure_tree):
    public_action(structure_tree["mine"], title="Direction")
    public_action(structure_tree["child"], title="Antenne")
    public_action(structure_tree["sibling"], title="Voisine")
    public_action(structure_tree["root"], title="Tête")

    response = client.get(ACTIONS_URL, {"structure": structure_tree["mine"].code})

    assert sorted(action_titles(response)) == ["Antenne", "Direction"]


def test_visitor_filters_actions_by_status(client, structure_tree):
    public_action(structure_tree["mine"], title="Engagée")
    public_action(
        structure_tree["mine"], title="Réalisée", status=ImprovementActionStatus.DONE, done_on=timezone.localdate()
    )

    assert action_titles(client.get(ACTIONS_URL, {"statut": "done"})) == ["Réalisée"]
    assert action_titles(client.get(ACTIONS_URL, {"statut": "engaged"})) == ["Engagée"]


def test_visitor_gets_empty_state_for_unknown_structure_code(client, structure_tree):
    public_action(structure_tree["mine"])

    response = client.get(ACTIONS_URL, {"structure": "INCONNU"})

    assert action_titles(response) == []
    assert "Aucune action d'amélioration publiée ne correspond à ces critères." in response.content.decode()


def test_visitor_gets_empty_state_when_no_action_is_published(client, db):
    content = client.get(ACTIONS_URL).content.decode()

    assert "Aucune action d'amélioration n'a encore été publiée." in content


def test_visitor_pages_through_actions_twenty_at_a_time(client, structure_tree):
    for index in range(23):
        public_action(structure_tree["mine"], title=f"Action {index}")

    first = client.get(ACTIONS_URL)
    second = client.get(ACTIONS_URL, {"page": 2, "statut": "engaged"})

    assert len(action_titles(first)) == 20
    assert len(action_titles(second)) == 3
    assert 'aria-label="Pagination"' in first.content.decode()
    # Page links keep the filters.
    assert "statut=engaged" in second.content.decode()


def test_actions_page_query_count_does_not_grow_with_rows(client, structure_tree, django_assert_num_queries):
    def add_actions(count):
        for _ in range(count):
            action = public_action(StructureFactory(parent=structure_tree["mine"]))
            action.experiences.add(ExperienceFactory(), ExperienceFactory())

    add_actions(2)
    # count, page, linked experiences, networks of the filter form
    with django_assert_num_queries(4):
        client.get(ACTIONS_URL)
    add_actions(10)
    with django_assert_num_queries(4):
        client.get(ACTIONS_URL)


# --- /structures/<code>/ ----------------------------------------------------------------------


@pytest.fixture
def answered_dataset(structure_tree):
    """mine and its child: 4 routings of 3 published experiences; 2 answered in 2 h and 2 days 4 h.

    An experience routed to both mine and child counts once. Pending and rejected experiences,
    and routings of a sibling, are left out.
    """
    mine, child = structure_tree["mine"], structure_tree["child"]
    published_at = NOW - datetime.timedelta(days=10)

    def route(experience, structure, status=ResponseStatus.AWAITING, delay=None):
        return AssignmentFactory(
            experience=experience,
            structure=structure,
            response_status=status,
            published_at=experience.published_at,
            first_response_at=experience.published_at + delay if delay else None,
        )

    first = ExperienceFactory(published_at=published_at)
    route(first, mine, ResponseStatus.ANSWERED, datetime.timedelta(hours=2))
    route(first, child)
    second = ExperienceFactory(published_at=published_at)
    route(second, child, ResponseStatus.ADOPTED, datetime.timedelta(days=2, hours=4))
    route(ExperienceFactory(published_at=published_at), mine)
    route(ExperienceFactory(moderation_state=ModerationState.SUBMITTED), mine)
    route(ExperienceFactory(moderation_state=ModerationState.REJECTED), child)
    route(
        ExperienceFactory(published_at=published_at),
        structure_tree["sibling"],
        ResponseStatus.ANSWERED,
        datetime.timedelta(days=30),
    )
    return structure_tree


def structure_url(structure) -> str:
    return reverse("experiences:structure", kwargs={"code": structure.code})


def test_structure_page_computes_figures_over_its_subtree(client, answered_dataset):
    response = client.get(structure_url(answered_dataset["mine"]))

    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.experience_count == 3
    assert (figures.assignment_count, figures.answered_count) == (4, 2)
    # mean of 2 h and 52 h = 27 h
    assert figures.mean_first_response_delay == datetime.timedelta(hours=27)
    content = response.content.decode()
    assert "50 %" in content
    assert "1 jour et 3 h" in content


def test_structure_figures_are_counted_once_per_ten_minutes(client, answered_dataset):
    mine = answered_dataset["mine"]
    assert client.get(structure_url(mine)).context["figures"].assignment_count == 4
    AssignmentFactory(structure=mine)

    cached = client.get(structure_url(mine))
    assert cached.context["figures"].assignment_count == 4
    assert "chiffres mis à jour toutes les 10 minutes" in cached.content.decode()
    cache.clear()  # as 10 minutes later
    assert client.get(structure_url(mine)).context["figures"].assignment_count == 5


def test_structure_page_of_a_leaf_counts_only_its_own_routings(client, answered_dataset):
    figures = client.get(structure_url(answered_dataset["child"])).context["figures"]

    assert (figures.experience_count, figures.assignment_count, figures.answered_count) == (2, 2, 1)
    assert figures.mean_first_response_delay == datetime.timedelta(days=2, hours=4)


def test_structure_page_lists_published_experiences_only(client, structure_tree):
    mine = structure_tree["mine"]
    shown = AssignmentFactory(structure=structure_tree["child"], experience__title="Visible ici").experience
    AssignmentFactory(
        structure=mine, experience__title="En attente", experience__moderation_state=ModerationState.SUBMITTED
    )

    content = client.get(structure_url(mine)).content.decode()

    assert f'href="{shown.get_absolute_url()}"' in content
    assert "En attente" not in content


@pytest.mark.parametrize("inline_ids", [200, 0], ids=["ids written out", "subquery"])
def test_structure_experiences_cover_the_subtree_either_way(structure_tree, monkeypatch, inline_ids):
    from experiences.selectors import public_pages

    monkeypatch.setattr(public_pages, "INLINE_SUBTREE_IDS", inline_ids)
    mine, child, sibling = structure_tree["mine"], structure_tree["child"], structure_tree["sibling"]
    twice = AssignmentFactory(structure=mine).experience
    AssignmentFactory(structure=child, experience=twice, position=2)
    below = AssignmentFactory(structure=child).experience
    AssignmentFactory(structure=sibling)

    # An experience routed to a structure and its child shows once; a sibling's is not in the subtree.
    assert sorted(public_pages.structure_experiences(mine).values_list("pk", flat=True)) == sorted([twice.pk, below.pk])


def test_structure_page_shows_identity_and_place_in_tree(client, structure_tree):
    mine = structure_tree["mine"]
    mine.public_name = "Accueil départemental"
    mine.address = "1 rue de la Paix"
    mine.save()

    response = client.get(structure_url(mine))

    content = response.content.decode()
    assert "<h1>Accueil départemental</h1>" in content
    assert mine.network.name in content
    assert mine.typology.name in content
    assert "1 rue de la Paix" in content
    assert f'href="{structure_url(structure_tree["root"])}"' in content
    assert f'href="{structure_url(structure_tree["child"])}"' in content
    assert "Cette structure n'est plus active" not in content


def test_structure_page_caps_its_children_list(client, structure_tree, monkeypatch):
    from experiences.selectors import public_pages

    monkeypatch.setattr(public_pages, "MAX_CHILDREN_SHOWN", 2)
    for _ in range(2):
        StructureFactory(parent=structure_tree["mine"])

    response = client.get(structure_url(structure_tree["mine"]))

    assert len(response.context["children"]) == 2
    assert response.context["children_count"] == 3
    assert "1 autre structure est rattachée à celle-ci." in response.content.decode()


def test_inactive_structure_page_is_shown_with_a_notice(client, structure_tree):
    closed = StructureFactory(is_active=False)

    response = client.get(structure_url(closed))

    assert response.status_code == 200
    assert "Cette structure n'est plus active" in response.content.decode()


def test_unknown_structure_code_answers_404(client, db):
    assert client.get("/structures/INCONNU/").status_code == 404


def test_structure_page_paginates_experiences_ten_at_a_time(client, structure_tree):
    for _ in range(12):
        AssignmentFactory(structure=structure_tree["mine"])

    first = client.get(structure_url(structure_tree["mine"]))
    second = client.get(structure_url(structure_tree["mine"]), {"page": 2})

    assert len(first.context["page_obj"].object_list) == 10
    assert len(second.context["page_obj"].object_list) == 2


def test_structure_page_shows_public_actions_of_its_subtree(client, structure_tree):
    public_action(structure_tree["child"], title="Action de l antenne")
    public_action(structure_tree["sibling"], title="Action voisine")
    ImprovementActionFactory(structure=structure_tree["mine"], title="Action interne")

    content = client.get(structure_url(structure_tree["mine"])).content.decode()

    assert "Action de l antenne" in content
    assert "Action voisine" not in content
    assert "Action interne" not in content


def test_structure_page_query_count_does_not_grow_with_rows(client, structure_tree, django_assert_num_queries):
    mine = structure_tree["mine"]

    def add_rows(count):
        for _ in range(count):
            child = StructureFactory(parent=mine)
            AssignmentFactory(structure=child)
            public_action(child).experiences.add(ExperienceFactory())

    add_rows(2)
    # structure, children, figures (the subtree's ids, then the aggregate, which counts the experiences
    # the page lists), the subtree's ids for the page, the page, actions + linked experiences, results; the
    # 12 months' scorecard on a cold cache (the rollup's watermark, the siblings, the routings the rollup
    # does not hold)
    with django_assert_num_queries(12):
        client.get(structure_url(mine))
    add_rows(10)
    cache.clear()  # the figures are cached 10 minutes: count them again
    with django_assert_num_queries(12):
        client.get(structure_url(mine))
    # Cached figures: the experiences are not counted again (0.6 s for a network root of a million).
    with django_assert_num_queries(7):
        client.get(structure_url(mine))


def test_structure_page_lists_the_newest_experiences_up_to_the_cap(client, structure_tree, monkeypatch):
    from experiences.selectors import search

    monkeypatch.setattr(search, "RESULT_CAP", 10)
    mine = structure_tree["mine"]
    for _ in range(12):
        AssignmentFactory(structure=mine)

    response = client.get(structure_url(mine))

    assert response.context["figures"].experience_count == 12
    assert response.context["page_obj"].paginator.num_pages == 1
    content = response.content.decode()
    assert "Seules les 1 000 expériences les plus récentes sont listées ici" in content
    assert f'href="/experiences/?structure={mine.code}"' in content


# --- /charte-de-moderation/ -------------------------------------------------------------------


def test_visitor_reads_the_moderation_charter(client, db):
    response = client.get("/charte-de-moderation/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Charte de modération</h1>" in content
    for passage in ("propos injurieux", "numéros de téléphone", "numéros de dossier", "service public administratif"):
        assert passage in content
    assert "jamais affichée" in content
    assert 'href="/donnees-personnelles/"' in content


def test_network_filter_lists_every_network(client, db):
    NetworkFactory(name="CAF")

    content = client.get(ACTIONS_URL).content.decode()

    assert ">CAF</option>" in content


def test_author_email_appears_on_neither_actions_nor_structure_page(client, structure_tree):
    assignment = AssignmentFactory(structure=structure_tree["mine"])
    public_action(structure_tree["mine"]).experiences.add(assignment.experience)

    for url in (ACTIONS_URL, structure_url(structure_tree["mine"])):
        content = client.get(url).content.decode()
        assert assignment.experience.title in content
        assert assignment.experience.author_email not in content


def test_action_and_experience_titles_come_back_escaped(client, structure_tree):
    action = public_action(structure_tree["mine"], title="<script>alert(1)</script>")
    action.experiences.add(ExperienceFactory(title="<script>alert(2)</script>"))

    content = client.get(ACTIONS_URL).content.decode()

    assert "<script>alert(" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
