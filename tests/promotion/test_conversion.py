"""Conversion of the promotion kit: share-form visits counted per source and day, shown with the experiences
shared from each source and the rate in the dashboard's sources section."""

import datetime

import pytest
import time_machine

from dashboards.selectors.conversion import SourceConversion, conversion
from dashboards.selectors.figures import DashboardScope, scope_structures
from experiences.models import ShareVisit
from experiences.services.visits import record_share_visit
from structures.models import Role
from tests import factories as f

SHARE = "/experiences/partager/"
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        yield


@pytest.fixture
def keyed(structure_tree):
    for place, key in (("mine", "CLE-MINE"), ("sibling", "CLE-VOISINE")):
        structure_tree[place].tracking_key = key
        structure_tree[place].save(update_fields=["tracking_key"])
    return structure_tree


def visits() -> dict:
    return {(v.source, v.day): v.visits for v in ShareVisit.objects.all()}


def test_each_opening_of_the_share_form_counts_one_visit_for_its_source_and_day(client, keyed):
    client.get(SHARE, {"source": "CLE-MINE", "canal": "qr-code"})
    client.get(SHARE, {"utm_source": "CLE-MINE"})
    client.get(SHARE)
    assert visits() == {("CLE-MINE", TODAY): 2, ("direct", TODAY): 1}


def test_a_structure_without_key_is_counted_by_its_code(client, keyed):
    client.get(SHARE, {"source": keyed["child"].code})
    assert visits() == {(keyed["child"].code, TODAY): 1}


def test_a_made_up_source_adds_no_row(client, keyed):
    client.get(SHARE, {"source": "n-importe-quoi"})
    assert visits() == {}


def test_a_sent_form_is_not_a_visit(client, keyed):
    client.post(SHARE + "?source=CLE-MINE", {"source": "CLE-MINE", "action": "suggest"})
    assert visits() == {}


def test_visits_are_counted_per_day(keyed):
    record_share_visit(source="CLE-MINE", day=TODAY - datetime.timedelta(days=1))
    record_share_visit(source="CLE-MINE")
    record_share_visit(source="CLE-MINE")
    assert visits() == {("CLE-MINE", TODAY - datetime.timedelta(days=1)): 1, ("CLE-MINE", TODAY): 2}


def shared(source, days_ago=0, **kwargs):
    submitted = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC) - datetime.timedelta(days=days_ago)
    return f.ExperienceFactory(source=source, submitted_at=submitted, **kwargs)


def test_conversion_of_a_structure_counts_its_key_only(keyed):
    for _ in range(4):
        record_share_visit(source="CLE-MINE")
    record_share_visit(source="CLE-VOISINE")
    record_share_visit(source="direct")
    shared("CLE-MINE")
    shared("CLE-MINE", days_ago=40)  # before the period
    shared("CLE-VOISINE")
    scope = DashboardScope(start=TODAY - datetime.timedelta(days=29), end=TODAY, structure=keyed["mine"])
    rows = conversion(start=scope.start, end=scope.end, structures=scope_structures(scope))
    assert rows == [SourceConversion("CLE-MINE", visits=4, shared=1)]
    assert rows[0].rate == 25.0


def test_national_conversion_lists_every_source_and_direct_last(keyed):
    record_share_visit(source="direct")
    record_share_visit(source="CLE-VOISINE")
    rows = conversion(start=TODAY, end=TODAY)
    assert [(r.label, r.visits, r.shared, r.rate) for r in rows] == [
        ("CLE-VOISINE", 1, 0, 0.0),
        ("accès direct", 1, 0, 0.0),
    ]


def test_dashboard_sources_section_shows_visits_shared_and_rate(client, keyed):
    for _ in range(3):
        client.get(SHARE, {"source": "CLE-MINE", "canal": "banniere"})
    shared("CLE-MINE")
    user = f.MembershipFactory(structure=keyed["mine"], role=Role.AGENT).user
    client.force_login(user)
    response = client.get("/agents/tableau-de-bord/")
    assert response.context["report"].data.conversion == [SourceConversion("CLE-MINE", visits=3, shared=1)]
    page = response.content.decode()
    assert "Visites du formulaire et taux de conversion" in page
    assert "<td>CLE-MINE</td><td>3</td><td>1</td><td>33,3 %</td>" in page


def test_sibling_visits_stay_out_of_my_dashboard(client, keyed):
    record_share_visit(source="CLE-VOISINE")
    user = f.MembershipFactory(structure=keyed["mine"], role=Role.AGENT).user
    client.force_login(user)
    response = client.get("/agents/tableau-de-bord/")
    assert response.context["report"].data.conversion == []
    assert "Aucune visite du formulaire de partage" in response.content.decode()
