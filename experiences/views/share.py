"""Sharing an experience: the form (usable without JavaScript), its suggestions endpoint and the confirmation."""

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit

from common.exceptions import Refused
from common.privacy import mask_email
from common.ratelimit import ME_TOO_RATE, SIMILAR_RATE, share_is_over_limit
from content.selectors import advice_for_typologies
from experiences.forms.share import POSTAL_CODE, ShareExperienceForm
from experiences.forms.tracking import tracking_from
from experiences.models import (
    DESCRIPTION_MAX_LENGTH,
    DESCRIPTION_MIN_LENGTH,
    MAX_TYPOLOGIES,
    TITLE_MAX_LENGTH,
    Experience,
    Feeling,
)
from experiences.services.feedback import add_me_too
from experiences.services.submission import submit_experience
from experiences.similar import similar_experiences
from experiences.suggestions import suggest_typologies
from experiences.views.detail import visitor_key
from structures.territories import department_code

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
        form = ShareExperienceForm(initial=tracking_from(request.GET))
        return _render_form(request, form, suggested=[])
    form = ShareExperienceForm(request.POST)
    if request.POST.get("me_too"):
        return _me_too_from_form(request, form)
    if form.is_bot or (request.POST.get("action") != "suggest" and form.is_valid()):
        if share_is_over_limit(request, form.data.get("email", "")):
            # Refused, but re-rendered with everything the citizen typed: nothing is lost.
            return _render_form(request, form, suggested=_suggested(request), limit_message=SHARE_LIMIT_MESSAGE)
        return _record(request, form)
    if request.POST.get("action") == "suggest":
        form.hide_errors()
    return _render_form(request, form, suggested=_suggested(request))


def _me_too_from_form(request: HttpRequest, form: ShareExperienceForm) -> HttpResponse:
    """« Moi aussi » on a similar experience: counted as on its page, and the form comes back as typed."""
    form.hide_errors()
    suggested = _suggested(request)
    if is_ratelimited(request, group="me_too", key="ip", rate=ME_TOO_RATE, method="POST", increment=True):
        notice = ("error", "Trop de « moi aussi » en peu de temps depuis votre connexion : réessayez plus tard.")
        return _render_form(request, form, suggested, notice=notice, status=429)
    public_id = request.POST["me_too"]
    experience = Experience.objects.published().filter(public_id=public_id).first() if public_id.isdigit() else None
    if experience is None:
        notice = ("error", "Cette expérience n'est plus publiée : votre « moi aussi » n'a pas été compté.")
    else:
        try:
            counted = add_me_too(experience=experience, visitor_key=visitor_key(request))
        except Refused:
            counted = False
        notice = (
            "success",
            "Merci, c'est noté : vous avez vécu une expérience similaire."
            if counted
            else "Vous avez déjà indiqué avoir vécu une expérience similaire.",
        )
    return _render_form(request, form, suggested, notice=notice, me_too_id=experience.public_id if experience else None)


def _suggested(request: HttpRequest) -> list:
    text = f"{request.POST.get('title', '')}\n{request.POST.get('description', '')}"
    return suggest_typologies(text, limit=SUGGESTION_LIMIT)


def similar_to(data, suggested: list) -> list:
    """Published experiences telling the same story: for the ticked services, else the detected ones."""
    typology_ids = [int(pk) for pk in data.getlist("typologies") if pk.isdigit()][: MAX_TYPOLOGIES * 3]
    if not typology_ids:
        typology_ids = [typology.pk for typology in suggested[:MAX_TYPOLOGIES]]
    postal_code = "".join(data.get("postal_code", "").split())
    department = department_code(postal_code) if POSTAL_CODE.match(postal_code) else ""
    return similar_experiences(
        data.get("title", "")[:TITLE_MAX_LENGTH],
        data.get("description", "")[:DESCRIPTION_MAX_LENGTH],
        typology_ids,
        department,
    )


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
    request: HttpRequest,
    form: ShareExperienceForm,
    suggested: list,
    limit_message: str = "",
    notice: tuple[str, str] | None = None,
    me_too_id: int | None = None,
    status: int | None = None,
) -> HttpResponse:
    service_rows = form.service_rows(suggested)
    similar = similar_to(request.POST, suggested) if request.method == "POST" else []
    return render(
        request,
        "experiences/share/form.html",
        {
            "form": form,
            "service_rows": service_rows,
            # Advice for the services suggested or ticked so far (issue 17: up to three on the share form).
            "advice_list": advice_for_typologies([int(row["key"]) for row in service_rows if row["key"].isdigit()]),
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
            "similar": similar,
            "me_too_notice": notice,
            "me_too_id": me_too_id,
        },
        status=status or (429 if limit_message else 200),
    )


@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    """GET ?texte=… → the typologies whose keywords the text holds, best first (the form's live suggestions)."""
    text = request.GET.get("texte", "")[:SUGGESTION_TEXT_MAX_LENGTH]
    typologies = suggest_typologies(text, limit=SUGGESTION_LIMIT)
    return JsonResponse({"typologies": [{"id": t.pk, "name": t.name} for t in typologies]})


@require_GET
@ratelimit(key="ip", rate=SIMILAR_RATE, method="GET", block=True, group="similar")
def similar(request: HttpRequest) -> HttpResponse:
    """GET ?title=…&description=…&typologies=…&postal_code=… → the similar experiences' block (live suggestions)."""
    text = f"{request.GET.get('title', '')}\n{request.GET.get('description', '')}"
    suggested = suggest_typologies(text[:SUGGESTION_TEXT_MAX_LENGTH], limit=SUGGESTION_LIMIT)
    context = {"similar": similar_to(request.GET, suggested), "searched": True}
    return render(request, "experiences/share/_similar_list.html", context)


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
