"""The panellist's signed links, sent by e-mail: confirm the address, answer an invitation, leave the panel.

A link is the panellist's only credential: a TimestampSigner token naming one row, expiring. Each kind has
its own salt, so a token signed for one purpose is refused by the others; the salts must never change, or
every link already sent stops working.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

from panel.models import Invitation, Panellist

CONFIRM_SALT = "panel.confirm"
# seed-derived rule of issue 17: nothing is kept beyond 48 hours before the address is confirmed.
CONFIRM_MAX_AGE = datetime.timedelta(hours=48)
ANSWER_SALT = "panel.answer"
ANSWER_MAX_AGE = datetime.timedelta(days=60)
LEAVE_SALT = "panel.leave"
# Longer than the 24 months a profile is kept without activity: the last e-mail's link still works.
LEAVE_MAX_AGE = datetime.timedelta(days=800)


class LinkInvalid(Exception):
    """The token was tampered with, or names a row that no longer exists."""


class LinkExpired(Exception):
    """The token is genuine but older than its kind's maximum age."""


def _unsign(salt: str, token: str, max_age: datetime.timedelta) -> str:
    try:
        return signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except signing.BadSignature as error:
        raise LinkInvalid from error


def _url(route: str, salt: str, value: str) -> str:
    token = signing.TimestampSigner(salt=salt).sign(value)
    return settings.SITE_URL.rstrip("/") + reverse(route, kwargs={"token": token})


def confirm_url(panellist: Panellist) -> str:
    return _url("panel:confirm", CONFIRM_SALT, str(panellist.key))


def leave_url(panellist: Panellist) -> str:
    return _url("panel:leave", LEAVE_SALT, str(panellist.key))


def answer_url(invitation: Invitation) -> str:
    return _url("panel:answer", ANSWER_SALT, str(invitation.pk))


def _panellist(salt: str, token: str, max_age: datetime.timedelta) -> Panellist:
    key = _unsign(salt, token, max_age)
    try:
        return Panellist.objects.get(key=key)
    except (Panellist.DoesNotExist, ValueError, signing.BadSignature) as error:
        raise LinkInvalid from error


def read_confirm_token(token: str) -> Panellist:
    return _panellist(CONFIRM_SALT, token, CONFIRM_MAX_AGE)


def read_leave_token(token: str) -> Panellist:
    return _panellist(LEAVE_SALT, token, LEAVE_MAX_AGE)


def read_answer_token(token: str) -> Invitation:
    value = _unsign(ANSWER_SALT, token, ANSWER_MAX_AGE)
    try:
        return Invitation.objects.select_related("campaign", "panellist").get(pk=int(value))
    except (Invitation.DoesNotExist, ValueError) as error:
        raise LinkInvalid from error
