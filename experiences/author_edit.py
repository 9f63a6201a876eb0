"""The link that lets an author correct the text a moderator sent back: signed, expiring, one experience."""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

from experiences.models import Experience

AUTHOR_EDIT_SALT = "experiences.author_edit"
MAX_AGE = datetime.timedelta(days=30)


class AuthorEditLinkInvalid(Exception):
    pass


class AuthorEditLinkExpired(Exception):
    pass


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=AUTHOR_EDIT_SALT)


def author_edit_url(experience: Experience) -> str:
    token = _signer().sign(str(experience.public_id))
    return settings.SITE_URL.rstrip("/") + reverse("experiences:author_edit", kwargs={"token": token})


def read_author_edit_token(token: str) -> Experience:
    try:
        public_id = _signer().unsign(token, max_age=MAX_AGE)
    except signing.SignatureExpired as error:
        raise AuthorEditLinkExpired from error
    except signing.BadSignature as error:
        raise AuthorEditLinkInvalid from error
    try:
        return Experience.objects.get(public_id=int(public_id))
    except (ValueError, Experience.DoesNotExist) as error:
        raise AuthorEditLinkInvalid from error
