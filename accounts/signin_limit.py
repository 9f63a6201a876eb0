"""A limit on failed sign-ins per client address, across every account: password spraying from one address.

django-axes locks an account after a few failures whatever the address; an attacker trying one common
password on many accounts never trips it. This counts the failures of one client address on both sign-in
pages (/agents/connexion/ and /admin/login/) and refuses its sign-ins once the limit is reached.
"""

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django_ratelimit.core import get_usage

from accounts.services import client_ip_address

GROUP = "signin_failures_per_address"
SIGN_IN_PAGES = ("agents:login", "admin:login")


def _address(group: str, request: HttpRequest) -> str:
    return client_ip_address(request) or ""


def _failures(request: HttpRequest, *, count: bool) -> dict | None:
    # Counted in the shared cache, so the limit holds across web replicas (None when the cache is down).
    rate = settings.SIGNIN_FAILURES_PER_ADDRESS
    return get_usage(request, group=GROUP, key=_address, rate=rate, increment=count)


def is_address_blocked(request: HttpRequest) -> bool:
    usage = _failures(request, count=False)
    return usage is not None and usage["count"] >= usage["limit"]


@receiver(user_login_failed, dispatch_uid="accounts.signin_limit.count_failure")
def count_failure(sender, credentials, request: HttpRequest | None = None, **kwargs) -> None:
    if request is not None:
        _failures(request, count=True)


class SignInAddressLimitMiddleware:
    """Refuses, with a 429, any sign-in posted from an address that failed too often (before any password check)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path in {reverse(name) for name in SIGN_IN_PAGES}:
            if is_address_blocked(request):
                return render(request, "agents/auth/address_blocked.html", status=429)
        return self.get_response(request)
