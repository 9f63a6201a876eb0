"""Business steps of the tester panel: sign up, confirm, leave, match and invite, answer, purge."""

import datetime
import random

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from notifications.services import queue_email
from panel import links
from panel.models import Answer, Invitation, Panellist, TestCampaign, decode_codes, encode_codes

UNCONFIRMED_KEPT = links.CONFIRM_MAX_AGE
# Issue 17: a profile without activity for 24 months is deleted (said on the privacy page).
INACTIVE_KEPT = datetime.timedelta(days=730)


@transaction.atomic
def register_panellist(
    *, email: str, age_range: str, department, digital_ease: str, interests: list[str], availability: str
) -> None:
    """Record a sign-up and send the confirmation link; the same answer whether the address is known or not.

    A confirmed panellist signing up again gets an e-mail saying so (with the link to leave), so the form
    never tells a visitor whether an address is on the panel.
    """
    email = email.strip().lower()
    now = timezone.now()
    profile = {
        "age_range": age_range,
        "department": department,
        "digital_ease": digital_ease,
        "interests": encode_codes(interests),
        "availability": availability,
    }
    panellist = Panellist.objects.select_for_update().filter(email=email).first()
    if panellist is not None and panellist.is_confirmed:
        _queue(panellist, "panel_already_member")
        return
    if panellist is None:
        panellist = Panellist.objects.create(email=email, consented_at=now, created_at=now, **profile)
    else:
        # A new link, a new 48 hours: the purge counts from the latest sign-up.
        Panellist.objects.filter(pk=panellist.pk).update(consented_at=now, created_at=now, **profile)
    _queue(panellist, "panel_confirm", confirm_url=links.confirm_url(panellist))


@transaction.atomic
def confirm_panellist(*, panellist: Panellist) -> bool:
    """Confirm the address; False (and nothing sent) when it was confirmed already: a second click is a no-op."""
    now = timezone.now()
    if not Panellist.objects.filter(pk=panellist.pk, confirmed_at__isnull=True).update(
        confirmed_at=now, last_activity_at=now
    ):
        return False
    _queue(panellist, "panel_welcome")
    return True


@transaction.atomic
def leave_panel(*, panellist: Panellist) -> None:
    """Delete the profile and its invitations: nothing of the panellist is kept."""
    Panellist.objects.filter(pk=panellist.pk).delete()


def matching_panellists(campaign: TestCampaign) -> QuerySet[Panellist]:
    """Confirmed panellists meeting every criterion of the campaign; an empty criterion accepts everyone."""
    panellists = Panellist.objects.confirmed()
    if campaign.age_ranges:
        panellists = panellists.filter(age_range__in=decode_codes(campaign.age_ranges))
    if campaign.digital_eases:
        panellists = panellists.filter(digital_ease__in=decode_codes(campaign.digital_eases))
    if campaign.interests:
        any_interest = Q()
        for code in decode_codes(campaign.interests):
            any_interest |= Q(interests__contains=f",{code},")
        panellists = panellists.filter(any_interest)
    if campaign.pk and campaign.departments.exists():
        panellists = panellists.filter(department__in=campaign.departments.all())
    return panellists


def match_count(campaign: TestCampaign) -> int:
    """How many panellists match, without saying who (moderators see the number only)."""
    return matching_panellists(campaign).count()


@transaction.atomic
def invite_sample(*, campaign: TestCampaign, by) -> int:
    """Invite a random sample of `testers_wanted` matching panellists not invited yet; returns how many."""
    candidates = list(
        matching_panellists(campaign).exclude(invitations__campaign=campaign).values_list("pk", flat=True)
    )
    chosen = random.sample(candidates, min(campaign.testers_wanted, len(candidates)))
    for panellist in Panellist.objects.filter(pk__in=chosen):
        invitation = Invitation.objects.create(campaign=campaign, panellist=panellist)
        _queue(
            panellist,
            "panel_invitation",
            campaign=campaign,
            answer_url=links.answer_url(invitation),
            reference=f"campagne {campaign.pk}",
        )
    return len(chosen)


@transaction.atomic
def answer_invitation(*, invitation: Invitation, answer: str) -> bool:
    """Record the panellist's yes or no once; False when it was already given (the first answer stands)."""
    if answer not in Answer.values:
        raise ValueError(answer)
    now = timezone.now()
    if not Invitation.objects.filter(pk=invitation.pk, answer="").update(answer=answer, answered_at=now):
        return False
    Panellist.objects.filter(pk=invitation.panellist_id).update(last_activity_at=now)
    return True


def purge_unconfirmed(now: datetime.datetime | None = None) -> int:
    """Delete sign-ups whose address was not confirmed within 48 hours."""
    cutoff = (now or timezone.now()) - UNCONFIRMED_KEPT
    return _deleted(Panellist.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff))


def purge_inactive(now: datetime.datetime | None = None) -> int:
    """Delete profiles without activity (confirmation, answer) for 24 months."""
    cutoff = (now or timezone.now()) - INACTIVE_KEPT
    return _deleted(Panellist.objects.filter(last_activity_at__lt=cutoff))


def _deleted(panellists: QuerySet[Panellist]) -> int:
    """Delete the panellists (their invitations go with them); returns how many panellists."""
    return panellists.delete()[1].get(Panellist._meta.label, 0)


def _queue(panellist: Panellist, template: str, reference: str = "", **context) -> None:
    """Every e-mail to a panellist carries the signed link to leave the panel."""
    queue_email(
        template=template,
        to=panellist.email,
        context={"leave_url": links.leave_url(panellist), **context},
        reference=reference or f"usager testeur {panellist.pk}",
    )
