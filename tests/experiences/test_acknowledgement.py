"""A citizen who shares gets an acknowledgement e-mail: the experience's number and what happens next."""

import pytest
from django.core import mail

from experiences.models import Experience
from notifications.models import OutboxEmail
from tests.experiences.test_share import SHARE_URL, prefecture, valid_data  # noqa: F401

pytestmark = pytest.mark.django_db

SITE_URL = "https://spplus.example.gouv.fr"
HOSTILE_TITLE = "<script>alert(1)</script> L'accueil & moi"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


def share(client, capture, prefecture, **overrides):  # noqa: F811
    with capture(execute=True):
        response = client.post(SHARE_URL, valid_data(prefecture, **overrides))
    assert response.status_code == 302
    return list(mail.outbox)


def html_of(email) -> str:
    ((html, mimetype),) = email.alternatives
    assert mimetype == "text/html"
    return html


def test_citizen_who_shares_receives_the_experience_number_and_what_happens_next(
    client,
    prefecture,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    (email,) = share(client, django_capture_on_commit_callbacks, prefecture)

    number = str(Experience.objects.get().public_id)
    assert email.to == ["camille@example.org"]
    assert email.subject == f"Nous avons bien reçu votre expérience n° {number}"
    for part in (email.body, html_of(email)):
        assert "Bonjour Camille75" in part
        assert number in part
        assert "modération" in part and "publiée" in part and "réponse" in part
        assert f"{SITE_URL}/charte-de-moderation/" in part


def test_acknowledgement_carries_no_link_that_acts_for_the_author(
    client,
    prefecture,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    (email,) = share(client, django_capture_on_commit_callbacks, prefecture)

    links = [word for word in email.body.split() if "://" in word]
    assert links and all(link.rstrip("/).").endswith(("charte-de-moderation", SITE_URL)) for link in links)


def test_acknowledgement_is_sent_only_after_the_experience_is_committed(
    client,
    prefecture,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(SHARE_URL, valid_data(prefecture))

        assert mail.outbox == []
    assert OutboxEmail.objects.filter(kind="experience_received", to="camille@example.org").count() == 1
    assert callbacks


def test_hostile_title_is_escaped_in_html_and_plain_in_text(
    client,
    prefecture,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    (email,) = share(client, django_capture_on_commit_callbacks, prefecture, title=HOSTILE_TITLE)

    assert HOSTILE_TITLE in email.body
    assert "&lt;" not in email.body and "&amp;" not in email.body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; L&#x27;accueil &amp; moi" in html_of(email)
    assert "<script" not in html_of(email)


def test_second_click_and_robots_get_no_acknowledgement(
    client,
    prefecture,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    share(client, django_capture_on_commit_callbacks, prefecture, token="same-form")
    share(client, django_capture_on_commit_callbacks, prefecture, token="same-form")
    share(client, django_capture_on_commit_callbacks, prefecture, website="http://spam.example")

    assert len(mail.outbox) == 1
