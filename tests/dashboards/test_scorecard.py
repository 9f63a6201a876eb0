"""Public scorecards: a structure's 12 months beside its siblings', counted by hand, live and from the rollup."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from dashboards.selectors.scorecard import network_ranking, network_scorecard, structure_scorecard
from dashboards.services.rollup import refresh_rollup
from experiences.models import Feeling, ResponseStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
TODAY = datetime.date(2026, 3, 15)
HOUR = datetime.timedelta(hours=1)
JANUARY, FEBRUARY, MARCH = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 3, 15, 12, 0, tzinfo=PARIS), tick=False):
        yield


def routed(structure, published: datetime.datetime, feeling=Feeling.POSITIVE, answered_after=None):
    assignment = f.AssignmentFactory(
        structure=structure,
        experience__published_at=published,
        experience__feeling=feeling,
        response_status=ResponseStatus.ANSWERED if answered_after is not None else ResponseStatus.AWAITING,
    )
    if answered_after is not None:
        assignment.first_response_at = published + answered_after
        assignment.save()
    return assignment


def day(month: datetime.date, day_of_month: int = 10) -> datetime.datetime:
    return datetime.datetime(month.year, month.month, day_of_month, 10, 0, tzinfo=PARIS)


@pytest.fixture
def family():
    """A parent with the structure, two siblings of its typology, one of another typology, and a child."""
    parent = f.StructureFactory(name="Direction")
    typology = f.TypologyFactory(network=parent.network)
    mine = f.StructureFactory(parent=parent, name="Agence B", typology=typology)
    first = f.StructureFactory(parent=parent, name="Agence A", typology=typology)
    second = f.StructureFactory(parent=parent, name="Agence C", typology=typology)
    other = f.StructureFactory(parent=parent, name="Autre typologie")
    child = f.StructureFactory(parent=mine, name="Antenne")
    structures = {"parent": parent, "mine": mine, "first": first, "second": second, "other": other, "child": child}
    for structure in structures.values():
        structure.refresh_from_db()
    # mine, January: 10 h and 30 h answers, one unanswered (two negatives); one of them through its child.
    routed(mine, day(JANUARY), Feeling.POSITIVE, 10 * HOUR)
    routed(child, day(JANUARY, 11), Feeling.NEGATIVE, 30 * HOUR)
    routed(mine, day(JANUARY, 12), Feeling.NEGATIVE)
    # mine, February: one neutral answered in 5 h; a year and more ago: out of the 12 months.
    routed(mine, day(FEBRUARY), Feeling.NEUTRAL, 5 * HOUR)
    routed(mine, day(datetime.date(2025, 3, 1)), Feeling.NEGATIVE)
    # The siblings in January: first answers both positives in 4 h and 8 h, second leaves a negative waiting.
    routed(first, day(JANUARY), Feeling.POSITIVE, 4 * HOUR)
    routed(first, day(JANUARY, 13), Feeling.POSITIVE, 8 * HOUR)
    routed(second, day(JANUARY), Feeling.NEGATIVE)
    routed(other, day(JANUARY), Feeling.NEGATIVE)  # another typology: no sibling
    return structures


@pytest.fixture(params=["live", "rollup"])
def mode(request):
    if request.param == "rollup":
        if not refresh_rollup(full=True, today=TODAY):
            pytest.skip("the rollup needs PostgreSQL")
    return request.param


def month_of(card_line, month):
    return dict(card_line.months)[month]


def test_structure_scorecard_counts_its_subtree_month_by_month(family, mode):
    card = structure_scorecard(family["mine"], TODAY)

    assert [month for month, _ in card.line.months][0] == datetime.date(2025, 4, 1)
    assert [month for month, _ in card.line.months][-1] == MARCH
    january = month_of(card.line, JANUARY)
    assert (january.published, january.routings, january.answered) == (3, 3, 2)
    assert january.answer_rate == pytest.approx(200 / 3)
    assert january.median_delay == 20 * HOUR  # the middle of 10 h and 30 h
    assert january.positive_share == pytest.approx(100 / 3)
    assert january.negative_share == pytest.approx(200 / 3)
    february = month_of(card.line, FEBRUARY)
    assert (february.published, february.answer_rate, february.median_delay) == (1, 100, 5 * HOUR)
    assert month_of(card.line, MARCH).answer_rate is None
    assert card.line.total.published == 4  # the March 2025 one is out
    assert card.line.total.median_delay == 10 * HOUR  # 5, 10, 30


def test_siblings_are_same_parent_and_typology_with_their_median(family, mode):
    card = structure_scorecard(family["mine"], TODAY)

    assert [line.label for line in card.siblings] == ["Agence A", "Agence C"]
    median = dict(card.sibling_months)[JANUARY]
    assert median.published == 1.5
    assert median.answer_rate == 50  # 100 % and 0 %
    assert median.median_hours == 6  # the first's 4 h and 8 h; the second has no answer
    assert median.positive_share == 50 and median.negative_share == 50
    assert card.sibling_total.answer_rate == 50


def test_network_scorecard_and_ranking(family, mode):
    network = family["parent"].network
    card = network_scorecard(network, TODAY)
    january = month_of(card.line, JANUARY)
    assert (january.published, january.answered, january.routings) == (7, 4, 7)

    ranking, count = network_ranking(network, TODAY)
    assert count == 4
    assert [line.label for line in ranking] == ["Agence A", "Agence B", "Agence C", "Autre typologie"]
    assert ranking[1].total.median_delay == 10 * HOUR


def test_public_structure_page_shows_the_scorecard_and_its_tables(client, family, django_assert_max_num_queries):
    url = reverse("experiences:structure", kwargs={"code": family["mine"].code})
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)  # the scorecard comes from the cache
    content = response.content.decode()
    assert "Le suivi sur 12 mois" in content
    assert "janvier 2026" in content and "66,7 %" in content and "20 h 0 min" in content
    assert "Médiane des structures sœurs" in content
    assert (
        "Agence A" in content
        and "Autre typologie" not in content.split("Le suivi sur 12 mois")[1].split("</section>")[0]
    )


def test_public_network_page_ranks_its_structures(client, family, django_assert_max_num_queries):
    url = reverse("network_scorecard", kwargs={"pk": family["parent"].network_id})
    client.get(url)
    with django_assert_max_num_queries(3):
        response = client.get(url)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ses structures, par taux de réponse puis délai médian" in content
    assert content.index("Agence A") < content.index("Agence B") < content.index("Agence C")


def test_a_structure_without_experiences_shows_an_empty_state(client):
    lonely = f.StructureFactory()
    response = client.get(reverse("experiences:structure", kwargs={"code": lonely.code}))
    assert "Aucune expérience publiée sur les 12 derniers mois." in response.content.decode()


def test_beat_keeps_network_and_large_subtree_scorecards_warm(client, family, django_assert_num_queries):
    from dashboards.services.scorecards import refresh_public_scorecards
    from dashboards.tasks import refresh_public_scorecards_task

    assert refresh_public_scorecards(today=TODAY, min_routings=3) == 3  # the parent's subtree, mine's, the network
    # The page finds its figures: the network and nothing else.
    with django_assert_num_queries(1):
        client.get(reverse("network_scorecard", kwargs={"pk": family["parent"].network_id}))
    assert refresh_public_scorecards_task() >= 1
