"""One source for the citizens who came without a tracking link: « direct », whatever wrote it."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from dashboards.selectors.figures import DashboardScope, dashboard
from dashboards.services.rollup import refresh_rollup
from experiences.models import Experience, ModerationState
from experiences.services.submission import ServiceUsed, submit_experience
from experiences.sources import canonical_source
from tests import factories as f

pytestmark = pytest.mark.django_db

OLD_SPELLINGS = ["Accès direct", "", "direct", " accès  DIRECT "]
QUEUE = reverse("admin:experiences_experiencetomoderate_changelist")
migration = importlib.import_module("experiences.migrations.0017_one_spelling_for_direct_source")


def test_canonical_source_keeps_tracked_sources_and_merges_direct():
    assert [canonical_source(s) for s in [*OLD_SPELLINGS, "Direct"]] == ["direct"] * 5
    assert canonical_source("  qr-code  ") == "qr-code"
    assert canonical_source("Bannière " + "x" * 200) == ("Bannière " + "x" * 200)[:100]


@pytest.mark.parametrize("posted", ["Accès direct", "", "  DIRECT"])
def test_a_shared_experience_stores_direct_however_it_came(posted):
    experience = submit_experience(
        title="Accueil au guichet",
        description="Très bon accueil au guichet ce matin, merci à l'agent pour ses explications claires.",
        feeling="positive",
        author_type="concerned",
        services=[ServiceUsed(typology=f.TypologyFactory())],
        pseudonym="Camille",
        author_email="camille@example.org",
        source=posted,
    )
    assert experience.source == "direct"


def test_migration_gives_existing_experiences_one_spelling_of_direct():
    experiences = [f.ExperienceFactory(source=source) for source in [*OLD_SPELLINGS, "banniere"]]

    migration.normalise_direct(apps, None)

    sources = [Experience.objects.get(pk=e.pk).source for e in experiences]
    assert sources == ["direct", "direct", "direct", "direct", "banniere"]


def test_moderation_queue_filter_offers_direct_once(client, moderator):
    for source in OLD_SPELLINGS:
        f.ExperienceFactory(source=source, moderation_state=ModerationState.SUBMITTED)
    migration.normalise_direct(apps, None)
    client.force_login(moderator)

    response = client.get(QUEUE)

    (source_filter,) = [spec for spec in response.context["cl"].filter_specs if spec.title == "source"]
    assert source_filter.lookup_choices == [("direct", "accès direct")]
    assert client.get(QUEUE, {"source": "direct"}).context["cl"].result_count == 4


def published_with_sources(sources: list[str]) -> DashboardScope:
    structure = f.StructureFactory()
    for source in sources:
        f.AssignmentFactory(experience=f.ExperienceFactory(source=source), structure=structure)
    today = timezone.localdate()
    return DashboardScope(start=today - datetime.timedelta(days=7), end=today, structure=structure)


def test_dashboard_counts_every_spelling_of_direct_as_one():
    scope = published_with_sources([*OLD_SPELLINGS, "qr-code"])
    assert dashboard(scope).sources == [("direct", 4), ("qr-code", 1)]


@pytest.mark.postgres
def test_dashboard_days_consolidated_before_the_migration_count_direct_once():
    scope = published_with_sources(OLD_SPELLINGS)
    assert refresh_rollup(full=True) > 0  # yesterday's figures, with the old spellings, in the rollup
    migration.normalise_direct(apps, None)

    assert dashboard(scope).sources == [("direct", 4)]
