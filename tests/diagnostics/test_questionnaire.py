"""The questionnaire as data: loaded by a migration, frozen once used, copied to a new version to change."""

import pytest
from django.urls import reverse

from common.exceptions import Refused
from diagnostics import services
from diagnostics.models import Question, QuestionnaireVersion
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_migration_loads_a_published_questionnaire_over_the_nine_commitments():
    version = services.current_version()

    assert version.number == 1
    assert set(version.questions.values_list("commitment", flat=True)) == set(range(1, 10))
    assert 36 <= version.questions.count() <= 72
    assert version.questions.filter(concerns_network=True).exists()


def test_every_question_has_a_help_text():
    assert not Question.objects.filter(help_text="").exists()


def test_unused_version_can_be_edited():
    question = services.current_version().questions.first()
    question.text = "Nouvelle formulation ?"

    question.save()


def test_used_version_is_frozen():
    f.DiagnosticFactory()
    question = services.current_version().questions.first()
    question.text = "Nouvelle formulation ?"

    with pytest.raises(Refused):
        question.save()
    with pytest.raises(Refused):
        question.delete()


def test_copy_makes_an_editable_unpublished_version_with_the_same_questions():
    version = services.current_version()
    f.DiagnosticFactory()

    copy = services.copy_version(version=version, by=None)

    assert not copy.is_published and not copy.is_frozen
    assert list(copy.questions.values_list("key", "text")) == list(version.questions.values_list("key", "text"))
    assert services.current_version() == version


def test_moderator_copies_a_version_from_the_admin(client):
    moderator = f.ModeratorFactory()
    client.force_login(moderator)
    version = services.current_version()

    response = client.post(
        reverse("admin:diagnostics_questionnaireversion_changelist"),
        {"action": "copy_to_new_version", "_selected_action": [version.pk]},
    )

    copy = QuestionnaireVersion.objects.get(number=2)
    assert response.status_code == 302
    assert copy.questions.count() == version.questions.count()


def test_frozen_version_shows_its_questions_read_only_in_the_admin(admin_client):
    diagnostic = f.DiagnosticFactory()

    response = admin_client.get(reverse("admin:diagnostics_questionnaireversion_change", args=[diagnostic.version.pk]))

    assert response.status_code == 200
    assert b'name="questions-0-text"' not in response.content
