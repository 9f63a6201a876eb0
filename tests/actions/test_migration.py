"""Improvement actions moved from experiences to their own app without losing an action, a link or a grant.

The migrations are state only over the same tables; these tests take a database back to before them,
write actions and links with the models as they were, and migrate forward again.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from actions.models import ImprovementAction
from experiences.models import ImprovementActionLink
from tests.factories import ExperienceFactory, StructureFactory, UserFactory
from tests.migrations import latest, migrate

BEFORE = [("experiences", "0019_move_dashboard_models_out")]

pytestmark = pytest.mark.postgres


@pytest.fixture
def rows(db):
    """Written with today's models, before the database goes back: later columns cannot be written after."""
    return StructureFactory(), UserFactory(), ExperienceFactory(), ExperienceFactory()


@pytest.fixture
def old_apps(rows):
    """The models as they were before the move; the test migrates forward again whatever happens."""
    executor = migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    migrate(latest())
    ContentType.objects.clear_cache()


def test_actions_and_their_links_survive_the_move(rows, old_apps):
    structure, author, first, second = rows
    OldAction = old_apps.get_model("experiences", "ImprovementAction")
    engaged = OldAction.objects.create(
        structure_id=structure.pk,
        title="Horaires affichés",
        description="À l'entrée.",
        engaged_on=datetime.date(2026, 1, 5),
        created_by_id=author.pk,
    )
    done = OldAction.objects.create(
        structure_id=structure.pk,
        title="Rappel par SMS",
        description="La veille du rendez-vous.",
        status="done",
        engaged_on=datetime.date(2026, 1, 5),
        done_on=datetime.date(2026, 2, 1),
        is_public=True,
    )
    engaged.experiences.add(first.pk, second.pk)
    done.experiences.add(second.pk)

    migrate(latest())

    assert list(ImprovementAction.objects.order_by("pk").values_list("pk", "title", "status", "created_by")) == [
        (engaged.pk, "Horaires affichés", "engaged", author.pk),
        (done.pk, "Rappel par SMS", "done", None),
    ]
    assert set(ImprovementActionLink.objects.values_list("improvementaction", "experience")) == {
        (engaged.pk, first.pk),
        (engaged.pk, second.pk),
        (done.pk, second.pk),
    }
    assert list(ImprovementAction.objects.get(pk=done.pk).experiences.all()) == [second]
    assert set(second.improvement_actions.values_list("pk", flat=True)) == {engaged.pk, done.pk}


def test_the_content_type_and_its_permissions_follow_the_model(old_apps):
    # Migrating back put the content type under experiences, where a database made before the move has it.
    content_type = ContentType.objects.get(app_label="experiences", model="improvementaction")
    permissions = set(Permission.objects.filter(content_type=content_type).values_list("pk", flat=True))

    migrate(latest())

    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(ImprovementAction).pk == content_type.pk
    assert len(permissions) == 4
    assert set(Permission.objects.filter(content_type__app_label="actions").values_list("pk", flat=True)) == (
        permissions
    )
