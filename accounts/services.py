"""Writes on an agent's own account: reply texts, digest preference, and the sign-in lock-out's hooks."""

from axes.utils import reset as reset_lockout
from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest
from django.utils.module_loading import import_string

from .models import PolitenessFormula, Signature, User

# The texts an agent picks under an answer (seed 003: « Formules de politesse », « Signatures »).
ReplyText = PolitenessFormula | Signature


def add_reply_text(*, model: type[ReplyText], text: str, by: User) -> ReplyText:
    """Append a formula or signature at the end of the agent's list (ties keep creation order)."""
    last = model.objects.filter(user=by).aggregate(last=Max("position"))["last"]
    return model.objects.create(user=by, text=text, position=0 if last is None else last + 1)


def change_reply_text(*, item: ReplyText, text: str) -> ReplyText:
    item.text = text
    item.save(update_fields=["text"])
    return item


def delete_reply_text(*, item: ReplyText) -> None:
    item.delete()


def set_receives_digest(*, user: User, receives_digest: bool) -> None:
    user.receives_digest = receives_digest
    user.save(update_fields=["receives_digest"])


def lift_lockout(user: User) -> None:
    """Whoever just proved they read the account's mailbox may sign in again at once."""
    reset_lockout(username=user.email.lower())


# django-axes hooks (spplus/settings.py, AXES_*).


def login_attempt_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The e-mail a sign-in attempt is counted against, in lower case as logins ignore case."""
    credentials = credentials or {}
    username = credentials.get("username") or credentials.get("email")
    if username is None and request is not None:
        username = request.POST.get("username")
    return username.strip().lower() if username else None


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address as the rate limits see it: behind a proxy, the header RATELIMIT_IP_META_KEY names."""
    meta_key = settings.RATELIMIT_IP_META_KEY
    if not meta_key:
        return request.META.get("REMOTE_ADDR")
    if "." in meta_key:
        return import_string(meta_key)(request)
    return request.META.get(meta_key)
