"""The author's signed links, sent by e-mail: correct an experience a moderator sent back, evaluate an answer.

A link is the author's only credential: a TimestampSigner token naming one row, expiring. Each kind has its
own salt, so a token signed for one purpose (or for anything else under the same SECRET_KEY) is refused by
the other; the salts must never change, or every link already sent stops working.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

from experiences.models import Experience, Response

AUTHOR_EDIT_SALT = "experiences.author_edit"
AUTHOR_EDIT_MAX_AGE = datetime.timedelta(days=30)
EVALUATION_SALT = "experiences.evaluation"
DEFAULT_EVALUATION_MAX_AGE_DAYS = 60


class AuthorLinkInvalid(Exception):
    """The token was tampered with, or names a row that no longer exists."""


class AuthorLinkExpired(Exception):
    """The token is genuine but older than its kind's maximum age."""


def _signer(salt: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=salt)


def _unsign_pk(salt: str, token: str, max_age: datetime.timedelta) -> int:
    try:
        value = _signer(salt).unsign(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise AuthorLinkExpired from error
    except signing.BadSignature as error:
        raise AuthorLinkInvalid from error
    try:
        return int(value)
    except ValueError as error:
        raise AuthorLinkInvalid from error


def _absolute_url(route: str, token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(route, kwargs={"token": token})


def author_edit_url(experience: Experience) -> str:
    """The link that lets the author correct the text a moderator sent back."""
    return _absolute_url("experiences:author_edit", _signer(AUTHOR_EDIT_SALT).sign(str(experience.public_id)))


def read_author_edit_token(token: str) -> Experience:
    """The experience the token names; raises AuthorLinkExpired or AuthorLinkInvalid."""
    public_id = _unsign_pk(AUTHOR_EDIT_SALT, token, AUTHOR_EDIT_MAX_AGE)
    try:
        return Experience.objects.get(public_id=public_id)
    except Experience.DoesNotExist as error:
        raise AuthorLinkInvalid from error


def evaluation_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "EVALUATION_LINK_MAX_AGE_DAYS", DEFAULT_EVALUATION_MAX_AGE_DAYS))


def make_evaluation_token(response: Response) -> str:
    return _signer(EVALUATION_SALT).sign(str(response.pk))


def evaluation_url(response: Response) -> str:
    """The link the response e-mail sends, with which the author says once whether the answer helped."""
    return _absolute_url("experiences:evaluate", make_evaluation_token(response))


def read_evaluation_token(token: str) -> Response:
    """The response the token names; raises AuthorLinkExpired or AuthorLinkInvalid."""
    response_pk = _unsign_pk(EVALUATION_SALT, token, evaluation_max_age())
    try:
        return Response.objects.select_related(
            "assignment__experience",
            "assignment__structure",
            "adopted_from__assignment__structure",
            "author_evaluation",
        ).get(pk=response_pk)
    except Response.DoesNotExist as error:
        raise AuthorLinkInvalid from error
