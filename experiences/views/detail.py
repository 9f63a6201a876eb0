"""One experience's public page, its « moi aussi » and votes, and the author's evaluation from a signed link."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.crypto import salted_hmac
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from common.ratelimit import EVALUATION_RATE, ME_TOO_RATE, VOTE_RATE, limit_public_write
from content.selectors import advice_for_typologies
from experiences import author_links
from experiences.selectors.detail import (
    public_experience_page,
    public_experiences,
    published_response_of,
    visitor_feedback,
)
from experiences.services.feedback import add_me_too, evaluate_response, vote_on_response

VISITOR_SALT = "experiences.visitor"
# The value of the vote buttons and of the author's answer buttons.
ANSWERS = {"utile": True, "pas-utile": False}


def visitor_key(request: HttpRequest) -> str:
    """A keyed hash of the visitor's session: counts once per visitor without storing who they are."""
    # Writing loads the session first, so a forged or expired cookie gets a fresh key, not its own.
    request.session["is_visitor"] = True
    if request.session.session_key is None:
        request.session.save()
    return salted_hmac(VISITOR_SALT, request.session.session_key, algorithm="sha256").hexdigest()


def known_visitor_key(request: HttpRequest) -> str | None:
    """The visitor's key if they already have a session; reading a page never creates one."""
    session_key = request.session.session_key
    return salted_hmac(VISITOR_SALT, session_key, algorithm="sha256").hexdigest() if session_key else None


def experience_detail(request: HttpRequest, public_id: int) -> HttpResponse:
    experience = get_object_or_404(public_experiences(), public_id=public_id)
    return render(
        request,
        "experiences/detail.html",
        {
            "page": public_experience_page(experience),
            "experience": experience,
            "feedback": visitor_feedback(experience, known_visitor_key(request)),
            "advice_list": advice_for_typologies(experience.typologies.values("typology_id")),
            "active_nav": "experiences",
            "breadcrumb_data": {
                "links": [{"url": "/experiences/", "title": "Les expériences"}],
                "current": Truncator(experience.title).chars(60),
            },
        },
    )


@require_POST
@limit_public_write(ME_TOO_RATE, group="me_too")
def me_too(request: HttpRequest, public_id: int) -> HttpResponse:
    experience = get_object_or_404(public_experiences(), public_id=public_id)
    if add_me_too(experience=experience, visitor_key=visitor_key(request)):
        messages.success(request, "Merci, c'est noté : vous avez vécu une expérience similaire.")
    else:
        messages.info(request, "Vous avez déjà indiqué avoir vécu une expérience similaire.")
    return redirect(experience)


@require_POST
@limit_public_write(VOTE_RATE, group="vote")
def vote(request: HttpRequest, public_id: int, response_id: int) -> HttpResponse:
    experience = get_object_or_404(public_experiences(), public_id=public_id)
    response = published_response_of(experience, response_id)
    if response is None:
        raise Http404("Réponse introuvable")
    answer = request.POST.get("avis")
    if answer not in ANSWERS:
        messages.error(request, "Choisissez « Utile » ou « Pas utile ».")
    elif vote_on_response(response=response, visitor_key=visitor_key(request), is_useful=ANSWERS[answer]):
        messages.success(request, "Merci, c'est noté : votre avis sur cette réponse est enregistré.")
    else:
        messages.info(request, "Vous avez déjà donné votre avis sur cette réponse.")
    return redirect(experience)


@limit_public_write(EVALUATION_RATE, group="evaluation")
def evaluate(request: HttpRequest, token: str) -> HttpResponse:
    """The author says once whether the response helped; the signed link is their only credential."""
    try:
        response = author_links.read_evaluation_token(token)
    except author_links.AuthorLinkExpired:
        days = author_links.evaluation_max_age().days
        return render(request, "experiences/evaluation/expired.html", {"days": days}, status=410)
    except author_links.AuthorLinkInvalid:
        return render(request, "experiences/evaluation/invalid.html", status=400)
    experience = response.assignment.experience
    shown = response.adopted_from or response
    if not (response.is_published and shown.is_published and experience.is_published):
        return render(request, "experiences/evaluation/withdrawn.html", status=404)
    recorded = getattr(response, "author_evaluation", None)
    error = ""
    if request.method == "POST" and recorded is None:
        answer = request.POST.get("avis")
        if answer in ANSWERS:
            evaluate_response(response=response, is_useful=ANSWERS[answer])
            messages.success(request, "Merci, votre évaluation est enregistrée.")
            return redirect(request.path)
        error = "Choisissez « Oui » ou « Non »."
    context = {
        "experience": experience,
        "response": response,
        "shown": shown,
        "recorded": recorded,
        "error": error,
    }
    return render(request, "experiences/evaluation/evaluate.html", context, status=400 if error else 200)
