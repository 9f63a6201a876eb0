"""The author's evaluation link: a signed, expiring token naming one response, sent by e-mail."""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

from experiences.models import Response

# A distinct salt: a token signed for another purpose with the same SECRET_KEY is refused here.
EVALUATION_SALT = "experiences.evaluation"
DEFAULT_MAX_AGE_DAYS = 60


class EvaluationLinkInvalid(Exception):
    """The token was tampered with, or names a response that no longer exists."""


class EvaluationLinkExpired(Exception):
    """The token is genuine but older than EVALUATION_LINK_MAX_AGE_DAYS."""


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=EVALUATION_SALT)


def max_age() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "EVALUATION_LINK_MAX_AGE_DAYS", DEFAULT_MAX_AGE_DAYS))


def make_evaluation_token(response: Response) -> str:
    return _signer().sign(str(response.pk))


def read_evaluation_token(token: str) -> Response:
    """The response the token names; raises EvaluationLinkExpired or EvaluationLinkInvalid."""
    try:
        response_pk = _signer().unsign(token, max_age=max_age())
    except signing.SignatureExpired as error:
        raise EvaluationLinkExpired from error
    except signing.BadSignature as error:
        raise EvaluationLinkInvalid from error
    try:
        return Response.objects.select_related(
            "assignment__experience",
            "assignment__structure",
            "adopted_from__assignment__structure",
            "author_evaluation",
        ).get(pk=int(response_pk))
    except (ValueError, Response.DoesNotExist) as error:
        raise EvaluationLinkInvalid from error


def evaluation_url(response: Response) -> str:
    """The absolute link the response e-mail sends to the author."""
    path = reverse("experiences:evaluate", kwargs={"token": make_evaluation_token(response)})
    return settings.SITE_URL.rstrip("/") + path
