"""What users said beside the self-scores: the dashboard's figures over the 12 months before the diagnostic,
and a plain warning where the team rates itself high and the experiences say otherwise."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from diagnostics import observed
from experiences.models import Feeling, GeneralTag
from structures.models import Role
from tests import factories as f
from tests.diagnostics.helpers import completed

pytestmark = pytest.mark.django_db


def experience(structure, *, days_ago, feeling=Feeling.NEGATIVE, relation=None, answered_after_hours=None):
    published = timezone.now() - datetime.timedelta(days=days_ago)
    item = f.ExperienceFactory(feeling=feeling, published_at=published)
    delay = None if answered_after_hours is None else datetime.timedelta(hours=answered_after_hours)
    first_response = None if delay is None else published + delay
    f.AssignmentFactory(experience=item, structure=structure, first_response_at=first_response)
    if relation is not None:
        f.GeneralTagValueFactory(experience=item, tag=GeneralTag.RELATION, value=relation)
    return item


def test_observed_figures_come_from_the_dashboard_over_the_twelve_months_before(structure_tree):
    mine, child = structure_tree["mine"], structure_tree["child"]
    experience(mine, days_ago=10, relation=Feeling.NEGATIVE, answered_after_hours=10)
    experience(child, days_ago=100, feeling=Feeling.POSITIVE, answered_after_hours=100)
    experience(mine, days_ago=400, relation=Feeling.NEGATIVE)  # older than 12 months
    experience(structure_tree["sibling"], days_ago=10)  # another structure

    figures = observed.observed_figures(mine, timezone.localdate())

    assert figures["published"] == 2
    assert figures["share_under_72h"] == 50.0
    assert figures["relation_negative"] == 50.0
    assert figures["feelings"] == {"positive": 50.0, "neutral": 0.0, "negative": 50.0}
    assert figures["median_delay_hours"] is not None


def test_high_self_score_against_negative_experiences_is_said_plainly(client, structure_tree):
    mine = structure_tree["mine"]
    for _ in range(observed.MIN_EXPERIENCES):
        experience(mine, days_ago=20, relation=Feeling.NEGATIVE, answered_after_hours=200)
    diagnostic = completed(mine)
    evaluator = f.MembershipFactory(structure=mine, role=Role.EVALUATOR).user
    client.force_login(evaluator)

    page = html.unescape(client.get(reverse("agents:diagnostic", args=[diagnostic.pk])).content.decode())

    said = observed.disagreements(diagnostic.results)
    assert set(said) == {observed.COURTESY, observed.ANSWERS, "overall"}
    assert "seules 0 % des expériences ont reçu une réponse en moins de 72 h" in page
    assert "100 % des expériences portent le tag « Relation » en négatif" in page


def test_too_few_experiences_give_figures_but_no_verdict(structure_tree):
    experience(structure_tree["mine"], days_ago=20, relation=Feeling.NEGATIVE)
    diagnostic = completed(structure_tree["mine"])

    assert diagnostic.results["observed"]["published"] == 1
    assert observed.disagreements(diagnostic.results) == {}
