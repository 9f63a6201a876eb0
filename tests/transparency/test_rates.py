"""The transparency rate per network × department: moderators only on the back-office, open in the API."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from structures.models import Role
from tests.factories import MembershipFactory, StructureFactory
from tests.transparency.factories import ResultFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network_in_two_departments(tree):
    root = tree["root"]
    extra = [StructureFactory(parent=root, insee_department="69") for _ in range(2)]
    ResultFactory(structure=tree["site"], updated_on=datetime.date(2026, 6, 1))  # 69, recent
    ResultFactory(structure=extra[0], updated_on=datetime.date(2026, 6, 1))  # 69, recent
    ResultFactory(structure=tree["other_site"], updated_on=datetime.date(2024, 6, 1))  # 75, too old
    return root.network


@time_machine.travel(datetime.datetime(2026, 12, 1, 12, 0), tick=False)
def test_moderator_reads_the_rate_with_the_two_thirds_goal(client, moderator, network_in_two_departments):
    client.force_login(moderator)
    response = client.get(reverse("agents:transparency_rates"))
    rows = {
        (r.network, r.department): (r.structures, r.publishing, r.meets_threshold) for r in response.context["rates"]
    }
    name = network_in_two_departments.name
    assert rows[(name, "69")] == (3, 2, True)
    assert rows[(name, "75")][1:] == (0, False)  # the root, Nantes: a result older than 12 months does not count
    assert "Objectif du programme : <strong>67 %</strong>" in response.content.decode()


def test_referent_cannot_open_the_rates(client, tree):
    client.force_login(MembershipFactory(structure=tree["root"], role=Role.REFERENT).user)
    assert client.get(reverse("agents:transparency_rates")).status_code == 404


@time_machine.travel(datetime.datetime(2026, 12, 1, 12, 0), tick=False)
def test_the_api_gives_the_rates(client, network_in_two_departments):
    rows = client.get(reverse("transparency:api_rates")).json()
    mine = [row for row in rows if row["network"] == network_in_two_departments.name and row["department"] == "69"]
    assert mine == [
        {
            "network": network_in_two_departments.name,
            "department": "69",
            "structures": 3,
            "publishing": 2,
            "rate": pytest.approx(2 / 3),
            "meets_threshold": True,
        }
    ]
