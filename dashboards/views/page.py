"""The agents' dashboard at /agents/tableau-de-bord/: parse the period and scope, build the report, render."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import member_required
from dashboards.forms import DashboardForm
from dashboards.report import CHANNEL_LABELS, FEELING_LABELS, TAG_LABELS, build_report
from dashboards.services.rollup import RECENT_DAYS


@member_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardForm(request.GET or None, user=request.user)
    form.is_valid()
    scope = form.scope()
    context = {
        "form": form,
        "report": build_report(scope),
        "query": request.GET.urlencode(),
        "feeling_labels": FEELING_LABELS,
        "channel_labels": CHANNEL_LABELS,
        "tag_labels": TAG_LABELS,
        "recent_days": RECENT_DAYS,
        "agent_nav": "dashboard",
        "breadcrumb_data": {"current": "Tableau de bord"},
    }
    return render(request, "dashboards/page.html", context)
