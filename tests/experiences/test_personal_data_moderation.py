"""Personal data flagged at moderation: stored with the text, counted and filtered in the queue, highlighted
on the moderation page and removed one span at a time through the text edit."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.urls import reverse

from common.personal_data import BENEFIT, KIND_LABELS, PHONE, TAX_NUMBER, detect
from experiences.models import Experience, ExperienceEdit, ModerationState
from experiences.services.moderation import ModerationRefused, edit_experience_text, remove_personal_data
from experiences.services.submission import ServiceUsed, submit_experience
from tests import factories as f
from tests.experiences.test_moderation_admin import QUEUE, page
from tests.helpers import admin_form_data

pytestmark = pytest.mark.django_db

PLANTED = "Appelez-moi au 06 12 34 56 78, mon numéro de sécu est 1 85 05 78 006 084 91."


def remove_url(experience) -> str:
    return reverse("admin:experiences_experiencetomoderate_remove_personal_data", args=[experience.pk])


@pytest.fixture
def flagged():
    return f.ExperienceFactory(
        moderation_state=ModerationState.SUBMITTED, title="Accueil CAF", description=PLANTED, personal_data_flags=2
    )


def shared(description: str) -> Experience:
    experience = submit_experience(
        title="Accueil au guichet",
        description=description,
        feeling="negative",
        author_type="concerned",
        services=[ServiceUsed(typology=f.TypologyFactory())],
        pseudonym="Camille",
        author_email="camille@example.org",
    )
    return Experience.objects.get(pk=experience.pk)


def test_a_shared_experience_stores_its_count_of_personal_data():
    assert shared(PLANTED).personal_data_flags == 2


def test_an_edited_text_recounts_its_personal_data(moderator, flagged):
    edit_experience_text(experience=flagged, by=moderator, title="Accueil CAF", description="Plus rien ici.")
    flagged.refresh_from_db()
    assert flagged.personal_data_flags == 0


def test_queue_shows_the_count_and_filters_on_it(moderator_client, flagged):
    clean = f.ExperienceFactory(moderation_state=ModerationState.SUBMITTED, description="Rien à signaler.")
    response = moderator_client.get(QUEUE)
    assert '<td class="field-flags">2</td>' in response.content.decode()
    assert list(moderator_client.get(QUEUE, {"donnees_personnelles": "oui"}).context["cl"].result_list) == [flagged]
    assert list(moderator_client.get(QUEUE, {"donnees_personnelles": "non"}).context["cl"].result_list) == [clean]


def test_moderation_page_highlights_each_span_with_its_kind(moderator_client, flagged):
    content = moderator_client.get(page(flagged)).content.decode()
    assert '<mark title="numéro de téléphone">06 12 34 56 78</mark>' in content
    assert '<mark title="numéro de sécurité sociale">1 85 05 78 006 084 91</mark>' in content
    assert content.count("remplacer par [supprimé]") == 2
    # The buttons post a form of their own, after the moderation form: Enter in a field still saves.
    assert content.count('form="personal-data-removal" name="span"') == 2
    removal_form = content.index(
        f'<form id="personal-data-removal" method="post"\n      action="{remove_url(flagged)}">'
    )
    assert removal_form > content.index("</form>", content.index('id="experiencetomoderate_form"'))
    assert "csrfmiddlewaretoken" in content[removal_form:]


def test_the_highlighted_text_is_escaped(moderator_client):
    experience = f.ExperienceFactory(
        moderation_state=ModerationState.SUBMITTED,
        description='<script>alert(1)</script> écrivez à <b>moi@exemple.fr</b> <img src=x onerror="x">',
    )
    content = moderator_client.get(page(experience)).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "<b>moi@exemple.fr" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert '<mark title="adresse e-mail">moi@exemple.fr</mark>' in content


def test_one_click_replaces_one_span_and_keeps_the_original_in_the_history(moderator_client, moderator, flagged):
    phone = next(span for span in detect(PLANTED) if span.kind == PHONE)
    data = admin_form_data(moderator_client.get(page(flagged)))
    data["span"] = f"description:{phone.start}:{phone.end}"

    response = moderator_client.post(remove_url(flagged), data)

    assert response.status_code == 302 and response["Location"] == page(flagged)
    flagged.refresh_from_db()
    assert flagged.description.startswith("Appelez-moi au [supprimé], mon numéro de sécu")
    assert flagged.personal_data_flags == 1
    edit = ExperienceEdit.objects.get(experience=flagged)
    assert (edit.field, edit.before, edit.edited_by) == ("description", PLANTED, moderator)


def test_announced_tax_and_benefit_numbers_are_counted_highlighted_and_removed(moderator_client, moderator):
    text = "Mon numéro fiscal : 0123456789012 et mon n° allocataire 1234567 (dossier 2023-045678)."
    experience = shared(text)
    assert experience.personal_data_flags == 2
    content = moderator_client.get(page(experience)).content.decode()
    assert '<mark title="numéro fiscal">0123456789012</mark>' in content
    assert f'<mark title="{KIND_LABELS[BENEFIT]}">1234567</mark>'.replace("'", "&#x27;") in content
    assert content.count("remplacer par [supprimé]") == 2

    benefit = next(span for span in detect(text) if span.kind == BENEFIT)
    data = admin_form_data(moderator_client.get(page(experience)))
    data["span"] = f"description:{benefit.start}:{benefit.end}"
    moderator_client.post(remove_url(experience), data)

    experience.refresh_from_db()
    assert experience.description == text[: benefit.start] + "[supprimé]" + text[benefit.end :]
    assert experience.personal_data_flags == 1
    assert [span.kind for span in detect(experience.description)] == [TAX_NUMBER]


@pytest.mark.parametrize("span", ["description:0:5", "description:x:y", "pseudonym:0:6", ""])
def test_offsets_that_are_not_a_flagged_span_remove_nothing(moderator_client, flagged, span):
    response = moderator_client.post(remove_url(flagged), {"span": span}, follow=True)
    assert "Donnée non supprimée" in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.description == PLANTED
    assert not ExperienceEdit.objects.filter(experience=flagged).exists()


def test_removal_needs_a_post_with_the_csrf_token(client, moderator, flagged):
    csrf_client = client.__class__(enforce_csrf_checks=True)
    csrf_client.force_login(moderator)
    assert csrf_client.post(remove_url(flagged), {"span": "description:15:29"}).status_code == 403
    assert csrf_client.get(remove_url(flagged)).status_code == 405
    flagged.refresh_from_db()
    assert flagged.description == PLANTED


def test_only_moderators_remove_personal_data(client, flagged):
    staff = f.UserFactory(is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(codename__in=["view_experiencetomoderate", "change_experiencetomoderate"])
    )
    client.force_login(staff)
    response = client.post(remove_url(flagged), {"span": "description:15:29"}, follow=True)
    assert "Seuls les modérateurs" in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.description == PLANTED
    with pytest.raises(ModerationRefused):
        remove_personal_data(experience=flagged, by=staff, field="description", start=15, end=29)


def test_a_citizen_cannot_reach_the_removal(client, flagged):
    client.force_login(f.UserFactory())
    response = client.post(remove_url(flagged), {"span": "description:15:29"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_migration_counts_only_the_experiences_still_waiting():
    waiting = f.ExperienceFactory(moderation_state=ModerationState.SUBMITTED, description=PLANTED)
    sent_back = f.ExperienceFactory(moderation_state=ModerationState.TO_MODIFY, description="Mme Durand")
    published = f.ExperienceFactory(moderation_state=ModerationState.PUBLISHED, description=PLANTED)

    import_module("experiences.migrations.0026_count_personal_data_of_waiting_experiences").count_waiting(apps, None)

    counts = [Experience.objects.get(pk=e.pk).personal_data_flags for e in (waiting, sent_back, published)]
    assert counts == [2, 1, 0]
