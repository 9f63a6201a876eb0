"""The agents' back-office pages over experiences: parse, call one selector or service, render or redirect."""

from functools import wraps

from django.contrib import messages
from django.core.paginator import InvalidPage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import member_required
from common.exceptions import Refused
from experiences.forms.answers import ModifyResponseForm, ResponseForm, SendBackForm
from experiences.forms.handling import CommentForm, LinkActionForm, MoveForm, QualificationForm, TransferForm
from experiences.forms.list_filters import AgentFilterForm
from experiences.models import Assignment, Experience, Response, ResponseState
from experiences.selectors import agents as selectors
from experiences.selectors.answer_suggestions import answer_suggestions
from experiences.selectors.search import CappedPaginator
from experiences.services import handling, responses
from structures.permissions import Action, actions_on

PAGE_SIZE = 20


@member_required
def experience_list(request: HttpRequest) -> HttpResponse:
    form = AgentFilterForm(request.GET or None, user=request.user)
    form.is_valid()
    filters = form.filters() if form.is_bound else selectors.AgentFilters()
    matching = selectors.filtered_experiences(request.user, filters)
    paginator = CappedPaginator(
        selectors.list_rows(matching, request.user, filters),
        selectors.experiences_to_count(request.user, filters),
        per_page=PAGE_SIZE,
    )
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        page = paginator.page(1)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "paginator": paginator,
        "query": query.urlencode(),
        "now": timezone.now(),
        "agent_nav": "experiences",
        "breadcrumb_data": {"current": "Les expériences"},
    }
    return render(request, "agents/experiences/list.html", context)


def _experience(request: HttpRequest, public_id: int) -> Experience:
    try:
        return selectors.experience_for_agent(request.user, public_id)
    except Experience.DoesNotExist as missing:
        raise Http404("Expérience introuvable") from missing


@member_required
def experience_detail(request: HttpRequest, public_id: int) -> HttpResponse:
    experience = _experience(request, public_id)
    return render(request, "agents/experiences/detail.html", detail_context(request, experience))


def detail_context(request: HttpRequest, experience: Experience, **bound_forms) -> dict:
    """Everything the page shows; `bound_forms` keeps a refused form with its errors and what was typed."""
    user = request.user
    assignments = list(experience.assignments.all())
    allowed = actions_on(user, [a.structure for a in assignments])
    general_tags = {t.tag: t.value for t in experience.general_tags.all()}
    workspaces = []
    for assignment in assignments:
        can_do = allowed[assignment.structure_id]
        if Action.VIEW not in can_do or not (can_do - {Action.VIEW, Action.VIEW_DASHBOARD}):
            continue
        response = getattr(assignment, "response", None)
        key = str(assignment.pk)
        suggestions = _suggestions(experience, assignment, response, can_do)
        chosen = _chosen_suggestion(request, assignment, suggestions)
        response_form = bound_forms.get(f"response_{key}") or ResponseForm(
            user=user, response=response, prefix=f"r{key}", initial={"body": chosen.response.body} if chosen else None
        )
        workspaces.append(
            {
                "assignment": assignment,
                "response": response,
                "can": {action.value: action in can_do for action in Action},
                "response_form": response_form,
                "suggestions": suggestions,
                "started_from": chosen,
                "correct_form": bound_forms.get(f"correct_{key}") or _correct_form(user, response, can_do, key),
                "modify_form": bound_forms.get(f"modify_{key}")
                or ModifyResponseForm(user=user, response=response, prefix=f"m{key}"),
                "qualification_form": bound_forms.get(f"qualification_{key}")
                or QualificationForm(
                    assignment=assignment,
                    rows=handling.editable_typologies(assignment),
                    general_tags=general_tags,
                    prefix=f"q{key}",
                ),
                "move_form": bound_forms.get(f"move_{key}")
                or MoveForm(structure=assignment.structure, prefix=f"d{key}"),
                "transfer_form": bound_forms.get(f"transfer_{key}") or TransferForm(prefix=f"t{key}"),
                "adoptable": [
                    other.response
                    for other in assignments
                    if getattr(other, "response", None) and responses.may_adopt(assignment, other.response, response)
                ],
            }
        )
    return {
        "experience": experience,
        "assignments": assignments,
        "workspaces": workspaces,
        "general_tags": general_tags,
        "comment_form": bound_forms.get("comment") or CommentForm(),
        "link_form": bound_forms.get("link") or LinkActionForm(user=user),
        "activities": experience.activities.select_related("actor", "structure")[:50],
        "agent_nav": "experiences",
        "breadcrumb_data": {
            "links": [{"url": reverse("agents:experiences"), "title": "Les expériences"}],
            "current": f"Expérience n° {experience.public_id}",
        },
    }


def _suggestions(experience: Experience, assignment: Assignment, response: Response | None, can_do: set) -> list:
    """Past answers to similar experiences, only where this user writes an answer not yet sent."""
    if Action.ANSWER not in can_do:
        return []
    if response is not None and response.state not in (ResponseState.DRAFT, ResponseState.UNPUBLISHED):
        return []
    return answer_suggestions(experience, assignment)


def _chosen_suggestion(request: HttpRequest, assignment: Assignment, suggestions: list):
    """« Partir de cette réponse »: one of the answers offered here, never any response id typed in the URL."""
    if request.GET.get("orientation") != str(assignment.pk):
        return None
    chosen = request.GET.get("partir_de", "")
    return next((s for s in suggestions if str(s.response.pk) == chosen), None)


def _correct_form(user, response: Response | None, can_do: set, key: str) -> ResponseForm | None:
    """The « corriger puis valider » form, only where the user validates a submitted answer."""
    if response is None or response.state != ResponseState.PENDING_VALIDATION:
        return None
    if Action.PUBLISH_RESPONSE not in can_do:
        return None
    return ResponseForm(user=user, response=response, prefix=f"v{key}")


def experience_step(view):
    """A POST on one experience: load it within the scope, run the step, turn a refusal into a message."""

    @member_required
    @require_POST
    @wraps(view)
    def wrapper(request: HttpRequest, public_id: int) -> HttpResponse:
        experience = _experience(request, public_id)
        try:
            # No transaction here: each step calls one service, and a service is one transaction.
            result = view(request, experience)
        except Refused as refusal:
            messages.error(request, str(refusal))
            return redirect("agents:experience", public_id=public_id)
        if isinstance(result, HttpResponse):
            return result
        messages.success(request, result)
        return redirect("agents:experience", public_id=public_id)

    return wrapper


def _posted_id(request: HttpRequest, name: str) -> int:
    """A row id from a hidden field; anything but digits is a tampered form, answered like a missing row."""
    value = request.POST.get(name, "")
    if not (value.isascii() and value.isdigit()):
        raise Http404("Identifiant invalide")
    return int(value)


def _assignment(request: HttpRequest, experience: Experience) -> Assignment:
    """The routing the form names, among those of this experience the user may see."""
    return get_object_or_404(
        Assignment.objects.visible_to(request.user).select_related("structure"),
        experience=experience,
        pk=_posted_id(request, "routing"),
    )


def _stored_response(assignment: Assignment) -> Response | None:
    return getattr(assignment, "response", None) or Response.objects.filter(assignment=assignment).first()


def _response(assignment: Assignment) -> Response:
    response = _stored_response(assignment)
    if response is None:
        raise Refused("Cette structure n'a pas encore de réponse.")
    return response


def _refused_form(request, experience, name, form) -> HttpResponse:
    messages.error(request, "Corrigez les erreurs signalées dans le formulaire.")
    context = detail_context(request, experience, **{name: form})
    return render(request, "agents/experiences/detail.html", context, status=400)


# The answer form's buttons: each saves the text and goes one step further, in one service (one transaction).
ANSWER_STEPS = {
    "draft": (responses.save_draft, "Brouillon enregistré."),
    "submit": (responses.save_and_submit, "Réponse soumise à validation : les super répondants sont prévenus."),
    "publish": (responses.save_and_publish, "Réponse publiée : l'usager est prévenu et invité à l'évaluer."),
}


@experience_step
def write_response(request: HttpRequest, experience: Experience):
    assignment = _assignment(request, experience)
    form = ResponseForm(
        request.POST, user=request.user, response=_stored_response(assignment), prefix=f"r{assignment.pk}"
    )
    if not form.is_valid():
        return _refused_form(request, experience, f"response_{assignment.pk}", form)
    save, done = ANSWER_STEPS.get(request.POST.get("step"), ANSWER_STEPS["draft"])
    save(assignment=assignment, by=request.user, **form.cleaned_data)
    return done


@experience_step
def validate_response(request: HttpRequest, experience: Experience):
    responses.validate_response(response=_response(_assignment(request, experience)), by=request.user)
    return "Réponse validée et publiée : l'usager est prévenu."


@experience_step
def correct_and_validate_response(request: HttpRequest, experience: Experience):
    assignment = _assignment(request, experience)
    response = _response(assignment)
    form = ResponseForm(request.POST, user=request.user, response=response, prefix=f"v{assignment.pk}")
    if not form.is_valid():
        return _refused_form(request, experience, f"correct_{assignment.pk}", form)
    responses.validate_with_corrections(response=response, by=request.user, **form.cleaned_data)
    return "Réponse corrigée, validée et publiée : l'usager est prévenu."


@experience_step
def send_back_response(request: HttpRequest, experience: Experience):
    form = SendBackForm(request.POST)
    form.is_valid()
    responses.send_back(
        response=_response(_assignment(request, experience)),
        by=request.user,
        reason=form.cleaned_data.get("reason", ""),
    )
    return "Réponse renvoyée en rédaction."


@experience_step
def unpublish_response(request: HttpRequest, experience: Experience):
    responses.unpublish_response(response=_response(_assignment(request, experience)), by=request.user)
    return "Réponse dépubliée : elle n'est plus visible sur le site public."


@experience_step
def modify_response(request: HttpRequest, experience: Experience):
    assignment = _assignment(request, experience)
    form = ModifyResponseForm(
        request.POST, user=request.user, response=_stored_response(assignment), prefix=f"m{assignment.pk}"
    )
    if not form.is_valid():
        return _refused_form(request, experience, f"modify_{assignment.pk}", form)
    responses.modify_response(response=_response(assignment), by=request.user, **form.cleaned_data)
    if form.cleaned_data["notify_author"]:
        return "Réponse modifiée : l'usager est prévenu."
    return "Réponse corrigée."


@experience_step
def adopt_response(request: HttpRequest, experience: Experience):
    assignment = _assignment(request, experience)
    source = get_object_or_404(Response, pk=_posted_id(request, "source"), assignment__experience=experience)
    responses.adopt_response(assignment=assignment, by=request.user, source=source)
    return "Réponse adoptée : elle est publiée au nom de votre structure."


@experience_step
def qualify(request: HttpRequest, experience: Experience):
    assignment = _assignment(request, experience)
    form = QualificationForm(
        request.POST,
        assignment=assignment,
        rows=handling.editable_typologies(assignment),
        general_tags={},
        prefix=f"q{assignment.pk}",
    )
    if not form.is_valid():
        return _refused_form(request, experience, f"qualification_{assignment.pk}", form)
    handling.update_qualification(
        assignment=assignment,
        by=request.user,
        general_tags=form.general_tags(),
        needs_improvement=form.cleaned_data["needs_improvement"],
        channels=form.channels(),
        business_tags=form.business_tags(),
    )
    return "Qualification enregistrée."


@experience_step
def move(request: HttpRequest, experience: Experience):
    assignment = _assignment(request, experience)
    form = MoveForm(request.POST, structure=assignment.structure, prefix=f"d{assignment.pk}")
    if not form.is_valid():
        return _refused_form(request, experience, f"move_{assignment.pk}", form)
    handling.move_to_child(assignment=assignment, by=request.user, child=form.cleaned_data["child"])
    return f"Expérience réorientée vers {form.cleaned_data['child']} : ses agents sont prévenus."


@experience_step
def transfer(request: HttpRequest, experience: Experience):
    assignment = _assignment(request, experience)
    form = TransferForm(request.POST, prefix=f"t{assignment.pk}")
    if not form.is_valid():
        return _refused_form(request, experience, f"transfer_{assignment.pk}", form)
    handling.request_transfer(assignment=assignment, by=request.user, **form.cleaned_data)
    return "Demande de transfert envoyée à la DITP : vous serez prévenu(e) de sa décision."


@experience_step
def comment(request: HttpRequest, experience: Experience):
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _refused_form(request, experience, "comment", form)
    handling.add_comment(experience=experience, by=request.user, body=form.cleaned_data["body"])
    return "Commentaire ajouté."


@experience_step
def link_action(request: HttpRequest, experience: Experience):
    from experiences.services.actions import link_experience

    form = LinkActionForm(request.POST, user=request.user)
    if not form.is_valid():
        return _refused_form(request, experience, "link", form)
    link_experience(action=form.cleaned_data["action"], experience=experience, by=request.user)
    return "Action d'amélioration liée à l'expérience."
