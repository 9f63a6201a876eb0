"""Writes on an agent's own account: reply texts, digest preference, and the sign-in lock-out's hooks."""

from axes.utils import reset as reset_lockout
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.module_loading import import_string

from notifications.services import queue_email

from .models import ReplyText, User


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


def set_receives_target_alerts(*, user: User, receives_target_alerts: bool) -> None:
    user.receives_target_alerts = receives_target_alerts
    user.save(update_fields=["receives_target_alerts"])


def set_receives_digest(*, user: User, receives_digest: bool) -> None:
    user.receives_digest = receives_digest
    user.save(update_fields=["receives_digest"])


def has_admin_access(user: User) -> bool:
    """Staff, moderators and superusers: accounts whose privileges only a superuser manages."""
    return user.is_staff or user.is_moderator or user.is_superuser


def may_manage_account(actor: User, user: User) -> bool:
    """Superusers manage every account; a moderator manages their own and those without admin access."""
    return actor.is_superuser or user.pk == actor.pk or not has_admin_access(user)


def _password_link(user: User, token: str | None) -> str:
    """The single-use link to the password form, valid PASSWORD_RESET_TIMEOUT: Django's token changes with the
    password's hash and the last sign-in, so it is refused once used."""
    path = reverse(
        "agents:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": token or default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def _queue_password_email(template: str, user: User, token: str | None = None) -> None:
    queue_email(
        template=template,
        to=user.email,
        context={
            "user": user,
            "reset_url": _password_link(user, token),
            "login_url": settings.SITE_URL.rstrip("/") + reverse("agents:login"),
            "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
        reference=f"utilisateur {user.pk}",
    )


def send_password_reset(user: User, token: str | None = None) -> None:
    """Queue the e-mail whose link lets `user` choose a new password."""
    _queue_password_email("password_reset", user, token)


def send_first_login_link(user: User) -> None:
    """Queue the welcome e-mail of an account just opened: the link to choose its password, the sign-in page."""
    _queue_password_email("account_created", user)


def never_signed_in(user: User) -> bool:
    """An account whose user has not chosen a password yet nor ever signed in: it is still waiting to be opened."""
    return not user.has_usable_password() and user.last_login is None


def request_password_reset(*, user: User, by: User) -> bool:
    """A moderator or administrator sends a user the link to choose their password; nobody sets it for them.

    An account never used gets its welcome e-mail again, any other the reset e-mail; neither changes the
    current password nor the links sent before. Returns False, sending nothing, for an inactive account or
    one `by` may not manage.
    """
    if not user.is_active or not may_manage_account(by, user):
        return False
    if never_signed_in(user):
        send_first_login_link(user)
    else:
        send_password_reset(user)
    return True


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
