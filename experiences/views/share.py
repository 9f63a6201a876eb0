"""Sharing an experience: the form (usable without JavaScript), its suggestions endpoint and the confirmation."""

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from common.privacy import mask_email
from common.ratelimit import share_is_over_limit
from experiences.forms.share import ShareExperienceForm
from experiences.forms.tracking import tracking_from
from experiences.models import DESCRIPTION_MAX_LENGTH, DESCRIPTION_MIN_LENGTH, TITLE_MAX_LENGTH, Feeling
from experiences.services.submission import submit_experience
from experiences.services.visits import record_share_visit
from experiences.suggestions import suggest_typologies

SUGGESTION_LIMIT = 6
SUGGESTION_TEXT_MAX_LENGTH = TITLE_MAX_LENGTH + DESCRIPTION_MAX_LENGTH + 10
RECEIPT_SESSION_KEY = "share_receipt"
TOKEN_TTL = 24 * 3600
BREADCRUMB = {"current": "Partager une expérience"}
SHARE_LIMIT_MESSAGE = (
    "Beaucoup d'expériences ont été envoyées en peu de temps depuis votre connexion ou avec cette adresse e-mail."
    " Votre saisie est conservée ci-dessous : renvoyez-la dans une heure au plus tard."
)
TITLE_HINT = f"Résumez votre expérience en une phrase : {TITLE_MAX_LENGTH} caractères au maximum."
DESCRIPTION_HINT = (
    f"Entre {DESCRIPTION_MIN_LENGTH} et {DESCRIPTION_MAX_LENGTH} caractères. Décrivez ce qui s'est passé,"
    " sans nom, adresse, téléphone ni numéro de dossier."
)


def share(request: HttpRequest) -> HttpResponse:
    """One page: a first submit (or the « find the services » button) brings the suggestions without JavaScript."""
    if request.method != "POST":
        tracking = tracking_from(request.GET)
        record_share_visit(source=tracking["source"])
        form = ShareExperienceForm(initial=tracking)
        return _render_form(request, form, suggested=[])
    form = ShareExperienceForm(request.POST)
    if form.is_bot or (request.POST.get("action") != "suggest" and form.is_valid()):
        if share_is_over_limit(request, form.data.get("email", "")):
            # Refused, but re-rendered with everything the citizen typed: nothing is lost.
            return _render_form(request, form, suggested=_suggested(request), limit_message=SHARE_LIMIT_MESSAGE)
        return _record(request, form)
    if request.POST.get("action") == "suggest":
        form.hide_errors()
    return _render_form(request, form, suggested=_suggested(request))


def _suggested(request: HttpRequest) -> list:
    text = f"{request.POST.get('title', '')}\n{request.POST.get('description', '')}"
    return suggest_typologies(text, limit=SUGGESTION_LIMIT)


def _record(request: HttpRequest, form: ShareExperienceForm) -> HttpResponse:
    # A filled honeypot gets the same answer as a person, so the robot learns nothing; nothing is stored.
    if not form.is_bot and _first_use(form.cleaned_data["token"]):
        submit_experience(**form.submission())
    request.session[RECEIPT_SESSION_KEY] = {"email": mask_email(form.data.get("email", ""))}
    return redirect("experiences:share_done")


def _first_use(token: str) -> bool:
    """True the first time a form's token is sent (in the shared cache, so across web replicas)."""
    return not token or cache.add(f"share-token:{token}", True, timeout=TOKEN_TTL)


def _render_form(
    request: HttpRequest, form: ShareExperienceForm, suggested: list, limit_message: str = ""
) -> HttpResponse:
    return render(
        request,
        "experiences/share/form.html",
        {
            "form": form,
            "service_rows": form.service_rows(suggested),
            "other_row": form.other_organism_row(),
            "template_row": form.template_row(),
            "searched": request.method == "POST",
            "title_max": TITLE_MAX_LENGTH,
            "description_min": DESCRIPTION_MIN_LENGTH,
            "description_max": DESCRIPTION_MAX_LENGTH,
            "title_hint": TITLE_HINT,
            "description_hint": DESCRIPTION_HINT,
            "feelings": Feeling.choices,
            "charter_url": charter_url(),
            "active_nav": "share",
            "breadcrumb_data": BREADCRUMB,
            "limit_message": limit_message,
        },
        status=429 if limit_message else 200,
    )


@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    """GET ?texte=… → the typologies whose keywords the text holds, best first (the form's live suggestions)."""
    text = request.GET.get("texte", "")[:SUGGESTION_TEXT_MAX_LENGTH]
    typologies = suggest_typologies(text, limit=SUGGESTION_LIMIT)
    return JsonResponse({"typologies": [{"id": t.pk, "name": t.name} for t in typologies]})


def share_done(request: HttpRequest) -> HttpResponse:
    """The confirmation, only for the browser that just shared: it shows nothing of anyone else's."""
    receipt = request.session.get(RECEIPT_SESSION_KEY)
    if receipt is None:
        return redirect("experiences:share")
    return render(
        request,
        "experiences/share/done.html",
        {
            "masked_email": receipt["email"],
            "charter_url": charter_url(),
            "active_nav": "share",
            "breadcrumb_data": {
                "links": [{"url": reverse("experiences:share"), "title": "Partager une expérience"}],
                "current": "Expérience envoyée",
            },
        },
    )


def charter_url() -> str:
    try:
        return reverse("experiences:charter")
    except NoReverseMatch:  # the moderation charter page is built in another part of the public site
        return "/charte-de-moderation/"
