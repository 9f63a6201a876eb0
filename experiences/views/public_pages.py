"""Public pages: improvement actions, a structure's public page, the moderation charter."""

import datetime

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from actions.filters import ActionFilter
from actions.models import ImprovementActionStatus
from experiences.selectors import action_impact as impact_selectors
from experiences.selectors import public_pages as selectors
from experiences.selectors.search import CappedPaginator

ACTIONS_PER_PAGE = 20
EXPERIENCES_PER_PAGE = 10


def _page(request: HttpRequest, object_list, per_page: int, total: int | None = None) -> Page:
    """The requested page (a wrong number gives the nearest one), with the page numbers to link to
    (`elided_range`) for experiences/_list_pagination.html.

    With `total` (the number of rows, known already) pages stop at RESULT_CAP rows and nothing is counted.
    """
    paginator = Paginator(object_list, per_page) if total is None else CappedPaginator(object_list, total, per_page)
    page = paginator.get_page(request.GET.get("page"))
    page.elided_range = list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    return page


def format_delay(delay: datetime.timedelta | None) -> str:
    """A delay as a citizen reads it: « 5 h », « 2 jours et 3 h », « moins d'une heure »."""
    if delay is None:
        return "—"
    hours = int(delay.total_seconds() // 3600)
    if hours < 1:
        return "moins d'une heure"
    days, hours = divmod(hours, 24)
    if not days:
        return f"{hours} h"
    day_label = f"{days} jour" if days == 1 else f"{days} jours"
    return f"{day_label} et {hours} h" if hours else day_label


def format_rate(rate: float | None) -> str:
    if rate is None:
        return "—"
    return f"{rate:.0f} %"


def actions(request: HttpRequest) -> HttpResponse:
    """Published improvement actions, filterable by network, structure (with its subtree) and state."""
    filters = ActionFilter(request.GET or None, queryset=selectors.public_actions(), audience="public")
    page = _page(request, filters.qs, ACTIONS_PER_PAGE)
    return render(
        request,
        "experiences/actions/list.html",
        {
            "active_nav": "actions",
            "breadcrumb_data": {"current": "Actions d'amélioration"},
            "filters": filters,
            "is_filtered": any(request.GET.get(name) for name in filters.filters),
            "page_obj": page,
        },
    )


def action_impact(request: HttpRequest, pk: int) -> HttpResponse:
    """A published, done action and its measured effect (issue 20)."""
    action = get_object_or_404(
        selectors.public_actions().select_related("structure__network"), pk=pk, status=ImprovementActionStatus.DONE
    )
    return render(
        request,
        "experiences/actions/impact.html",
        {
            "active_nav": "actions",
            "breadcrumb_data": {
                "links": [{"url": reverse("experiences:actions"), "title": "Actions d'amélioration"}],
                "current": action.title,
            },
            "action": action,
            "impact": impact_selectors.cached_action_impact(action, timezone.localdate()),
            "min_experiences": impact_selectors.MIN_EXPERIENCES,
        },
    )


def structure(request: HttpRequest, code: str) -> HttpResponse:
    """A structure's public page: identity, place in the tree, figures, latest experiences, actions."""
    found = get_object_or_404(selectors.structure_by_code(code))
    children, children_count = selectors.structure_children(found)
    figures = selectors.structure_figures(found)
    actions = list(selectors.structure_actions(found)[: selectors.MAX_ACTIONS_ON_STRUCTURE_PAGE + 1])
    return render(
        request,
        "structures/detail.html",
        {
            "breadcrumb_data": {"current": found.display_name},
            "structure": found,
            "children": children,
            "children_count": children_count,
            "hidden_children_count": children_count - len(children),
            "figures": figures,
            "answer_rate": format_rate(figures.answer_rate),
            "mean_delay": format_delay(figures.mean_first_response_delay),
            # The figures counted these very experiences (cached): an exact count of a network root's
            # subtree on every request cost 0.6 s on a million experiences (bench/agent_pages.py).
            "page_obj": _page(
                request, selectors.structure_experiences(found), EXPERIENCES_PER_PAGE, figures.experience_count
            ),
            "actions": actions[: selectors.MAX_ACTIONS_ON_STRUCTURE_PAGE],
            "has_more_actions": len(actions) > selectors.MAX_ACTIONS_ON_STRUCTURE_PAGE,
        },
    )


def charter(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/charter.html",
        {"breadcrumb_data": {"current": "Charte de modération"}},
    )
