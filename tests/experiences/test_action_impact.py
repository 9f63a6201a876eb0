"""The measured effect of a done improvement action: the figures before and after, counted by hand."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from actions.models import ImprovementActionStatus
from experiences.models import Feeling, GeneralTag
from experiences.selectors.action_impact import action_impact, cached_action_impact
from structures.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
TODAY = datetime.date(2026, 3, 3)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 3, 3, 12, 0, tzinfo=PARIS), tick=False):
        yield


def experience(structure, typology, published: datetime.date, feeling, negative_tags=()):
    item = f.ExperienceFactory(
        published_at=datetime.datetime.combine(published, datetime.time(10), tzinfo=PARIS), feeling=feeling
    )
    f.ExperienceTypologyFactory(experience=item, typology=typology)
    f.AssignmentFactory(experience=item, structure=structure)
    for tag in negative_tags:
        f.GeneralTagValueFactory(experience=item, tag=tag, value=Feeling.NEGATIVE)
    return item


@pytest.fixture
def done_action(structure_tree):
    """Engaged on 1 January, done on 1 February: 30 days after it by 3 March, so 30 days before it too."""
    mine = structure_tree["mine"]
    desk, phone = f.TypologyFactory(name="Accueil"), f.TypologyFactory(name="Téléphone")
    before, after = datetime.date(2025, 12, 15), datetime.date(2026, 2, 20)
    experience(mine, desk, before, Feeling.NEGATIVE, [GeneralTag.RELATION])
    experience(structure_tree["child"], desk, before, Feeling.NEGATIVE, [GeneralTag.RELATION])  # the subtree counts
    experience(mine, desk, before, Feeling.NEGATIVE)
    experience(mine, desk, before, Feeling.POSITIVE)
    experience(mine, phone, before, Feeling.NEGATIVE)  # another typology
    experience(structure_tree["sibling"], desk, before, Feeling.NEGATIVE)  # another structure
    experience(mine, desk, datetime.date(2025, 11, 20), Feeling.NEGATIVE)  # before the window
    experience(mine, desk, after, Feeling.NEGATIVE, [GeneralTag.RELATION])
    for _ in range(4):
        experience(mine, desk, after, Feeling.POSITIVE)
    action = f.ImprovementActionFactory(
        structure=mine,
        engaged_on=datetime.date(2026, 1, 1),
        done_on=datetime.date(2026, 2, 1),
        status=ImprovementActionStatus.DONE,
        is_public=True,
    )
    origin = experience(mine, desk, datetime.date(2026, 1, 10), Feeling.NEGATIVE)  # during the action
    action.experiences.add(origin)
    return action


def test_impact_compares_equal_windows_before_engagement_and_after_completion(done_action):
    impact = action_impact(done_action, TODAY)

    assert (impact.before.start, impact.before.end) == (datetime.date(2025, 12, 2), datetime.date(2025, 12, 31))
    assert (impact.after.start, impact.after.end) == (datetime.date(2026, 2, 2), datetime.date(2026, 3, 3))
    assert impact.typologies == ["Accueil"]
    assert (impact.before.count, impact.before.negative) == (4, 3)
    assert (impact.after.count, impact.after.negative) == (5, 1)
    assert impact.before.negative_share == 75
    assert impact.after.negative_share == 20
    assert impact.difference == -55
    (relation,) = impact.tags
    assert (relation.label, relation.before, relation.after) == ("Relation", 2, 1)
    assert relation.difference == pytest.approx(20 - 50)
    assert not impact.enough


def test_an_action_not_done_has_no_impact_yet(structure_tree):
    action = f.ImprovementActionFactory(structure=structure_tree["mine"])
    assert action_impact(action, TODAY) is None


def test_public_page_shows_the_figures_and_the_warning(client, done_action, django_assert_num_queries):
    url = reverse("experiences:action_impact", kwargs={"pk": done_action.pk})
    # the action, its published experiences; the typologies compared, the subtree's ids, the counts, the tags,
    # the typologies' names
    with django_assert_num_queries(7):
        response = client.get(url)
    content = response.content.decode()
    assert "75,0 % (3)" in content and "20,0 % (1)" in content and "−55,0 points" in content
    assert "Trop peu d'expériences pour conclure" in content
    assert "Tag « Relation » négatif" in content
    # The figures are kept: the action, its experiences, and the typologies they rest on (part of the key).
    with django_assert_num_queries(3):
        again = client.get(url).content.decode()
    assert "75,0 % (3)" in again and "−55,0 points" in again
    assert url in client.get(reverse("experiences:actions")).content.decode()


@pytest.mark.parametrize("change", [{"is_public": False}, {"status": ImprovementActionStatus.ENGAGED, "done_on": None}])
def test_public_page_is_404_for_an_unpublished_or_unfinished_action(client, done_action, change):
    for name, value in change.items():
        setattr(done_action, name, value)
    done_action.save()
    assert client.get(reverse("experiences:action_impact", kwargs={"pk": done_action.pk})).status_code == 404


def test_agent_sees_the_impact_on_the_actions_page(client, structure_tree, done_action):
    agent = f.MembershipFactory(structure=structure_tree["mine"], role=Role.AGENT).user
    client.force_login(agent)
    content = client.get(reverse("agents:action_edit", kwargs={"pk": done_action.pk})).content.decode()
    assert "L'effet mesuré de cette action" in content
    assert "−55,0 points" in content


def test_an_action_naming_tags_compares_the_experiences_carrying_them(done_action):
    done_action.general_tags = [GeneralTag.RELATION]
    done_action.save()

    impact = action_impact(done_action, TODAY)

    # Before: the two negatives tagged « Relation »; after: the one.
    assert (impact.before.count, impact.before.negative, impact.after.count, impact.after.negative) == (2, 2, 1, 1)
    assert impact.named_tags == ["Relation"]
    assert [tag.label for tag in impact.tags] == ["Relation"]


def test_kept_figures_follow_an_edit_of_the_action_at_once(done_action):
    assert cached_action_impact(done_action, TODAY).before.count == 4

    done_action.general_tags = [GeneralTag.RELATION]
    done_action.save()

    assert cached_action_impact(done_action, TODAY).before.count == 2


def test_kept_figures_follow_a_newly_linked_experience_at_once(done_action, structure_tree):
    assert cached_action_impact(done_action, TODAY).typologies == ["Accueil"]

    phone = done_action.structure.assignments.get(experience__typologies__typology__name="Téléphone").experience
    done_action.experiences.add(phone)

    impact = cached_action_impact(done_action, TODAY)
    assert impact.typologies == ["Accueil", "Téléphone"] and impact.before.count == 5


def test_agent_names_the_tags_an_action_aims_at(client, structure_tree, done_action):
    agent = f.MembershipFactory(structure=structure_tree["mine"], role=Role.AGENT).user
    client.force_login(agent)
    url = reverse("agents:action_edit", kwargs={"pk": done_action.pk})
    data = {
        "structure": done_action.structure.code,
        "title": done_action.title,
        "description": done_action.description,
        "status": "done",
        "engaged_on": "2026-01-01",
        "done_on": "2026-02-01",
        "general_tags": [GeneralTag.RELATION, GeneralTag.REACTIVITY],
    }
    assert client.post(url, data).status_code == 302
    done_action.refresh_from_db()
    assert done_action.general_tags == [GeneralTag.REACTIVITY, GeneralTag.RELATION]
    assert 'value="relation" checked' in client.get(url).content.decode()
