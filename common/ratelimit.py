"""Rate limits on public writes, counted in the shared cache so they hold across web replicas."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit

# Per client address; behind a proxy, RATELIMIT_IP_META_KEY names the header that carries it.
# Shares: a mediation agent or a France services counter shares for several people from one address,
# so the address gets many; each author's e-mail address gets few, which still stops a flood.
SHARE_RATE = "30/h"
SHARE_EMAIL_RATE = "5/h"
ME_TOO_RATE = "30/h"
VOTE_RATE = "60/h"
EVALUATION_RATE = "20/h"
# The tester panel: sign-ups per address, and the signed links' confirmations, answers and departures.
PANEL_SIGNUP_RATE = "10/h"
PANEL_LINK_RATE = "30/h"
# Reports of complex documents carry a file: fewer per address than shares.
DOCUMENT_REPORT_RATE = "10/h"
DOCUMENT_REPORT_EMAIL_RATE = "5/h"
# Live « similar experiences » while a citizen types: a read, but one that ranks texts.
SIMILAR_RATE = "120/m"


def limit_public_write(rate: str, group: str):
    """Refuse the (POST) request with a 429 once the client has used up `rate` in `group`."""
    return ratelimit(key="ip", rate=rate, method="POST", block=True, group=group)


def share_is_over_limit(request: HttpRequest, email: str) -> bool:
    """Count one share against its client address and its author's e-mail; True once either is used up."""
    return write_is_over_limit(request, email, group="share", rate=SHARE_RATE, email_rate=SHARE_EMAIL_RATE)


def document_report_is_over_limit(request: HttpRequest, email: str) -> bool:
    """The same count for a report of a complex document."""
    return write_is_over_limit(
        request, email, group="document_report", rate=DOCUMENT_REPORT_RATE, email_rate=DOCUMENT_REPORT_EMAIL_RATE
    )


def write_is_over_limit(request: HttpRequest, email: str, *, group: str, rate: str, email_rate: str) -> bool:
    """Count one public write against its client address and the e-mail it gives; True once either is used up."""
    over_address = is_ratelimited(request, group=group, key="ip", rate=rate, method="POST", increment=True)
    over_email = bool(email) and is_ratelimited(
        request,
        group=f"{group}_email",
        key=lambda group, request: email.strip().lower(),
        rate=email_rate,
        method="POST",
        increment=True,
    )
    return over_address or over_email


def too_many_requests(request: HttpRequest, exception: Exception) -> HttpResponse:
    """RATELIMIT_VIEW: django-ratelimit raises, the middleware calls this."""
    return render(
        request,
        "429.html",
        {"message": "Vous avez fait trop de demandes en peu de temps. Merci de réessayer un peu plus tard."},
        status=429,
    )
