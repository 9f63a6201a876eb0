"""The dashboard page at /agents/tableau-de-bord/: who sees which scope, the period presets, the sections."""

import datetime
import re
import zoneinfo
from html import unescape
from unittest.mock import patch

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import ImprovementActionStatus
from dashboards.report import DEFINITIONS
from experiences.models import Channel, Feeling
from structures.models import BusinessTag, Role
from tests import factories as f

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
DASHBOARD = reverse("agents:dashboard")
# Half past midnight in Paris is still the 22nd in UTC: the presets must count from the day in Paris.
TODAY = datetime.date(2026, 11, 23)
NOW = datetime.datetime(2026, 11, 23, 0, 30, tzinfo=PARIS)
NOT_IN_SCOPE = "Aucune structure de ce code dans votre périmètre."
FALLBACK = "Certains choix ne sont pas valables : le tableau de bord montre votre périmètre par défaut pour eux."
INVALID_CHOICE = "Sélectionnez un choix valide."
# Experiences published in the last 30 days per structure: powers of two, so every scope's total is unique.
PUBLISHED = {"mine": 1, "child": 2, "sibling": 4, "root": 8, "foreign": 16}
MINE_WITH_CHILDREN, MINE_ALONE, NETWORK, NATIONAL = 3, 1, 15, 31


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def publish(structure, *, published_at=None, answered_after=None, full=False):
    """An experience routed to `structure`; `full` gives it a source, channels, tags, an answer and an action."""
    published_at = published_at or datetime.datetime(2026, 11, 10, 14, tzinfo=PARIS)
    experience = f.ExperienceFactory(
        published_at=published_at, feeling=Feeling.NEGATIVE, source="lien-suivi" if full else ""
    )
    first_response_at = published_at + answered_after if answered_after else None
    assignment = f.AssignmentFactory(
        experience=experience, structure=structure, first_response_at=first_response_at, needs_improvement=full
    )
    if full:
        response = f.ResponseFactory(assignment=assignment, published_at=first_response_at or published_at)
        f.AuthorEvaluationFactory(response=response, is_useful=True)
        typology = f.ExperienceTypologyFactory(experience=experience, typology=None, organism_name="Préfecture")
        f.ExperienceChannelFactory(experience_typology=typology, channel=Channel.DESK, feeling=Feeling.NEGATIVE)
        welcome, _ = BusinessTag.objects.get_or_create(network=structure.network, name="Accueil")
        typology.business_tags.add(welcome)
        f.GeneralTagValueFactory(experience=experience, value=Feeling.NEGATIVE)
        f.ImprovementActionFactory(structure=structure, status=ImprovementActionStatus.ENGAGED)
    return experience


@pytest.fixture
def data(structure_tree):
    for name, count in PUBLISHED.items():
        for index in range(count):
            publish(structure_tree[name], answered_after=datetime.timedelta(hours=10), full=index == 0)
    # Last year's, and one on 24 October (just before the 30 days) in the agent's structure.
    publish(structure_tree["mine"], published_at=datetime.datetime(2025, 6, 1, 12, tzinfo=PARIS))
    publish(structure_tree["mine"], published_at=datetime.datetime(2026, 10, 24, 23, 30, tzinfo=PARIS))
    return structure_tree


def open_dashboard(client, user, **params):
    client.force_login(user)
    return get_dashboard(client, **params)


def get_dashboard(client, **params):
    response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    return response


def page_text(response) -> str:
    return unescape(response.content.decode())


def shown(response):
    """The scope and the figures the page was rendered with."""
    report = response.context["report"]
    return report.scope, report.data


def member(structure, role=Role.AGENT):
    return f.MembershipFactory(structure=structure, role=role).user


# --- Who sees what by default ---------------------------------------------------------------------


def test_agent_sees_their_structure_with_its_children_by_default(client, agent, data):
    response = open_dashboard(client, agent)

    scope, figures = shown(response)
    assert (scope.structure, scope.include_children, scope.network) == (data["mine"], True, None)
    assert figures.published == MINE_WITH_CHILDREN
    page = page_text(response)
    assert "Direction départementale et ses structures filles — du 25 octobre 2026 au 23 novembre 2026" in page
    assert FALLBACK not in page


def test_agent_of_two_structures_sees_the_highest_by_default(client, data):
    agent = member(data["child"])
    f.MembershipFactory(user=agent, structure=data["mine"], role=Role.SUPER_AGENT)

    scope, figures = shown(open_dashboard(client, agent))

    assert scope.structure == data["mine"]
    assert figures.published == MINE_WITH_CHILDREN


def test_referent_of_a_network_can_open_the_whole_network(client, data):
    referent = member(data["root"], Role.REFERENT)

    response = open_dashboard(client, referent, reseau=data["root"].network_id)

    scope, figures = shown(response)
    assert (scope.structure, scope.network) == (None, data["root"].network)
    assert figures.published == NETWORK
    assert f"Réseau {data['root'].network.name}" in page_text(response)


def test_referent_sees_their_network_root_with_its_children_by_default(client, data):
    referent = member(data["root"], Role.REFERENT)

    scope, figures = shown(open_dashboard(client, referent))

    assert (scope.structure, scope.include_children) == (data["root"], True)
    assert figures.published == NETWORK


@pytest.mark.parametrize(
    ("where", "network"),
    [("root", "foreign"), ("mine", "root")],
    ids=["another network", "a referent below the network's root"],
)
def test_referent_cannot_open_a_network_they_do_not_lead(client, data, where, network):
    referent = member(data[where], Role.REFERENT)

    response = open_dashboard(client, referent, reseau=data[network].network_id)

    scope, figures = shown(response)
    assert (scope.structure, scope.network) == (data[where], None)
    assert figures.published != NATIONAL
    assert FALLBACK in page_text(response)


def test_referent_is_told_why_a_network_is_refused(client, data):
    referent = member(data["root"], Role.REFERENT)

    page = page_text(open_dashboard(client, referent, reseau=data["foreign"].network_id))

    assert INVALID_CHOICE in page


def test_moderator_sees_the_whole_country_by_default(client, moderator, data):
    response = open_dashboard(client, moderator)

    scope, figures = shown(response)
    assert (scope.structure, scope.network) == (None, None)
    assert figures.published == NATIONAL
    assert "Toutes les structures" in page_text(response)
    # Nationally, the ranking is per network.
    assert {row.label: row.delays.routings for row in figures.ranking} == {
        data["root"].network.name: NETWORK,
        data["foreign"].network.name: PUBLISHED["foreign"],
    }


@pytest.mark.parametrize(
    ("network", "published"), [("root", NETWORK), ("foreign", PUBLISHED["foreign"])], ids=["one", "another"]
)
def test_moderator_can_open_any_network(client, moderator, data, network, published):
    scope, figures = shown(open_dashboard(client, moderator, reseau=data[network].network_id))

    assert scope.network == data[network].network
    assert figures.published == published


def test_moderator_can_open_any_structure(client, moderator, data):
    scope, figures = shown(open_dashboard(client, moderator, structure=data["sibling"].code))

    assert scope.structure == data["sibling"]
    assert figures.published == PUBLISHED["sibling"]


# --- The period ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "start", "end"),
    [
        ({}, datetime.date(2026, 10, 25), TODAY),
        ({"periode": "30-jours"}, datetime.date(2026, 10, 25), TODAY),
        ({"periode": "annee"}, datetime.date(2026, 1, 1), TODAY),
        ({"periode": "annee-precedente"}, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
        (
            {"periode": "personnalisee", "du": "2026-03-01", "au": "2026-03-31"},
            datetime.date(2026, 3, 1),
            datetime.date(2026, 3, 31),
        ),
        # Dates typed in make a custom period, even without choosing it in the list.
        ({"du": "2026-03-01", "au": "2026-03-31"}, datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)),
    ],
    ids=["default", "30 days", "this year", "last year", "custom", "dates without custom"],
)
def test_period_presets_count_from_today_in_paris(client, agent, data, params, start, end):
    scope, _ = shown(open_dashboard(client, agent, **params))

    assert (scope.start, scope.end) == (start, end)


@pytest.mark.parametrize(
    ("periode", "published"),
    [
        # 24 October 23:30 is the day before the 30 days; the fixture's others are on 10 November.
        ("30-jours", MINE_WITH_CHILDREN),
        ("annee", MINE_WITH_CHILDREN + 1),
        ("annee-precedente", 1),
    ],
)
def test_period_presets_change_the_figures(client, agent, data, periode, published):
    _, figures = shown(open_dashboard(client, agent, periode=periode))

    assert figures.published == published


@pytest.mark.parametrize(
    ("du", "au", "error"),
    [
        ("2026-03-31", "2026-03-01", "La date de fin précède la date de début."),
        ("2026-03-01", "", "Indiquez les deux dates de la période."),
        ("2020-01-01", "2026-03-01", "La période compte au plus cinq ans."),
        ("2026-02-30", "2026-03-01", "Saisissez une date valide."),
    ],
    ids=["end before start", "one date", "more than five years", "no such day"],
)
def test_custom_period_that_cannot_be_is_refused_in_french(client, agent, data, du, au, error):
    response = open_dashboard(client, agent, periode="personnalisee", du=du, au=au)

    page = page_text(response)
    assert error in page
    assert FALLBACK in page
    scope, _ = shown(response)
    assert (scope.start, scope.end) == (datetime.date(2026, 10, 25), TODAY)


# --- The scope ----------------------------------------------------------------------------------


def test_children_toggle_changes_the_figures(client, agent, data):
    with_children = open_dashboard(client, agent, filles="oui")
    alone = open_dashboard(client, agent, filles="non")

    scope, figures = shown(with_children)
    assert scope.include_children and figures.published == MINE_WITH_CHILDREN
    assert {row.label: row.delays.routings for row in figures.ranking} == {
        "Direction départementale (en propre)": PUBLISHED["mine"],
        "Antenne locale": PUBLISHED["child"],
    }
    assert "Par structure fille" in page_text(with_children)
    scope, figures = shown(alone)
    assert not scope.include_children and figures.published == MINE_ALONE
    assert figures.ranking == []
    page = page_text(alone)
    assert "Direction départementale (seule)" in page
    assert "Par structure fille" not in page


def test_agent_can_open_a_child_structure(client, agent, data):
    scope, figures = shown(open_dashboard(client, agent, structure=data["child"].code))

    assert scope.structure == data["child"]
    assert figures.published == PUBLISHED["child"]


@pytest.mark.parametrize("target", ["sibling", "root", "foreign", "unknown"])
def test_agent_cannot_open_a_structure_outside_their_scope(client, agent, data, target):
    code = "NOPE-1" if target == "unknown" else data[target].code

    response = open_dashboard(client, agent, structure=code)

    page = page_text(response)
    # The same refusal whether the code exists elsewhere or not at all.
    assert NOT_IN_SCOPE in page
    assert FALLBACK in page
    scope, figures = shown(response)
    assert scope.structure == data["mine"]
    assert figures.published == MINE_WITH_CHILDREN


@pytest.mark.parametrize(
    "params",
    [
        {"structure": "{sibling}"},
        {"structure": "{root}", "filles": "oui"},
        {"structure": "{foreign}", "filles": "non"},
        {"structure": " {sibling} "},
        {"reseau": "{root_network}"},
        {"reseau": "{foreign_network}"},
        {"reseau": "{root_network}", "structure": "{sibling}"},
        {"reseau": "not a number"},
        {"structure": "{sibling}", "periode": "annee"},
    ],
)
@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPER_AGENT, Role.EVALUATOR, Role.REFERENT])
def test_agent_never_sees_another_scopes_figures_by_editing_the_url(client, data, role, params):
    user = member(data["mine"], role)
    values = {
        **{name: data[name].code for name in PUBLISHED},
        "root_network": data["root"].network_id,
        "foreign_network": data["foreign"].network_id,
    }

    response = open_dashboard(client, user, **{name: value.format(**values) for name, value in params.items()})

    scope, figures = shown(response)
    assert scope.network is None
    assert scope.structure == data["mine"]
    # Mine and its child only, over the preset period: nothing of the sibling's, the root's or abroad.
    assert figures.published in (MINE_ALONE, MINE_WITH_CHILDREN, MINE_WITH_CHILDREN + 1)
    page = page_text(response)
    assert FALLBACK in page
    for other in ("sibling", "root", "foreign"):
        assert data[other].name not in page
        assert data[other].network.name not in page


def test_agent_cannot_ask_for_a_network(client, agent, data):
    response = open_dashboard(client, agent, reseau=data["root"].network_id)

    page = page_text(response)
    assert FALLBACK in page
    scope, figures = shown(response)
    assert (scope.structure, scope.network) == (data["mine"], None)
    assert figures.published == MINE_WITH_CHILDREN
    # An agent is not offered the network choice at all.
    assert 'name="reseau"' not in page


# --- What the page shows ------------------------------------------------------------------------

SECTIONS = {
    # section id: (heading, charts, tables)
    "published": ("Expériences publiées", 1, 1),
    "delays": ("Délais de réponse", 1, 2),  # the ranking by breach of the target only shows lines with one
    "sources": ("Sources des expériences", 1, 1),
    "quality": ("Qualité de service : le ressenti des usagers", 1, 1),
    "channels": ("Canaux de contact", 1, 1),
    "tags": ("Tags généraux et tags métier", 2, 2),
    "evaluations": ("Évaluation des réponses et taux de transformation", 1, 1),
    # The improvement actions are three counts: a table, no chart.
    "actions": ("Actions d'amélioration", 0, 1),
}


def sections_of(page: str) -> dict[str, str]:
    found = re.findall(r'<section[^>]*aria-labelledby="section-([a-z_]+)"[^>]*>(.*?)</section>', page, re.DOTALL)
    return dict(found)


@pytest.mark.parametrize("name", SECTIONS)
def test_each_section_has_its_heading_charts_and_tables(client, agent, data, name):
    heading, charts, tables = SECTIONS[name]

    section = sections_of(page_text(open_dashboard(client, agent)))[name]

    assert f'<h2 id="section-{name}">{heading}</h2>' in section
    svgs = re.findall(r"<svg\b[^>]*>", section)
    assert len(svgs) == charts
    for svg in svgs:
        assert 'role="img"' in svg
        assert re.search(r'aria-label="[^"]{10,}"', svg)
    assert section.count("<table>") == tables
    assert section.count("<caption>") == tables


def test_page_has_every_section_in_order(client, agent, data):
    page = page_text(open_dashboard(client, agent))

    assert list(sections_of(page)) == list(SECTIONS)


@pytest.mark.parametrize("key", DEFINITIONS)
def test_each_definition_is_shown_under_its_figure(client, agent, data, key):
    page = page_text(open_dashboard(client, agent))

    assert DEFINITIONS[key] in page


def test_tables_show_the_figures(client, agent, data):
    page = page_text(open_dashboard(client, agent))

    assert "<strong>3</strong> expériences publiées sur la période" in page
    assert "<td>novembre 2026</td><td>3</td>" in page
    assert "<td>octobre 2026</td><td>0</td>" in page
    # Three routings, all answered after 10 hours.
    assert "<td>Orientations (expérience × structure)</td><td>3</td>" in page
    assert "<td>Délai moyen</td><td>10 h 0 min</td>" in page
    assert "<td>Réponse en moins de 48 h</td><td>100,0 % (3)</td>" in page
    assert "<td>Sans réponse</td><td>0,0 % (0)</td>" in page


def test_page_query_count_does_not_grow_with_the_data(client, agent, structure_tree):
    publish(structure_tree["mine"], answered_after=datetime.timedelta(hours=3), full=True)
    publish(structure_tree["child"], full=True)
    open_dashboard(client, agent)
    cache.clear()  # the figures are cached per scope and period: count the queries that compute them
    with CaptureQueriesContext(connection) as few:
        get_dashboard(client)

    for structure in ("mine", "child", "child", "mine", "sibling"):
        for _ in range(4):
            publish(structure_tree[structure], answered_after=datetime.timedelta(days=2), full=True)
    f.StructureFactory(parent=structure_tree["mine"], name="Antenne nouvelle")
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = get_dashboard(client)

    assert shown(response)[1].published == 2 + 16
    assert len(many) == len(few), "\n".join(query["sql"] for query in many.captured_queries)


def test_moderator_page_query_count_does_not_grow_with_the_data(client, moderator, structure_tree):
    publish(structure_tree["mine"], answered_after=datetime.timedelta(hours=3), full=True)
    open_dashboard(client, moderator)
    cache.clear()  # the figures are cached per scope and period: count the queries that compute them
    with CaptureQueriesContext(connection) as few:
        get_dashboard(client)

    for structure in ("mine", "child", "sibling", "foreign", "root"):
        for _ in range(3):
            publish(structure_tree[structure], answered_after=datetime.timedelta(hours=30), full=True)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = get_dashboard(client)

    assert shown(response)[1].published == 16
    assert len(many) == len(few), "\n".join(query["sql"] for query in many.captured_queries)


def test_a_second_reader_within_ten_minutes_gets_the_cached_figures_and_charts(client, moderator, structure_tree):
    f.AssignmentFactory(structure=structure_tree["mine"])
    client.force_login(moderator)
    client.get(reverse("agents:dashboard"))  # per-process caches (sessions, content types)
    with CaptureQueriesContext(connection) as cached, patch("dashboards.charts.delays") as chart:
        assert client.get(reverse("agents:dashboard")).status_code == 200
    chart.assert_not_called()
    cache.clear()
    with CaptureQueriesContext(connection) as computed:
        assert client.get(reverse("agents:dashboard")).status_code == 200
    # The figures' own queries (12 and more) are all that the cached page saves.
    assert len(computed) - len(cached) >= 12


def test_referent_of_one_tree_cannot_open_a_network_spanning_another(client):
    """A network of two trees (« hors réseau »): leading one tree is not leading the network."""
    network = f.NetworkFactory(name="Réseau hors réseau")
    mine = f.StructureFactory(network=network, name="Tête A")
    other = f.StructureFactory(network=network, name="Tête B")
    referent = f.MembershipFactory(structure=mine, role=Role.REFERENT).user
    for _ in range(5):
        f.AssignmentFactory(structure=other)
    response = open_dashboard(client, referent, reseau=network.pk)
    assert response.context["report"].scope.network is None
    assert response.context["report"].data.published == 0


@pytest.mark.parametrize(("du", "au"), [("9999-12-31", "9999-12-31"), ("0001-01-01", "0001-01-02")])
def test_extreme_dates_get_a_french_error_not_a_server_error(client, agent, data, du, au):
    response = open_dashboard(client, agent, periode="personnalisee", du=du, au=au)
    assert response.status_code == 200
    assert "Choisissez des dates à partir du 01/01/2015" in unescape(response.content.decode())
    response = client.get(reverse("agents:dashboard_csv"), {"periode": "personnalisee", "du": du, "au": au})
    assert response.status_code == 200


def test_typed_dates_apply_even_if_the_preset_list_was_left_alone(client, agent, data):
    response = open_dashboard(client, agent, periode="30-jours", du="2026-01-01", au="2026-01-31")
    scope = response.context["report"].scope
    assert (scope.start, scope.end) == (datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))


def test_a_ranking_of_many_children_shows_the_latest_thirty_and_leaves_the_rest_to_the_csv(client, moderator):
    root = f.StructureFactory(name="Tête de réseau")
    for index in range(32):
        child = f.StructureFactory(parent=root, name=f"Maison {index:02d}")
        # The first 16 never answer: they are the latest and must come first.
        publish(child, answered_after=None if index < 16 else datetime.timedelta(hours=index))
    response = open_dashboard(client, moderator, structure=root.code)

    text = unescape(response.content.decode())
    assert len(response.context["report"].data.ranking) == 32
    assert "Les 2 autres lignes, moins en retard, figurent dans l'export CSV." in text
    assert all(f"Maison {index:02d}" in text for index in range(16))
    assert "Maison 16" not in text and "Maison 17" not in text  # the two quickest to answer
    csv_text = client.get(reverse("agents:dashboard_csv") + f"?structure={root.code}").content.decode()
    assert "Maison 16" in csv_text and "Maison 17" in csv_text
