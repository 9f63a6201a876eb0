"""The tester panel: sign-up, the signed links (confirm, answer, leave), campaigns, invitations, retention."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from common.ratelimit import PANEL_SIGNUP_RATE
from notifications.models import OutboxEmail
from panel import links, services
from panel.models import Answer, Invitation, Panellist, TestCampaign
from structures.models import Department
from tests.panel.factories import InvitationFactory, PanellistFactory, TestCampaignFactory

pytestmark = pytest.mark.django_db

SIGN_UP_URL = "/usagers-testeurs/"


def sign_up_data(**overrides) -> dict:
    return {
        "email": "camille.testeuse@example.org",
        "age_range": "25-39",
        "department": "33",
        "digital_ease": "parfois",
        "interests": ["courriers", "sites"],
        "availability": "soir",
        "consent": "on",
        **overrides,
    }


def link_in(email: OutboxEmail, path: str) -> str:
    return re.search(rf"https?://[^\s\"<]*{re.escape(path)}[^\s\"<]+/", email.body_text).group(0)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


# Sign-up


def test_visitor_signs_up_and_gets_a_confirmation_link_and_a_leave_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGN_UP_URL, sign_up_data())

    assert response.status_code == 302
    panellist = Panellist.objects.get()
    assert panellist.department_id == "33" and panellist.interests == ",courriers,sites,"
    assert panellist.confirmed_at is None
    email = OutboxEmail.objects.get(kind="panel_confirm")
    assert email.to == "camille.testeuse@example.org"
    assert "/usagers-testeurs/confirmer/" in email.body_text
    assert "/usagers-testeurs/quitter/" in email.body_text
    done = client.get(response["Location"]).content.decode()
    assert "c***@example.org" in done
    assert "camille.testeuse@example.org" not in done


def test_visitor_cannot_sign_up_without_consent_or_profile(client):
    response = client.post(SIGN_UP_URL, sign_up_data(consent="", interests=[], age_range=""))

    assert response.status_code == 400
    content = response.content.decode()
    assert "Votre accord est nécessaire pour rejoindre le panel." in content
    assert "Cochez au moins un type de document ou de démarche." in content
    assert "Choisissez votre tranche d&#x27;âge." in content
    assert not Panellist.objects.exists()


def test_signing_up_again_with_a_confirmed_address_tells_nothing_to_the_visitor(client):
    PanellistFactory(email="deja@example.org")

    response = client.post(SIGN_UP_URL, sign_up_data(email="Deja@example.org"))

    assert response.status_code == 302
    assert Panellist.objects.count() == 1
    assert OutboxEmail.objects.get().kind == "panel_already_member"


def test_honeypot_sign_up_is_answered_like_a_person_and_stores_nothing(client):
    response = client.post(SIGN_UP_URL, sign_up_data(website="http://spam.example"))

    assert response.status_code == 302
    assert not Panellist.objects.exists() and not OutboxEmail.objects.exists()


def test_sign_up_answers_429_past_the_rate(client):
    allowed = int(PANEL_SIGNUP_RATE.split("/")[0])
    for n in range(allowed):
        assert client.post(SIGN_UP_URL, sign_up_data(email=f"t{n}@example.org")).status_code == 302

    refused = client.post(SIGN_UP_URL, sign_up_data(email="encore@example.org"))

    assert refused.status_code == 429
    assert "Vous avez fait trop de demandes" in refused.content.decode()


# Confirmation link


def test_panellist_confirms_with_the_link_by_posting_the_page_and_gets_a_welcome(client):
    panellist = PanellistFactory(confirmed_at=None)
    url = path_of(links.confirm_url(panellist))

    page = client.get(url)
    assert page.status_code == 200 and "Confirmer mon inscription" in page.content.decode()
    panellist.refresh_from_db()
    assert panellist.confirmed_at is None  # opening the link (a mail scanner) confirms nothing

    assert client.post(url).status_code == 200
    panellist.refresh_from_db()
    assert panellist.is_confirmed
    assert OutboxEmail.objects.get().kind == "panel_welcome"
    client.post(url)
    assert OutboxEmail.objects.count() == 1  # a second click is a no-op


def test_confirmation_link_is_refused_after_48_hours(client):
    panellist = PanellistFactory(confirmed_at=None)
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=49)):
        url = path_of(links.confirm_url(panellist))

    response = client.post(url)

    assert response.status_code == 410
    assert "Ce lien a expiré" in response.content.decode()
    panellist.refresh_from_db()
    assert panellist.confirmed_at is None


@pytest.mark.parametrize("kind", ["confirm", "leave", "answer"])
def test_tampered_links_are_refused(client, kind):
    invitation = InvitationFactory()
    url = path_of(
        {"confirm": links.confirm_url, "leave": links.leave_url}[kind](invitation.panellist)
        if kind != "answer"
        else links.answer_url(invitation)
    )
    value, signature = url.rstrip("/").rsplit(":", 1)
    tampered = f"{value}:{signature[:-2]}xx/"

    response = client.post(tampered, {"answer": "oui"})

    assert response.status_code in (400, 404)
    assert Panellist.objects.filter(pk=invitation.panellist_id).exists()
    invitation.refresh_from_db()
    assert invitation.answer == ""


def test_a_token_signed_for_one_link_is_refused_by_another(client):
    panellist = PanellistFactory(confirmed_at=None)
    confirm_token = links.confirm_url(panellist).rstrip("/").rsplit("/", 1)[1]

    response = client.post(reverse("panel:leave", kwargs={"token": confirm_token}))

    assert response.status_code == 404
    assert Panellist.objects.filter(pk=panellist.pk).exists()


# Leaving


def test_panellist_leaves_from_the_link_and_the_profile_and_answers_are_deleted(client):
    invitation = InvitationFactory(answer=Answer.YES)
    panellist = invitation.panellist
    url = path_of(links.leave_url(panellist))

    assert client.get(url).status_code == 200
    assert Panellist.objects.filter(pk=panellist.pk).exists()

    response = client.post(url)

    assert response.status_code == 200
    assert "Vous avez quitté le panel" in response.content.decode()
    assert not Panellist.objects.filter(pk=panellist.pk).exists()
    assert not Invitation.objects.exists()


def test_leave_link_is_refused_when_expired(client):
    panellist = PanellistFactory()
    with time_machine.travel(timezone.now() - links.LEAVE_MAX_AGE - datetime.timedelta(days=1)):
        url = path_of(links.leave_url(panellist))

    assert client.post(url).status_code == 410
    assert Panellist.objects.filter(pk=panellist.pk).exists()


# Campaigns: match count, sample, answers


def test_match_count_follows_every_criterion_and_counts_confirmed_panellists_only():
    gironde = Department.objects.get(code="33")
    PanellistFactory(age_range="60-74", department=gironde, interests=",courriers,")
    PanellistFactory(age_range="60-74", department=gironde, interests=",sites,")
    PanellistFactory(age_range="25-39", department=gironde, interests=",courriers,")
    PanellistFactory(age_range="60-74", interests=",courriers,")  # Paris
    PanellistFactory(age_range="60-74", department=gironde, interests=",courriers,", confirmed_at=None)
    campaign = TestCampaignFactory(age_ranges=",60-74,", interests=",courriers,formulaires,")
    assert services.match_count(campaign) == 2

    campaign.departments.add(gironde)

    assert services.match_count(campaign) == 1


def test_invite_sample_invites_at_most_the_testers_wanted_at_random_and_never_twice(
    django_capture_on_commit_callbacks,
):
    PanellistFactory.create_batch(8)
    campaign = TestCampaignFactory(testers_wanted=3)

    assert services.invite_sample(campaign=campaign, by=campaign.created_by) == 3
    assert services.invite_sample(campaign=campaign, by=campaign.created_by) == 3
    assert services.invite_sample(campaign=campaign, by=campaign.created_by) == 2
    assert services.invite_sample(campaign=campaign, by=campaign.created_by) == 0

    assert campaign.invitations.count() == 8
    assert campaign.invitations.values("panellist").distinct().count() == 8
    invitations = OutboxEmail.objects.filter(kind="panel_invitation")
    assert invitations.count() == 8
    assert all("/usagers-testeurs/invitation/" in e.body_text and "/quitter/" in e.body_text for e in invitations)


def test_sample_is_random():
    PanellistFactory.create_batch(12)
    samples = set()
    for _ in range(6):
        campaign = TestCampaignFactory(testers_wanted=3)
        services.invite_sample(campaign=campaign, by=campaign.created_by)
        samples.add(frozenset(campaign.invitations.values_list("panellist", flat=True)))

    assert len(samples) > 1


def test_panellist_answers_yes_from_the_email_once_and_it_counts_as_activity(client):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=300)):
        panellist = PanellistFactory()
    invitation = InvitationFactory(panellist=panellist)
    url = path_of(links.answer_url(invitation))

    page = client.get(url).content.decode()
    assert invitation.campaign.title in page and "Oui, je participe" in page
    response = client.post(url, {"answer": "oui"})
    assert response.status_code == 302
    client.post(url, {"answer": "non"})

    invitation.refresh_from_db()
    assert invitation.answer == Answer.YES
    assert "Votre réponse est enregistrée" in client.get(url).content.decode()
    invitation.panellist.refresh_from_db()
    assert timezone.now() - invitation.panellist.last_activity_at < datetime.timedelta(minutes=1)


def test_answer_without_a_choice_says_why(client):
    invitation = InvitationFactory()

    response = client.post(path_of(links.answer_url(invitation)), {})

    assert response.status_code == 400
    assert "Choisissez « Oui » ou « Non »." in response.content.decode()


# Retention


def test_unconfirmed_sign_ups_are_purged_after_48_hours_only():
    now = timezone.now()
    old = PanellistFactory(confirmed_at=None, created_at=now - datetime.timedelta(hours=49))
    recent = PanellistFactory(confirmed_at=None, created_at=now - datetime.timedelta(hours=47))
    confirmed = PanellistFactory(created_at=now - datetime.timedelta(days=10))

    assert services.purge_unconfirmed() == 1

    assert set(Panellist.objects.values_list("pk", flat=True)) == {recent.pk, confirmed.pk}
    assert not Panellist.objects.filter(pk=old.pk).exists()


def test_profiles_without_activity_for_24_months_are_purged_with_their_answers():
    now = timezone.now()
    idle = PanellistFactory(last_activity_at=now - datetime.timedelta(days=731))
    InvitationFactory(panellist=idle)
    active = PanellistFactory(last_activity_at=now - datetime.timedelta(days=729))

    assert services.purge_inactive() == 1

    assert list(Panellist.objects.values_list("pk", flat=True)) == [active.pk]
    assert not Invitation.objects.filter(panellist_id=idle.pk).exists()


def test_purge_tasks_are_in_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"panel.purge_unconfirmed", "panel.purge_inactive"} <= tasks


# Privacy in the admin


def test_moderator_sees_match_count_and_yes_answers_but_never_an_email(client, moderator):
    campaign = TestCampaignFactory()
    yes = InvitationFactory(campaign=campaign, answer=Answer.YES, panellist=PanellistFactory(email="oui@example.org"))
    InvitationFactory(campaign=campaign, answer=Answer.NO, panellist=PanellistFactory(email="non@example.org"))
    client.force_login(moderator)

    page = client.get(reverse("admin:panel_testcampaign_change", args=[campaign.pk])).content.decode()
    panellists = client.get(reverse("admin:panel_panellist_changelist")).content.decode()
    profile = client.get(reverse("admin:panel_panellist_change", args=[yes.panellist_id])).content.decode()

    assert "2 (dont 2 déjà invités)" in page
    assert str(yes.panellist) in page and "o***@example.org" in page
    assert "n***@example.org" not in page  # only the yes answers are listed
    for content in (page, panellists, profile):
        assert "oui@example.org" not in content and "non@example.org" not in content


def test_moderator_invites_a_sample_from_the_admin_action(client, moderator):
    PanellistFactory.create_batch(4)
    campaign = TestCampaignFactory(testers_wanted=2)
    client.force_login(moderator)

    response = client.post(
        reverse("admin:panel_testcampaign_changelist"),
        {"action": "invite_sample", "_selected_action": [campaign.pk]},
        follow=True,
    )

    assert "2 usagers testeurs invités" in response.content.decode()
    assert campaign.invitations.count() == 2


def test_tokens_hold_no_email():
    panellist = PanellistFactory(email="secret@example.org")
    for url in (links.confirm_url(panellist), links.leave_url(panellist)):
        assert "secret" not in url and str(panellist.key) in url


def test_answer_link_answers_429_past_the_rate(client):
    from common.ratelimit import PANEL_LINK_RATE

    url = path_of(links.answer_url(InvitationFactory()))
    for _ in range(int(PANEL_LINK_RATE.split("/")[0])):
        assert client.post(url, {}).status_code != 429

    assert client.post(url, {"answer": "oui"}).status_code == 429


def test_privacy_page_says_how_long_a_panellist_is_kept(client):
    content = client.get("/donnees-personnelles/").content.decode()

    assert "dans les 48 heures est effacée" in content
    assert "24 mois est supprimé automatiquement" in " ".join(content.split())


def test_moderator_creates_a_campaign_in_the_admin_and_is_recorded_as_its_author(client, moderator):
    gironde = Department.objects.get(code="33")
    PanellistFactory(department=gironde, age_range="60-74")
    client.force_login(moderator)

    response = client.post(
        reverse("admin:panel_testcampaign_add"),
        {
            "title": "Test du simulateur",
            "subject": "Le simulateur d'aide au logement",
            "description": "Une heure à distance.",
            "starts_on": "01/01/2027",
            "ends_on": "31/01/2027",
            "testers_wanted": "4",
            "age_ranges": ["60-74"],
            "departments": [gironde.pk],
            "interests": [],
            "digital_eases": [],
            "invitations-TOTAL_FORMS": "0",
            "invitations-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    campaign = TestCampaign.objects.get()
    assert campaign.created_by == moderator and campaign.age_ranges == ",60-74,"
    assert services.match_count(campaign) == 1


def test_campaign_ending_before_it_starts_is_refused_in_french(client, moderator):
    client.force_login(moderator)

    response = client.post(
        reverse("admin:panel_testcampaign_add"),
        {
            "title": "Test",
            "subject": "Un courrier",
            "description": "Court.",
            "starts_on": "31/01/2027",
            "ends_on": "01/01/2027",
            "testers_wanted": "4",
            "invitations-TOTAL_FORMS": "0",
            "invitations-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "La fin du test ne peut pas précéder son début." in response.content.decode()
    assert not TestCampaign.objects.exists()


def test_an_ended_campaign_takes_no_more_answers(client):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    invitation = InvitationFactory(
        campaign=TestCampaignFactory(starts_on=yesterday - datetime.timedelta(days=10), ends_on=yesterday)
    )

    response = client.post(path_of(links.answer_url(invitation)), {"answer": "oui"})

    assert "Ce test est terminé" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.answer == ""


def test_signing_up_again_before_confirming_restarts_the_48_hours(client):
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=47)):
        client.post(SIGN_UP_URL, sign_up_data())
    client.post(SIGN_UP_URL, sign_up_data(age_range="60-74"))

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        assert services.purge_unconfirmed() == 0
    assert Panellist.objects.get().age_range == "60-74"
