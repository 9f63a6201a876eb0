"""The tester panel's public pages: sign up, and the three signed links (confirm, answer, leave).

A signed link's GET shows a page with a button; only its POST acts, so a mail scanner that opens links
confirms, answers or deletes nothing.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from common.privacy import mask_email
from common.ratelimit import PANEL_LINK_RATE, PANEL_SIGNUP_RATE, limit_public_write
from panel import links, services
from panel.forms import AnswerForm, PanelSignUpForm

RECEIPT_SESSION_KEY = "panel_receipt"
PANEL_CRUMB = {"url": "/usagers-testeurs/", "title": "Devenir usager testeur"}


def _context(current: str, **extra) -> dict:
    return {"active_nav": "panel", "breadcrumb_data": {"links": [PANEL_CRUMB], "current": current}, **extra}


@limit_public_write(PANEL_SIGNUP_RATE, group="panel_signup")
def sign_up(request: HttpRequest) -> HttpResponse:
    form = PanelSignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and (form.is_bot or form.is_valid()):
        # A filled honeypot gets the same answer as a person; nothing is stored or sent.
        if not form.is_bot:
            services.register_panellist(**form.registration())
        request.session[RECEIPT_SESSION_KEY] = {"email": mask_email(form.data.get("email", ""))}
        return redirect("panel:sign_up_done")
    return render(
        request,
        "panel/sign_up.html",
        {"form": form, "active_nav": "panel", "breadcrumb_data": {"current": "Devenir usager testeur"}},
        status=400 if form.errors else 200,
    )


def sign_up_done(request: HttpRequest) -> HttpResponse:
    receipt = request.session.get(RECEIPT_SESSION_KEY)
    if receipt is None:
        return redirect("panel:sign_up")
    return render(request, "panel/sign_up_done.html", _context("Inscription envoyée", masked_email=receipt["email"]))


def _link_error(request: HttpRequest, error: Exception) -> HttpResponse:
    expired = isinstance(error, links.LinkExpired)
    return render(
        request, "panel/link_error.html", _context("Lien non valable", expired=expired), status=410 if expired else 400
    )


@limit_public_write(PANEL_LINK_RATE, group="panel_link")
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        panellist = links.read_confirm_token(token)
    except (links.LinkInvalid, links.LinkExpired) as error:
        return _link_error(request, error)
    if request.method == "POST":
        services.confirm_panellist(panellist=panellist)
        return render(request, "panel/confirmed.html", _context("Inscription confirmée"))
    if panellist.is_confirmed:
        return render(request, "panel/confirmed.html", _context("Inscription confirmée"))
    return render(request, "panel/confirm.html", _context("Confirmer votre inscription"))


@limit_public_write(PANEL_LINK_RATE, group="panel_link")
def leave(request: HttpRequest, token: str) -> HttpResponse:
    try:
        panellist = links.read_leave_token(token)
    except links.LinkInvalid:
        # Already left (the profile is gone) or a damaged link: either way nothing of theirs is kept.
        return render(request, "panel/left.html", _context("Vous avez quitté le panel"), status=404)
    except links.LinkExpired as error:
        return _link_error(request, error)
    if request.method == "POST":
        services.leave_panel(panellist=panellist)
        return render(request, "panel/left.html", _context("Vous avez quitté le panel"))
    return render(request, "panel/leave.html", _context("Quitter le panel"))


@limit_public_write(PANEL_LINK_RATE, group="panel_link")
def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = links.read_answer_token(token)
    except (links.LinkInvalid, links.LinkExpired) as error:
        return _link_error(request, error)
    is_open = not invitation.answer and not invitation.campaign.is_over
    form = AnswerForm(request.POST if request.method == "POST" and is_open else None)
    if form.is_bound and form.is_valid():
        services.answer_invitation(invitation=invitation, answer=form.cleaned_data["answer"])
        return redirect(reverse("panel:answer", kwargs={"token": token}))
    return render(
        request,
        "panel/answer.html",
        _context("Répondre à une invitation", invitation=invitation, campaign=invitation.campaign, form=form),
        status=400 if form.errors else 200,
    )
