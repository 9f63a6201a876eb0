"""Improvement actions in the agents' back-office (seed 003): list, create, edit, publish.

Every page reads actions through the scoped selectors (actions.selectors, experiences.selectors.actions),
so an action outside the user's scope is a 404; those the user sees without managing them (evaluators,
DITP moderators) open read-only. The views stay with experiences: their form links experiences.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.access import member_required
from actions import selectors as action_selectors
from actions import services as action_services
from actions.filters import ActionFilter
from actions.models import ImprovementAction
from common.exceptions import Refused
from experiences.action_forms import ImprovementActionForm
from experiences.selectors.action_impact import MIN_EXPERIENCES, cached_action_impact
from experiences.selectors.actions import action_for_agent, listed_actions_for_agent
from experiences.services import actions as services

ACTIONS_PER_PAGE = 20
LIST_LINK = {"url": reverse_lazy("agents:actions"), "title": "Actions d'amélioration"}


@member_required
@require_http_methods(["GET"])
def action_list(request: HttpRequest) -> HttpResponse:
    filters = ActionFilter(request.GET or None, queryset=listed_actions_for_agent(request.user), audience="agents")
    paginator = Paginator(filters.qs, ACTIONS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "agents/actions/list.html",
        {
            "agent_nav": "actions",
            "breadcrumb_data": {"current": "Actions d'amélioration"},
            "filters": filters,
            "is_filtered": any(request.GET.get(name) for name in filters.filters),
            "counts": action_selectors.action_counts(filters.qs),
            "page_obj": page,
            "paginator": paginator,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "can_create": action_selectors.manageable_structures(request.user).exists(),
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest) -> HttpResponse:
    structures = action_selectors.structure_choices(request.user)
    context = {
        "agent_nav": "actions",
        "breadcrumb_data": {"links": [LIST_LINK], "current": "Nouvelle action"},
    }
    if structures == []:
        # Evaluators and DITP moderators follow actions but create none: the page says so.
        return render(request, "agents/actions/form.html", {**context, "form": None})
    form = ImprovementActionForm(
        request.POST or None,
        user=request.user,
        structures=structures,
        initial=ImprovementActionForm.initial_from_query(request.GET, request.user, structures),
    )
    if request.method == "POST":
        action = _save(request, form, services.create_linked_action)
        if action is not None:
            messages.success(
                request,
                f"L'action « {action.title} » est créée. Les usagers ne la verront qu'une fois publiée.",
            )
            return redirect("agents:action_edit", pk=action.pk)
    return render(request, "agents/actions/form.html", {**context, "form": form})


@member_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(action_for_agent(request.user), pk=pk)
    context = {
        "agent_nav": "actions",
        "breadcrumb_data": {"links": [LIST_LINK], "current": action.title},
        "action": action,
        "impact": cached_action_impact(action, timezone.localdate()),
        "min_experiences": MIN_EXPERIENCES,
    }
    if not action.can_manage:
        if request.method == "POST":
            messages.error(request, "Votre rôle vous permet de consulter cette action, pas de la modifier.")
        return render(request, "agents/actions/detail.html", context)
    form = ImprovementActionForm(
        request.POST or None,
        user=request.user,
        structures=action_selectors.structure_choices(request.user),
        action=action,
    )
    if request.method == "POST" and _save(request, form, services.update_linked_action, action=action) is not None:
        messages.success(request, "Les modifications de l'action sont enregistrées.")
        return redirect("agents:action_edit", pk=action.pk)
    return render(request, "agents/actions/form.html", {**context, "form": form})


@member_required
@require_http_methods(["GET", "POST"])
def action_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (it works without JavaScript); POST publishes."""
    action = get_object_or_404(action_for_agent(request.user), pk=pk)
    edit_url = reverse("agents:action_edit", kwargs={"pk": action.pk})
    if request.method == "POST":
        _publish(request, action)
        return redirect(edit_url)
    if action.is_public:
        messages.info(request, "Cette action est déjà publiée.")
        return redirect(edit_url)
    if not action.can_manage:
        messages.error(request, "Votre rôle vous permet de consulter cette action, pas de la publier.")
        return redirect(edit_url)
    linked = [experience for experience in action.linked_experiences if experience.is_published]
    return render(
        request,
        "agents/actions/publish.html",
        {
            "agent_nav": "actions",
            "breadcrumb_data": {"links": [LIST_LINK, {"url": edit_url, "title": action.title}], "current": "Publier"},
            "action": action,
            "linked_count": len(linked),
        },
    )


def _publish(request: HttpRequest, action: ImprovementAction) -> None:
    was_public = action.is_public
    try:
        action_services.publish_action(action=action, by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return
    if was_public:
        messages.info(request, "Cette action était déjà publiée.")
    else:
        messages.success(
            request,
            "L'action est publiée : elle est visible sur le site public. "
            "Les auteurs des expériences liées en sont informés par e-mail.",
        )


def _save(request: HttpRequest, form: ImprovementActionForm, step: Callable, **kwargs) -> ImprovementAction | None:
    """Run the service on a valid form; its refusal becomes an error on the field it concerns."""
    if not form.is_valid():
        return None
    try:
        return step(by=request.user, **kwargs, **form.cleaned_data)
    except Refused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return None
