"""Admin page titles read as French sentences, with the noun's article and gender."""

import pytest
from django.urls import reverse

from experiences.models import ExperienceToModerate, ModerationState
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def _title(response) -> str:
    return response.context["title"]


def test_moderation_page_title_reads_as_french(moderator_client):
    experience = f.ExperienceFactory(moderation_state=ModerationState.SUBMITTED)
    page = moderator_client.get(reverse("admin:experiences_experiencetomoderate_change", args=[experience.pk]))
    assert _title(page) == "Modifier l'expérience à modérer"
    assert "Modification de expérience" not in page.content.decode()
    assert ExperienceToModerate.objects.count() == 1


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("admin:structures_structure_changelist", "Choisir une structure à modifier"),
        ("admin:structures_network_changelist", "Choisir un réseau à modifier"),
        ("admin:structures_network_add", "Ajouter un réseau"),
        ("admin:structures_membership_add", "Ajouter une habilitation"),
        ("admin:notifications_outboxemail_changelist", "Choisir un e-mail à modifier"),
    ],
)
def test_list_and_add_titles_agree_with_the_noun(moderator_client, url, title):
    assert _title(moderator_client.get(reverse(url))) == title


def test_add_button_agrees_with_the_noun(moderator_client):
    page = moderator_client.get(reverse("admin:structures_network_changelist")).content.decode()
    assert "Ajouter un réseau" in page


def test_read_only_page_says_consult(moderator_client, superuser):
    page = moderator_client.get(reverse("admin:accounts_user_change", args=[superuser.pk]))
    assert _title(page) == "Consulter l'utilisateur"


def test_moderation_queue_keeps_its_own_title(moderator_client):
    page = moderator_client.get(reverse("admin:experiences_experiencetomoderate_changelist"))
    assert _title(page).startswith("File de modération : 0 expérience à modérer")
